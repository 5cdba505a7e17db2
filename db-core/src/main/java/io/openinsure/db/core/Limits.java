package io.openinsure.db.core;

import java.time.Duration;

/**
 * The limits one binding enforces client-side (PlanetScale's, each configurable). Validated by
 * {@link BindingConfig.Builder}; see {@link Settings} for defaults and bounds. A cache hit never reaches
 * the database; the limits apply to every statement that does.
 *
 * @param maxRows            {@link Settings#MAX_ROWS}: rows per query; one more fails, nothing is truncated
 * @param maxWriteRows       {@link Settings#MAX_WRITE_ROWS}: rows changed per write statement or batch
 * @param maxResultBytes     {@link Settings#MAX_RESULT_BYTES}: estimated bytes of one query's result
 * @param transactionTimeout {@link Settings#TRANSACTION_TIMEOUT}: a transaction's whole duration
 * @param statementTimeout   {@link Settings#STATEMENT_TIMEOUT}: ceiling for a statement outside a transaction
 * @param queryTimeout       {@link Settings#QUERY_TIMEOUT}: default timeout of every statement; a query's own
 *                           {@code queryTimeout(…)} overrides it, still capped by the ceilings
 */
public record Limits(
        int maxRows,
        int maxWriteRows,
        long maxResultBytes,
        Duration transactionTimeout,
        Duration statementTimeout,
        Duration queryTimeout) {

    @Override
    public String toString() {
        return "Limits{maxRows=" + maxRows + ", maxWriteRows=" + maxWriteRows + ", maxResultBytes="
                + Settings.formatByteSize(maxResultBytes) + ", transactionTimeout="
                + Settings.formatDuration(transactionTimeout)
                + ", statementTimeout=" + Settings.formatDuration(statementTimeout) + ", queryTimeout="
                + Settings.formatDuration(queryTimeout) + "}";
    }
}
