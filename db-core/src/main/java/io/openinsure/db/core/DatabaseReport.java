package io.openinsure.db.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A performance report over keyspace clients: per client its mode, pool, latency percentiles, error
 * rate, throughput, cache, a measured round trip, health, and recommendations drawn from those numbers.
 * The JVM form of a {@code GET /api/health/database-performance} response: {@link #toJson()} renders it.
 *
 * <p>Immutable. Never contains credentials: servers appear as {@code host:port/database}.
 *
 * @param generatedAt     when the report was made (ISO-8601, UTC)
 * @param clients         one entry per client, in the order given
 * @param recommendations every client's recommendations, each prefixed with {@code [<keyspace>]}
 */
public record DatabaseReport(String generatedAt, List<ClientReport> clients, List<String> recommendations) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public DatabaseReport {
        Objects.requireNonNull(generatedAt, "generatedAt");
        clients = List.copyOf(clients);
        recommendations = List.copyOf(recommendations);
    }

    /** Reports on {@code clients}: measures each one's round trip now (skipped while its circuit is open). */
    public static DatabaseReport of(List<? extends KeyspaceClient> clients) {
        List<ClientReport> reports = new ArrayList<>();
        List<String> all = new ArrayList<>();
        for (KeyspaceClient c : clients) {
            ClientReport r = c.report();
            reports.add(r);
            r.recommendations().forEach(text -> all.add("[" + r.name() + "] " + text));
        }
        return new DatabaseReport(Instant.now().toString(), reports, all);
    }

    /** The report as indented JSON. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not render the database report: " + e.getMessage(), e);
        }
    }

    /**
     * One client's numbers.
     *
     * @param name            the binding, e.g. {@code policies}
     * @param mode            {@code pooled} or {@code direct} (also while on the direct fallback)
     * @param server          the endpoint in use, {@code host:port/database}
     * @param pool            the pool of that endpoint
     * @param latency         percentiles over the recent statements ({@link Settings#HEALTH_WINDOW})
     * @param errorRate       share of the recent statements that failed, 0–1
     * @param statements      statements since the client started
     * @param errors          failed statements since the client started
     * @param qps             statements per second since the client started
     * @param cache           the read cache
     * @param roundTripMs     a {@code SELECT 1} timed now, borrow included; {@code null} when it could not run (circuit open, server down)
     * @param health          the health verdict
     * @param fallback        the fallback state, {@code null} when on the configured endpoint
     * @param replica         the read replica, {@code null} when the binding sends no reads to one
     * @param recommendations what to do, from the numbers above
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record ClientReport(
            String name,
            String mode,
            String server,
            Pool pool,
            Latency latency,
            double errorRate,
            long statements,
            long errors,
            double qps,
            Cache cache,
            Double roundTripMs,
            HealthReport health,
            Fallback fallback,
            Replica replica,
            List<String> recommendations) {
        public ClientReport {
            recommendations = List.copyOf(recommendations);
        }

        /** A report of a client without a read replica. */
        public ClientReport(
                String name,
                String mode,
                String server,
                Pool pool,
                Latency latency,
                double errorRate,
                long statements,
                long errors,
                double qps,
                Cache cache,
                Double roundTripMs,
                HealthReport health,
                Fallback fallback,
                List<String> recommendations) {
            this(
                    name,
                    mode,
                    server,
                    pool,
                    latency,
                    errorRate,
                    statements,
                    errors,
                    qps,
                    cache,
                    roundTripMs,
                    health,
                    fallback,
                    null,
                    recommendations);
        }
    }

    /**
     * A client's read replica.
     *
     * @param server the replica, {@code host:port/database}
     * @param reads  which reads may go to it: {@code reads} or {@code explicit} ({@link Settings#REPLICA_READS})
     * @param state  {@code serving}, {@code down} or {@code lagging} (see {@link ReplicaHealth#state()})
     * @param health its own health verdict ({@code HEALTHY}, …) and circuit
     * @param lagMs  the replication lag at the last check; {@code null} when unknown or stopped
     * @param lag    the lag in words
     * @param pool   its pool
     * @param routed reads that could go to the replica, by where they went and why ({@code replica}, {@code recent_write},
     *               {@code replica_down}, {@code replica_lagging})
     */
    public record Replica(
            String server,
            String reads,
            String state,
            HealthReport health,
            Long lagMs,
            String lag,
            Pool pool,
            Map<String, Long> routed) {
        public Replica {
            routed = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(routed));
        }
    }

    /** A pool snapshot, in HikariCP's terms. */
    public record Pool(int total, int active, int idle, int waiting, int max) {}

    /** Latency percentiles and mean in milliseconds over {@code samples} recent statements (all 0 without samples). */
    public record Latency(double p50Ms, double p95Ms, double p99Ms, double meanMs, int samples) {}

    /**
     * The read cache: its hit rate over cacheable lookups, and how many statements got each status.
     *
     * @param statuses statements per {@link CacheStatus#label()}, every status present
     */
    public record Cache(double hitRate, Map<String, Long> statuses, long entries, long estimatedBytes) {
        public Cache {
            statuses = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(statuses));
        }
    }

    /** The {@link Health} verdict with its numbers. */
    public record HealthReport(
            String status, String reason, String circuit, int consecutiveConnectionFailures, double latencyMs) {}

    /**
     * A client running on its direct fallback.
     *
     * @param pooledServer the endpoint that failed, {@code host:port/database}
     * @param since        when the client switched (ISO-8601)
     */
    public record Fallback(String pooledServer, String since) {}
}
