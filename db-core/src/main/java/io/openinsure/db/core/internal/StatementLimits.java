package io.openinsure.db.core.internal;

import io.openinsure.db.core.Limits;
import io.openinsure.db.core.LimitExceededException;
import io.openinsure.db.core.Setting;
import io.openinsure.db.core.Settings;
import io.openinsure.db.core.internal.StatementShapes.Shape;
import io.openinsure.db.core.internal.StatementShapes.Shapes;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import org.jooq.DSLContext;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.jooq.ExecuteType;
import org.jooq.SQLDialect;
import org.jooq.TransactionContext;
import org.jooq.TransactionProvider;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces a binding's {@link Limits} on every statement that reaches the database (a cache hit does
 * not; its result was checked when it was loaded through the same path):
 * <ul>
 *   <li>rows: the driver is asked for at most {@code MAX_ROWS + 1} rows, and the query fails when that
 *       extra row arrives, so a result is never silently cut short;</li>
 *   <li>result bytes: estimated row by row while fetching;</li>
 *   <li>time: each statement gets the default query timeout, or the query's own {@code queryTimeout(…)},
 *       capped by the autocommit ceiling or, in a transaction, by the time the transaction has left;
 *       a transaction past its timeout is refused new statements and is not committed (it rolls back);</li>
 *   <li>written rows: a write changing more than {@code MAX_WRITE_ROWS} rows fails and is undone. Outside
 *       a transaction, {@code UPDATE}, {@code DELETE}, {@code INSERT … SELECT} and batches run in a short
 *       transaction of their own so that they can be; an {@code INSERT … VALUES} is judged by its row
 *       count before it runs.</li>
 * </ul>
 * Each failure is a {@link LimitExceededException} naming the keyspace, the setting and the numbers.
 * Immutable and thread-safe; per-execution state lives in the {@link ExecuteContext}.
 */
final class StatementLimits implements ExecuteListener {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(StatementLimits.class);

    /** {@link System#nanoTime()} when the outermost transaction began, in the transaction's configuration data. */
    private static final String TRANSACTION_STARTED = "io.openinsure.db.transaction-started";
    private static final String STATE = "io.openinsure.db.limits";
    private static final Set<String> BULK_WRITES = Set.of("update", "delete", "merge");
    /** MySQL/MariaDB: query execution was interrupted (1317), maximum statement execution time exceeded (3024, 1969). */
    private static final Set<Integer> INTERRUPTED = Set.of(1317, 3024, 1969);

    private final String binding;
    private final Limits limits;
    private final boolean mysql;
    private final ServerTimeouts serverTimeouts;

    /** @param serverTimeouts how reads carry their timeout to the server where it enforces it */
    StatementLimits(String binding, Limits limits, SQLDialect family, ServerTimeouts serverTimeouts) {
        this.binding = binding;
        this.limits = limits;
        this.mysql = family != SQLDialect.POSTGRES;
        this.serverTimeouts = serverTimeouts;
    }

    /** The timeout of an autocommit read without one of its own: the default query timeout capped by the autocommit ceiling. */
    static long defaultReadMillis(Limits limits) {
        return Math.min(limits.queryTimeout().toMillis(), limits.statementTimeout().toMillis());
    }

    /** {@code ctx} with these limits appended to its execute listeners and its transactions timed. */
    DSLContext install(DSLContext ctx) {
        return DSL.using(ctx.configuration().derive(new TimedTransactions(ctx.configuration().transactionProvider()))
                .deriveAppending(this));
    }

    /** What one execution has seen so far. */
    static final class State {
        long rows;
        long bytes;
        Setting<Duration> timeoutSetting; // null: the query's own timeout
        long timeoutMillis;
        boolean ownTransaction;
        boolean countedBeforehand;
    }

    // ---- before preparing -----------------------------------------------------------------------

    /**
     * An autocommit read on a server that enforces statement timeouts itself ({@link ServerTimeouts}) asks
     * its connection to send the timeout with the SQL, so that the driver needs no timer for it. The timeout
     * is the one {@link #executeStart} works out, from the query's own ({@code queryTimeout(…)}, which jOOQ
     * applies only after preparing) or the default, capped by the autocommit ceiling. In a transaction the
     * driver keeps timing statements: their ceiling, the time the transaction has left, differs for each.
     */
    @Override
    public void prepareStart(ExecuteContext ctx) {
        if (ctx.type() != ExecuteType.READ || ctx.configuration().data(TRANSACTION_STARTED) != null || !serverTimeouts.enabled()) {
            return;
        }
        String sql = ctx.sql();
        int own = ServerTimeouts.ownTimeoutSeconds(ctx.query(), ctx.settings());
        if (sql == null || own < 0 || !singleSelect(sql)) {
            return;
        }
        long millis = Math.min(own > 0 ? own * 1000L : limits.queryTimeout().toMillis(), limits.statementTimeout().toMillis());
        try {
            Connection connection = ctx.connection();
            if (connection.isWrapperFor(CacheAwareConnection.class)) {
                connection.unwrap(CacheAwareConnection.class).serverTimeout(sql, millis);
            }
        } catch (SQLException e) {
            LOG.debug("openinsure-db [{}]: the driver times this read ({})", binding, e.toString());
        }
    }

