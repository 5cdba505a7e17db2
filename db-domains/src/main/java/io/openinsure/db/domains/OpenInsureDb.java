package io.openinsure.db.domains;

import io.micrometer.core.instrument.MeterRegistry;
import io.openinsure.db.core.BindingConfig;
import io.openinsure.db.core.ConfigSource;
import io.openinsure.db.core.ConfigurationException;
import io.openinsure.db.core.DatabaseReport;
import io.openinsure.db.core.KeyspaceClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The six OpenInsure clients, one per binding, each on its own pool and credentials.
 *
 * <pre>{@code
 * try (OpenInsureDb db = OpenInsureDb.fromEnv()) {
 *     int n = db.policies().dsl().fetchCount(DSL.table("policy"));
 * }
 * }</pre>
 *
 * <p>Thread-safe. Closing it closes every pool.
 */
public final class OpenInsureDb implements AutoCloseable {

    private final Map<Keyspace, KeyspaceClient> clients;
    private final Map<Keyspace, BindingConfig> configs;
    private final GlobalDb global;
    private final PoliciesDb policies;
    private final SubmissionsDb submissions;
    private final ClaimsDb claims;
    private final BillingDb billing;
    private final LegacyDb legacy;

    private OpenInsureDb(
            Map<Keyspace, KeyspaceClient> raw,
            RoutingRules rules,
            boolean allowCrossKeyspaceLegacyTransactions,
            Clock clock) {
        this.configs = new EnumMap<>(Keyspace.class);
        raw.forEach((k, c) -> configs.put(k, c.config()));
        this.global = new GlobalDb(raw.get(Keyspace.GLOBAL), clock);
        this.policies = new PoliciesDb(raw.get(Keyspace.POLICIES), clock);
        this.submissions = new SubmissionsDb(raw.get(Keyspace.SUBMISSIONS), clock);
        this.claims = new ClaimsDb(raw.get(Keyspace.CLAIMS), clock);
        this.billing = new BillingDb(raw.get(Keyspace.BILLING), clock);
        this.legacy = new LegacyDb(raw.get(Keyspace.LEGACY), rules, allowCrossKeyspaceLegacyTransactions);
        Map<Keyspace, KeyspaceClient> typed = new EnumMap<>(Keyspace.class);
        typed.put(Keyspace.GLOBAL, global);
        typed.put(Keyspace.POLICIES, policies);
        typed.put(Keyspace.SUBMISSIONS, submissions);
        typed.put(Keyspace.CLAIMS, claims);
        typed.put(Keyspace.BILLING, billing);
        typed.put(Keyspace.LEGACY, legacy);
        this.clients = Collections.unmodifiableMap(typed);
        // A write through one client (typically the legacy one during the cutover) invalidates the others'
        // cached reads of the same tables, so no client serves rows another has just changed.
        for (KeyspaceClient writer : raw.values()) {
            writer.onWrite(tables -> raw.values().forEach(other -> {
                if (other != writer) {
                    other.invalidateCachedReads(tables);
                }
            }));
        }
    }

    /**
     * Builds all six clients from system properties and the environment
     * ({@code OI_DB_<BINDING>_URL}, {@code OI_DB_URL}, {@code DATABASE_URL}, …).
     *
     * @throws ConfigurationException listing every binding whose settings are missing or malformed
     */
    public static OpenInsureDb fromEnv() {
        return builder().build();
    }

    /** A builder; settings not given in code are read from {@link ConfigSource#defaults()} unless replaced. */
    public static Builder builder() {
        return new Builder();
    }

    public GlobalDb global() {
        return global;
    }

    public PoliciesDb policies() {
        return policies;
    }

    public SubmissionsDb submissions() {
        return submissions;
    }

    public ClaimsDb claims() {
        return claims;
    }

    public BillingDb billing() {
        return billing;
    }

    /** The legacy routed client for the monolithic keyspace. */
    public LegacyDb legacy() {
        return legacy;
    }

    /** Flows across keyspaces (bind → issue → invoice), idempotent per step. */
    public InsuranceFlows flows() {
        return new InsuranceFlows(this);
    }

    /** The client for a keyspace. */
    public KeyspaceClient client(Keyspace keyspace) {
        return clients.get(Objects.requireNonNull(keyspace, "keyspace"));
    }

    /** All six clients in {@link Keyspace} order. */
    public List<KeyspaceClient> clients() {
        return List.copyOf(clients.values());
    }

    /**
     * A performance report over the six clients: mode, pool, latency p50/p95/p99, error rate, QPS, cache
     * hit rate and statuses, a measured round trip, health and recommendations. {@link DatabaseReport#toJson()}
     * renders it. Never contains credentials.
     */
    public DatabaseReport report() {
        return DatabaseReport.of(clients());
    }

    /**
     * Applies the Flyway migrations of every keyspace over its admin URL; idempotent.
     *
     * @return migrations applied per keyspace
     */
    public Map<Keyspace, Integer> migrate() {
        return Migrator.migrate(configs);
    }

    /** Closes every pool; failures are collected and rethrown after all are closed. */
    @Override
    public void close() {
        closeAll(clients.values());
    }

