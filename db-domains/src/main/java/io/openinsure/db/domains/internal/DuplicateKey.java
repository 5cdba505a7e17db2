package io.openinsure.db.domains.internal;

import java.sql.SQLException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises a unique-key violation and names the key, so a client can tell a lost idempotency
 * race (re-read the winner's row) from a business-key collision (retry with a new number).
 * Internal: not part of the API.
 */
public final class DuplicateKey {

    /** MariaDB {@code for key 'uk_x'}, MySQL 8 {@code for key 'table.uk_x'}, PostgreSQL {@code unique constraint "uk_x"}. */
    private static final Pattern KEY = Pattern.compile("(?:for key|unique constraint) ['\"`]([^'\"`]+)['\"`]");

    private DuplicateKey() {
    }

    /**
     * The name of the unique key {@code failure} violated (without a table prefix), or empty when
     * {@code failure} is not a duplicate-key error.
     */
    public static Optional<String> of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && isDuplicate(sql)) {
                Matcher m = KEY.matcher(String.valueOf(sql.getMessage()));
                if (m.find()) {
                    String key = m.group(1);
                    return Optional.of(key.substring(key.lastIndexOf('.') + 1));
                }
                return Optional.of("");
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return Optional.empty();
    }

    private static boolean isDuplicate(SQLException e) {
        // 1062 ER_DUP_ENTRY (MySQL, MariaDB, Vitess); 23505 unique_violation (PostgreSQL).
        return e.getErrorCode() == 1062 || "23505".equals(e.getSQLState());
    }
}
