package io.openinsure.db.core;

import java.time.Duration;

/**
 * A statement went past one of the keyspace's limits (rows per query, rows per write, result size,
 * transaction or statement time). Nothing is silently truncated: the statement failed, and a
 * transaction was rolled back.
 *
 * <p>The SDK makes these with the static factories below; each message names the keyspace, the setting's key and
 * the numbers, and says what to do. The driver's own error (a timeout's, say) is the {@linkplain #getCause() cause},
 * never part of the message.
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

    /** A query returned more than {@link Limits#maxRows()} rows (its next row arrived): it failed, nothing was truncated. */
    public static LimitExceededException tooManyRows(String keyspace, Limits limits) {
        String key = Settings.MAX_ROWS.key(keyspace);
        return new LimitExceededException(
                keyspace,
                key,
                limits.maxRows(),
                "Keyspace '" + keyspace + "': the query returned more than "
                        + key + " (" + limits.maxRows()
                        + ") rows; nothing was truncated. Walk the rows page by page with Keyset.forEachPage, "
                        + "or narrow the query (PlanetScale allows 100,000 rows per query, vanilla Vitess 10,000).",
                null);
    }

    /** A query's result, estimated while fetching, grew past {@link Limits#maxResultBytes()} at row {@code atRow}. */
    public static LimitExceededException resultTooLarge(String keyspace, Limits limits, long atRow) {
        String key = Settings.MAX_RESULT_BYTES.key(keyspace);
        return new LimitExceededException(
                keyspace,
                key,
                limits.maxResultBytes(),
                "Keyspace '" + keyspace + "': the query's result "
                        + "exceeded " + key + " (" + Settings.formatByteSize(limits.maxResultBytes())
                        + ", estimated while fetching, at row "
                        + atRow + "); select fewer columns, or walk the rows page by page with Keyset.forEachPage.",
                null);
    }

    /**
     * A write ({@code what}: {@code UPDATE}, {@code batch}, …) would change {@code rows} rows, more than
     * {@link Limits#maxWriteRows()}; {@code outcome} says what became of it ({@code it was not run}, {@code it was rolled back}…).
     */
    public static LimitExceededException tooManyRowsWritten(
            String keyspace, Limits limits, String what, long rows, String outcome) {
        String key = Settings.MAX_WRITE_ROWS.key(keyspace);
        return new LimitExceededException(
                keyspace,
                key,
                limits.maxWriteRows(),
                "Keyspace '" + keyspace + "': the " + what
                        + " would change " + rows + " rows, more than " + key + " (" + limits.maxWriteRows() + "); "
                        + outcome + ". Split it "
                        + "into chunks with Keyset.insertInChunks or Keyset.deleteInChunks, or narrow its WHERE.",
                null);
    }

    /** A transaction ran past {@link Limits#transactionTimeout()}; {@code when}: {@code at commit}, {@code before this statement}… */
    public static LimitExceededException transactionTimedOut(
            String keyspace, Limits limits, String when, Throwable cause) {
        String key = Settings.TRANSACTION_TIMEOUT.key(keyspace);
        return new LimitExceededException(
                keyspace,
                key,
                limits.transactionTimeout().toMillis(),
                "Keyspace '" + keyspace
                        + "': the transaction ran longer than " + key + " ("
                        + Settings.formatDuration(limits.transactionTimeout()) + ", "
                        + when
                        + ") and is rolled back; keep transactions short and independent, and do slow work outside them.",
                cause);
    }

    /** A statement ran past the default {@link Limits#queryTimeout()} and was cancelled. */
    public static LimitExceededException queryTimedOut(String keyspace, Limits limits, Throwable cause) {
        String statement = Settings.STATEMENT_TIMEOUT.key(keyspace);
        String key = Settings.QUERY_TIMEOUT.key(keyspace);
        return timedOut(
                keyspace,
                key,
                limits.queryTimeout().toMillis(),
                key + " (" + Settings.formatDuration(limits.queryTimeout()) + ")",
                "give this query its own queryTimeout(…) (at most " + statement + ", "
                        + Settings.formatDuration(limits.statementTimeout()) + "), or make it faster",
                cause);
    }

    /** A statement ran past its own timeout ({@code queryTimeout(…)}, {@code ownMillis}) and was cancelled. */
    public static LimitExceededException ownTimeoutExceeded(
            String keyspace, Limits limits, long ownMillis, Throwable cause) {
        String statement = Settings.STATEMENT_TIMEOUT.key(keyspace);
        return timedOut(
                keyspace,
                Settings.QUERY_TIMEOUT.key(keyspace),
                ownMillis,
                "its own query timeout (" + Settings.formatDuration(Duration.ofMillis(ownMillis))
                        + ", queryTimeout(…))",
                "raise it (at most " + statement + ", " + Settings.formatDuration(limits.statementTimeout())
                        + "), or make the query faster",
                cause);
    }

    /** A statement outside a transaction ran past the ceiling {@link Limits#statementTimeout()} and was cancelled. */
    public static LimitExceededException statementTimedOut(String keyspace, Limits limits, Throwable cause) {
        String key = Settings.STATEMENT_TIMEOUT.key(keyspace);
        return timedOut(
                keyspace,
                key,
                limits.statementTimeout().toMillis(),
                key + " (" + Settings.formatDuration(limits.statementTimeout())
                        + "), the ceiling for statements outside a transaction,",
                "split the work into smaller statements, e.g. page with " + "Keyset.forEachPage",
                cause);
    }

    private static LimitExceededException timedOut(
            String keyspace, String key, long allowedMillis, String limit, String fix, Throwable cause) {
        return new LimitExceededException(
                keyspace,
                key,
                allowedMillis,
                "Keyspace '" + keyspace + "': the statement ran longer than " + limit + " and was cancelled; " + fix
                        + ".",
                cause);
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
