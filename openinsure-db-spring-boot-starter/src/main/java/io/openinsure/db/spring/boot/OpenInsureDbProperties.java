package io.openinsure.db.spring.boot;

import io.openinsure.db.core.ConfigSource;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.env.Environment;

/**
 * The {@code openinsure.db.*} properties: every setting of the SDK ({@code io.openinsure.db.core.Settings}), once per
 * binding ({@code openinsure.db.policies.pool.max-size}) and once as a shared default for all bindings
 * ({@code openinsure.db.defaults.pool.max-size}), in Spring's relaxed-binding style.
 *
 * <p>Values are kept as text on purpose: the SDK parses and checks them, so a bad value fails start-up with the
 * SDK's own message (the key, what was expected, what was given; never a password), and durations and sizes are
 * written as everywhere else in the SDK ({@code 500ms}, {@code 1s}, {@code 25m}, {@code 64MB}, or ISO-8601).
 *
 * <p>Resolution per setting, highest first: the SDK's own keys (system property {@code oi.db.policies.pool.max.size},
 * environment variable {@code OI_DB_POLICIES_POOL_MAX_SIZE}; see {@link #isSdkEnvironment()}), then
 * {@code openinsure.db.<binding>.*}, then {@code openinsure.db.defaults.*}, then the SDK's default. A binding's URL
 * falls back to {@code openinsure.db.url} ({@code OI_DB_URL}), then to its direct URL and
 * {@code openinsure.db.database-url} ({@code DATABASE_URL}), exactly as in the SDK.
 */
@ConfigurationProperties(prefix = OpenInsureDbProperties.PREFIX)
public class OpenInsureDbProperties {

    /** The prefix of every property: {@value}. */
    public static final String PREFIX = "openinsure.db";

    /** Whether to auto-configure OpenInsureDb and its clients at all. */
    private boolean enabled = true;

    /**
     * Shared pooled connection string (OI_DB_URL) for every binding without its own url, e.g.
     * vitess://app:secret@vtgate:15306/ or mysql://app@db:3306/. Each binding uses its own database on it
     * (oi_policies, ...).
     */
    private String url;

    /**
     * Direct connection string (DATABASE_URL) for every binding without its own: the runtime fallback (mode
     * direct) and the URL migrations run over. Each binding uses its own database on it.
     */
    private String databaseUrl;

    /** Whether to apply each keyspace's Flyway migrations over its admin URL when the application starts. */
    private boolean migrateOnStart = false;

    /**
     * Whether the SDK's own keys are read too: system properties oi.db.* and environment variables OI_DB_*,
     * DATABASE_URL. They win over openinsure.db.* properties (as environment variables win over
     * application.properties), so existing deployments keep working unchanged.
     */
    private boolean sdkEnvironment = true;

    /**
     * Whether a legacy transaction may touch tables of several keyspaces. Vitess commits such transactions
     * keyspace by keyspace, not atomically.
     */
    private boolean allowCrossKeyspaceLegacyTransactions = false;

    /** Settings shared by every binding; a binding's own settings win. */
    private final Defaults defaults = new Defaults();

    /** The global keyspace (database oi_global). */
    private final Binding global = new Binding();

    /** The policies keyspace (database oi_policies). */
    private final Binding policies = new Binding();

    /** The submissions keyspace (database oi_submissions). */
    private final Binding submissions = new Binding();

    /** The claims keyspace (database oi_claims). */
    private final Binding claims = new Binding();

    /** The billing keyspace (database oi_billing). */
    private final Binding billing = new Binding();

    /** The legacy monolithic keyspace (database openinsure), routed to the five above. */
    private final Binding legacy = new Binding();

