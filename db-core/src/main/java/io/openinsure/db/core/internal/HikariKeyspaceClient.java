package io.openinsure.db.core.internal;

import com.github.benmanes.caffeine.cache.Ticker;
import io.openinsure.db.core.BindingConfig;
import io.openinsure.db.core.CacheDecision;
import io.openinsure.db.core.CacheStats;
import io.openinsure.db.core.CacheStatus;
import io.openinsure.db.core.ConnectionMode;
import io.openinsure.db.core.DatabaseReport;
import io.openinsure.db.core.Health;
import io.openinsure.db.core.HealthStatus;
import io.openinsure.db.core.JdbcDriver;
import io.openinsure.db.core.KeyspaceClient;
import io.openinsure.db.core.OpenInsureDbException;
import io.openinsure.db.core.PoolStats;
import io.openinsure.db.core.ReplicaHealth;
import io.openinsure.db.core.Settings;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.jooq.tools.jdbc.MockConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link KeyspaceClient}: it assembles the parts of one keyspace's read path and answers for them.
 *
 * <p>A statement of {@link #dsl()} goes, in order, through: the jOOQ context {@link DslContexts} built, its
 * listeners ({@link ExecutionListener}, the guards, {@link LimitsListener}), the connection {@link ClientConnections}
 * hands jOOQ ({@link CacheAwareConnection}), which has the {@link QueryCache} answer a cacheable read, or borrows
 * from {@link EndpointFailover} (pooled or direct {@link Endpoint}, each a HikariCP pool behind a circuit breaker)
 * and runs it on the driver. Pre-rendered typed reads take {@link ClientTypedReads}. The rules a statement runs
 * under are the client's one {@link StatementLimits}; its outcome is counted by {@link ClientMeasurements}.
 */
public final class HikariKeyspaceClient implements KeyspaceClient {

    private static final Logger LOG = LoggerFactory.getLogger(KeyspaceClient.class);
    /** Verdicts kept per client: statement shapes, not executions. */
    private static final int VERDICTS = 10_000;

    private final BindingConfig config;
    private final HealthTracker tracker;
    private final ClientMetrics metrics;
    private final EndpointFailover endpoints;
    private final ReadRouting routing;
    private final ClientMeasurements measurements;
    private final EligibilityAnalyser analyser;
    private final QueryCache cache;
    private final DslContexts contexts;
    private final ExecutorService ownRefreshExecutor;
    /** PgJDBC only: the statement timeouts ({@link StatementDeadlines}). */
    private final StatementDeadlines deadlines;

    private final long startedNanos = System.nanoTime();

    /** {@link KeyspaceClient#open(BindingConfig)}: a client whose meters go nowhere. */
    public static KeyspaceClient open(BindingConfig config) {
        return new HikariKeyspaceClient(config, Ticker.systemTicker(), null, null);
    }

    /** {@link KeyspaceClient#open(BindingConfig, io.micrometer.core.instrument.MeterRegistry)}: meters go to {@code meterRegistry}. */
    public static KeyspaceClient open(BindingConfig config, io.micrometer.core.instrument.MeterRegistry meterRegistry) {
        return new HikariKeyspaceClient(
                config, Ticker.systemTicker(), null, Objects.requireNonNull(meterRegistry, "meterRegistry"));
    }

    /**
     * For tests: {@code ticker} drives cache ages and expiry; {@code refreshExecutor} (if not null)
     * runs the stale-while-revalidate refreshes.
     */
    HikariKeyspaceClient(BindingConfig config, Ticker ticker, Executor refreshExecutor) {
        this(config, ticker, refreshExecutor, null);
    }

    /** @param meterRegistry a Micrometer {@code MeterRegistry} or {@code null}: untyped here so that no Micrometer class loads without one */
    private HikariKeyspaceClient(BindingConfig config, Ticker ticker, Executor refreshExecutor, Object meterRegistry) {
        this.config = config;
        config.url().requireDriver(config.name(), config.urlSource());
        this.tracker = new HealthTracker(config.healthThresholds());
        this.metrics = ClientMetrics.create(meterRegistry, config.name(), this::cacheStats);
        this.endpoints = new EndpointFailover(config, tracker, this.metrics);
        this.routing = new ReadRouting(config.replica(), endpoints, this.metrics);
        this.measurements = new ClientMeasurements(tracker, this.metrics, endpoints);
        var family = config.url().dialect().family();
        this.analyser = new EligibilityAnalyser(family, VERDICTS);
        this.deadlines = config.url().driver() == JdbcDriver.PGJDBC ? new StatementDeadlines(config.name()) : null;
        StatementLimits limits =
                new StatementLimits(config.name(), config.limits(), family, endpoints::server, deadlines);
        this.ownRefreshExecutor = refreshExecutor == null ? refreshExecutor(config.name()) : null;
        this.cache = new QueryCache(
                config.name(),
                config.cachePolicy(),
                endpoints,
                routing,
                limits,
                DSL.using(family, DslContexts.jooqSettings()),
                ticker,
                refreshExecutor == null ? ownRefreshExecutor : refreshExecutor);
        cache.onWrite(
                routing::wrote); // every write through this client starts the read-your-writes window of its tables
        CacheAwareConnection.Wiring wiring = new CacheAwareConnection.Wiring(
                analyser,
                cache,
                endpoints,
                limits,
                new MockConnection(c -> {
                    throw new SQLException(
                            "openinsure-db: statements of the cache's mock connection carry their own data provider");
                }),
                routing);
        this.contexts = new DslContexts(
                config,
                endpoints,
                wiring,
                endpoints::requireOpen,
                new ExecutionListener(measurements, cache),
                limits,
                new ClientTypedReads(analyser, cache, limits, endpoints, measurements, routing));
        if (family == org.jooq.SQLDialect.POSTGRES) {
            Executor loader = refreshExecutor == null ? ownRefreshExecutor : refreshExecutor;
            java.util.concurrent.atomic.AtomicBoolean loading = new java.util.concurrent.atomic.AtomicBoolean();
            analyser.onCatalogWanted(() -> {
                if (!analyser.hasCatalog() && loading.compareAndSet(false, true)) {
                    try {
                        loader.execute(() -> loadCatalog(loading));
                    } catch (RuntimeException rejected) {
                        loading.set(false);
                    }
                }
            });
        }
        LOG.info(
                "openinsure-db [{}] mode={} server={} driver={}{}{}{}",
                config.name(),
                config.mode().label(),
                config.url().describe(),
                config.url().driver().name().toLowerCase(Locale.ROOT),
                config.directUrl().map(d -> " fallback=" + d.describe()).orElse(""),
                routing.active()
                        ? " replica=" + config.replica().url().describe() + " replica-reads="
                                + config.replica().reads().label()
                        : "",
                config.credentialsProvider().isPresent() ? " credentials=provider" : "");
        LOG.debug("openinsure-db [{}] effective configuration: {}", config.name(), config);
    }

    /** Reads PostgreSQL's function volatility once ({@link FunctionCatalog}); on failure a later statement asks again. */
    private void loadCatalog(java.util.concurrent.atomic.AtomicBoolean loading) {
        try {
            Connection c = endpoints.acquire();
            try {
                FunctionCatalog catalog = FunctionCatalog.load(c);
                analyser.useCatalog(catalog);
                LOG.debug(
                        "openinsure-db [{}] read the volatility of {} functions from pg_proc",
                        config.name(),
                        catalog.size());
            } finally {
                endpoints.release(c);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.debug(
                    "openinsure-db [{}] could not read pg_proc (functions it does not know stay uncached): {}",
                    config.name(),
                    e.toString());
            loading.set(false);
        }
    }

    /** Up to two daemon threads per client refresh stale entries; more pending refreshes wait, beyond 256 they are skipped. */
    private static ExecutorService refreshExecutor(String binding) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor executor =
                new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(256), r -> {
                    Thread t = new Thread(r, "oi-" + binding + "-cache-refresh-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    /** For tests in this package: the client's endpoints. */
    EndpointFailover endpoints() {
        return endpoints;
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
        return endpoints.mode();
    }

    @Override
    public DSLContext dsl() {
        return contexts.dsl();
    }

    @Override
    public DSLContext uncached() {
        return contexts.uncached();
    }

    @Override
    public DSLContext replica() {
        return contexts.replica();
    }

    @Override
    public String serverVersion() {
        return contexts.serverVersion();
    }

    @Override
    public boolean servedByVtgate() {
        if (endpoints.server() == ServerTimeouts.Server.UNKNOWN) {
            endpoints.release(endpoints.acquire()); // the first borrow from an endpoint learns what its server is
        }
        return endpoints.server() == ServerTimeouts.Server.VTGATE;
    }

    @Override
    public <T> T transactionResult(TransactionWork<T> work) {
        return dsl().transactionResult(cfg -> work.apply(cfg.dsl()));
    }

    @Override
    public void transaction(TransactionAction work) {
        dsl().transaction(cfg -> work.accept(cfg.dsl()));
    }

    // ---- cache ----------------------------------------------------------------------------------

    @Override
    public void invalidateCachedReads(Collection<String> tables) {
        cache.invalidateFromElsewhere(Objects.requireNonNull(tables, "tables"));
        routing.wrote(Set.copyOf(
                tables)); // written elsewhere (another client of the same OpenInsureDb): read them from the primary
    }

    @Override
    public void onWrite(Consumer<Set<String>> listener) {
        cache.onWrite(listener);
    }

    @Override
    public CacheDecision explain(String sql) {
        Objects.requireNonNull(sql, "sql");
        Verdict verdict = analyser.analyse(sql);
        if (!cache.enabled()) {
            String key = Settings.CACHE_ENABLED.key(name());
            return new CacheDecision(
                    CacheStatus.DISABLED,
                    "uncacheable: the cache is disabled for keyspace '" + name() + "'",
                    "set " + key + "=true (or cacheEnabled(true)) to cache reads",
                    verdict.tables());
        }
        return verdict.decision();
    }

    @Override
    public CacheStats cacheStats() {
        return cache.stats();
    }

    // ---- health and report ----------------------------------------------------------------------

    @Override
    public PoolStats poolStats() {
        return EndpointFailover.poolStats(endpoints.active());
    }

    @Override
    public Health health() {
        Health primary = tracker.health(endpoints.active().circuit());
        ReplicaHealth replica = replicaHealth();
        if (replica == null) {
            return primary;
        }
        if (primary.status() == HealthStatus.HEALTHY && !replica.serving()) {
            String reason = "replica " + replica.server() + " "
                    + (replica.state().equals("down") ? "down (circuit " + replica.circuit() + ")" : replica.lag())
                    + ": its reads go to the primary";
            return new Health(
                    HealthStatus.DEGRADED,
                    primary.latency(),
                    primary.errorRate(),
                    primary.samples(),
                    primary.consecutiveConnectionFailures(),
                    primary.circuit(),
                    reason,
                    replica);
        }
        return new Health(
                primary.status(),
                primary.latency(),
                primary.errorRate(),
                primary.samples(),
                primary.consecutiveConnectionFailures(),
                primary.circuit(),
                primary.reason(),
                replica);
    }

    /** The replica's state; {@code null} without one. */
    private ReplicaHealth replicaHealth() {
        Endpoint replica = endpoints.replica();
        if (replica == null) {
            return null;
        }
        Health own = endpoints.replicaHealth();
        ReplicaLag lag = endpoints.replicaLag();
        String state = replica.isOpen() ? "down" : endpoints.replicaLagging() ? "lagging" : "serving";
        Map<String, Long> reads = new LinkedHashMap<>();
        routing.counts().forEach((reason, n) -> reads.put(reason.label(), n));
        return new ReplicaHealth(
                replica.url.describe(),
                state,
                own.status(),
                own.circuit(),
                own.consecutiveConnectionFailures(),
                lag.millis(),
                lag.describe(),
                reads);
    }

    @Override
    public DatabaseReport.ClientReport report() {
        Endpoint endpoint = endpoints.active();
        Health health = health();
        Double roundTripMs = null;
        if (!endpoint.isOpen()) {
            long t0 = System.nanoTime();
            try {
                Connection c = endpoints.acquire();
                try (var st = c.createStatement()) {
                    st.execute("SELECT 1");
                    roundTripMs = (System.nanoTime() - t0) / 1_000_000.0;
                } finally {
                    endpoints.release(c);
                }
            } catch (SQLException | OpenInsureDbException e) {
                roundTripMs = null;
            }
        }
        double seconds = Math.max(1e-3, (System.nanoTime() - startedNanos) / 1e9);
        ReplicaHealth replica = health.replica();
        DatabaseReport.Replica replicaReport = null;
        if (replica != null) {
            Endpoint r = endpoints.replica();
            PoolStats p = EndpointFailover.poolStats(r);
            Health own = endpoints.replicaHealth();
            replicaReport = new DatabaseReport.Replica(
                    replica.server(),
                    config.replica().reads().label(),
                    replica.state(),
                    new DatabaseReport.HealthReport(
                            own.status().name(),
                            r.isOpen() ? r.lastFailure() : own.reason(),
                            own.circuit(),
                            own.consecutiveConnectionFailures(),
                            Math.round(own.latency().toNanos() / 1e3) / 1e3),
                    replica.lagMs(),
                    replica.lag(),
                    new DatabaseReport.Pool(p.total(), p.active(), p.idle(), p.waiting(), p.maximum()),
                    replica.reads());
        }
        return Reports.client(
                name(),
                mode().label(),
                endpoint.url.describe(),
                EndpointFailover.poolStats(endpoint),
                tracker.latencies(),
                measurements.statements(),
                measurements.failedStatements(),
                seconds,
                cacheStats(),
                roundTripMs,
                health,
                config.healthThresholds(),
                endpoints.onFallback() ? endpoints.pooled().url.describe() : null,
                endpoints.fallbackSince(),
                endpoint.consecutiveFailures(),
                endpoint.lastFailure(),
                Settings.POOL_MAX_SIZE.key(name()),
                replicaReport);
    }

    /** PgJDBC only, else {@code null}: the running statements' timeouts (tests). */
    StatementDeadlines deadlines() {
        return deadlines;
    }

    @Override
    public void close() {
        if (deadlines != null) {
            deadlines.close();
        }
        endpoints.close();
        metrics.close();
        cache.invalidateAll();
        if (ownRefreshExecutor != null) {
            ownRefreshExecutor.shutdownNow();
        }
        LOG.debug("openinsure-db [{}] closed", name());
    }

    @Override
    public String toString() {
        return "KeyspaceClient[" + name() + ", " + mode().label() + ", "
                + endpoints.active().url.describe() + "]";
    }
}
