package io.openinsure.db.core.internal;

import io.openinsure.db.core.LimitExceededException;
import io.openinsure.db.core.Limits;
import io.openinsure.db.core.ServerErrorException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.util.Set;
import java.util.function.Supplier;
import org.jooq.Record;
import org.jooq.SQLDialect;

/**
 * A binding's {@link Limits} worked out for one statement, in one place for every path a statement can take to
 * the server: jOOQ's ({@link LimitsListener} applies these rules to each jOOQ execution), the direct typed reads
 * ({@link ClientTypedReads}) and the cache's misses and refreshes ({@link QueryCache}):
 * <ul>
 *   <li>time: {@link #timeout} is the query's own {@code queryTimeout(…)} or the default query timeout, capped by
 *       the autocommit ceiling or, in a transaction, by the time the transaction has left; on a server that
 *       enforces it ({@link ServerTimeouts}) an autocommit read carries it in its SQL, elsewhere the driver times it;</li>
 *   <li>rows: the driver is asked for at most {@code MAX_ROWS + 1} rows ({@link #fetchCap()}), and {@link #row}
 *       fails when that extra row arrives, so a result is never silently cut short;</li>
 *   <li>result bytes: estimated row by row ({@link #row});</li>
 *   <li>written rows: {@link #tooManyWritten}.</li>
 * </ul>
 * Every refusal is a {@link LimitExceededException} naming the keyspace, the setting and the numbers. Immutable and
 * thread-safe; what one statement has seen so far is in its {@link Execution}.
 */
final class StatementLimits {

    /** MySQL/MariaDB: query execution was interrupted (1317), maximum statement execution time exceeded (3024, 1969). */
    private static final Set<Integer> INTERRUPTED = Set.of(1317, 3024, 1969);

    /** Which limit a statement's timeout is. */
    enum Source {
        OWN,
        QUERY_TIMEOUT,
        STATEMENT_TIMEOUT,
        TRANSACTION_TIMEOUT
    }

    /** A statement's timeout and the limit it comes from. */
    record Timeout(long millis, Source source) {
        /** In whole seconds for JDBC's {@code setQueryTimeout}, rounded up (at least 1). */
        int seconds() {
            return (int) Math.max(1, (millis + 999) / 1000);
        }
    }

    private final String binding;
    private final Limits limits;
    private final boolean mysql;
    private final ServerTimeouts serverTimeouts;
    /** On PgJDBC: what enforces the timeouts the server does not ({@code null}: the driver's {@code setQueryTimeout}). */
    private final StatementDeadlines deadlines;
    /** The timeout of an autocommit statement without its own: the same for every such statement. */
    private final Timeout autocommitDefault;

    /** @param server what the endpoint connections come from now is ({@link ServerTimeouts}) */
    StatementLimits(String binding, Limits limits, SQLDialect family, Supplier<ServerTimeouts.Server> server) {
        this(binding, limits, family, server, null);
    }

    /**
     * @param server    what the endpoint connections come from now is ({@link ServerTimeouts})
     * @param deadlines on PgJDBC, the client's {@link StatementDeadlines}; {@code null} for the driver's timer
     */
    StatementLimits(
            String binding,
            Limits limits,
            SQLDialect family,
            Supplier<ServerTimeouts.Server> server,
            StatementDeadlines deadlines) {
        this.binding = binding;
        this.limits = limits;
        this.mysql = family != SQLDialect.POSTGRES;
        this.autocommitDefault = timeout(0, null);
        this.serverTimeouts = new ServerTimeouts(autocommitDefault.millis(), server);
        this.deadlines = deadlines;
    }

    String binding() {
        return binding;
    }

    Limits limits() {
        return limits;
    }

    /** Whether statement texts are read by MySQL/MariaDB rules (else PostgreSQL's). */
    boolean mysql() {
        return mysql;
    }

    ServerTimeouts serverTimeouts() {
        return serverTimeouts;
    }

    // ---- time -----------------------------------------------------------------------------------

