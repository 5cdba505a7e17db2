package io.openinsure.db.core.internal;

import io.openinsure.db.core.CacheStatus;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.jooq.ConnectionProvider;
import org.jooq.tools.jdbc.DefaultConnection;
import org.jooq.tools.jdbc.MockConnection;

/**
 * The connection a keyspace client's jOOQ context works on. It borrows a real pooled connection
 * only when it needs one, so a cache hit borrows none:
 * <ul>
 *   <li>a cacheable read (outside a transaction, through {@code dsl()}) gets a jOOQ mock statement
 *       whose data provider is the {@link QueryCache}: a hit is answered from memory; a miss borrows a
 *       connection of its own for the query;</li>
 *   <li>an autocommit {@code SELECT} of a jOOQ statement, on a server that enforces statement timeouts, gets a
 *       {@link ServerTimedRead}, which carries its timeout to the server;</li>
 *   <li>every other statement runs on the real connection, unchanged (streaming, generated keys,
 *       timeouts), and a write invalidates the cached reads of the tables it touches once it has run,
 *       and again after commit when it ran in a transaction.</li>
 * </ul>
 * Each status is counted, and told to the statement's {@link Execution}: jOOQ borrows one connection per statement
 * outside a transaction, and {@link ClientConnections#forExecution} makes it with that statement's execution. A
 * transaction's connection, or one taken for plain JDBC ({@code DSLContext.connection(…)}), has none. Not
 * thread-safe, like any JDBC connection.
 */
final class CacheAwareConnection extends DefaultConnection {

    /** What the connections of one client share. */
    record Wiring(
            EligibilityAnalyser analyser,
            QueryCache cache,
            ConnectionProvider pool,
            StatementLimits limits,
            MockConnection mock,
            ReadRouting routing) {}

    private final Wiring wiring;
    private final boolean cacheReads;
    /** Whether this connection's context sends its eligible reads to the replica ({@link ReadRouting}). */
    private final boolean replicaReads;
    /** The one statement this connection was borrowed for by jOOQ; {@code null} for a transaction's or plain JDBC's. */
    private final Execution execution;

    private Connection real;
    private boolean autoCommit = true;
    private boolean closed;
    private final List<Verdict> uncommitted = new ArrayList<>();

    /**
     * @param cacheReads whether cacheable reads are answered from the cache ({@code dsl()}), or go to the
     *                   database like everything else ({@code uncached()}, transactions)
     * @param replicaReads whether the context sends its eligible reads to the replica (only a statement's own
     *                   connection, {@code execution} not {@code null}, outside a transaction, does)
     * @param execution  the statement jOOQ borrows this connection for, or {@code null}
     */
    CacheAwareConnection(Wiring wiring, boolean cacheReads, boolean replicaReads, Execution execution) {
        super(null);
        this.wiring = wiring;
        this.cacheReads = cacheReads;
        this.replicaReads = replicaReads;
        this.execution = execution;
    }

    /** The real connection, borrowed on first use. */
    @Override
    public Connection getDelegate() {
        if (closed) {
            throw new IllegalStateException("connection already released");
        }
        if (real == null) {
            real = wiring.pool().acquire(); // ConnectionUnavailableException names the keyspace and the pool's state
        }
        return real;
    }

    /** Returns the real connection (if one was borrowed) to the pool. */
    void release() {
        if (!closed) {
            closed = true;
            uncommitted.clear();
            if (real != null) {
                wiring.pool().release(real);
                real = null;
            }
        }
    }

    // ---- routing --------------------------------------------------------------------------------

    /**
     * Judges {@code sql} and counts its status, unless the cache will answer it (the cache counts
     * those). {@code null} when the cache is off.
     *
     * @param cacheable whether this kind of statement may be answered by the cache at all
     */
    private Verdict route(String sql, boolean cacheable) {
        QueryCache cache = wiring.cache();
        // With a replica the writes must be told even without a cache: they start the read-your-writes window.
        Verdict verdict =
                cache.enabled() || wiring.routing().active() ? wiring.analyser().analyse(sql) : null;
        if (!(cacheable && answeredByCache(verdict))) {
            CacheStatus status = cache.statusOf(verdict, inTransaction());
            cache.count(status);
            if (execution != null) {
                execution.status(status);
            }
        }
        return verdict;
    }

    /** In a transaction of the caller's (not the short one the limits give a bulk write of this statement). */
    private boolean inTransaction() {
        return !autoCommit && (execution == null || !execution.ownTransaction);
    }

