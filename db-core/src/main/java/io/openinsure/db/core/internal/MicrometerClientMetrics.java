package io.openinsure.db.core.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.openinsure.db.core.CacheStats;
import io.openinsure.db.core.CacheStatus;
import io.openinsure.db.core.ConfigurationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One client's meters on a Micrometer registry, all tagged {@code keyspace}:
 * <ul>
 *   <li>{@code openinsure.db.query} (timer; tags {@code outcome=success|error}, {@code cache=<status>|none});</li>
 *   <li>{@code openinsure.db.errors} (counter; tag {@code type});</li>
 *   <li>{@code openinsure.db.cache} (function counter per {@code status}, from the cache's own counts);</li>
 *   <li>{@code openinsure.db.reads} (counter; tags {@code target=replica|primary}, {@code reason}): where the reads that
 *       could have gone to the replica went;</li>
 *   <li>HikariCP's {@code hikaricp.connections.*} (tag {@code pool=oi-<binding>}, {@code oi-<binding>-direct}).</li>
 * </ul>
 * The only class that touches Micrometer types.
 */
final class MicrometerClientMetrics implements ClientMetrics {

    static final String QUERY = "openinsure.db.query";
    static final String ERRORS = "openinsure.db.errors";
    static final String CACHE = "openinsure.db.cache";
    static final String READS = "openinsure.db.reads";

    private final MeterRegistry registry;
    private final String keyspace;
    private final Timer[] success;
    private final Timer[] error;
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();
    private final Map<String, Counter> reads = new ConcurrentHashMap<>();
    private final List<Meter> meters = new ArrayList<>();
    /** Held here: Micrometer keeps only a weak reference to a function counter's state object. */
    private final Supplier<CacheStats> cacheStats;

    private MicrometerClientMetrics(MeterRegistry registry, String keyspace, Supplier<CacheStats> cacheStats) {
        this.registry = registry;
        this.keyspace = keyspace;
        this.cacheStats = cacheStats;
        int n = CacheStatus.values().length + 1;
        this.success = new Timer[n];
        this.error = new Timer[n];
        for (int i = 0; i < n; i++) {
            String cache = i < CacheStatus.values().length ? CacheStatus.values()[i].label() : "none";
            success[i] = timer("success", cache);
            error[i] = timer("error", cache);
        }
        for (CacheStatus status : CacheStatus.values()) {
            meters.add(
                    FunctionCounter.builder(CACHE, this, m -> m.cacheStats.get().count(status))
                            .description("statements per read-cache status")
                            .tags("keyspace", keyspace, "status", status.label())
                            .register(registry));
        }
    }

    static ClientMetrics create(Object registry, String keyspace, Supplier<CacheStats> cacheStats) {
        if (!(registry instanceof MeterRegistry r)) {
            throw new ConfigurationException(
                    keyspace,
                    null,
                    "Keyspace '" + keyspace + "': the meter registry must be an "
                            + "io.micrometer.core.instrument.MeterRegistry but was a "
                            + registry.getClass().getName() + ".");
        }
        return new MicrometerClientMetrics(r, keyspace, cacheStats);
    }

    private Timer timer(String outcome, String cache) {
        Timer t = Timer.builder(QUERY)
                .description("statement latency, from render to the end of the fetch")
                .tags("keyspace", keyspace, "outcome", outcome, "cache", cache)
                .register(registry);
        meters.add(t);
        return t;
    }

    @Override
    public void statement(long nanos, boolean failed, CacheStatus status) {
        int i = status == null ? CacheStatus.values().length : status.ordinal();
        (failed ? error : success)[i].record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void error(String type) {
        errors.computeIfAbsent(type, t -> {
                    Counter c = Counter.builder(ERRORS)
                            .description("failed calls by cause")
                            .tags("keyspace", keyspace, "type", t)
                            .register(registry);
                    synchronized (meters) {
                        meters.add(c);
                    }
                    return c;
                })
                .increment();
    }

    @Override
    public void read(String target, String reason) {
        Counter counter = reads.get(reason); // registered on the first read of each reason: no lambda per read after
        if (counter == null) {
            counter = reads.computeIfAbsent(reason, r -> {
                Counter c = Counter.builder(READS)
                        .description("reads that could go to the replica, by where they went and why")
                        .tags("keyspace", keyspace, "target", target, "reason", r)
                        .register(registry);
                synchronized (meters) {
                    meters.add(c);
                }
                return c;
            });
        }
        counter.increment();
    }

    @Override
    public void instrument(HikariConfig pool) {
        pool.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
    }

    @Override
    public void close() {
        synchronized (meters) {
            meters.forEach(registry::remove);
            meters.clear();
        }
    }
}