    /** One {@code SELECT} (or {@code WITH … SELECT}) that starts with its verb, as {@code SET STATEMENT … FOR} takes it. */
    private boolean singleSelect(String sql) {
        Shapes shapes = StatementShapes.of(sql, mysql);
        if (shapes.unterminated() || shapes.shapes().size() != 1 || !shapes.shapes().get(0).verb().equals("select")) {
            return false;
        }
        int i = 0;
        while (i < sql.length() && Character.isWhitespace(sql.charAt(i))) {
            i++;
        }
        return sql.regionMatches(true, i, "select", 0, 6) || sql.regionMatches(true, i, "with", 0, 4);
    }

    // ---- before execution -----------------------------------------------------------------------

    @Override
    public void executeStart(ExecuteContext ctx) {
        Statement statement = ctx.statement();
        if (statement == null) {
            return;
        }
        State state = new State();
        ctx.data(STATE, state);
        try {
            int maxRows = statement.getMaxRows();
            if (maxRows == 0 || maxRows > limits.maxRows()) {
                statement.setMaxRows(limits.maxRows() + 1); // one more than allowed: its arrival is the error
            }
            timeout(ctx, statement, state);
            writes(ctx, state);
        } catch (SQLException e) {
            throw new DataAccessException("Keyspace '" + binding + "': could not apply the statement limits: "
                    + Secrets.mask(e.getMessage()), e);
        }
    }

    private void timeout(ExecuteContext ctx, Statement statement, State state) throws SQLException {
        int ownSeconds = statement.getQueryTimeout(); // set by jOOQ from queryTimeout(…), else 0
        long wanted = ownSeconds > 0 ? ownSeconds * 1000L : limits.queryTimeout().toMillis();
        Setting<Duration> wantedSetting = ownSeconds > 0 ? null : Settings.QUERY_TIMEOUT;
        Long started = (Long) ctx.configuration().data(TRANSACTION_STARTED);
        long ceiling;
        Setting<Duration> ceilingSetting;
        if (started != null) {
            ceiling = limits.transactionTimeout().toMillis() - (System.nanoTime() - started) / 1_000_000;
            ceilingSetting = Settings.TRANSACTION_TIMEOUT;
            if (ceiling <= 0) {
                throw transactionTimedOut("before this statement");
            }
        } else {
            ceiling = limits.statementTimeout().toMillis();
            ceilingSetting = Settings.STATEMENT_TIMEOUT;
        }
        boolean capped = wanted > ceiling;
        state.timeoutMillis = capped ? ceiling : wanted;
        state.timeoutSetting = capped ? ceilingSetting : wantedSetting;
        statement.setQueryTimeout((int) Math.max(1, (state.timeoutMillis + 999) / 1000));
    }

    private void writes(ExecuteContext ctx, State state) throws SQLException {
        boolean bulk;
        if (ctx.type() == ExecuteType.BATCH) {
            bulk = true;
        } else if (ctx.sql() == null) {
            return;
        } else {
            Shapes shapes = StatementShapes.of(ctx.sql(), mysql);
            if (shapes.shapes().size() != 1) {
                return;
            }
            Shape shape = shapes.shapes().get(0);
            if (shape.valueRows() >= 0) {
                if (shape.valueRows() > limits.maxWriteRows()) {
                    throw tooManyWritten(StatementShapes.display(shape.verb()), shape.valueRows(), "it was not run");
                }
                state.countedBeforehand = true;
                return;
            }
            bulk = BULK_WRITES.contains(shape.verb()) || shape.verb().equals("insert") || shape.verb().equals("replace");
        }
        Connection connection = ctx.connection();
        if (bulk && connection != null && connection.getAutoCommit()) {
            statementTransaction(connection, true); // so that a write over the limit can be undone
            state.ownTransaction = true;
        }
    }

    // ---- reads run outside jOOQ (TypedReads' direct path) --------------------------------------