    private boolean answeredByCache(Verdict verdict) {
        return verdict != null
                && verdict.cacheable()
                && cacheReads
                && autoCommit
                && wiring.cache().enabled();
    }

    private PreparedStatement cached(String sql, Verdict verdict) {
        return new RecordingStatement(wiring.mock(), wiring.cache().answer(verdict, execution, toReplica()), sql);
    }

    /** Whether this statement's reads may go to the replica: its own connection, outside a transaction, on such a context. */
    private boolean toReplica() {
        return replicaReads && execution != null && autoCommit;
    }

    /**
     * Borrows for a statement about to be prepared: an eligible read of a replica context from {@link ReadRouting}. (The
     * first statement of the JVM borrows earlier, from the primary: jOOQ asks the connection's metadata for the server
     * version once, to log what it supports.)
     */
    private Connection delegateFor(Verdict verdict) {
        if (real == null && !closed && toReplica() && ReadRouting.eligible(verdict)) {
            real = wiring.routing().acquireRead(verdict.tables(), execution);
        }
        return getDelegate();
    }

    private PreparedStatement tracked(PreparedStatement statement, Verdict verdict) {
        return verdict == null || verdict.effect() == Verdict.Effect.READ
                ? statement
                : new TrackedStatements.Prepared(statement, () -> written(verdict));
    }

    /** Invalidates what a statement that ran on this connection may have changed, now and (in a transaction) after commit. */
    void written(Verdict verdict) {
        wiring.cache().written(verdict);
        if (!autoCommit) {
            uncommitted.add(verdict);
        }
    }

    /**
     * For statements whose text is known only when they run ({@link Statement#execute(String)}; jOOQ
     * runs batches of different statements this way): counts the status now and returns what to do
     * once the statement has run.
     */
    Runnable running(String sql) {
        Verdict verdict = route(sql, false);
        return verdict == null || verdict.effect() == Verdict.Effect.READ ? () -> {} : () -> written(verdict);
    }

    private void committed() {
        // Readers that loaded between the write and the commit saw the old rows: invalidate again.
        for (Verdict v : uncommitted) {
            wiring.cache().written(v);
        }
        uncommitted.clear();
    }

    @Override
    public PreparedStatement prepareStatement(String sql) throws SQLException {
        Verdict verdict = route(sql, true);
        if (answeredByCache(verdict)) {
            return cached(sql, verdict);
        }
        PreparedStatement ps = prepareOn(delegateFor(verdict), sql, verdict);
        return onReplica() ? ReplicaReadStatement.wrap(ps, lost -> prepareOn(onPrimary(lost), sql, verdict)) : ps;
    }

    private PreparedStatement prepareOn(Connection c, String sql, Verdict verdict) throws SQLException {
        // Asked now that c is borrowed: the client may have switched endpoints.
        if (execution != null
                && autoCommit
                && (verdict == null || verdict.effect() == Verdict.Effect.READ)
                && wiring.limits().serverTimeouts().appliesTo(sql)
                && singleSelect(sql)) {
            return new ServerTimedRead(this, c, sql, wiring.limits());
        }
        return tracked(c.prepareStatement(sql), verdict);
    }

    /** Whether this statement's connection is the replica's. */
    private boolean onReplica() {
        return execution != null
                && execution.endpoint != null
                && execution.endpoint == wiring.routing().replicaEndpoint();
    }

    /**
     * The replica's connection was lost while the read executed: returns it (the pool evicts it), records the loss
     * against the replica, and borrows from the primary for the read's second and last attempt.
     */
    private Connection onPrimary(SQLException lost) {
        Connection dead = real;
        real = null;
        if (dead != null) {
            wiring.pool().release(dead);
        }
        wiring.routing().replicaLost(lost, execution);
        return getDelegate();
    }