    /**
     * The timeout of a statement whose own is {@code ownSeconds} ({@code queryTimeout(…)}; 0 for none: the default
     * query timeout applies), capped by the autocommit ceiling, or in a transaction begun at
     * {@code transactionStartedNanos} ({@code null} outside one) by the time the transaction has left.
     *
     * @throws LimitExceededException when the transaction has no time left
     */
    Timeout timeout(int ownSeconds, Long transactionStartedNanos) {
        if (ownSeconds <= 0 && transactionStartedNanos == null && autocommitDefault != null) {
            return autocommitDefault;
        }
        long wanted =
                ownSeconds > 0 ? ownSeconds * 1000L : limits.queryTimeout().toMillis();
        Source wantedSource = ownSeconds > 0 ? Source.OWN : Source.QUERY_TIMEOUT;
        long ceiling;
        Source ceilingSource;
        if (transactionStartedNanos != null) {
            ceiling =
                    limits.transactionTimeout().toMillis() - (System.nanoTime() - transactionStartedNanos) / 1_000_000;
            ceilingSource = Source.TRANSACTION_TIMEOUT;
            if (ceiling <= 0) {
                throw transactionTimedOut("before this statement", null);
            }
        } else {
            ceiling = limits.statementTimeout().toMillis();
            ceilingSource = Source.STATEMENT_TIMEOUT;
        }
        return wanted > ceiling ? new Timeout(ceiling, ceilingSource) : new Timeout(wanted, wantedSource);
    }

    /** The timeout of a statement without its own outside a transaction ({@code timeout(0, null)}), in milliseconds. */
    static long defaultMillis(Limits limits) {
        return Math.min(
                limits.queryTimeout().toMillis(), limits.statementTimeout().toMillis());
    }

