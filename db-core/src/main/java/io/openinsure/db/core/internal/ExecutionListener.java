package io.openinsure.db.core.internal;

import io.openinsure.db.core.ConnectionUnavailableException;
import io.openinsure.db.core.OpenInsureDbException;
import java.sql.SQLException;
import org.jooq.Configuration;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.jooq.Query;

/**
 * The first listener of a client's jOOQ contexts: it opens each statement's {@link Execution} when jOOQ starts the
 * statement, hands it to the connection jOOQ will borrow for it, and reports the statement to the client's
 * {@link ClientMeasurements} (health window, counters, meters) when it ends, timed from the start of rendering to
 * the end of the fetch and tagged with what the cache did.
 *
 * <p>Outside a transaction jOOQ borrows a connection per statement: when the statement was started from a client
 * context (its query is attached to a configuration whose provider is {@link ClientConnections}), the statement's
 * connection provider is replaced ({@link ExecuteContext#connectionProvider}, which jOOQ lets a listener override
 * when a statement starts) by one that makes the connection with the execution ({@link ClientConnections#forExecution}). A transaction's
 * statements share its connection; their status is fixed ({@code TRANSACTION}, or {@code DISABLED} without a cache).
 *
 * <p>A statement that loses its connection (SQL state {@code 08…}) counts as a connection failure and surfaces as a
 * {@link ConnectionUnavailableException}; failures to borrow were recorded at the borrow and are not statements;
 * statements refused client-side are not the server's fault. Immutable and thread-safe.
 */
final class ExecutionListener implements ExecuteListener {

    private static final long serialVersionUID = 1L;

    private final transient ClientMeasurements measurements;
    private final transient QueryCache cache;

    ExecutionListener(ClientMeasurements measurements, QueryCache cache) {
        this.measurements = measurements;
        this.cache = cache;
    }

    @Override
    public void start(ExecuteContext ctx) {
        Execution execution = Execution.open(ctx);
        if (LimitsListener.inTransaction(ctx)) {
            execution.status(cache.statusOf(null, true));
        } else {
            Configuration startedFrom = startedFrom(ctx);
            if (startedFrom != null && startedFrom.connectionProvider() instanceof ClientConnections connections) {
                ctx.connectionProvider(connections.forExecution(execution));
            }
        }
    }

    /**
     * The configuration the statement was started from: the one its query (or routine) is attached to. (The execute
     * context's own configuration is jOOQ's derivation of it, whose connection provider is the context's.)
     */
    private static Configuration startedFrom(ExecuteContext ctx) {
        if (ctx.query() != null) {
            return ctx.query().configuration();
        }
        Query[] batch = ctx.batchQueries();
        if (batch.length > 0 && batch[0] != null) {
            return batch[0].configuration();
        }
        return ctx.routine() == null ? null : ctx.routine().configuration();
    }

    @Override
    public void exception(ExecuteContext ctx) {
        RuntimeException e = ctx.exception();
        if (connectionProblem(e) != null) {
            return; // recorded where the borrow failed
        }
        SQLException sql = ctx.sqlException();
        if (sql != null && ClientMeasurements.lostConnection(sql)) {
            ctx.exception(measurements.connectionLost(Execution.of(ctx), ServerErrors.masked(sql)));
            return;
        }
        if (e instanceof OpenInsureDbException) {
            measurements.refused(); // a limit or a rule: not the server's fault
            return;
        }
        Execution execution = Execution.of(ctx);
        if (execution != null) {
            measurements.failed(execution);
        }
    }

    @Override
    public void end(ExecuteContext ctx) {
        Execution execution = Execution.of(ctx);
        if (execution != null && ctx.exception() == null && ctx.sqlException() == null) {
            measurements.succeeded(execution);
        }
    }

    /** The connection failure in {@code e}'s causes, if any. */
    static ConnectionUnavailableException connectionProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectionUnavailableException c) {
                return c;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "ExecutionListener[" + cache + "]";
    }
}