    /** One {@code SELECT} (or {@code WITH … SELECT}) that starts with its verb, as {@code SET STATEMENT … FOR} takes it. */
    private boolean singleSelect(String sql) {
        StatementShapes.Shapes shapes = StatementShapes.of(sql, wiring.limits().mysql());
        if (shapes.unterminated()
                || shapes.shapes().size() != 1
                || !shapes.shapes().get(0).verb().equals("select")) {
            return false;
        }
        int i = 0;
        while (i < sql.length() && Character.isWhitespace(sql.charAt(i))) {
            i++;
        }
        return sql.regionMatches(true, i, "select", 0, 6) || sql.regionMatches(true, i, "with", 0, 4);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency)
            throws SQLException {
        boolean readOnly = resultSetConcurrency == ResultSet.CONCUR_READ_ONLY;
        Verdict verdict = route(sql, readOnly);
        if (readOnly && answeredByCache(verdict)) {
            return cached(sql, verdict);
        }
        PreparedStatement ps = tracked(
                (readOnly ? delegateFor(verdict) : getDelegate())
                        .prepareStatement(sql, resultSetType, resultSetConcurrency),
                verdict);
        return onReplica()
                ? ReplicaReadStatement.wrap(
                        ps,
                        lost -> tracked(
                                onPrimary(lost).prepareStatement(sql, resultSetType, resultSetConcurrency), verdict))
                : ps;
    }

    @Override
    public PreparedStatement prepareStatement(
            String sql, int resultSetType, int resultSetConcurrency, int resultSetHoldability) throws SQLException {
        boolean readOnly = resultSetConcurrency == ResultSet.CONCUR_READ_ONLY;
        Verdict verdict = route(sql, readOnly);
        if (readOnly && answeredByCache(verdict)) {
            return cached(sql, verdict);
        }
        PreparedStatement ps = tracked(
                (readOnly ? delegateFor(verdict) : getDelegate())
                        .prepareStatement(sql, resultSetType, resultSetConcurrency, resultSetHoldability),
                verdict);
        return onReplica()
                ? ReplicaReadStatement.wrap(
                        ps,
                        lost -> tracked(
                                onPrimary(lost)
                                        .prepareStatement(
                                                sql, resultSetType, resultSetConcurrency, resultSetHoldability),
                                verdict))
                : ps;
    }

    // Statements asking for generated keys are writes: never answered by the cache.

    @Override
    public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
        return tracked(getDelegate().prepareStatement(sql, autoGeneratedKeys), route(sql, false));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
        return tracked(getDelegate().prepareStatement(sql, columnIndexes), route(sql, false));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
        return tracked(getDelegate().prepareStatement(sql, columnNames), route(sql, false));
    }

    @Override
    public CallableStatement prepareCall(String sql) throws SQLException {
        return called(getDelegate().prepareCall(sql), sql);
    }

    @Override
    public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency) throws SQLException {
        return called(getDelegate().prepareCall(sql, resultSetType, resultSetConcurrency), sql);
    }

    @Override
    public CallableStatement prepareCall(
            String sql, int resultSetType, int resultSetConcurrency, int resultSetHoldability) throws SQLException {
        return called(getDelegate().prepareCall(sql, resultSetType, resultSetConcurrency, resultSetHoldability), sql);
    }

    /** A stored procedure may write anything: its calls invalidate the whole cache. */
    private CallableStatement called(CallableStatement statement, String sql) {
        return route(sql, false) == null
                ? statement
                : new TrackedStatements.Callable(statement, () -> written(Verdict.ANY_WRITE));
    }

    @Override
    public Statement createStatement() throws SQLException {
        return new TrackedStatements.Plain(getDelegate().createStatement(), this);
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency) throws SQLException {
        return new TrackedStatements.Plain(getDelegate().createStatement(resultSetType, resultSetConcurrency), this);
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency, int resultSetHoldability)
            throws SQLException {
        return new TrackedStatements.Plain(
                getDelegate().createStatement(resultSetType, resultSetConcurrency, resultSetHoldability), this);
    }

    // ---- transactions ---------------------------------------------------------------------------

    @Override
    public boolean getAutoCommit() {
        return autoCommit;
    }

    @Override
    public void setAutoCommit(boolean on) throws SQLException {
        if (on == autoCommit) {
            return;
        }
        if (real != null || !on) {
            getDelegate().setAutoCommit(on);
        }
        autoCommit = on;
        if (on) {
            committed(); // JDBC commits when auto-commit is switched back on
        }
    }

    @Override
    public void commit() throws SQLException {
        getDelegate().commit();
        committed();
    }

    @Override
    public void rollback() throws SQLException {
        getDelegate().rollback();
        uncommitted.clear();
    }

    // ---- no borrowing for these -----------------------------------------------------------------

    @Override
    public void close() {
        release();
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(this) ? iface.cast(this) : getDelegate().unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || getDelegate().isWrapperFor(iface);
    }
}
