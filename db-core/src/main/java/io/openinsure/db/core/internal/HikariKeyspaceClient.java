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
    private final HikariDataSource pool;
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
        this(config, Ticker.systemTicker(), null);
    }

    /**
     * For tests: {@code ticker} drives cache ages and expiry; {@code refreshExecutor} (if not null)
     * runs the stale-while-revalidate refreshes.
     */
    HikariKeyspaceClient(BindingConfig config, Ticker ticker, Executor refreshExecutor) {
        this.config = config;
        config.url().requireDriver(config.name(), config.urlSource());
        this.pool = new HikariDataSource(hikariConfig(config));
        SQLDialect family = config.url().dialect().family();
        this.analyser = new EligibilityAnalyser(family, VERDICTS);
        this.ownRefreshExecutor = refreshExecutor == null ? refreshExecutor(config.name()) : null;
        this.cache = new QueryCache(config.name(), config.cachePolicy(), connections, DSL.using(family, jooqSettings()), ticker,
                refreshExecutor == null ? ownRefreshExecutor : refreshExecutor);
        this.wiring = new CacheAwareConnection.Wiring(analyser, cache, connections, new MockConnection(context -> {
            throw new SQLException("openinsure-db: statements of the cache's mock connection carry their own data provider");
        }));
        LOG.info("openinsure-db [{}] mode={} server={} driver={}", config.name(), config.mode().label(), config.url().describe(),
                config.url().driver().name().toLowerCase(Locale.ROOT));
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

    static HikariConfig hikariConfig(BindingConfig config) {
        DatabaseUrl url = config.url();
        PoolSettings settings = config.pool();
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("oi-" + config.name());
        hc.setJdbcUrl(url.jdbcUrl());
        if (url.driver().className() != null) {
            hc.setDriverClassName(url.driver().className());
        }
        config.user().ifPresent(hc::setUsername);
        config.password().ifPresent(hc::setPassword);
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
        return config.mode();
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
                        .set(new DefaultTransactionProvider(new CacheAwareProvider(false))));
                ctx = ReplicaWriteGuard.install(ctx, config); // vitess://…@replica|@rdonly: refuse writes client-side
                ctx = StatementLimits.install(StatementGuard.install(ctx, config), config); // runtime rules, PlanetScale limits
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
            pool.close();
            cache.invalidateAll();
            if (ownRefreshExecutor != null) {
                ownRefreshExecutor.shutdownNow();
            }
            LOG.debug("openinsure-db [{}] closed", name());
        }
    }

    @Override
    public String toString() {
        return "KeyspaceClient[" + name() + ", " + mode().label() + ", " + config.url().describe() + "]";
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
            try {
                return pool.getConnection();
            } catch (SQLException e) {
                throw unavailable(e);
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

    private ConnectionUnavailableException unavailable(SQLException e) {
        PoolStats stats = poolStats();
        long waited = config.pool().connectionTimeout().toMillis();
        Throwable cause = e.getCause();
        String key = Settings.POOL_MAX_SIZE.key(name());
        String why;
        if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("28")) {
            why = "the server at " + config.url().describe() + " refused the credentials (" + Secrets.mask(firstLine(cause.getMessage()))
                    + "). Check " + Settings.USER.key(name()) + " and " + Settings.PASSWORD.key(name()) + " or the user in "
                    + config.urlSource() + ".";
        } else if (cause != null) {
            why = "the server at " + config.url().describe() + " is unreachable (" + Secrets.mask(firstLine(cause.getMessage()))
                    + "). Check the server and " + config.urlSource() + "; the client fails fast until it answers.";
        } else {
            why = "the pool is exhausted: all " + stats.maximum() + " connections are in use. Raise " + key
                    + ", keep transactions short, or find the queries that hold connections.";
        }
        return new ConnectionUnavailableException(name(), "Keyspace '" + name() + "': no connection available within " + waited
                + " ms (pool oi-" + name() + ": " + stats + "); " + why, stats, e);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "no message";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
