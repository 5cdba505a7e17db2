package io.openinsure.db.domains.internal;

import java.sql.SQLException;
import java.util.Locale;

/**
 * Recognises the server errors the domain clients turn into typed outcomes, in whatever the
 * driver, jOOQ or the SDK wrapped them in. Internal: not part of the API.
 */
public final class SqlErrors {

    private static final int ER_DUP_ENTRY = 1062;
    private static final int ER_CHECKREAD = 1020;
    private static final int ER_LOCK_DEADLOCK = 1213;

    private SqlErrors() {
    }

    /**
     * Whether {@code failure} is a duplicate value in the unique key {@code keyName}, so an
     * idempotent write that lost a race can re-read the row the winner committed. MariaDB reports
     * {@code Duplicate entry '…' for key 'uk_name'}, MySQL 8 and Vitess {@code … for key
     * 'table.uk_name'} (error 1062); PostgreSQL names the constraint (SQLState 23505).
     */
    public static boolean duplicateKey(Throwable failure, String keyName) {
        SQLException sql = find(failure);
        if (sql == null || !(sql.getErrorCode() == ER_DUP_ENTRY || "23505".equals(sql.getSQLState()))) {
            return false;
        }
        String message = sql.getMessage();
        return message != null && message.toLowerCase(Locale.ROOT).contains(keyName.toLowerCase(Locale.ROOT));
    }

    /**
     * Whether {@code failure} says another transaction changed the row first: MariaDB's
     * {@code innodb_snapshot_isolation} error 1020 (default from 11.6) or a deadlock (1213).
     */
    public static boolean writeConflict(Throwable failure) {
        SQLException sql = find(failure);
        return sql != null && (sql.getErrorCode() == ER_CHECKREAD || sql.getErrorCode() == ER_LOCK_DEADLOCK);
    }

    private static SQLException find(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql;
            }
        }
        return null;
    }
}