    /**
     * Whether {@code environment} names a connection string: {@code openinsure.db.url}, {@code openinsure.db.database-url},
     * a binding's {@code url} or {@code direct-url}, or, unless {@code openinsure.db.sdk-environment=false}, the SDK's
     * {@code OI_DB_URL}, {@code DATABASE_URL}, {@code OI_DB_<BINDING>_URL} or {@code OI_DB_<BINDING>_DIRECT_URL}.
     * For applications that pick a default database of their own (an embedded one in development, say) when none is set.
     */
    public static boolean isConnectionStringConfigured(Environment environment) {
        boolean sdkKeys = environment.getProperty(PREFIX + ".sdk-environment", Boolean.class, true);
        return SpringConfigSource.hasConnectionString(
                environment, sdkKeys ? ConfigSource.defaults() : ConfigSource.empty());
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public String getDatabaseUrl() {
        return databaseUrl;
    }

    public void setDatabaseUrl(String databaseUrl) {
        this.databaseUrl = databaseUrl;
    }

    public boolean isMigrateOnStart() {
        return migrateOnStart;
    }

    public void setMigrateOnStart(boolean migrateOnStart) {
        this.migrateOnStart = migrateOnStart;
    }

    public boolean isSdkEnvironment() {
        return sdkEnvironment;
    }

    public void setSdkEnvironment(boolean sdkEnvironment) {
        this.sdkEnvironment = sdkEnvironment;
    }

    public boolean isAllowCrossKeyspaceLegacyTransactions() {
        return allowCrossKeyspaceLegacyTransactions;
    }

    public void setAllowCrossKeyspaceLegacyTransactions(boolean allow) {
        this.allowCrossKeyspaceLegacyTransactions = allow;
    }

    public Defaults getDefaults() {
        return defaults;
    }

    public Binding getGlobal() {
        return global;
    }

    public Binding getPolicies() {
        return policies;
    }

    public Binding getSubmissions() {
        return submissions;
    }

    public Binding getClaims() {
        return claims;
    }

    public Binding getBilling() {
        return billing;
    }

    public Binding getLegacy() {
        return legacy;
    }

    /** One binding's settings: its connection strings, then everything {@link Defaults} holds. */
    public static class Binding extends Defaults {

        /**
         * The binding's pooled connection string (mode pooled), e.g. vitess://app:secret@vtgate:15306/oi_policies@primary.
         * Without a database, the binding's own is used. Falls back to openinsure.db.url, then the direct URLs.
         */
        private String url;

        /** Direct connection string: the fallback for the pooled URL, or the only URL (mode direct). Falls back to openinsure.db.database-url. */
        private String directUrl;

        /** Connection string for migrations and admin work. Falls back to openinsure.db.database-url, then the runtime URL. */
        private String adminUrl;

        public String getUrl() {
            return url;
        }

        public void setUrl(String url) {
            this.url = url;
        }

        public String getDirectUrl() {
            return directUrl;
        }

        public void setDirectUrl(String directUrl) {
            this.directUrl = directUrl;
        }

        public String getAdminUrl() {
            return adminUrl;
        }

        public void setAdminUrl(String adminUrl) {
            this.adminUrl = adminUrl;
        }

        /**
         * A read replica of this binding (a URL, or {@code @replica}/{@code @rdonly} on a vitess:// URL); reads go there
         * as replica-reads says.
         */
        private String replicaUrl;

        public String getReplicaUrl() {
            return replicaUrl;
        }

        public void setReplicaUrl(String replicaUrl) {
            this.replicaUrl = replicaUrl;
        }
    }

    /** Settings that can be given once for every binding (openinsure.db.defaults.*) or per binding. */
    public static class Defaults {

        /** User name; overrides the one in the URL. */
        private String user;

        /** Password; overrides the one in the URL. Never logged or shown in errors. */
        private String password;

        /** A file holding the password, read again when the server refuses it (rotation without a restart). */
        private String passwordFile;

        /** Which reads go to the replica (off, reads, or explicit: only through replica(); default off). */
        private String replicaReads;

        /** After a write, reads of the tables it touched go to the primary for this long (duration, default 5s). */
        private String readYourWritesWindow;

        /** A replica lagging more than this gets no reads until it catches up (duration, default 5s). */
        private String replicaMaxLag;

        public String getPasswordFile() {
            return passwordFile;
        }

        public void setPasswordFile(String passwordFile) {
            this.passwordFile = passwordFile;
        }

        public String getReplicaReads() {
            return replicaReads;
        }

        public void setReplicaReads(String replicaReads) {
            this.replicaReads = replicaReads;
        }

        public String getReadYourWritesWindow() {
            return readYourWritesWindow;
        }

        public void setReadYourWritesWindow(String readYourWritesWindow) {
            this.readYourWritesWindow = readYourWritesWindow;
        }

        public String getReplicaMaxLag() {
            return replicaMaxLag;
        }

        public void setReplicaMaxLag(String replicaMaxLag) {
            this.replicaMaxLag = replicaMaxLag;
        }

        /** Connection pool (HikariCP, one per binding, named oi-&lt;binding&gt;). */
        private final Pool pool = new Pool();

        /** Read-query cache. */
        private final Cache cache = new Cache();

        /** Health thresholds. */
        private final Health health = new Health();

        /** Circuit breaker (connection failures only). */
        private final Circuit circuit = new Circuit();

        /**
         * Rows one query may return (integer 1-10000000, default 100000); one more fails, never truncates. Set 10000
         * against vanilla Vitess.
         */
        private String maxRows;

        /** Rows one write statement (or batch) may change (integer 1-10000000, default 100000); more fails and is undone. */
        private String maxWriteRows;

        /** Estimated size of one query's result at most (size 1KB-1GB, default 64MB). */
        private String maxResultBytes;

        /** A transaction running longer is rolled back (duration 1s-1h, whole seconds, default 20s). */
        private String transactionTimeout;

        /** Ceiling for any statement outside a transaction (duration 1s-24h, whole seconds, default 15m). */
        private String statementTimeout;

        /** Default timeout of every statement, at most statement-timeout (duration 1s-24h, whole seconds, default 30s). */
        private String queryTimeout;

        public String getUser() {
            return user;
        }

        public void setUser(String user) {
            this.user = user;
        }

        public String getPassword() {
            return password;
        }

        public void setPassword(String password) {
            this.password = password;
        }

        public Pool getPool() {
            return pool;
        }

        public Cache getCache() {
            return cache;
        }

        public Health getHealth() {
            return health;
        }

        public Circuit getCircuit() {
            return circuit;
        }

        public String getMaxRows() {
            return maxRows;
        }

        public void setMaxRows(String maxRows) {
            this.maxRows = maxRows;
        }

        public String getMaxWriteRows() {
            return maxWriteRows;
        }

        public void setMaxWriteRows(String maxWriteRows) {
            this.maxWriteRows = maxWriteRows;
        }

        public String getMaxResultBytes() {
            return maxResultBytes;
        }

        public void setMaxResultBytes(String maxResultBytes) {
            this.maxResultBytes = maxResultBytes;
        }

        public String getTransactionTimeout() {
            return transactionTimeout;
        }

        public void setTransactionTimeout(String transactionTimeout) {
            this.transactionTimeout = transactionTimeout;
        }

        public String getStatementTimeout() {
            return statementTimeout;
        }

        public void setStatementTimeout(String statementTimeout) {
            this.statementTimeout = statementTimeout;
        }

        public String getQueryTimeout() {
            return queryTimeout;
        }

        public void setQueryTimeout(String queryTimeout) {
            this.queryTimeout = queryTimeout;
        }
    }

    /** Connection pool settings. */
    public static class Pool {

        /** Maximum connections in the binding's pool (integer 1-500, default 10). */
        private String maxSize;

        /** Idle connections kept ready, at most max-size (integer 0-500, default 1). */
        private String minIdle;

        /** How long a caller waits for a connection before ConnectionUnavailableException (duration 250ms-1m, default 1s). */
        private String connectionTimeout;

        /** Connections are retired after this; keep it under the server's idle limit (duration 30s-23h, default 25m). */
        private String maxLifetime;

        /** Idle connections are pinged this often, less than max-lifetime (duration 30s-1h, default 2m). */
        private String keepaliveTime;

        /** Idle connections above min-idle are closed after this (duration 10s-23h, default 10m). */
        private String idleTimeout;

        public String getMaxSize() {
            return maxSize;
        }

        public void setMaxSize(String maxSize) {
            this.maxSize = maxSize;
        }

        public String getMinIdle() {
            return minIdle;
        }

        public void setMinIdle(String minIdle) {
            this.minIdle = minIdle;
        }

        public String getConnectionTimeout() {
            return connectionTimeout;
        }

        public void setConnectionTimeout(String connectionTimeout) {
            this.connectionTimeout = connectionTimeout;
        }

        public String getMaxLifetime() {
            return maxLifetime;
        }

        public void setMaxLifetime(String maxLifetime) {
            this.maxLifetime = maxLifetime;
        }

        public String getKeepaliveTime() {
            return keepaliveTime;
        }

        public void setKeepaliveTime(String keepaliveTime) {
            this.keepaliveTime = keepaliveTime;
        }

        public String getIdleTimeout() {
            return idleTimeout;
        }

        public void setIdleTimeout(String idleTimeout) {
            this.idleTimeout = idleTimeout;
        }
    }

    /** Read-query cache settings. */
    public static class Cache {

        /** Whether the binding caches eligible reads (boolean, default true); false sends every read to the database. */
        private String enabled;

        /** A cached read is served as fresh for this long (duration 1s-1h, default 1m). */
        private String maxAge;

        /** After max-age, a cached read is served stale for this long while one refresh runs; 0ms turns it off (duration 0ms-1h, default 15s). */
        private String staleWhileRevalidate;

        /** Cached results kept at most (integer 1-10000000, default 10000). */
        private String maxEntries;

        /** Estimated memory of all cached results at most (size 1MB-16GB, default 64MB). */
        private String maxBytes;

        /** A result estimated larger than this is returned but not stored, at most max-bytes (size 1KB-1GB, default 50MB). */
        private String maxResultBytes;

        public String getEnabled() {
            return enabled;
        }

        public void setEnabled(String enabled) {
            this.enabled = enabled;
        }

        public String getMaxAge() {
            return maxAge;
        }

        public void setMaxAge(String maxAge) {
            this.maxAge = maxAge;
        }

        public String getStaleWhileRevalidate() {
            return staleWhileRevalidate;
        }

        public void setStaleWhileRevalidate(String staleWhileRevalidate) {
            this.staleWhileRevalidate = staleWhileRevalidate;
        }

        public String getMaxEntries() {
            return maxEntries;
        }

        public void setMaxEntries(String maxEntries) {
            this.maxEntries = maxEntries;
        }

        public String getMaxBytes() {
            return maxBytes;
        }

        public void setMaxBytes(String maxBytes) {
            this.maxBytes = maxBytes;
        }

        public String getMaxResultBytes() {
            return maxResultBytes;
        }

        public void setMaxResultBytes(String maxResultBytes) {
            this.maxResultBytes = maxResultBytes;
        }
    }

    /** Health thresholds (the client's health() and the actuator health contributor). */
    public static class Health {

        /** Mean latency of the recent statements above which health is DEGRADED (duration 1ms-10m, default 500ms). */
        private String degradedLatency;

        /** Mean latency above which health is UNHEALTHY, at least degraded-latency (duration 1ms-10m, default 1s). */
        private String unhealthyLatency;

        /** Share of the recent statements failing above which health is DEGRADED (ratio 0-1, default 0.05). */
        private String degradedErrorRate;

        /** Error rate above which health is UNHEALTHY, at least degraded-error-rate (ratio 0-1, default 0.1). */
        private String unhealthyErrorRate;

        /** How many recent statements the latency, error rate and report percentiles cover (integer 1-100000, default 100). */
        private String window;

        public String getDegradedLatency() {
            return degradedLatency;
        }

        public void setDegradedLatency(String degradedLatency) {
            this.degradedLatency = degradedLatency;
        }

        public String getUnhealthyLatency() {
            return unhealthyLatency;
        }

        public void setUnhealthyLatency(String unhealthyLatency) {
            this.unhealthyLatency = unhealthyLatency;
        }

        public String getDegradedErrorRate() {
            return degradedErrorRate;
        }

        public void setDegradedErrorRate(String degradedErrorRate) {
            this.degradedErrorRate = degradedErrorRate;
        }

        public String getUnhealthyErrorRate() {
            return unhealthyErrorRate;
        }

        public void setUnhealthyErrorRate(String unhealthyErrorRate) {
            this.unhealthyErrorRate = unhealthyErrorRate;
        }

        public String getWindow() {
            return window;
        }

        public void setWindow(String window) {
            this.window = window;
        }
    }

    /** Circuit breaker settings. */
    public static class Circuit {

        /** Consecutive connection failures that open the circuit (integer 1-100, default 3). */
        private String failures;

        /** While the circuit is open (or on the direct fallback), the pooled endpoint is probed this often (duration 100ms-5m, default 1s). */
        private String probeInterval;

        public String getFailures() {
            return failures;
        }

        public void setFailures(String failures) {
            this.failures = failures;
        }

        public String getProbeInterval() {
            return probeInterval;
        }

        public void setProbeInterval(String probeInterval) {
            this.probeInterval = probeInterval;
        }
    }
}
