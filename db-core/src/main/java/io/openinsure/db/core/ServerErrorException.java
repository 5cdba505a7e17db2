package io.openinsure.db.core;

import java.util.Optional;

/**
 * The server (MySQL, MariaDB, PostgreSQL, or vtgate and its vttablets) refused or failed a statement.
 *
 * <p>The message names the keyspace, what happened and, where there is one, the server's limit and what
 * to do about it. It never carries the statement's text, its bind values or the values the server echoes
 * (vtgate appends {@code Sql: "…", BindVars: {…}} to its errors, MySQL quotes the duplicate value): the
 * driver's message is masked before it reaches this exception, and the cause is a copy of the driver's
 * {@link java.sql.SQLException} with the same masked message, error code and SQLState.
 *
 * <p>{@link #kind()} says what happened; {@link #isRetryable()} whether running the same statement (or the
 * whole transaction) again later may succeed without any change (a reparent in progress, a full pool).
 */
public class ServerErrorException extends OpenInsureDbException {

    private static final long serialVersionUID = 1L;

    /** What the server said, in the categories an application acts on. */
    public enum Kind {
        /** A unique key already holds the value (MySQL/MariaDB/Vitess errno 1062, PostgreSQL 23505). */
        DUPLICATE_KEY(false),
        /** The statement ran out of time on the server (errno 1317/3024/1969, vttablet's query timeout, 57014). */
        QUERY_TIMEOUT(false),
        /** The result went past the server's row cap (vttablet {@code Row count exceeded N}). */
        ROW_LIMIT(false),
        /** The server ended the transaction because it ran too long (vttablet's transaction killer). */
        TRANSACTION_KILLED(false),
        /**
         * Not available for now: a primary not serving or being reparented, a full transaction or connection pool,
         * a dropped connection. The same work may succeed when run again.
         */
        UNAVAILABLE(true),
        /** Another transaction changed the row, or a deadlock (1020, 1213, 40001, 40P01): run the transaction again. */
        WRITE_CONFLICT(true),
        /** Anything else: syntax, unknown column, constraint other than a unique key, …. */
        OTHER(false);

        private final boolean retryable;

        Kind(boolean retryable) {
            this.retryable = retryable;
        }

        /** Whether an error of this kind may go away when the same work runs again. */
        public boolean retryable() {
            return retryable;
        }
    }

    private final Kind kind;
    private final int errorCode;
    private final String sqlState;
    private final String constraint;
    private final long limit;

    /**
     * @param keyspace   the binding
     * @param kind       what happened
     * @param errorCode  the driver's vendor code (0 when none)
     * @param sqlState   the SQLState, or {@code null}
     * @param constraint the unique key's name for {@link Kind#DUPLICATE_KEY}, else {@code null}
     * @param limit      the server's limit for {@link Kind#ROW_LIMIT} (rows), else {@code -1}
     * @param message    a masked message
     * @param cause      the masked copy of the driver's exception
     */
    public ServerErrorException(
            String keyspace,
            Kind kind,
            int errorCode,
            String sqlState,
            String constraint,
            long limit,
            String message,
            Throwable cause) {
        super(keyspace, message, cause);
        this.kind = kind;
        this.errorCode = errorCode;
        this.sqlState = sqlState;
        this.constraint = constraint;
        this.limit = limit;
    }

    /** What happened. */
    public Kind kind() {
        return kind;
    }

    /** Whether running the same work again later may succeed ({@link Kind#retryable()}). */
    public boolean isRetryable() {
        return kind.retryable();
    }

    /** The driver's vendor error code (e.g. 1062), 0 when it gave none. */
    public int errorCode() {
        return errorCode;
    }

    /** The SQLState (e.g. {@code 23000}), if the driver gave one. */
    public Optional<String> sqlState() {
        return Optional.ofNullable(sqlState);
    }

    /**
     * For {@link Kind#DUPLICATE_KEY}: the unique key's name without a table prefix ({@code PRIMARY},
     * {@code uk_policy_number}), as PostgreSQL's error names it in its constraint field, or MySQL's message after
     * {@code for key}; empty when the server did not say.
     */
    public Optional<String> constraint() {
        return Optional.ofNullable(constraint);
    }

    /** For {@link Kind#ROW_LIMIT}: the server's row cap, when its message says it. */
    public Optional<Long> limit() {
        return limit < 0 ? Optional.empty() : Optional.of(limit);
    }
}
