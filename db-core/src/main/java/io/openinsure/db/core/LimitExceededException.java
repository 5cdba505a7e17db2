package io.openinsure.db.core;

/**
 * A statement went past one of the keyspace's limits (rows per query, rows per write, result size,
 * transaction or statement time). Nothing is silently truncated: the statement failed, and a
 * transaction was rolled back.
 */
public class LimitExceededException extends OpenInsureDbException {

    private static final long serialVersionUID = 1L;

    private final String limit;
    private final long allowed;

    public LimitExceededException(String keyspace, String limit, long allowed, String message, Throwable cause) {
        super(keyspace, message, cause);
        this.limit = limit;
        this.allowed = allowed;
    }

    /** The setting's key, e.g. {@code OI_DB_CLAIMS_MAX_ROWS}. */
    public String limit() {
        return limit;
    }

    /** The limit's value (rows, bytes or milliseconds). */
    public long allowed() {
        return allowed;
    }
}
