package io.openinsure.db.domains.internal;

import io.openinsure.db.core.spi.DuplicateKeys;
import java.sql.SQLException;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Recognises the server errors the domain clients turn into typed outcomes, in whatever the
 * driver, jOOQ or the SDK wrapped them in: duplicate values in a unique key (so a client can tell
 * a lost idempotency race, where it re-reads the winner's row, from a business-number collision,
 * where it retries with a new number) and write conflicts. Internal: not part of the API.
 */
public final class SqlErrors {

    private static final int ER_CHECKREAD = 1020;
    private static final int ER_LOCK_DEADLOCK = 1213;

    private SqlErrors() {}

    /**
     * The name of the unique key {@code failure} violated (without a table prefix; empty when the
     * server did not name it), or empty when {@code failure} is not a duplicate-key error: error 1062
     * on MySQL, MariaDB and Vitess, whose message names the key; SQLState 23505 on PostgreSQL, whose
     * error names the constraint in a field of its own ({@link DuplicateKeys}).
     */
    public static Optional<String> duplicateKeyName(Throwable failure) {
        if (find(failure, DuplicateKeys::isDuplicate) == null) {
            return Optional.empty();
        }
        return Optional.of(DuplicateKeys.keyName(failure).orElse(""));
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