    /**
     * The limits of an autocommit read run on {@code statement} outside jOOQ: at most {@code MAX_ROWS + 1}
     * rows from the driver, and the default query timeout capped by the autocommit ceiling, as
     * {@link #executeStart} applies them. Feed each row to {@link #rowRead} and a failure to {@link #failed}.
     */
    State startRead(Statement statement, boolean serverTimeout) throws SQLException {
        State state = new State();
        statement.setMaxRows(limits.maxRows() + 1);
        long wanted = limits.queryTimeout().toMillis();
        long ceiling = limits.statementTimeout().toMillis();
        boolean capped = wanted > ceiling;
        state.timeoutMillis = capped ? ceiling : wanted;
        state.timeoutSetting = capped ? Settings.STATEMENT_TIMEOUT : Settings.QUERY_TIMEOUT;
        if (!serverTimeout) {
            statement.setQueryTimeout((int) Math.max(1, (state.timeoutMillis + 999) / 1000));
        }
        return state;
    }

    /** {@code sql} carrying the read timeout {@link #startRead} applies, for the server to enforce ({@link ServerTimeouts}). */
    String withServerTimeout(String sql) {
        return serverTimeouts.sql(sql, defaultReadMillis(limits));
    }

    /** Counts a row read outside jOOQ against {@code MAX_ROWS} and {@code MAX_RESULT_BYTES}. */
    void rowRead(State state, org.jooq.Record record) {
        row(state, record);
    }

    /** The exception to throw for a read outside jOOQ that failed with {@code e}: a timeout names its limit. */
    RuntimeException failed(State state, SQLException e, String sql) {
        if (state != null && timedOut(e)) {
            return timedOut(state, e);
        }
        return new DataAccessException("SQL [" + sql + "]; " + e.getMessage(), e);
    }

    // ---- while fetching -------------------------------------------------------------------------

    @Override
    public void recordEnd(ExecuteContext ctx) {
        State state = (State) ctx.data(STATE);
        if (state == null || ctx.record() == null) {
            return;
        }
        row(state, ctx.record());
    }

    private void row(State state, org.jooq.Record record) {
        if (++state.rows > limits.maxRows()) {
            String key = Settings.MAX_ROWS.key(binding);
            throw new LimitExceededException(binding, key, limits.maxRows(), "Keyspace '" + binding + "': the query returned more than "
                    + key + " (" + limits.maxRows() + ") rows; nothing was truncated. Walk the rows page by page with "
                    + "Keyset.forEachPage, or narrow the query (PlanetScale allows 100,000 rows per query, vanilla Vitess 10,000).", null);
        }
        state.bytes += ResultSizes.estimate(record);
        if (state.bytes > limits.maxResultBytes()) {
            String key = Settings.MAX_RESULT_BYTES.key(binding);
            throw new LimitExceededException(binding, key, limits.maxResultBytes(), "Keyspace '" + binding + "': the query's result "
                    + "exceeded " + key + " (" + Settings.formatByteSize(limits.maxResultBytes()) + ", estimated while fetching, at row "
                    + state.rows + "); select fewer columns, or walk the rows page by page with Keyset.forEachPage.", null);
        }
    }

    // ---- after execution ------------------------------------------------------------------------

