package io.openinsure.db.core.internal;

import io.openinsure.db.core.CircuitOpenException;
import io.openinsure.db.core.ConnectionUnavailableException;
import io.openinsure.db.core.OpenInsureDbException;
import java.sql.SQLException;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;

/**
 * Times every statement of a client's jOOQ contexts (from the start of rendering to the end of the
 * fetch) and feeds the outcome to the client: its {@link HealthTracker} window, its counters and its
 * meters. A statement that loses its connection (SQL state {@code 08…}) counts as a connection
 * failure and surfaces as a {@link ConnectionUnavailableException}; failures to borrow were recorded at
 * the borrow and are not statements; statements refused client-side are not the server's fault.
 */
final class HealthListener implements ExecuteListener {

    private static final long serialVersionUID = 1L;
    private static final String START = "openinsure.db.health.start";

    /** Where the measurements go. */
    interface Sink {
        void statement(long nanos, boolean failed, io.openinsure.db.core.CacheStatus status);

        void error(String type);

        /** A statement lost its connection; returns the exception to throw instead. */
        ConnectionUnavailableException connectionLost(SQLException e);
    }

    private final transient Sink sink;

    HealthListener(Sink sink) {
        this.sink = sink;
    }

    @Override
    public void start(ExecuteContext ctx) {
        QueryCache.clearLastStatus();
        ctx.data(START, System.nanoTime());
    }

    @Override
    public void exception(ExecuteContext ctx) {
        RuntimeException e = ctx.exception();
        if (connectionProblem(e) != null) {
            return; // recorded where the borrow failed
        }
        SQLException sql = ctx.sqlException();
        if (sql != null && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
            ctx.exception(sink.connectionLost(sql));
            return;
        }
        if (e instanceof OpenInsureDbException) {
            sink.error("refused");
            return;
        }
        Object start = ctx.data(START);
        ctx.data(START, null);
        if (start instanceof Long t0) {
            sink.statement(System.nanoTime() - t0, true, QueryCache.lastStatus());
        }
        sink.error("sql");
    }

    @Override
    public void end(ExecuteContext ctx) {
        Object start = ctx.data(START);
        if (start instanceof Long t0 && ctx.exception() == null && ctx.sqlException() == null) {
            ctx.data(START, null);
            sink.statement(System.nanoTime() - t0, false, QueryCache.lastStatus());
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

    static boolean circuitOpen(Throwable e) {
        return connectionProblem(e) instanceof CircuitOpenException;
    }
}
