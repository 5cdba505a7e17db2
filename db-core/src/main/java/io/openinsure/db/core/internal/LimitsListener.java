package io.openinsure.db.core.internal;

import io.openinsure.db.core.LimitExceededException;
import io.openinsure.db.core.OpenInsureDbException;
import io.openinsure.db.core.internal.StatementShapes.Shape;
import io.openinsure.db.core.internal.StatementShapes.Shapes;
import io.openinsure.db.core.spi.Secrets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.jooq.ExecuteType;
import org.jooq.TransactionContext;
import org.jooq.TransactionProvider;
import org.jooq.exception.DataAccessException;
import org.jooq.tools.jdbc.DefaultStatement;
import org.jooq.tools.jdbc.MockStatement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the client's {@link StatementLimits} to every jOOQ statement that reaches the database (a cache hit does
 * not; its result was checked when it was loaded through the same path), keeping what each has seen in its
 * {@link Execution}:
 * <ul>
 *   <li>before it runs: the row cap, and its timeout (its own {@code queryTimeout(…)}, which jOOQ has set on the
 *       statement by then, or the default; capped); a transaction past its timeout is refused new statements;</li>
 *   <li>while fetching: each row counted against {@code MAX_ROWS} and {@code MAX_RESULT_BYTES};</li>
 *   <li>written rows: a write changing more than {@code MAX_WRITE_ROWS} rows fails and is undone. Outside a
 *       transaction, {@code UPDATE}, {@code DELETE}, {@code INSERT … SELECT} and batches run in a short transaction of
 *       their own so that they can be; an {@code INSERT … VALUES} is judged by its row count before it runs;</li>
 *   <li>a statement cancelled for its timeout fails with the {@link LimitExceededException} of its limit.</li>
 * </ul>
 * On MariaDB sessions that carry the default timeout ({@link ServerTimeouts.Server#MARIADB_SESSION}) a statement that
 * is not prefixed with its timeout ({@link ServerTimedRead}) is timed against the session: one under the default needs
 * no driver timer; one with a longer timeout raises the session's {@code max_statement_time} to it while it runs
 * ({@code SET max_statement_time}, put back to the default when its execution ends); a shorter one keeps the driver's
 * timer. A batch keeps the driver's timer, which bounds it as a whole (the server bounds each of its statements).
 * {@link TimedTransactions} remembers when a client's transaction began and refuses to commit one past its timeout.
 * Immutable and thread-safe.
 */
final class LimitsListener implements ExecuteListener {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(LimitsListener.class);

    /** {@link System#nanoTime()} when the outermost transaction began, in the transaction's configuration data. */
    private static final Object TRANSACTION_STARTED = new Object();

    private static final Set<String> BULK_WRITES = Set.of("update", "delete", "merge");

    private final transient StatementLimits limits;

    LimitsListener(StatementLimits limits) {
        this.limits = limits;
    }

    /** Whether {@code ctx} runs in one of the client's transactions. */
    static boolean inTransaction(ExecuteContext ctx) {
        return ctx.configuration().data(TRANSACTION_STARTED) != null;
    }

    // ---- before execution -----------------------------------------------------------------------

    @Override
    public void executeStart(ExecuteContext ctx) {
        Statement statement = ctx.statement();
        Execution execution = Execution.of(ctx);
        if (statement == null || execution == null) {
            return;
        }
        try {
            // jOOQ has set the query's own timeout (queryTimeout(…) or its Settings) on the statement by now.
            execution.timeout = limits.timeout(
                    statement.getQueryTimeout(), (Long) ctx.configuration().data(TRANSACTION_STARTED));
            writes(ctx, execution); // first: a write refused for its row count never raises the session's timeout
            boolean sessionTimed = false;
            if (limits.serverTimeouts().sessionTimed()) {
                Statement own = unwrapped(statement);
                // A statement that carries it to the server keeps the driver out itself (ServerTimedRead); the cache's
                // answers never reach it.
                sessionTimed = !(own instanceof ServerTimedRead)
                        && !(own instanceof MockStatement)
                        && sessionTimed(ctx, statement, own, execution);
            }
            limits.apply(statement, execution.timeout, sessionTimed);
        } catch (SQLException e) {
            throw OpenInsureDbException.driverFailed(limits.binding(), "apply the statement limits", e);
        }
    }

    /**
     * Times {@code statement} against its session's {@code max_statement_time}, which is the default timeout: raises it
     * for the statement when its timeout is longer (put back by {@link #restoreSession}); whether the server alone
     * times it (no driver timer): a single statement whose timeout is not shorter than the default.
     */
    private boolean sessionTimed(ExecuteContext ctx, Statement statement, Statement own, Execution execution)
            throws SQLException {
        long millis = execution.timeout.millis();
        long sessionMillis = limits.serverTimeouts().defaultMillis();
        if (millis < sessionMillis) {
            return false; // the driver's timer fires before the server's
        }
        if (millis > sessionMillis) {
            Connection c = own.getConnection(); // the borrowed connection itself: no cache bookkeeping
            execution.sessionRaised = c;
            try {
                maxStatementTime(c, millis);
            } catch (SQLException e) {
                restoreSession(execution, true); // the SET may have taken effect before it failed
                throw e;
            }
        }
        if (ctx.type() == ExecuteType.BATCH) {
            return false; // the driver's timer bounds the batch as a whole, the server each of its statements
        }
        if (statement.getQueryTimeout() != 0) {
            statement.setQueryTimeout(0); // the query's own, set by jOOQ: the server's is the same or longer
        }
        return true;
    }

    /** The statement the client's connection prepared, inside the wrappers jOOQ puts around it (its own package's). */
    private static Statement unwrapped(Statement statement) throws SQLException {
        Statement s = statement;
        while (s instanceof DefaultStatement wrapper && s.getClass().getName().startsWith("org.jooq.")) {
            s = wrapper.getDelegateStatement(); // its field: a ServerTimedRead is not prepared by this
        }
        return s;
    }

    private static void maxStatementTime(Connection c, long millis) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SET max_statement_time=" + ServerTimeouts.seconds(millis));
        }
    }

    /**
     * Puts the session's {@code max_statement_time} back to the default after a statement that raised it. A connection
     * that cannot be put back ({@code last}: no later chance) is aborted, so that the pool never lends it out again with
     * the longer timeout.
     */
    private void restoreSession(Execution execution, boolean last) {
        Connection c = execution.sessionRaised;
        if (c == null) {
            return;
        }
        try {
            maxStatementTime(c, limits.serverTimeouts().defaultMillis());
            execution.sessionRaised = null;
        } catch (SQLException | RuntimeException e) {
            if (!last) {
                return; // e.g. a result still streaming: tried again when the execution ends
            }
            execution.sessionRaised = null;
            LOG.warn(
                    "openinsure-db [{}] could not put the session's max_statement_time back to the default ({}); the"
                            + " connection is closed",
                    limits.binding(),
                    Secrets.maskedFirstLine(e.getMessage()));
            try {
                c.abort(Runnable::run);
            } catch (SQLException | RuntimeException ignored) {
                // closed already
            }
        }
    }

    private void writes(ExecuteContext ctx, Execution execution) throws SQLException {
        boolean bulk;
        if (ctx.type() == ExecuteType.BATCH) {
            bulk = true;
        } else if (ctx.sql() == null) {
            return;
        } else {
            Shapes shapes = StatementShapes.of(ctx.sql(), limits.mysql());
            if (shapes.shapes().size() != 1) {
                return;
            }
            Shape shape = shapes.shapes().get(0);
            if (shape.valueRows() >= 0) {
                if (limits.tooManyWritten(shape.valueRows())) {
                    throw limits.tooManyWritten(
                            StatementShapes.display(shape.verb()), shape.valueRows(), "it was not run");
                }
                execution.countedBeforehand = true;
                return;
            }
            bulk = BULK_WRITES.contains(shape.verb())
                    || shape.verb().equals("insert")
                    || shape.verb().equals("replace");
        }
        Connection connection = ctx.connection();
        if (bulk && connection != null && connection.getAutoCommit()) {
            // So that a write over the limit can be undone. The execution's connection counts it as autocommit.
            execution.ownTransaction = true;
            connection.setAutoCommit(false);
        }
    }

    // ---- while fetching -------------------------------------------------------------------------

    @Override
    public void recordEnd(ExecuteContext ctx) {
        Execution execution = Execution.of(ctx);
        if (execution != null && ctx.record() != null) {
            limits.row(execution, ctx.record());
        }
    }

    // ---- after execution ------------------------------------------------------------------------

    @Override
    public void executeEnd(ExecuteContext ctx) {
        limits.executed(ctx.statement());
        Execution execution = Execution.of(ctx);
        if (execution != null) {
            restoreSession(execution, false);
        }
        if (execution == null || execution.timeout == null || execution.countedBeforehand) {
            return;
        }
        long written = written(ctx);
        if (limits.tooManyWritten(written)) {
            boolean own = execution.ownTransaction;
            if (own) {
                endOwnTransaction(ctx, execution, false);
            }
            String what = ctx.type() == ExecuteType.BATCH
                    ? "batch"
                    : ctx.sql() == null
                            ? "write"
                            : StatementShapes.of(ctx.sql(), limits.mysql()).shapes().stream()
                                    .findFirst()
                                    .map(s -> StatementShapes.display(s.verb()))
                                    .orElse("write");
            throw limits.tooManyWritten(what, written, own ? "it was rolled back" : "the transaction is rolled back");
        }
        if (execution.ownTransaction) {
            endOwnTransaction(ctx, execution, true);
        }
    }

    private static long written(ExecuteContext ctx) {
        int[] batch = ctx.batchRows();
        if (ctx.type() == ExecuteType.BATCH && batch != null && batch.length > 0) {
            long sum = 0;
            for (int n : batch) {
                sum += n < 0 ? 1 : n; // SUCCESS_NO_INFO (-2) with rewritten batches: one row each
            }
            return sum;
        }
        return Math.max(0, ctx.rows());
    }

    @Override
    public void exception(ExecuteContext ctx) {
        limits.executed(ctx.statement());
        Execution execution = Execution.of(ctx);
        if (execution == null) {
            return;
        }
        restoreSession(execution, false);
        if (execution.ownTransaction) {
            endOwnTransaction(ctx, execution, false);
        }
        SQLException sql = ctx.sqlException();
        if (sql != null && !(ctx.exception() instanceof OpenInsureDbException)) {
            ctx.exception(limits.failed(execution, sql)); // typed and masked: no SQL text or bind values in it
        }
    }

    @Override
    public void end(ExecuteContext ctx) {
        limits.executed(ctx.statement()); // a statement that failed before its execution ended
        Execution execution = Execution.of(ctx);
        if (execution != null) {
            restoreSession(execution, true);
        }
    }

    /** Commits or rolls back the statement's own transaction and returns its connection to autocommit. */
    private void endOwnTransaction(ExecuteContext ctx, Execution execution, boolean commit) {
        Connection connection = ctx.connection();
        try {
            if (commit) {
                connection.commit();
            } else {
                connection.rollback();
            }
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            if (commit) {
                throw OpenInsureDbException.driverFailed(limits.binding(), "commit a write", ServerErrors.masked(e));
            }
            LOG.warn(
                    "openinsure-db [{}] could not roll back a write over the limit: {}",
                    limits.binding(),
                    Secrets.mask(e.getMessage()));
        } finally {
            execution.ownTransaction = false;
        }
    }

    /**
     * Transactions of the client: remember when the outermost began, and refuse to commit one that ran
     * past {@code TRANSACTION_TIMEOUT} (jOOQ then rolls it back).
     */
    static final class TimedTransactions implements TransactionProvider {
        private final TransactionProvider delegate;
        private final StatementLimits limits;

        TimedTransactions(TransactionProvider delegate, StatementLimits limits) {
            this.delegate = delegate;
            this.limits = limits;
        }

        @Override
        public void begin(TransactionContext ctx) {
            boolean outermost = ctx.configuration().data(TRANSACTION_STARTED) == null;
            if (outermost) {
                ctx.configuration().data(TRANSACTION_STARTED, System.nanoTime());
            }
            delegate.begin(ctx);
            if (outermost && !limits.mysql()) {
                serverLimits(ctx);
            }
        }

        /**
         * PostgreSQL transactions run at REPEATABLE READ, InnoDB's default, so a transaction sees one snapshot on both
         * servers (at READ COMMITTED each statement would see what committed before it, and an idempotent write could find
         * a racer's row half-way); a concurrent update then fails with SQLState 40001, a write conflict, as MariaDB's
         * snapshot isolation does. PostgreSQL enforces the transaction limit itself: {@code SET LOCAL statement_timeout} and
         * {@code idle_in_transaction_session_timeout} to {@code TRANSACTION_TIMEOUT}, for this transaction only (they end
         * with it, so nothing outlives it on a pooled or PgBouncer-shared connection). One round trip per transaction.
         */
        private void serverLimits(TransactionContext ctx) {
            long millis = Math.max(1, limits.limits().transactionTimeout().toMillis());
            Connection c = ctx.configuration().connectionProvider().acquire();
            // On the real connection: the client's own wrapper would count the SET as a write of unknown effect and
            // drop every cached read.
            Connection real = c instanceof CacheAwareConnection aware ? aware.getDelegate() : c;
            try (Statement st = real.createStatement()) {
                st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ; SET LOCAL statement_timeout = " + millis
                        + "; SET LOCAL idle_in_transaction_session_timeout = " + millis);
            } catch (SQLException e) {
                throw limits.failed(null, e);
            } finally {
                ctx.configuration().connectionProvider().release(c);
            }
        }

        @Override
        public void commit(TransactionContext ctx) {
            Long started = (Long) ctx.configuration().data(TRANSACTION_STARTED);
            if (started != null && limits.transactionExpired(started)) {
                throw limits.transactionTimedOut("at commit", null);
            }
            try {
                delegate.commit(ctx);
            } catch (DataAccessException e) {
                // e.g. vttablet's transaction killer ended it: typed and masked like a statement's failure
                SQLException sql = e.getCause(SQLException.class);
                throw sql == null ? e : limits.failed(null, sql);
            }
        }

        @Override
        public void rollback(TransactionContext ctx) {
            delegate.rollback(ctx);
        }
    }

    @Override
    public String toString() {
        return "LimitsListener[" + limits + "]";
    }
}
