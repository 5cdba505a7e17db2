package io.openinsure.db.domains.internal;

import io.openinsure.db.core.ServerErrorException;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises the server errors the domain clients turn into typed outcomes, in whatever the
 * driver, jOOQ or the SDK wrapped them in: duplicate values in a unique key (so a client can tell
 * a lost idempotency race, where it re-reads the winner's row, from a business-number collision,
 * where it retries with a new number) and write conflicts. Internal: not part of the API.
 */
public final class SqlErrors {

    private static final int ER_DUP_ENTRY = 1062;
    private static final String UNIQUE_VIOLATION = "23505";
    private static final int ER_CHECKREAD = 1020;
    private static final int ER_LOCK_DEADLOCK = 1213;
    /** MariaDB {@code for key 'uk_x'}, MySQL 8 {@code for key 'table.uk_x'}, PostgreSQL {@code unique constraint "uk_x"}. */
    private static final Pattern KEY = Pattern.compile("(?:for key|unique constraint) ['\"`]([^'\"`]+)['\"`]");

    private SqlErrors() {}

    /**
     * Whether {@code failure} is a duplicate value in the unique key {@code keyName}, so an
     * idempotent write that lost a race can re-read the row the winner committed. MariaDB reports
     * {@code Duplicate entry '…' for key 'uk_name'}, MySQL 8 and Vitess {@code … for key
     * 'table.uk_name'} (error 1062); PostgreSQL names the constraint (SQLState 23505).
     */
    public static boolean duplicateKey(Throwable failure, String keyName) {
        SQLException sql = find(failure, e -> true);
        if (sql == null || !isDuplicate(sql)) {
            return false;
        }
        String message = sql.getMessage();
        return message != null && message.toLowerCase(Locale.ROOT).contains(keyName.toLowerCase(Locale.ROOT));
    }

    /**
     * The name of the unique key {@code failure} violated (without a table prefix; empty when the
     * message does not name it), or empty when {@code failure} is not a duplicate-key error.
     */
    public static Optional<String> duplicateKeyName(Throwable failure) {
        SQLException sql = find(failure, SqlErrors::isDuplicate);
        if (sql == null) {
            return Optional.empty();
        }
        // The SDK's typed server error names the key already (db-core read it once, for every dialect).
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ServerErrorException server
                    && server.kind() == ServerErrorException.Kind.DUPLICATE_KEY
                    && server.constraint().isPresent()) {
                return server.constraint();
            }
        }
        Matcher m = KEY.matcher(String.valueOf(sql.getMessage()));
        if (m.find()) {
            String key = m.group(1);
            return Optional.of(key.substring(key.lastIndexOf('.') + 1));
        }
        return Optional.of("");
    }

    /**
     * Whether {@code failure} says another transaction changed the row first: MariaDB's
     * {@code innodb_snapshot_isolation} error 1020 (default from 11.6) or a deadlock (1213); PostgreSQL's serialization
     * failure at REPEATABLE READ (SQLState 40001) or a deadlock (40P01).
     */
    public static boolean writeConflict(Throwable failure) {
        SQLException sql = find(failure, e -> true);
        return sql != null
                && (sql.getErrorCode() == ER_CHECKREAD
                        || sql.getErrorCode() == ER_LOCK_DEADLOCK
                        || "40001".equals(sql.getSQLState())
                        || "40P01".equals(sql.getSQLState()));
    }

    /** 1062 ER_DUP_ENTRY (MySQL, MariaDB, Vitess); 23505 unique_violation (PostgreSQL). */
    private static boolean isDuplicate(SQLException e) {
        return e.getErrorCode() == ER_DUP_ENTRY || UNIQUE_VIOLATION.equals(e.getSQLState());
    }

    /** The first {@link SQLException} in {@code failure}'s cause chain that {@code wanted} accepts, or {@code null}. */
    private static SQLException find(Throwable failure, Predicate<SQLException> wanted) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && wanted.test(sql)) {
                return sql;
            }
        }
        return null;
    }
}
