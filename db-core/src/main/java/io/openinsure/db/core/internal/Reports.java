package io.openinsure.db.core.internal;

import io.openinsure.db.core.CacheStats;
import io.openinsure.db.core.CacheStatus;
import io.openinsure.db.core.DatabaseReport;
import io.openinsure.db.core.Health;
import io.openinsure.db.core.HealthStatus;
import io.openinsure.db.core.HealthThresholds;
import io.openinsure.db.core.PoolStats;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Builds a client's {@link DatabaseReport.ClientReport} and its recommendations from its numbers. */
final class Reports {

    /** Below this many reads the hit rate says nothing. */
    static final int MIN_READS_FOR_HIT_RATE = 20;

    static final double LOW_HIT_RATE = 0.5;

    private Reports() {}

    static DatabaseReport.ClientReport client(
            String name,
            String mode,
            String server,
            PoolStats pool,
            long[] sortedLatencies,
            long statements,
            long errors,
            double seconds,
            CacheStats cache,
            Double roundTripMs,
            Health health,
            HealthThresholds thresholds,
            String failedPooledServer,
            Instant fallbackSince,
            int consecutiveFailures,
            String lastFailure,
            String poolSizeKey,
            DatabaseReport.Replica replica) {
        DatabaseReport.Latency latency = new DatabaseReport.Latency(
                percentile(sortedLatencies, 0.50),
                percentile(sortedLatencies, 0.95),
                percentile(sortedLatencies, 0.99),
                round(health.latency().toNanos() / 1e6),
                sortedLatencies.length);
        Map<String, Long> statuses = new LinkedHashMap<>();
        cache.counts().forEach((s, n) -> statuses.put(s.label(), n));
        DatabaseReport.Cache cacheReport =
                new DatabaseReport.Cache(round(cache.hitRatio()), statuses, cache.entries(), cache.estimatedBytes());
        DatabaseReport.Fallback fallback = failedPooledServer == null
                ? null
                : new DatabaseReport.Fallback(
                        failedPooledServer, fallbackSince == null ? null : fallbackSince.toString());
        DatabaseReport.HealthReport healthReport = new DatabaseReport.HealthReport(
                health.status().name(),
                health.reason(),
                health.circuit(),
                health.consecutiveConnectionFailures(),
                round(health.latency().toNanos() / 1e6));

        List<String> advice = new ArrayList<>();
        if ("open".equals(health.circuit())) {
            advice.add("circuit open: " + consecutiveFailures + " consecutive connection failures to " + server
                    + " (last: " + lastFailure + "); calls fail at once and the server is probed every "
                    + thresholds.probeInterval().toMillis() + " ms");
        }
        if (fallback != null) {
            advice.add("running on the direct fallback " + server + " since " + fallback.since()
                    + ": the pooled endpoint " + failedPooledServer
                    + " stopped answering; the client returns to it when a probe succeeds");
        }
        if (replica != null && !"serving".equals(replica.state())) {
            advice.add("replica " + replica.server() + " is "
                    + ("down".equals(replica.state())
                            ? "down (circuit " + replica.health().circuit() + ", last: "
                                    + replica.health().reason() + ")"
                            : replica.lag())
                    + ": its reads go to the primary until it "
                    + ("down".equals(replica.state()) ? "answers a probe" : "catches up"));
        }
        if (pool.waiting() > 0) {
            advice.add("pool saturated: " + pool.waiting() + " waiters with " + pool.active() + " of " + pool.maximum()
                    + " connections in use; raise " + poolSizeKey
                    + ", keep transactions short, or find the statements holding connections");
        }
        if (health.status() != HealthStatus.HEALTHY
                && !"open".equals(health.circuit())
                && !health.reason().startsWith("replica ")) {
            advice.add(health.status().name().toLowerCase(Locale.ROOT) + ": " + health.reason() + " (over the last "
                    + health.samples() + " statements); look for slow or failing statements");
        }
        lowHitRate(cache).ifPresent(advice::add);
        if (advice.isEmpty()) {
            advice.add("healthy: no action needed");
        }
        return new DatabaseReport.ClientReport(
                name,
                mode,
                server,
                new DatabaseReport.Pool(pool.total(), pool.active(), pool.idle(), pool.waiting(), pool.maximum()),
                latency,
                round(health.errorRate()),
                statements,
                errors,
                round(statements / seconds),
                cacheReport,
                roundTripMs == null ? null : round(roundTripMs),
                healthReport,
                fallback,
                replica,
                advice);
    }

    /** A low hit rate over enough reads, explained by its biggest cause among the reads that were not served from the cache. */
    private static java.util.Optional<String> lowHitRate(CacheStats cache) {
        long served = cache.count(CacheStatus.HIT) + cache.count(CacheStatus.STALE);
        Map<CacheStatus, Long> causes = new LinkedHashMap<>();
        for (CacheStatus s : List.of(
                CacheStatus.VOLATILE,
                CacheStatus.UNCACHEABLE,
                CacheStatus.MISS,
                CacheStatus.PARSEERROR,
                CacheStatus.OVERSIZEDRESULT,
                CacheStatus.BYPASS,
                CacheStatus.DISABLED)) {
            causes.put(s, cache.count(s));
        }
        long reads =
                served + causes.values().stream().mapToLong(Long::longValue).sum();
        if (reads < MIN_READS_FOR_HIT_RATE || (double) served / reads >= LOW_HIT_RATE) {
            return java.util.Optional.empty();
        }
        CacheStatus top = causes.entrySet().stream()
                .max(Map.Entry.comparingByValue())
                .orElseThrow()
                .getKey();
        String rate = String.format(Locale.ROOT, "%.0f %%", 100.0 * served / reads);
        String head = "low hit rate (" + rate + " of " + reads + " reads served from the cache) caused mostly by ";
        return java.util.Optional.of(head
                + switch (top) {
                    case VOLATILE ->
                        "volatile functions (" + causes.get(top)
                                + " reads call NOW(), RAND(), …): bind the time as a parameter " + "(see explain())";
                    case UNCACHEABLE ->
                        "uncacheable reads (" + causes.get(top)
                                + ": locking reads, variables, unknown functions): see explain()";
                    case MISS ->
                        "misses (" + causes.get(top)
                                + "): reads rarely repeat within the cache's max age; raise CACHE_MAX_AGE or "
                                + "CACHE_MAX_ENTRIES if they should";
                    case PARSEERROR -> "statements the analyser cannot parse (" + causes.get(top) + "): see explain()";
                    case OVERSIZEDRESULT ->
                        "results too large to store (" + causes.get(top)
                                + "): raise CACHE_MAX_RESULT_BYTES or page the reads";
                    case BYPASS ->
                        "reads through uncached() (" + causes.get(top)
                                + "): use dsl() where slightly stale reads are fine";
                    default -> "a disabled cache (" + causes.get(top) + " reads): set CACHE_ENABLED=true";
                });
    }

    /** The {@code p} percentile (nearest rank) of sorted nanosecond latencies, in milliseconds. */
    static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p * sorted.length);
        return round(sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
