package io.openinsure.db.core.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.openinsure.db.core.BindingConfig;
import io.openinsure.db.core.ConnectionMode;
import io.openinsure.db.core.ConnectionUnavailableException;
import io.openinsure.db.core.DatabaseUrl;
import io.openinsure.db.core.JdbcDriver;
import io.openinsure.db.core.KeyspaceClient;
import io.openinsure.db.core.OpenInsureDbException;
import io.openinsure.db.core.PoolSettings;
import io.openinsure.db.core.PoolStats;
import io.openinsure.db.core.Settings;
import com.github.benmanes.caffeine.cache.Ticker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.openinsure.db.core.CircuitOpenException;
import io.openinsure.db.core.DatabaseReport;
import io.openinsure.db.core.Health;
import io.openinsure.db.core.HealthThresholds;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.LongAdder;
import io.openinsure.db.core.CacheDecision;
import io.openinsure.db.core.CacheStats;
import io.openinsure.db.core.CacheStatus;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jooq.ConnectionProvider;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultConfiguration;
import org.jooq.impl.DefaultTransactionProvider;
import org.jooq.tools.jdbc.MockConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link KeyspaceClient}: one HikariCP pool, one jOOQ context on it, and the read cache
 * in front of it.
 *
 * <p>{@link #dsl()} hands jOOQ {@link CacheAwareConnection}s: cacheable reads become jOOQ mock
 * statements answered by the {@link QueryCache} (a hit borrows no connection), everything else runs
 * on a pooled connection borrowed on first use. Transactions get their connections from a
 * {@link DefaultTransactionProvider} over connections that never answer from the cache.
 */
public final class HikariKeyspaceClient implements KeyspaceClient {

    private static final Logger LOG = LoggerFactory.getLogger(KeyspaceClient.class);
    /** Verdicts kept per client: statement shapes, not executions. */
    private static final int VERDICTS = 10_000;

    private final BindingConfig config;
    private final HealthThresholds thresholds;
    private final HealthTracker tracker;
    private final ClientMetrics metrics;
    private final Endpoint pooled;
    private final Object switchLock = new Object();
    /** The direct fallback, opened on the first switch; {@code null} before (or when none is configured). */
    private volatile Endpoint direct;
    /** The endpoint borrows go to: {@link #pooled}, or {@link #direct} while the pooled one is down. */
    private volatile Endpoint active;
    private volatile Instant fallbackSince;
    private final ScheduledExecutorService prober;
    private final HealthListener healthListener;
    private final Measurements measurements = new Measurements();
    private final StatementLimits limits;
    private final ServerTimeouts serverTimeouts;
    private final TypedReads typedReads = new TypedReads();
    /** Execute listeners of {@code dsl()}'s and {@code uncached()}'s configurations: a derived context with more (legacy routing) is not ours. */
    private volatile int ownListeners = -1;
    private final LongAdder statements = new LongAdder();
    private final LongAdder failedStatements = new LongAdder();
    private final long startedNanos = System.nanoTime();
    private final ConnectionProvider connections = new TranslatingConnectionProvider();
    private final EligibilityAnalyser analyser;
    private final QueryCache cache;
    private final CacheAwareConnection.Wiring wiring;
    private final ExecutorService ownRefreshExecutor;
    private final Object dslLock = new Object();
    private volatile DSLContext dsl;
    private volatile DSLContext uncached;
    private volatile String serverVersion;
    private volatile boolean closed;

    public HikariKeyspaceClient(BindingConfig config) {
        this(config, null);
    }

    /**
     * A client whose meters go to {@code meterRegistry} (an {@code io.micrometer.core.instrument.MeterRegistry}),
     * or nowhere when it is {@code null}; typed {@code Object} so that Micrometer stays optional.
     */
    public HikariKeyspaceClient(BindingConfig config, Object meterRegistry) {
        this(config, Ticker.systemTicker(), null, meterRegistry);
    }

    HikariKeyspaceClient(BindingConfig config, Ticker ticker, Executor refreshExecutor) {
        this(config, ticker, refreshExecutor, null);
    }

    /**
     * For tests: {@code ticker} drives cache ages and expiry; {@code refreshExecutor} (if not null)
     * runs the stale-while-revalidate refreshes.
     */
    HikariKeyspaceClient(BindingConfig config, Ticker ticker, Executor refreshExecutor, Object meterRegistry) {
        this.config = config;
        config.url().requireDriver(config.name(), config.urlSource());
        this.thresholds = config.healthThresholds();
        this.tracker = new HealthTracker(thresholds);
        this.metrics = ClientMetrics.create(meterRegistry, config.name(), this::cacheStats);
        this.pooled = endpoint(config.mode().label(), config.url(), config.urlSource(), "oi-" + config.name());
        this.active = pooled;
        SQLDialect family = config.url().dialect().family();
        this.analyser = new EligibilityAnalyser(family, VERDICTS);
        this.ownRefreshExecutor = refreshExecutor == null ? refreshExecutor(config.name()) : null;
        this.cache = new QueryCache(config.name(), config.cachePolicy(), connections, DSL.using(family, jooqSettings()), ticker,
                refreshExecutor == null ? ownRefreshExecutor : refreshExecutor);
        cache.maxRows(config.limits().maxRows());
        this.serverTimeouts = new ServerTimeouts(StatementLimits.defaultReadMillis(config.limits()), () -> active.serverTimeouts());
        this.wiring = new CacheAwareConnection.Wiring(analyser, cache, connections, serverTimeouts, new MockConnection(context -> {
            throw new SQLException("openinsure-db: statements of the cache's mock connection carry their own data provider");
        }));
        this.healthListener = new HealthListener(measurements);
        this.limits = new StatementLimits(config.name(), config.limits(), family, serverTimeouts);
        this.prober = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "oi-" + config.name() + "-probe");
            t.setDaemon(true);
            return t;
        });
        long every = thresholds.probeInterval().toMillis();
        prober.scheduleWithFixedDelay(this::probe, every, every, TimeUnit.MILLISECONDS);
        LOG.info("openinsure-db [{}] mode={} server={} driver={}{}", config.name(), config.mode().label(), config.url().describe(),
                config.url().driver().name().toLowerCase(Locale.ROOT),
                config.directUrl().map(d -> " fallback=" + d.describe()).orElse(""));
        LOG.debug("openinsure-db [{}] effective configuration: {}", config.name(), config);
    }

    /** Up to two daemon threads per client refresh stale entries; more pending refreshes wait, beyond 256 they are skipped. */
    private static ExecutorService refreshExecutor(String binding) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(256), r -> {
            Thread t = new Thread(r, "oi-" + binding + "-cache-refresh-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    /** The pool and breaker for one of the binding's URLs; the direct URL's own credentials win over the binding's. */
    private Endpoint endpoint(String role, DatabaseUrl url, String urlSource, String poolName) {
        HikariConfig hc = hikariConfig(config, url, poolName);
        metrics.instrument(hc);
        Properties probeProperties = new Properties();
        if (!url.isPassThrough()) {
            probeProperties.putAll(driverDefaults(url, config.pool()));
        }
        return new Endpoint(role, url, urlSource, new HikariDataSource(hc), thresholds, hc.getUsername(), hc.getPassword(),
                probeProperties, config.pool().connectionTimeout());
    }

    static HikariConfig hikariConfig(BindingConfig config) {
        return hikariConfig(config, config.url(), "oi-" + config.name());
    }

    private static HikariConfig hikariConfig(BindingConfig config, DatabaseUrl url, String poolName) {
        PoolSettings settings = config.pool();
        HikariConfig hc = new HikariConfig();
        hc.setPoolName(poolName);
        hc.setJdbcUrl(url.jdbcUrl());
        if (url.driver().className() != null) {
            hc.setDriverClassName(url.driver().className());
        }
        String user = config.userFor(url).orElse(null);
        String password = config.passwordFor(url).orElse(null);
        if (user != null) {
            hc.setUsername(user);
        }
        if (password != null) {
            hc.setPassword(password);
        }
        hc.setMaximumPoolSize(settings.maxSize());
        hc.setMinimumIdle(settings.minIdle());
        hc.setConnectionTimeout(settings.connectionTimeout().toMillis());
        hc.setValidationTimeout(Math.min(settings.connectionTimeout().toMillis(), 5_000L));
        hc.setMaxLifetime(settings.maxLifetime().toMillis());
        hc.setKeepaliveTime(settings.keepaliveTime().toMillis());
        hc.setIdleTimeout(settings.idleTimeout().toMillis());
        // Do not fail start-up when one keyspace is down: its first query fails fast instead,
        // and the other keyspaces keep working.
        hc.setInitializationFailTimeout(-1);
        if (!url.isPassThrough()) {
            driverDefaults(url, settings).forEach((k, v) -> {
                if (!url.parameters().containsKey(k)) {
                    hc.addDataSourceProperty(k, v);
                }
            });
        }
        return hc;
    }

    /** Driver properties that bound connection attempts by the acquisition timeout and cut per-statement chatter. */
    private static Map<String, Object> driverDefaults(DatabaseUrl url, PoolSettings settings) {
        long timeoutMs = settings.connectionTimeout().toMillis();
        if (url.driver() == JdbcDriver.PGJDBC) {
            return Map.of("connectTimeout", String.valueOf(Math.max(1, (timeoutMs + 999) / 1000)),
                    "ApplicationName", "openinsure-db");
        }
        return Map.of(
                "connectTimeout", String.valueOf(timeoutMs),
                "cachePrepStmts", "true",
                "prepStmtCacheSize", "250",
                "prepStmtCacheSqlLimit", "2048",
                "useLocalSessionState", "true",
                "cacheServerConfiguration", "true",
                "elideSetAutoCommits", "true",
                "rewriteBatchedStatements", "true",
                "maintainTimeStats", "false");
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public BindingConfig config() {
        return config;
    }

    @Override
    public ConnectionMode mode() {
        return active == pooled ? config.mode() : ConnectionMode.DIRECT;
    }

    @Override
    public DSLContext dsl() {
        DSLContext ctx = dsl;
        return ctx != null ? ctx : context(true);
    }

    @Override
    public DSLContext uncached() {
        DSLContext ctx = uncached;
        return ctx != null ? ctx : context(false);
    }

    /**
     * The context of {@link #dsl()} ({@code cacheReads}) or {@link #uncached()}, made on first use; its
     * transactions use connections that never answer from the cache.
     */
    private DSLContext context(boolean cacheReads) {
        synchronized (dslLock) {
            DSLContext ctx = cacheReads ? dsl : uncached;
            if (ctx == null) {
                ctx = DSL.using(new DefaultConfiguration()
                        .set(detectDialect())
                        .set(jooqSettings())
                        .set(new CacheAwareProvider(cacheReads))
                        .set(new DefaultTransactionProvider(new CacheAwareProvider(false)))
                        .set(healthListener)); // times statements for health(), report() and the meters
                ctx = ReplicaWriteGuard.install(ctx, config); // vitess://…@replica|@rdonly: refuse writes client-side
                ctx = limits.install(StatementGuard.install(ctx, config)); // runtime rules, PlanetScale limits
                ctx.configuration().data(TypedReadCache.KEY, typedReads);
                ownListeners = ctx.configuration().executeListenerProviders().length;
                if (cacheReads) {
                    dsl = ctx;
                } else {
                    uncached = ctx;
                }
            }
            return ctx;
        }
    }

    private static org.jooq.conf.Settings jooqSettings() {
        return new org.jooq.conf.Settings()
                // The database name differs per environment (oi_policies, oi_policies@replica…):
                // never qualify tables with it.
                .withRenderSchema(false)
                .withRenderCatalog(false)
                .withRenderQuotedNames(RenderQuotedNames.EXPLICIT_DEFAULT_UNQUOTED)
                .withExecuteLogging(false);
    }

    @Override
    public void invalidateCachedReads(java.util.Collection<String> tables) {
        cache.invalidateFromElsewhere(Objects.requireNonNull(tables, "tables"));
    }

    @Override
    public void onWrite(java.util.function.Consumer<java.util.Set<String>> listener) {
        cache.onWrite(listener);
    }

    @Override
    public CacheDecision explain(String sql) {
        Objects.requireNonNull(sql, "sql");
        Verdict verdict = analyser.analyse(sql);
        if (!cache.enabled()) {
            String key = Settings.CACHE_ENABLED.key(name());
            return new CacheDecision(CacheStatus.DISABLED, "uncacheable: the cache is disabled for keyspace '" + name() + "'",
                    "set " + key + "=true (or cacheEnabled(true)) to cache reads", verdict.tables());
        }
        return verdict.decision();
    }

    @Override
    public CacheStats cacheStats() {
        return cache.stats();
    }

    private SQLDialect detectDialect() {
        String version = serverVersion();
        DatabaseUrl url = config.url();
        if (url.dialect().family() == SQLDialect.POSTGRES) {
            return SQLDialect.POSTGRES;
        }
        if (url.dialect().family() == SQLDialect.MYSQL || url.dialect().family() == SQLDialect.MARIADB) {
            return version.toLowerCase(Locale.ROOT).contains("mariadb") ? SQLDialect.MARIADB : SQLDialect.MYSQL;
        }
        return url.dialect();
    }

    @Override
    public String serverVersion() {
        String v = serverVersion;
        if (v == null) {
            Connection c = connections.acquire();
            try {
                v = c.getMetaData().getDatabaseProductVersion();
            } catch (SQLException e) {
                throw new OpenInsureDbException(name(), "Keyspace '" + name() + "': could not read the server version from "
                        + config.url().describe() + ": " + Secrets.mask(e.getMessage()), e);
            } finally {
                connections.release(c);
            }
            serverVersion = v;
        }
        return v;
    }

    @Override
    public <T> T transactionResult(TransactionWork<T> work) {
        return dsl().transactionResult(cfg -> work.apply(cfg.dsl()));
    }

    @Override
    public void transaction(TransactionAction work) {
        dsl().transaction(cfg -> work.accept(cfg.dsl()));
    }

    @Override
    public PoolStats poolStats() {
        return poolStats(active);
    }

    private static PoolStats poolStats(Endpoint endpoint) {
        HikariDataSource pool = endpoint.pool;
        HikariPoolMXBean mx = pool.getHikariPoolMXBean();
        if (mx == null) {
            return new PoolStats(0, 0, 0, 0, pool.getMaximumPoolSize());
        }
        return new PoolStats(mx.getTotalConnections(), mx.getActiveConnections(), mx.getIdleConnections(),
                mx.getThreadsAwaitingConnection(), pool.getMaximumPoolSize());
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            prober.shutdownNow();
            pooled.close();
            synchronized (switchLock) {
                if (direct != null) {
                    direct.close();
                }
            }
            metrics.close();
            cache.invalidateAll();
            if (ownRefreshExecutor != null) {
                ownRefreshExecutor.shutdownNow();
            }
            LOG.debug("openinsure-db [{}] closed", name());
        }
    }

    @Override
    public String toString() {
        return "KeyspaceClient[" + name() + ", " + mode().label() + ", " + active.url.describe() + "]";
    }

    /**
     * Pre-rendered typed queries ({@code Prepared} in db-domains) of {@code dsl()} and {@code uncached()}, outside
     * a transaction. With the cache on, {@code dsl()} answers a hit above jOOQ (skipping its listeners, whose
     * checks the same text passed when the entry's rows were first coerced). With the cache off, and through
     * {@code uncached()}, a single deterministic read (the analyser's cacheable verdict, so the statement guards
     * have nothing to refuse) runs straight on JDBC ({@link #direct}) with the same borrow, limits, timing and
     * error translation as jOOQ's path. Inside a transaction (its configuration has the transaction's
     * connection provider, not one of these) everything takes jOOQ's path.
     */
    private final class TypedReads implements TypedReadCache {
        @Override
        public <R extends org.jooq.Record> org.jooq.Result<R> fetch(org.jooq.Configuration configuration, String sql, Object[] binds,
                                                                  org.jooq.Table<R> table,
                                                                  java.util.function.Supplier<org.jooq.Result<R>> query) {
            if (!(configuration.connectionProvider() instanceof CacheAwareProvider p)) {
                return query.get();
            }
            Verdict verdict = analyser.analyse(sql);
            if (!p.cacheReads || !cache.enabled()) {
                // Only on the client's own contexts: listeners added by a derived context (legacy routing rewrites
                // the SQL) must see the statement, so it takes jOOQ's path.
                boolean own = configuration.executeListenerProviders().length == ownListeners;
                DirectRows<R> rows = own && verdict.cacheable() && DirectRows.bindable(binds) ? DirectRows.of(table) : null;
                return rows == null ? query.get() : direct(configuration, sql, binds, rows, query);
            }
            CacheKey key = verdict.cacheable() ? CacheKey.of(sql, verdict, binds, 0) : null;
            if (key == null) {
                return query.get();
            }
            org.jooq.Result<?> hit = cache.typedHit(key, table);
            if (hit != null) {
                DirectRows<R> copier = DirectRows.of(table); // records are mutable: every caller gets its own
                return copier == null ? hit.into(table) : copier.copy(hit, configuration);
            }
            org.jooq.Result<R> rows = null;
            QueryCache.expectServed();
            try {
                rows = query.get();
                return rows;
            } finally {
                QueryCache.remember(table, rows == null ? null : rows.into(table));
            }
        }
    }

    /**
     * Runs a read on a pooled connection and maps its rows with {@code rows}: what jOOQ's path does for it
     * (borrow through the breaker, {@code MAX_ROWS}/{@code MAX_RESULT_BYTES}/query timeout, health and meter
     * timing, a lost connection or a timeout turned into the client's exceptions), without jOOQ's render,
     * execute context and cursor, which cost ~20 % of a primary-key lookup. A result whose columns are not
     * the table's fields (worked out once per SQL text) is read again through {@code query}.
     */
    private <R extends org.jooq.Record> org.jooq.Result<R> direct(org.jooq.Configuration configuration, String sql, Object[] binds,
                                                                 DirectRows<R> rows, java.util.function.Supplier<org.jooq.Result<R>> query) {
        CacheStatus status = cache.enabled() ? CacheStatus.BYPASS : CacheStatus.DISABLED;
        cache.count(status);
        long t0 = System.nanoTime();
        Connection c = connections.acquire(); // a failed borrow is recorded there, not as a statement
        StatementLimits.State state = null;
        org.jooq.Result<R> result = null;
        try {
            boolean serverTimeout = serverTimeouts.enabled(); // learnt when c was borrowed
            try (java.sql.PreparedStatement ps = c.prepareStatement(serverTimeout ? limits.withServerTimeout(sql) : sql)) {
                state = limits.startRead(ps, serverTimeout);
                for (int i = 0; i < binds.length; i++) {
                    ps.setObject(i + 1, binds[i]);
                }
                // execute(), not executeQuery(): Connector/J refuses a statement that starts with SET there
                try (java.sql.ResultSet rs = serverTimeout ? (ps.execute() ? ps.getResultSet() : null) : ps.executeQuery()) {
                    int[] layout = rs == null ? null : rows.layout(sql, rs.getMetaData());
                    if (layout != null) {
                        org.jooq.DSLContext ctx = DSL.using(configuration);
                        result = ctx.newResult(rows.table());
                        while (rs.next()) {
                            R record = rows.read(rs, layout, ctx);
                            limits.rowRead(state, record);
                            result.add(record);
                        }
                    }
                }
            }
        } catch (SQLException e) {
            connections.release(c);
            c = null;
            if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
                throw measurements.connectionLost(e);
            }
            measurements.statement(System.nanoTime() - t0, true, status);
            measurements.error("sql");
            throw limits.failed(state, e, sql);
        } catch (OpenInsureDbException e) {
            measurements.error("refused"); // a limit: not the server's fault
            throw e;
        } finally {
            if (c != null) {
                connections.release(c);
            }
        }
        if (result == null) {
            return query.get();
        }
        measurements.statement(System.nanoTime() - t0, false, status);
        return result;
    }

    /** Hands out {@link CacheAwareConnection}s: no connection is borrowed until a statement needs one. */
    private final class CacheAwareProvider implements ConnectionProvider {
        private final boolean cacheReads;

        CacheAwareProvider(boolean cacheReads) {
            this.cacheReads = cacheReads;
        }

        @Override
        public Connection acquire() {
            requireOpen();
            return new CacheAwareConnection(wiring, cacheReads);
        }

        @Override
        public void release(Connection connection) {
            ((CacheAwareConnection) connection).release();
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new OpenInsureDbException(name(), "Keyspace '" + name() + "': the client is closed.", null);
        }
    }

    /** Borrows from the pool; turns a failed acquisition into a message that names the keyspace and the pool's state. */
    private final class TranslatingConnectionProvider implements ConnectionProvider {
        @Override
        public Connection acquire() {
            requireOpen();
            Endpoint endpoint = active;
            try {
                return borrow(endpoint);
            } catch (ConnectionUnavailableException e) {
                Endpoint now = active;
                if (now != endpoint && !(e instanceof CircuitOpenException)) {
                    return borrow(now); // this failure switched the client to its fallback: try it at once
                }
                throw e;
            }
        }

        @Override
        public void release(Connection connection) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.warn("openinsure-db [{}] could not return a connection to the pool: {}", name(), Secrets.mask(e.getMessage()));
            }
        }
    }

    /**
     * Borrows from {@code endpoint}'s pool through its circuit breaker: fails at once while the circuit is
     * open; records connection failures (not pool exhaustion) against the breaker and the health tracker.
     */
    private Connection borrow(Endpoint endpoint) {
        if (!endpoint.breaker.tryAcquirePermission()) {
            metrics.error("circuit_open");
            throw circuitOpen(endpoint);
        }
        long t0 = System.nanoTime();
        try {
            Connection c = endpoint.pool.getConnection();
            endpoint.borrowed(System.nanoTime() - t0);
            endpoint.learnServer(c);
            tracker.connected();
            return c;
        } catch (SQLException e) {
            ConnectionUnavailableException failure = unavailable(endpoint, e);
            if (e.getCause() != null) {
                connectionFailed(endpoint, Secrets.mask(Endpoint.firstLine(e.getCause().getMessage())), System.nanoTime() - t0, e);
                metrics.error("connection");
            } else {
                endpoint.breaker.releasePermission(); // an exhausted pool is not a dead server
                metrics.error("pool_exhausted");
            }
            throw failure;
        }
    }

    private void connectionFailed(Endpoint endpoint, String maskedReason, long nanos, Throwable e) {
        endpoint.borrowFailed(maskedReason, nanos, e);
        tracker.connectionFailed();
        if (endpoint == pooled && endpoint.isOpen()) {
            switchToDirect();
        }
    }

    private CircuitOpenException circuitOpen(Endpoint endpoint) {
        return new CircuitOpenException(name(), "Keyspace '" + name() + "': circuit open after " + endpoint.consecutiveFailures()
                + " consecutive connection failures to " + endpoint.url.describe() + " (last: " + endpoint.lastFailure()
                + "); failing at once instead of waiting on the pool. The client probes the server every "
                + every(thresholds.probeInterval()) + " and closes the circuit when it answers.", poolStats(endpoint));
    }

    /** Moves borrows to the direct fallback (opening its pool on first use); logs the switch once. */
    private void switchToDirect() {
        DatabaseUrl directUrl = config.directUrl().orElse(null);
        if (directUrl == null || closed) {
            return;
        }
        synchronized (switchLock) {
            if (active != pooled || closed) {
                return;
            }
            if (direct == null) {
                direct = endpoint(ConnectionMode.DIRECT.label(), directUrl, Settings.DIRECT_URL.key(name()), "oi-" + name() + "-direct");
            }
            fallbackSince = Instant.now();
            active = direct;
        }
        LOG.warn("openinsure-db [{}] pooled endpoint {} failed {} times in a row (last: {}): switching to the direct fallback {} "
                + "until it answers again", name(), pooled.url.describe(), pooled.consecutiveFailures(), pooled.lastFailure(),
                directUrl.describe());
    }

    /** Every probe interval: endpoints with an open circuit get a fresh connection; an answer closes the circuit. */
    private void probe() {
        try {
            probe(pooled);
            Endpoint d = direct;
            if (d != null) {
                probe(d);
            }
        } catch (RuntimeException e) {
            LOG.warn("openinsure-db [{}] probe failed unexpectedly: {}", name(), Secrets.mask(e.getMessage()));
        }
    }

    private void probe(Endpoint endpoint) {
        if (closed || !endpoint.isOpen() || !endpoint.probe()) {
            return;
        }
        // Connections opened before the outage may be dead: retire them rather than hand them out.
        HikariPoolMXBean mx = endpoint.pool.getHikariPoolMXBean();
        if (mx != null) {
            mx.softEvictConnections();
        }
        endpoint.breaker.transitionToClosedState();
        endpoint.connected();
        boolean returned = false;
        synchronized (switchLock) {
            if (endpoint == pooled && active != pooled) {
                active = pooled;
                fallbackSince = null;
                returned = true;
            }
        }
        if (endpoint == active) {
            tracker.connected();
        }
        if (returned) {
            LOG.info("openinsure-db [{}] pooled endpoint {} answers again: leaving the direct fallback", name(), pooled.url.describe());
        } else {
            LOG.info("openinsure-db [{}] {} answers again: circuit closed", name(), endpoint.url.describe());
        }
    }

    @Override
    public Health health() {
        return tracker.health(active.circuit());
    }

    @Override
    public DatabaseReport.ClientReport report() {
        Endpoint endpoint = active;
        Health health = health();
        Double roundTripMs = null;
        if (!endpoint.isOpen()) {
            long t0 = System.nanoTime();
            try {
                Connection c = connections.acquire();
                try (var st = c.createStatement()) {
                    st.execute("SELECT 1");
                    roundTripMs = (System.nanoTime() - t0) / 1_000_000.0;
                } finally {
                    connections.release(c);
                }
            } catch (SQLException | OpenInsureDbException e) {
                roundTripMs = null;
            }
        }
        double seconds = Math.max(1e-3, (System.nanoTime() - startedNanos) / 1e9);
        long[] latencies = tracker.latencies();
        return Reports.client(name(), mode().label(), endpoint.url.describe(), poolStats(endpoint), latencies, statements.sum(),
                failedStatements.sum(), seconds, cacheStats(), roundTripMs, health, thresholds,
                active == pooled ? null : pooled.url.describe(), fallbackSince, endpoint.consecutiveFailures(), endpoint.lastFailure(),
                Settings.POOL_MAX_SIZE.key(name()));
    }

    /** Receives the statement timings of {@link HealthListener}. */
    private final class Measurements implements HealthListener.Sink {
        @Override
        public void statement(long nanos, boolean failed, CacheStatus status) {
            statements.increment();
            if (failed) {
                failedStatements.increment();
            }
            tracker.statement(nanos, failed);
            metrics.statement(nanos, failed, status);
        }

        @Override
        public void error(String type) {
            metrics.error(type);
        }

        @Override
        public ConnectionUnavailableException connectionLost(SQLException e) {
            Endpoint endpoint = active;
            String reason = Secrets.mask(Endpoint.firstLine(e.getMessage()));
            connectionFailed(endpoint, reason, 0, e);
            metrics.error("connection");
            return new ConnectionUnavailableException(name(), "Keyspace '" + name() + "': the connection to " + endpoint.url.describe()
                    + " was lost during the statement (" + reason + ", SQL state " + e.getSQLState()
                    + "). The outcome of a write is unknown; retry idempotent work.", poolStats(endpoint), e);
        }
    }

    private ConnectionUnavailableException unavailable(Endpoint endpoint, SQLException e) {
        PoolStats stats = poolStats(endpoint);
        long waited = config.pool().connectionTimeout().toMillis();
        Throwable cause = e.getCause();
        String key = Settings.POOL_MAX_SIZE.key(name());
        String why;
        if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("28")) {
            why = "the server at " + endpoint.url.describe() + " refused the credentials (" + Secrets.mask(firstLine(cause.getMessage()))
                    + "). Check " + Settings.USER.key(name()) + " and " + Settings.PASSWORD.key(name()) + " or the user in "
                    + endpoint.urlSource + ".";
        } else if (cause != null) {
            why = "the server at " + endpoint.url.describe() + " is unreachable (" + Secrets.mask(firstLine(cause.getMessage()))
                    + "). Check the server and " + endpoint.urlSource + "; after " + thresholds.connectionFailuresToOpen()
                    + " consecutive failures the circuit opens and calls fail at once until it answers.";
        } else {
            why = "the pool is exhausted: all " + stats.maximum() + " connections are in use. Raise " + key
                    + ", keep transactions short, or find the queries that hold connections.";
        }
        return new ConnectionUnavailableException(name(), "Keyspace '" + name() + "': no connection available within " + waited
                + " ms (pool " + endpoint.pool.getPoolName() + ": " + stats + "); " + why, stats, e);
    }

    private static String every(java.time.Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "no message";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