    @Override
    public void executeEnd(ExecuteContext ctx) {
        State state = (State) ctx.data(STATE);
        if (state == null || state.countedBeforehand) {
            return;
        }
        long written = written(ctx);
        if (written > limits.maxWriteRows()) {
            boolean own = state.ownTransaction;
            state.ownTransaction = false;
            if (own) {
                endOwnTransaction(ctx, false);
            }
            String what = ctx.type() == ExecuteType.BATCH ? "batch" : ctx.sql() == null ? "write"
                    : StatementShapes.of(ctx.sql(), mysql).shapes().stream().findFirst().map(s -> StatementShapes.display(s.verb()))
                    .orElse("write");
            throw tooManyWritten(what, written, own ? "it was rolled back" : "the transaction is rolled back");
        }
        if (state.ownTransaction) {
            state.ownTransaction = false;
            endOwnTransaction(ctx, true);
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
        State state = (State) ctx.data(STATE);
        if (state == null) {
            return;
        }
        if (state.ownTransaction) {
            state.ownTransaction = false;
            endOwnTransaction(ctx, false);
        }
        SQLException sql = ctx.sqlException();
        if (sql != null && timedOut(sql)) {
            ctx.exception(timedOut(state, sql));
        }
    }

    private void endOwnTransaction(ExecuteContext ctx, boolean commit) {
        Connection connection = ctx.connection();
        try {
            if (commit) {
                connection.commit();
            } else {
                connection.rollback();
            }
            statementTransaction(connection, false);
        } catch (SQLException e) {
            if (commit) {
                throw new DataAccessException("Keyspace '" + binding + "': could not commit a write: " + Secrets.mask(e.getMessage()), e);
            }
            LOG.warn("openinsure-db [{}] could not roll back a write over the limit: {}", binding, Secrets.mask(e.getMessage()));
        }
    }

    /** Through the client's connection, so the cache counts the statement as autocommit and invalidates after the commit. */
    private static void statementTransaction(Connection connection, boolean on) throws SQLException {
        if (connection.isWrapperFor(CacheAwareConnection.class)) {
            connection.unwrap(CacheAwareConnection.class).statementTransaction(on);
        } else {
            connection.setAutoCommit(!on);
        }
    }

    private static boolean timedOut(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTimeoutException || (t instanceof SQLException s && ("57014".equals(s.getSQLState())
                    || INTERRUPTED.contains(s.getErrorCode())))) {
                return true;
            }
        }
        return false;
    }

    private LimitExceededException timedOut(State state, SQLException cause) {
        Setting<Duration> setting = state.timeoutSetting;
        if (setting == Settings.TRANSACTION_TIMEOUT) {
            return transactionTimedOut("while a statement ran", cause);
        }
        String statement = Settings.STATEMENT_TIMEOUT.key(binding);
        String fix;
        String limit;
        if (setting == null) {
            limit = "its own query timeout (" + Settings.formatDuration(Duration.ofMillis(state.timeoutMillis)) + ", queryTimeout(…))";
            fix = "raise it (at most " + statement + ", " + Settings.formatDuration(limits.statementTimeout()) + "), or make the query faster";
        } else if (setting == Settings.QUERY_TIMEOUT) {
            limit = setting.key(binding) + " (" + Settings.formatDuration(limits.queryTimeout()) + ")";
            fix = "give this query its own queryTimeout(…) (at most " + statement + ", " + Settings.formatDuration(limits.statementTimeout())
                    + "), or make it faster";
        } else {
            limit = statement + " (" + Settings.formatDuration(limits.statementTimeout()) + "), the ceiling for statements outside a transaction,";
            fix = "split the work into smaller statements, e.g. page with Keyset.forEachPage";
        }
        return new LimitExceededException(binding, setting == null ? Settings.QUERY_TIMEOUT.key(binding) : setting.key(binding),
                state.timeoutMillis, "Keyspace '" + binding + "': the statement ran longer than " + limit + " and was cancelled; " + fix
                + ".", cause);
    }

    private LimitExceededException transactionTimedOut(String when) {
        return transactionTimedOut(when, null);
    }

    private LimitExceededException transactionTimedOut(String when, Throwable cause) {
        String key = Settings.TRANSACTION_TIMEOUT.key(binding);
        return new LimitExceededException(binding, key, limits.transactionTimeout().toMillis(), "Keyspace '" + binding
                + "': the transaction ran longer than " + key + " (" + Settings.formatDuration(limits.transactionTimeout()) + ", " + when
                + ") and is rolled back; keep transactions short and independent, and do slow work outside them.", cause);
    }

    private LimitExceededException tooManyWritten(String what, long rows, String outcome) {
        String key = Settings.MAX_WRITE_ROWS.key(binding);
        return new LimitExceededException(binding, key, limits.maxWriteRows(), "Keyspace '" + binding + "': the " + what + " would change "
                + rows + " rows, more than " + key + " (" + limits.maxWriteRows() + "); " + outcome + ". Split it into chunks with "
                + "Keyset.insertInChunks or Keyset.deleteInChunks, or narrow its WHERE.", null);
    }

    /**
     * Transactions of the client: remember when the outermost began, and refuse to commit one that ran
     * past {@code TRANSACTION_TIMEOUT} (jOOQ then rolls it back).
     */
    final class TimedTransactions implements TransactionProvider {
        private final TransactionProvider delegate;

        TimedTransactions(TransactionProvider delegate) {
            this.delegate = delegate;
        }

        @Override
        public void begin(TransactionContext ctx) {
            if (ctx.configuration().data(TRANSACTION_STARTED) == null) {
                ctx.configuration().data(TRANSACTION_STARTED, System.nanoTime());
            }
            delegate.begin(ctx);
        }

        @Override
        public void commit(TransactionContext ctx) {
            Long started = (Long) ctx.configuration().data(TRANSACTION_STARTED);
            if (started != null && System.nanoTime() - started > limits.transactionTimeout().toNanos()) {
                throw transactionTimedOut("at commit");
            }
            delegate.commit(ctx);
        }

        @Override
        public void rollback(TransactionContext ctx) {
            delegate.rollback(ctx);
        }
    }

    @Override
    public String toString() {
        return "StatementLimits[" + binding + ", " + limits + "]";
    }
}
