package io.openinsure.db.core.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.openinsure.db.core.BindingConfig;
import io.openinsure.db.core.DatabaseUrl;
import io.openinsure.db.core.JdbcDriver;
import io.openinsure.db.core.PoolSettings;
import java.util.Map;
import java.util.Properties;

/**
 * The HikariCP pool of each URL a client runs on: its configuration from the binding (credentials of that URL,
 * sizes, timeouts, keepalive) plus the driver properties the SDK sets, and the {@link Endpoint} around it.
 */
final class HikariPools {

    private HikariPools() {}

    /** The pool, breaker and probe of one of the binding's URLs; the direct URL's own credentials win over the binding's. */
    static Endpoint endpoint(
            BindingConfig config,
            String role,
            DatabaseUrl url,
            String urlSource,
            String poolName,
            ClientMetrics metrics) {
        HikariConfig hc = hikariConfig(config, url, poolName);
        metrics.instrument(hc);
        Properties probeProperties = new Properties();
        if (!url.isPassThrough()) {
            probeProperties.putAll(driverDefaults(url, config.pool()));
        }
        RotatingCredentials credentials = hc.getCredentialsProvider() instanceof RotatingCredentials r
                ? r
                : new RotatingCredentials(config.credentialsFor(url), poolName);
        return new Endpoint(
                role,
                url,
                urlSource,
                new HikariDataSource(hc),
                config.healthThresholds(),
                credentials,
                probeProperties,
                config.pool().connectionTimeout(),
                sessionTimeoutMillis(config, url));
    }

    /** The configuration of the binding's own (pooled) URL's pool, {@code oi-<binding>}. */
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
        io.openinsure.db.core.CredentialsProvider provider = config.credentialsFor(url);
        if (config.credentialsProvider().filter(p -> p == provider).isPresent()) {
            // Credentials that may rotate: HikariCP asks for them for every new connection; the pool stays as it is.
            hc.setCredentialsProvider(new RotatingCredentials(provider, poolName));
        } else {
            String user = config.userFor(url).orElse(null);
            String password = config.passwordFor(url).orElse(null);
            if (user != null) {
                hc.setUsername(user);
            }
            if (password != null) {
                hc.setPassword(password);
            }
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
        long sessionTimeout = sessionTimeoutMillis(config, url);
        if (sessionTimeout > 0) {
            // Start-up never connects, so the server is not known yet: MariaDB runs the executable comment, MySQL
            // and vtgate only set the SDK's user variable.
            hc.setConnectionInitSql(ServerTimeouts.sessionInitSql(sessionTimeout));
        }
        return hc;
    }

    /**
     * The {@code max_statement_time} in milliseconds that {@code url}'s pool gives each new connection's session should
     * its server be MariaDB: the binding's default statement timeout, on Connector/J URLs the SDK builds ({@code mysql://};
     * not {@code vitess://}, not pass-through {@code jdbc:} URLs); 0 for none.
     */
    static long sessionTimeoutMillis(BindingConfig config, DatabaseUrl url) {
        if (url.driver() != JdbcDriver.MYSQL_CONNECTOR_J || url.isVitess() || url.isPassThrough()) {
            return 0;
        }
        return Math.max(0, StatementLimits.defaultMillis(config.limits()));
    }

    /** Driver properties that bound connection attempts by the acquisition timeout and cut per-statement chatter. */
    private static Map<String, Object> driverDefaults(DatabaseUrl url, PoolSettings settings) {
        long timeoutMs = settings.connectionTimeout().toMillis();
        if (url.driver() == JdbcDriver.PGJDBC) {
            return Map.of(
                    "connectTimeout",
                    String.valueOf(Math.max(1, (timeoutMs + 999) / 1000)),
                    "ApplicationName",
                    "openinsure-db");
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
}