    private static void closeAll(Iterable<? extends KeyspaceClient> toClose) {
        RuntimeException failure = null;
        for (KeyspaceClient c : toClose) {
            try {
                c.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Builds an {@link OpenInsureDb}. Code wins over the {@link ConfigSource}; per-binding settings
     * win over {@link #defaults(Consumer) shared ones}. Not thread-safe.
     */
    public static final class Builder {
        private ConfigSource source = ConfigSource.defaults();
        private RoutingRules routingRules;
        private boolean allowCrossKeyspaceLegacyTransactions;
        private Clock clock = Clock.systemUTC();
        /** A MeterRegistry, kept as Object so that this class loads without Micrometer. */
        private Object meterRegistry;

        private final List<Consumer<BindingConfig.Builder>> shared = new ArrayList<>();
        private final Map<Keyspace, List<Consumer<BindingConfig.Builder>>> perBinding = new EnumMap<>(Keyspace.class);

        private Builder() {}

        /** Where settings not given in code come from (default: system properties, then the environment). */
        public Builder configSource(ConfigSource source) {
            this.source = Objects.requireNonNull(source, "source");
            return this;
        }

        /** Settings applied to every binding (per-binding settings win), e.g. {@code b -> b.maxPoolSize(4)}. */
        public Builder defaults(Consumer<BindingConfig.Builder> settings) {
            shared.add(Objects.requireNonNull(settings, "settings"));
            return this;
        }

        /** Settings for one binding, e.g. {@code binding(Keyspace.BILLING, b -> b.maxPoolSize(2))}. */
        public Builder binding(Keyspace keyspace, Consumer<BindingConfig.Builder> settings) {
            perBinding
                    .computeIfAbsent(Objects.requireNonNull(keyspace, "keyspace"), k -> new ArrayList<>())
                    .add(Objects.requireNonNull(settings, "settings"));
            return this;
        }

        /** The clock domain operations use for "now" (default: the UTC system clock); tests pass a fixed one. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Publishes every client's meters to {@code registry} (tagged {@code keyspace}); without it nothing is
         * published and Micrometer need not be on the classpath. See {@link KeyspaceClient#open(BindingConfig, MeterRegistry)}.
         */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** Routing rules for the legacy client (default: the packaged {@code routing_rules.json}). */
        public Builder routingRules(RoutingRules rules) {
            this.routingRules = Objects.requireNonNull(rules, "rules");
            return this;
        }

        /**
         * Lets a legacy transaction touch tables of several keyspaces. Off by default: Vitess commits
         * such transactions keyspace by keyspace, not atomically.
         */
        public Builder allowCrossKeyspaceLegacyTransactions(boolean allow) {
            this.allowCrossKeyspaceLegacyTransactions = allow;
            return this;
        }

        /** Shortcut for {@code binding(keyspace, b -> b.url(connectionString))}. */
        public Builder url(Keyspace keyspace, String connectionString) {
            return binding(keyspace, b -> b.url(connectionString));
        }

        /** Resolves every binding's configuration without opening anything. */
        public Map<Keyspace, BindingConfig> resolve() {
            Map<Keyspace, BindingConfig> configs = new EnumMap<>(Keyspace.class);
            List<ConfigurationException> problems = new ArrayList<>();
            for (Keyspace k : Keyspace.values()) {
                try {
                    BindingConfig.Builder b =
                            BindingConfig.builder(k.bindingName()).defaultDatabase(k.database());
                    perBinding.getOrDefault(k, List.of()).forEach(c -> c.accept(b));
                    BindingConfig.Builder defaults = BindingConfig.builder(k.bindingName());
                    shared.forEach(c -> c.accept(defaults));
                    b.withDefaultsFrom(defaults);
                    configs.put(k, b.build(source));
                } catch (ConfigurationException e) {
                    problems.add(e);
                }
            }
            if (problems.size() == 1) {
                throw problems.get(0);
            }
            if (!problems.isEmpty()) {
                ConfigurationException all = new ConfigurationException(
                        null,
                        null,
                        problems.size()
                                + " bindings are misconfigured:\n"
                                + problems.stream()
                                        .map(e -> "  - " + e.getMessage())
                                        .collect(Collectors.joining("\n")));
                problems.forEach(all::addSuppressed);
                throw all;
            }
            return configs;
        }

        /**
         * Resolves all bindings, then opens one pool per binding.
         *
         * @throws ConfigurationException listing every misconfigured binding; nothing is opened then
         */
        public OpenInsureDb build() {
            Map<Keyspace, BindingConfig> configs = resolve();
            RoutingRules rules = routingRules != null ? routingRules : RoutingRules.packaged();
            Map<Keyspace, KeyspaceClient> opened = new EnumMap<>(Keyspace.class);
            try {
                configs.forEach((k, config) -> opened.put(
                        k,
                        meterRegistry == null
                                ? KeyspaceClient.open(config)
                                : KeyspaceClient.open(config, (MeterRegistry) meterRegistry)));
            } catch (RuntimeException | Error e) {
                // Close what was opened, keep the original failure.
                try {
                    closeAll(opened.values());
                } catch (RuntimeException closing) {
                    e.addSuppressed(closing);
                }
                throw e;
            }
            return new OpenInsureDb(opened, rules, allowCrossKeyspaceLegacyTransactions, clock);
        }
    }
}
