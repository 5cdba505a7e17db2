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
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import org.jooq.ConnectionProvider;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The default {@link KeyspaceClient}: one HikariCP pool, one jOOQ context on it. */
public final class HikariKeyspaceClient implements KeyspaceClient {

    private static final Logger LOG = LoggerFactory.getLogger(KeyspaceClient.class);

    private final BindingConfig config;
    private final HikariDataSource pool;
    private final ConnectionProvider connections = new TranslatingConnectionProvider();
    private final Object dslLock = new Object();
    private volatile DSLContext dsl;
    private volatile String serverVersion;
    private volatile boolean closed;

    public HikariKeyspaceClient(BindingConfig config) {
        this.config = config;
        config.url().requireDriver(config.name(), config.urlSource());
        this.pool = new HikariDataSource(hikariConfig(config));
        LOG.info("openinsure-db [{}] mode={} server={} driver={}", config.name(), config.mode().label(), config.url().describe(),
                config.url().driver().name().toLowerCase(Locale.ROOT));
        LOG.debug("openinsure-db [{}] effective configuration: {}", config.name(), config);
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
        if (ctx == null) {
            synchronized (dslLock) {
                ctx = dsl;
                if (ctx == null) {
                    ctx = DSL.using(connections, detectDialect(), new org.jooq.conf.Settings()
                            // The database name differs per environment (oi_policies, oi_policies@replica…):
                            // never qualify tables with it.
                            .withRenderSchema(false)
                            .withRenderCatalog(false)
                            .withRenderQuotedNames(RenderQuotedNames.EXPLICIT_DEFAULT_UNQUOTED)
                            .withExecuteLogging(false));
                    ctx = ReplicaWriteGuard.install(ctx, config); // vitess://…@replica|@rdonly: refuse writes client-side
                    dsl = ctx;
                }
            }
        }
        return ctx;
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
            LOG.debug("openinsure-db [{}] closed", name());
        }
    }

    @Override
    public String toString() {
        return "KeyspaceClient[" + name() + ", " + mode().label() + ", " + config.url().describe() + "]";
    }

    /** Borrows from the pool; turns a failed acquisition into a message that names the keyspace and the pool's state. */
    private final class TranslatingConnectionProvider implements ConnectionProvider {
        @Override
        public Connection acquire() {
            if (closed) {
                throw new OpenInsureDbException(name(), "Keyspace '" + name() + "': the client is closed.", null);
            }
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
