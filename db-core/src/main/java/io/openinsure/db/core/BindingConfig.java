package io.openinsure.db.core;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The immutable configuration of one binding (one keyspace client): where it connects, as whom,
 * how its pool behaves and how it caches reads.
 *
 * <p>Built by {@link #builder(String)}. Values given in code win; every setting left unset is
 * looked up in a {@link ConfigSource} (system properties, then the environment) by its key, and
 * otherwise takes its default. The runtime URL is resolved in this order:
 * <ol>
 *   <li>{@code url(…)} in code, or {@code OI_DB_<BINDING>_URL}: mode {@code pooled};</li>
 *   <li>{@code OI_DB_URL}: mode {@code pooled};</li>
 *   <li>{@code directUrl(…)} in code, or {@code OI_DB_<BINDING>_DIRECT_URL}: mode {@code direct};</li>
 *   <li>{@code DATABASE_URL}: mode {@code direct}.</li>
 * </ol>
 * Shared URLs ({@code OI_DB_URL}, {@code DATABASE_URL}) name a server: the binding connects to its
 * own database there. A binding's own URL without a database gets the binding's database too.
 * Migrations use {@code OI_DB_<BINDING>_ADMIN_URL}, else {@code DATABASE_URL}, else the runtime URL.
 *
 * <p>Thread-safe and immutable. {@link #toString()} never shows a password.
 */
public final class BindingConfig {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,30}");

    private final String name;
    private final ConnectionMode mode;
    private final DatabaseUrl url;
    private final String urlSource;
    private final DatabaseUrl directUrl;
    private final DatabaseUrl adminUrl;
    private final String user;
    private final String password;
    private final String explicitUser;
    private final String explicitPassword;
    private final PoolSettings pool;
    private final CachePolicy cachePolicy;
    private final HealthThresholds health;
    private final Limits limits;
    private final ReplicaSettings replica;
    private final CredentialsProvider credentialsProvider;

    private BindingConfig(
            String name,
            ConnectionMode mode,
            DatabaseUrl url,
            String urlSource,
            DatabaseUrl directUrl,
            DatabaseUrl adminUrl,
            String user,
            String password,
            String explicitUser,
            String explicitPassword,
            PoolSettings pool,
            CachePolicy cachePolicy,
            HealthThresholds health,
            Limits limits,
            ReplicaSettings replica,
            CredentialsProvider credentialsProvider) {
        this.name = name;
        this.mode = mode;
        this.url = url;
        this.urlSource = urlSource;
        this.directUrl = directUrl;
        this.adminUrl = adminUrl;
        this.user = user;
        this.password = password;
        this.explicitUser = explicitUser;
        this.explicitPassword = explicitPassword;
        this.pool = pool;
        this.cachePolicy = cachePolicy;
        this.health = health;
        this.limits = limits;
        this.replica = replica;
        this.credentialsProvider = credentialsProvider;
    }

    /**
     * A builder for the binding {@code name} (lower case, e.g. {@code policies}).
     *
     * @throws ConfigurationException if the name is not a lower-case identifier
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The binding's name, e.g. {@code policies}: names the pool, metrics and log lines. */
    public String name() {
        return name;
    }

    /** {@code pooled} when a pooled endpoint is configured, else {@code direct}. */
    public ConnectionMode mode() {
        return mode;
    }

    /** The runtime URL, with the binding's database applied. */
    public DatabaseUrl url() {
        return url;
    }

    /** The key (or "code") the runtime URL came from, for messages. */
    public String urlSource() {
        return urlSource;
    }

    /** The direct fallback for a pooled binding, if one is configured and differs from the runtime URL. */
    public Optional<DatabaseUrl> directUrl() {
        return Optional.ofNullable(directUrl);
    }

    /** The URL for migrations and admin work. */
    public DatabaseUrl adminUrl() {
        return adminUrl;
    }

    /** Effective user name: the {@code USER} setting, else the URL's. */
    public Optional<String> user() {
        return Optional.ofNullable(user);
    }

    /** Effective password: the {@code PASSWORD} setting, else the URL's. Never logged. */
    public Optional<String> password() {
        return Optional.ofNullable(password);
    }

    /**
     * The user to connect to {@code target} (the runtime, direct or admin URL) with: for the runtime URL,
     * {@link #user()}; for another URL, its own user, else the {@code USER} setting. Credentials written
     * into one URL are never sent to another server.
     */
    public Optional<String> userFor(DatabaseUrl target) {
        if (target.equals(url)) {
            return user();
        }
        return target.user().or(() -> Optional.ofNullable(explicitUser));
    }

    /** The password for {@code target}; same rule as {@link #userFor(DatabaseUrl)}. Never logged. */
    public Optional<String> passwordFor(DatabaseUrl target) {
        if (target.equals(url)) {
            return password();
        }
        return target.password().or(() -> Optional.ofNullable(explicitPassword));
    }

    public PoolSettings pool() {
        return pool;
    }

    /** How the client caches reads ({@code OI_DB_<BINDING>_CACHE_*}). */
    public CachePolicy cachePolicy() {
        return cachePolicy;
    }

    /** When the client counts as degraded or unhealthy, and how its circuit breaker behaves ({@code OI_DB_<BINDING>_HEALTH_*}, {@code _CIRCUIT_*}). */
    public HealthThresholds healthThresholds() {
        return health;
    }

    /** The limits the client enforces ({@code OI_DB_<BINDING>_MAX_ROWS}, {@code …_TRANSACTION_TIMEOUT}, …). */
    public Limits limits() {
        return limits;
    }

    /** The read replica ({@code OI_DB_<BINDING>_REPLICA_*}, {@code …_READ_YOUR_WRITES_WINDOW}). */
    public ReplicaSettings replica() {
        return replica;
    }

    /**
     * The provider of the binding's credentials, when they can change while the client runs: the one set with
     * {@link Builder#credentialsProvider(CredentialsProvider)}, or a {@link CredentialsProvider#fromFile file} named by
     * {@link Settings#PASSWORD_FILE}. Empty when the credentials are fixed ({@link #user()}, {@link #password()}).
     */
    public Optional<CredentialsProvider> credentialsProvider() {
        return Optional.ofNullable(credentialsProvider);
    }

    /**
     * Where the credentials to connect to {@code target} come from: for the runtime URL, and for another URL that
     * carries no user of its own, the binding's {@link #credentialsProvider()} if it has one; otherwise the fixed
     * {@link #userFor(DatabaseUrl)} and {@link #passwordFor(DatabaseUrl)}.
     */
    public CredentialsProvider credentialsFor(DatabaseUrl target) {
        if (credentialsProvider != null && (target.equals(url) || target.user().isEmpty())) {
            return credentialsProvider;
        }
        return CredentialsProvider.of(
                userFor(target).orElse(null), passwordFor(target).orElse(null));
    }

    @Override
    public String toString() {
        return "BindingConfig{" + name + ", mode=" + mode.label() + ", url=" + url + " (from " + urlSource + ")"
                + ", directUrl=" + (directUrl == null ? "none" : directUrl.toString()) + ", adminUrl=" + adminUrl
                + ", user=" + (user == null ? "none" : user) + ", password=" + (password == null ? "none" : "****")
                + ", pool=" + pool + ", cache=" + cachePolicy + ", limits=" + limits
                + (replica.url() == null && replica.reads() == ReplicaReads.OFF ? "" : ", replica=" + replica)
                + (credentialsProvider == null ? "" : ", credentials=provided") + "}";
    }

    /**
     * Validating builder. Each setter checks its value at once and throws {@link ConfigurationException}
     * naming the setting; cross-setting rules and the URL resolution run in {@link #build(ConfigSource)}.
     * Not thread-safe.
     */
    public static final class Builder {
        private final String name;
        private final Map<Setting<?>, Object> values = new HashMap<>();
        private String defaultDatabase;
        private CredentialsProvider credentialsProvider;

        private Builder(String name) {
            if (name == null || !NAME.matcher(name).matches()) {
                throw new ConfigurationException(
                        null,
                        null,
                        "Binding name '" + name
                                + "' is invalid: use a lower-case identifier such as 'policies' (letters, digits, '_', at most 31 characters).");
            }
            this.name = name;
        }

        /** The binding's name. */
        public String name() {
            return name;
        }

        /** The database used when a URL names none, and on shared URLs ({@code OI_DB_URL}, {@code DATABASE_URL}). */
        public Builder defaultDatabase(String database) {
            this.defaultDatabase = database;
            return this;
        }

        /** Pooled connection string ({@link Settings#URL}); parsed now, so a malformed one fails here. */
        public Builder url(String connectionString) {
            return putUrl(Settings.URL, connectionString);
        }

        /** Direct connection string ({@link Settings#DIRECT_URL}). */
        public Builder directUrl(String connectionString) {
            return putUrl(Settings.DIRECT_URL, connectionString);
        }

        /** Admin/migration connection string ({@link Settings#ADMIN_URL}). */
        public Builder adminUrl(String connectionString) {
            return putUrl(Settings.ADMIN_URL, connectionString);
        }

        /** User name, overriding the URL's ({@link Settings#USER}). */
        public Builder user(String user) {
            return put(Settings.USER, user);
        }

        /** Password, overriding the URL's ({@link Settings#PASSWORD}). */
        public Builder password(String password) {
            return put(Settings.PASSWORD, password);
        }

        /** {@link Settings#PASSWORD_FILE}: a file re-read for every new connection. */
        public Builder passwordFile(String path) {
            return put(Settings.PASSWORD_FILE, path);
        }

        /**
         * Where the credentials come from while the client runs (a secret store); wins over {@code USER},
         * {@code PASSWORD}, {@code PASSWORD_FILE} and the URL's user info. See {@link CredentialsProvider}.
         */
        public Builder credentialsProvider(CredentialsProvider provider) {
            this.credentialsProvider = Objects.requireNonNull(provider, "provider");
            return this;
        }

        /**
         * {@link Settings#REPLICA_URL}: a read replica's connection string, or {@code @replica} / {@code @rdonly} for
         * that tablet type on the binding's own {@code vitess://} URL.
         */
        public Builder replicaUrl(String connectionString) {
            if (!isTabletShorthand(connectionString)) {
                DatabaseUrl.parse(connectionString, name, Settings.REPLICA_URL.key(name));
            }
            values.put(Settings.REPLICA_URL, connectionString);
            return this;
        }

        /** {@link Settings#REPLICA_READS}. */
        public Builder replicaReads(ReplicaReads reads) {
            return put(Settings.REPLICA_READS, reads);
        }

        /** {@link Settings#READ_YOUR_WRITES_WINDOW}. */
        public Builder readYourWritesWindow(Duration window) {
            return put(Settings.READ_YOUR_WRITES_WINDOW, window);
        }

        /** {@link Settings#REPLICA_MAX_LAG}. */
        public Builder replicaMaxLag(Duration lag) {
            return put(Settings.REPLICA_MAX_LAG, lag);
        }

        /** {@link Settings#POOL_MAX_SIZE}. */
        public Builder maxPoolSize(int size) {
            return put(Settings.POOL_MAX_SIZE, size);
        }

        /** {@link Settings#POOL_MIN_IDLE}. */
        public Builder minIdle(int connections) {
            return put(Settings.POOL_MIN_IDLE, connections);
        }

        /** {@link Settings#POOL_CONNECTION_TIMEOUT}. */
        public Builder connectionTimeout(Duration timeout) {
            return put(Settings.POOL_CONNECTION_TIMEOUT, timeout);
        }

        /** {@link Settings#POOL_MAX_LIFETIME}. */
        public Builder maxLifetime(Duration lifetime) {
            return put(Settings.POOL_MAX_LIFETIME, lifetime);
        }

        /** {@link Settings#POOL_KEEPALIVE_TIME}. */
        public Builder keepaliveTime(Duration interval) {
            return put(Settings.POOL_KEEPALIVE_TIME, interval);
        }

        /** {@link Settings#POOL_IDLE_TIMEOUT}. */
        public Builder idleTimeout(Duration timeout) {
            return put(Settings.POOL_IDLE_TIMEOUT, timeout);
        }

        /** {@link Settings#CACHE_ENABLED}: {@code false} sends every read to the database. */
        public Builder cacheEnabled(boolean enabled) {
            return put(Settings.CACHE_ENABLED, enabled);
        }

        /** {@link Settings#CACHE_MAX_AGE}. */
        public Builder cacheMaxAge(Duration maxAge) {
            return put(Settings.CACHE_MAX_AGE, maxAge);
        }

        /** {@link Settings#CACHE_STALE_WHILE_REVALIDATE}. */
        public Builder cacheStaleWhileRevalidate(Duration window) {
            return put(Settings.CACHE_STALE_WHILE_REVALIDATE, window);
        }

        /** {@link Settings#CACHE_MAX_ENTRIES}. */
        public Builder cacheMaxEntries(int entries) {
            return put(Settings.CACHE_MAX_ENTRIES, entries);
        }

        /** {@link Settings#CACHE_MAX_BYTES}. */
        public Builder cacheMaxBytes(long bytes) {
            return put(Settings.CACHE_MAX_BYTES, bytes);
        }

        /** {@link Settings#CACHE_MAX_RESULT_BYTES}. */
        public Builder cacheMaxResultBytes(long bytes) {
            return put(Settings.CACHE_MAX_RESULT_BYTES, bytes);
        }

        /** {@link Settings#HEALTH_DEGRADED_LATENCY}. */
        public Builder healthDegradedLatency(Duration latency) {
            return put(Settings.HEALTH_DEGRADED_LATENCY, latency);
        }

        /** {@link Settings#HEALTH_UNHEALTHY_LATENCY}. */
        public Builder healthUnhealthyLatency(Duration latency) {
            return put(Settings.HEALTH_UNHEALTHY_LATENCY, latency);
        }

        /** {@link Settings#HEALTH_DEGRADED_ERROR_RATE}. */
        public Builder healthDegradedErrorRate(double rate) {
            return put(Settings.HEALTH_DEGRADED_ERROR_RATE, rate);
        }

        /** {@link Settings#HEALTH_UNHEALTHY_ERROR_RATE}. */
        public Builder healthUnhealthyErrorRate(double rate) {
            return put(Settings.HEALTH_UNHEALTHY_ERROR_RATE, rate);
        }

        /** {@link Settings#HEALTH_WINDOW}. */
        public Builder healthWindow(int statements) {
            return put(Settings.HEALTH_WINDOW, statements);
        }

        /** {@link Settings#CIRCUIT_FAILURES}. */
        public Builder circuitFailures(int consecutiveFailures) {
            return put(Settings.CIRCUIT_FAILURES, consecutiveFailures);
        }

        /** {@link Settings#CIRCUIT_PROBE_INTERVAL}. */
        public Builder circuitProbeInterval(Duration interval) {
            return put(Settings.CIRCUIT_PROBE_INTERVAL, interval);
        }

        /** Sets every health and circuit setting from {@code thresholds} (as if each were set in code). */
        public Builder healthThresholds(HealthThresholds thresholds) {
            Objects.requireNonNull(thresholds, "thresholds");
            return healthDegradedLatency(thresholds.degradedLatency())
                    .healthUnhealthyLatency(thresholds.unhealthyLatency())
                    .healthDegradedErrorRate(thresholds.degradedErrorRate())
                    .healthUnhealthyErrorRate(thresholds.unhealthyErrorRate())
                    .healthWindow(thresholds.window())
                    .circuitFailures(thresholds.connectionFailuresToOpen())
                    .circuitProbeInterval(thresholds.probeInterval());
        }

        /** Sets every cache setting from {@code policy} (as if each were set in code). */
        public Builder cachePolicy(CachePolicy policy) {
            Objects.requireNonNull(policy, "policy");
            return cacheEnabled(policy.enabled())
                    .cacheMaxAge(policy.maxAge())
                    .cacheStaleWhileRevalidate(policy.staleWhileRevalidate())
                    .cacheMaxEntries(policy.maxEntries())
                    .cacheMaxBytes(policy.maxBytes())
                    .cacheMaxResultBytes(policy.maxResultBytes());
        }

        /** {@link Settings#MAX_ROWS}: rows one query may return. */
        public Builder maxRows(int rows) {
            return put(Settings.MAX_ROWS, rows);
        }

        /** {@link Settings#MAX_WRITE_ROWS}: rows one write statement (or batch) may change. */
        public Builder maxWriteRows(int rows) {
            return put(Settings.MAX_WRITE_ROWS, rows);
        }

        /** {@link Settings#MAX_RESULT_BYTES}: estimated bytes of one query's result. */
        public Builder maxResultBytes(long bytes) {
            return put(Settings.MAX_RESULT_BYTES, bytes);
        }

        /** {@link Settings#TRANSACTION_TIMEOUT}: whole seconds. */
        public Builder transactionTimeout(Duration timeout) {
            return put(Settings.TRANSACTION_TIMEOUT, timeout);
        }

        /** {@link Settings#STATEMENT_TIMEOUT}: the autocommit statement ceiling, whole seconds. */
        public Builder statementTimeout(Duration timeout) {
            return put(Settings.STATEMENT_TIMEOUT, timeout);
        }

        /** {@link Settings#QUERY_TIMEOUT}: the default timeout of every statement, whole seconds. */
        public Builder queryTimeout(Duration timeout) {
            return put(Settings.QUERY_TIMEOUT, timeout);
        }

        /** Copies every value set in code on {@code other} that is not set here (shared defaults). */
        public Builder withDefaultsFrom(Builder other) {
            other.values.forEach(values::putIfAbsent);
            if (credentialsProvider == null) {
                credentialsProvider = other.credentialsProvider;
            }
            return this;
        }

        /** Builds from the values set in code and the settings' defaults only. */
        public BindingConfig build() {
            return build(ConfigSource.empty());
        }

        /**
         * Builds, looking up every setting not set in code in {@code source}.
         *
         * @throws ConfigurationException if no URL can be found, a value is malformed, or settings contradict
         */
        public BindingConfig build(ConfigSource source) {
            Objects.requireNonNull(source, "source");
            String user = resolve(Settings.USER, source);
            String password = resolve(Settings.PASSWORD, source);

            DatabaseUrl url;
            String urlSource;
            ConnectionMode mode;
            DatabaseUrl direct = urlFrom(Settings.DIRECT_URL, source);
            String directSource = Settings.DIRECT_URL.key(name);
            if (direct == null) {
                direct = sharedUrlFrom(Settings.DATABASE_URL, source);
                directSource = Settings.DATABASE_URL.key(name);
            }
            DatabaseUrl pooled = urlFrom(Settings.URL, source);
            String pooledSource = values.containsKey(Settings.URL) ? "code" : Settings.URL.key(name);
            if (pooled == null) {
                pooled = sharedUrlFrom(Settings.SHARED_URL, source);
                pooledSource = Settings.SHARED_URL.key(name);
            }
            if (pooled != null) {
                url = pooled;
                urlSource = pooledSource;
                mode = ConnectionMode.POOLED;
            } else if (direct != null) {
                url = direct;
                urlSource = values.containsKey(Settings.DIRECT_URL) ? "code" : directSource;
                mode = ConnectionMode.DIRECT;
                direct = null;
            } else {
                String key = Settings.URL.key(name);
                throw new ConfigurationException(
                        name,
                        key,
                        "Keyspace '" + name + "': no connection string. Set " + key
                                + " (or the system property " + ConfigSource.propertyKey(key) + "), "
                                + Settings.SHARED_URL.name()
                                + ", " + Settings.DIRECT_URL.key(name) + " or " + Settings.DATABASE_URL.name() + " to "
                                + DatabaseUrl.SUPPORTED_FORMS + ".");
            }
            if (direct != null && direct.equals(url)) {
                direct = null;
            }
            DatabaseUrl admin = urlFrom(Settings.ADMIN_URL, source);
            if (admin == null) {
                admin = sharedUrlFrom(Settings.DATABASE_URL, source);
            }
            if (admin == null) {
                admin = url;
            }
            url.requireDriver(name, urlSource);
            if (direct != null) {
                direct.requireDriver(name, directSource); // the fallback must be able to open when it is needed
            }

            int maxSize = resolve(Settings.POOL_MAX_SIZE, source);
            int minIdle = resolve(Settings.POOL_MIN_IDLE, source);
            if (minIdle > maxSize) {
                String key = Settings.POOL_MIN_IDLE.key(name);
                throw new ConfigurationException(
                        name,
                        key,
                        "Keyspace '" + name + "': " + key + " (" + minIdle + ") must not exceed "
                                + Settings.POOL_MAX_SIZE.key(name) + " (" + maxSize + ").");
            }
            Duration maxLifetime = resolve(Settings.POOL_MAX_LIFETIME, source);
            Duration keepalive = resolve(Settings.POOL_KEEPALIVE_TIME, source);
            if (keepalive.compareTo(maxLifetime) >= 0) {
                String key = Settings.POOL_KEEPALIVE_TIME.key(name);
                throw new ConfigurationException(
                        name,
                        key,
                        "Keyspace '" + name + "': " + key + " (" + Settings.format(keepalive) + ") must be less than "
                                + Settings.POOL_MAX_LIFETIME.key(name) + " (" + Settings.format(maxLifetime) + ").");
            }
            PoolSettings pool = new PoolSettings(
                    maxSize,
                    minIdle,
                    resolve(Settings.POOL_CONNECTION_TIMEOUT, source),
                    maxLifetime,
                    keepalive,
                    resolve(Settings.POOL_IDLE_TIMEOUT, source));
            String effectiveUser = user != null ? user : url.user().orElse(null);
            return new BindingConfig(
                    name,
                    mode,
                    url,
                    urlSource,
                    direct,
                    admin,
                    effectiveUser,
                    password != null ? password : url.password().orElse(null),
                    user,
                    password,
                    pool,
                    cachePolicy(source),
                    healthThresholds(source),
                    limits(source),
                    replica(url, source),
                    credentials(effectiveUser, source));
        }

        private static boolean isTabletShorthand(String value) {
            return value != null && value.strip().startsWith("@");
        }

        private ReplicaSettings replica(DatabaseUrl url, ConfigSource source) {
            ReplicaReads reads = resolve(Settings.REPLICA_READS, source);
            String raw = resolve(Settings.REPLICA_URL, source);
            String key = Settings.REPLICA_URL.key(name);
            DatabaseUrl replica = null;
            if (raw != null && isTabletShorthand(raw)) {
                String type = raw.strip().substring(1);
                if (!url.isVitess()
                        || url.keyspace().isEmpty()
                        || !(type.equalsIgnoreCase("replica") || type.equalsIgnoreCase("rdonly"))) {
                    throw new ConfigurationException(
                            name,
                            key,
                            "Keyspace '" + name + "': " + key + " '" + raw + "' names a tablet "
                                    + "type of the binding's own URL; that needs a vitess://host:port/keyspace URL and @replica or @rdonly. "
                                    + "Otherwise give the replica's connection string (" + DatabaseUrl.SUPPORTED_FORMS
                                    + ").");
                }
                replica = url.withTabletType(DatabaseUrl.TabletType.valueOf(type.toUpperCase(java.util.Locale.ROOT)));
            } else if (raw != null) {
                replica = urlFrom(Settings.REPLICA_URL, source);
                replica.requireDriver(name, key);
            } else if (reads != ReplicaReads.OFF) {
                if (!url.isVitess() || url.keyspace().isEmpty()) {
                    throw new ConfigurationException(
                            name,
                            key,
                            "Keyspace '" + name + "': " + Settings.REPLICA_READS.key(name) + "="
                                    + reads.label() + " needs a replica: set " + key
                                    + " to the replica's connection string ("
                                    + DatabaseUrl.SUPPORTED_FORMS + ").");
                }
                replica = url.withTabletType(DatabaseUrl.TabletType.REPLICA); // the same vtgate's replica tablets
            }
            return new ReplicaSettings(
                    replica,
                    reads,
                    resolve(Settings.READ_YOUR_WRITES_WINDOW, source),
                    resolve(Settings.REPLICA_MAX_LAG, source));
        }

        private CredentialsProvider credentials(String user, ConfigSource source) {
            if (credentialsProvider != null) {
                return credentialsProvider;
            }
            String file = resolve(Settings.PASSWORD_FILE, source);
            return file == null ? null : CredentialsProvider.fromFile(user, java.nio.file.Path.of(file.strip()));
        }

        private HealthThresholds healthThresholds(ConfigSource source) {
            Duration degraded = resolve(Settings.HEALTH_DEGRADED_LATENCY, source);
            Duration unhealthy = resolve(Settings.HEALTH_UNHEALTHY_LATENCY, source);
            if (unhealthy.compareTo(degraded) < 0) {
                String key = Settings.HEALTH_UNHEALTHY_LATENCY.key(name);
                throw new ConfigurationException(
                        name,
                        key,
                        "Keyspace '" + name + "': " + key + " (" + Settings.format(unhealthy) + ") must be at least "
                                + Settings.HEALTH_DEGRADED_LATENCY.key(name) + " (" + Settings.format(degraded) + ").");
            }
            double degradedRate = resolve(Settings.HEALTH_DEGRADED_ERROR_RATE, source);
            double unhealthyRate = resolve(Settings.HEALTH_UNHEALTHY_ERROR_RATE, source);
            if (unhealthyRate < degradedRate) {
                String key = Settings.HEALTH_UNHEALTHY_ERROR_RATE.key(name);
                throw new ConfigurationException(
                        name,
                        key,
                        "Keyspace '" + name + "': " + key + " (" + unhealthyRate + ") must be at least "
                                + Settings.HEALTH_DEGRADED_ERROR_RATE.key(name) + " (" + degradedRate + ").");
            }
            return new HealthThresholds(
                    degraded,
                    unhealthy,
                    degradedRate,
                    unhealthyRate,
                    resolve(Settings.CIRCUIT_FAILURES, source),
                    resolve(Settings.CIRCUIT_PROBE_INTERVAL, source),
                    resolve(Settings.HEALTH_WINDOW, source));
        }

        private Limits limits(ConfigSource source) {
            Duration statement = resolve(Settings.STATEMENT_TIMEOUT, source);
            Duration query = resolve(Settings.QUERY_TIMEOUT, source);
            if (query.compareTo(statement) > 0) {
                String key = Settings.QUERY_TIMEOUT.key(name);
                throw new ConfigurationException(
                        name,
                        key,
                        "Keyspace '" + name + "': " + key + " (" + Settings.format(query) + ") must not exceed "
                                + Settings.STATEMENT_TIMEOUT.key(name) + " (" + Settings.format(statement) + ").");
            }
            return new Limits(
                    resolve(Settings.MAX_ROWS, source),
                    resolve(Settings.MAX_WRITE_ROWS, source),
                    resolve(Settings.MAX_RESULT_BYTES, source),
                    resolve(Settings.TRANSACTION_TIMEOUT, source),
                    statement,
                    query);
        }

        private CachePolicy cachePolicy(ConfigSource source) {
            long maxBytes = resolve(Settings.CACHE_MAX_BYTES, source);
            long maxResultBytes = resolve(Settings.CACHE_MAX_RESULT_BYTES, source);
            if (maxResultBytes > maxBytes) {
                String key = Settings.CACHE_MAX_RESULT_BYTES.key(name);
                throw new ConfigurationException(
                        name,
                        key,
                        "Keyspace '" + name + "': " + key + " (" + Settings.formatByteSize(maxResultBytes)
                                + ") must not exceed " + Settings.CACHE_MAX_BYTES.key(name) + " ("
                                + Settings.formatByteSize(maxBytes) + ").");
            }
            // Each value was checked against its setting's bounds already, so the policy's own checks cannot fail here.
            return CachePolicy.custom()
                    .enabled(resolve(Settings.CACHE_ENABLED, source))
                    .maxAge(resolve(Settings.CACHE_MAX_AGE, source))
                    .staleWhileRevalidate(resolve(Settings.CACHE_STALE_WHILE_REVALIDATE, source))
                    .maxEntries(resolve(Settings.CACHE_MAX_ENTRIES, source))
                    .maxBytes(maxBytes)
                    .maxResultBytes(maxResultBytes)
                    .build();
        }

        private <T> Builder put(Setting<T> setting, T value) {
            values.put(setting, setting.check(value, name));
            return this;
        }

        private Builder putUrl(Setting<String> setting, String connectionString) {
            DatabaseUrl.parse(connectionString, name, setting.key(name));
            values.put(setting, connectionString);
            return this;
        }

        @SuppressWarnings("unchecked")
        private <T> T resolve(Setting<T> setting, ConfigSource source) {
            Object inCode = values.get(setting);
            if (inCode != null) {
                return (T) inCode;
            }
            return source.get(setting.key(name))
                    .map(raw -> setting.parse(raw, name))
                    .orElse(setting.defaultValue());
        }

        private DatabaseUrl urlFrom(Setting<String> setting, ConfigSource source) {
            String raw = resolve(setting, source);
            return raw == null
                    ? null
                    : DatabaseUrl.parse(raw, name, setting.key(name)).withDefaultDatabase(defaultDatabase);
        }

        private DatabaseUrl sharedUrlFrom(Setting<String> setting, ConfigSource source) {
            String raw = resolve(setting, source);
            if (raw == null) {
                return null;
            }
            DatabaseUrl shared = DatabaseUrl.parse(raw, name, setting.key(name));
            return defaultDatabase == null ? shared : shared.withDatabase(defaultDatabase);
        }
    }
}