    /** Whether {@code e} (or a cause) is a statement cancelled for its timeout. */
    static boolean timedOut(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTimeoutException
                    || (t instanceof SQLException s
                            && ("57014".equals(s.getSQLState()) || INTERRUPTED.contains(s.getErrorCode())))) {
                return true;
            }
        }
        return false;
    }

    /** The exception for a statement cancelled after {@code timeout}: it names the limit the timeout came from. */
    LimitExceededException timedOut(Timeout timeout, SQLException raw) {
        SQLException cause = ServerErrors.masked(raw);
        return switch (timeout.source()) {
            case OWN -> LimitExceededException.ownTimeoutExceeded(binding, limits, timeout.millis(), cause);
            case QUERY_TIMEOUT -> LimitExceededException.queryTimedOut(binding, limits, cause);
            case STATEMENT_TIMEOUT -> LimitExceededException.statementTimedOut(binding, limits, cause);
            case TRANSACTION_TIMEOUT -> transactionTimedOut("while a statement ran", cause);
        };
    }

    LimitExceededException transactionTimedOut(String when, Throwable cause) {
        return LimitExceededException.transactionTimedOut(binding, limits, when, cause);
    }

    /** Whether a transaction begun at {@code startedNanos} ran past its timeout. */
    boolean transactionExpired(long startedNanos) {
        return System.nanoTime() - startedNanos > limits.transactionTimeout().toNanos();
    }

    // ---- rows -----------------------------------------------------------------------------------

    /** The rows a statement asks the driver for: {@code MAX_ROWS + 1}, so that the arrival of the extra row is the error. */
    int fetchCap() {
        return limits.maxRows() + 1;
    }

    /**
     * Applies the row cap to {@code statement} (unless it asks for fewer rows itself) and {@code timeout} ({@code null}:
     * none), unless the server enforces it ({@code serverTimed}: the SQL carries it): on PgJDBC the client's
     * {@link StatementDeadlines} (call {@link #executed} when the execution ends), elsewhere the driver's timer. Its
     * milliseconds are kept on PgJDBC; the driver takes whole seconds.
     */
    void apply(Statement statement, Timeout timeout, boolean serverTimed) throws SQLException {
        int maxRows = statement.getMaxRows();
        if (maxRows == 0 || maxRows > limits.maxRows()) {
            statement.setMaxRows(fetchCap());
        }
        if (!serverTimed && timeout != null) {
            if (deadlines == null) {
                statement.setQueryTimeout(timeout.seconds());
            } else {
                if (statement.getQueryTimeout() != 0) {
                    statement.setQueryTimeout(0); // the query's own (jOOQ set it), which the timeout includes
                }
                deadlines.watch(statement, timeout.millis());
            }
        }
    }

    /** {@code statement}'s execution ended, however it ended: its timeout no longer runs. */
    void executed(Statement statement) {
        if (deadlines != null && statement != null) {
            deadlines.done(statement);
        }
    }

    /** Counts a row read by {@code execution} against {@code MAX_ROWS} and {@code MAX_RESULT_BYTES}. */
    void row(Execution execution, Record record) {
        if (++execution.rows > limits.maxRows()) {
            throw LimitExceededException.tooManyRows(binding, limits);
        }
        execution.bytes += ResultSizes.estimate(record);
        if (execution.bytes > limits.maxResultBytes()) {
            throw LimitExceededException.resultTooLarge(binding, limits, execution.rows);
        }
    }

    /** A write ({@code what}) of {@code rows} rows over {@code MAX_WRITE_ROWS}; {@code outcome} says what became of it. */
    LimitExceededException tooManyWritten(String what, long rows, String outcome) {
        return LimitExceededException.tooManyRowsWritten(binding, limits, what, rows, outcome);
    }

    boolean tooManyWritten(long rows) {
        return rows > limits.maxWriteRows();
    }

    // ---- reads outside jOOQ (direct typed reads, cache misses and refreshes) ---------------------

    /**
     * {@code sql} prepared on {@code c} as an autocommit read under {@code timeout}, capped at {@link #fetchCap()}
     * rows: with the timeout in its text for the server ({@code serverTimed}, see {@link ServerTimeouts}; needs a
     * timeout), else with the driver's. Run it with {@link #executeRead}.
     */
    PreparedStatement prepareRead(Connection c, String sql, Timeout timeout, boolean serverTimed) throws SQLException {
        PreparedStatement ps = c.prepareStatement(serverTimed ? serverTimeouts.sql(sql, timeout.millis()) : sql);
        try {
            apply(ps, timeout, serverTimed);
        } catch (SQLException | RuntimeException e) {
            executed(ps);
            ps.close();
            throw e;
        }
        return ps;
    }

    /** Runs a statement of {@link #prepareRead}; {@code null} if it returned no result set. */
    ResultSet executeRead(PreparedStatement ps, boolean serverTimed) throws SQLException {
        try {
            // execute(), not executeQuery(): Connector/J refuses a statement that starts with SET there
            return serverTimed ? (ps.execute() ? ps.getResultSet() : null) : ps.executeQuery();
        } finally {
            executed(ps);
        }
    }

    /**
     * The exception to throw for a statement that failed with {@code e}, on jOOQ's path and outside it alike: the
     * client's own timeout names its limit ({@link LimitExceededException}); anything else the server said is a
     * {@link ServerErrorException} by kind, masked ({@link ServerErrors}). A timeout counts as the client's own when
     * the statement ran for (nearly) that long: a server's shorter limit (vttablet's query timeout, errno 3024 like
     * the directive's) is the server's.
     */
    RuntimeException failed(Execution execution, SQLException e) {
        if (execution != null
                && execution.timeout != null
                && timedOut(e)
                && ServerErrors.classify(e) == ServerErrorException.Kind.QUERY_TIMEOUT
                && System.nanoTime() - execution.startNanos >= execution.timeout.millis() * 900_000L) {
            return timedOut(execution.timeout, e);
        }
        return ServerErrors.translate(binding, e);
    }

    @Override
    public String toString() {
        return "StatementLimits[" + binding + ", " + limits + "]";
    }
}
