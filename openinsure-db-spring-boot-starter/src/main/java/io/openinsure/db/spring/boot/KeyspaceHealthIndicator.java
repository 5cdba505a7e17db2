package io.openinsure.db.spring.boot;

import io.openinsure.db.core.HealthStatus;
import io.openinsure.db.core.KeyspaceClient;
import io.openinsure.db.core.PoolStats;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * One keyspace client's {@link KeyspaceClient#health()} as Spring Boot health. It runs nothing on the server: the
 * verdict comes from the client's recent statements and its run of connection failures.
 *
 * <ul>
 *   <li>{@code HEALTHY} and {@code DEGRADED} → {@code UP} (a degraded keyspace still serves; the details say
 *       {@code DEGRADED} and why);</li>
 *   <li>{@code UNHEALTHY} with the circuit open (consecutive connection failures: the keyspace cannot be reached)
 *       → {@code DOWN};</li>
 *   <li>{@code UNHEALTHY} with the circuit closed (reachable, but latency or error rate over the unhealthy
 *       thresholds) → {@code OUT_OF_SERVICE}.</li>
 * </ul>
 * Details: status, reason, mode, server ({@code host:port/database}), pool, circuit, consecutive connection failures,
 * latency, error rate, samples, cache hit rate. Never credentials.
 */
final class KeyspaceHealthIndicator implements HealthIndicator {

    private final KeyspaceClient client;

    KeyspaceHealthIndicator(KeyspaceClient client) {
        this.client = client;
    }

    @Override
    public Health health() {
        io.openinsure.db.core.Health health = client.health();
        Status status = health.status() != HealthStatus.UNHEALTHY
                ? Status.UP
                : "closed".equals(health.circuit()) ? Status.OUT_OF_SERVICE : Status.DOWN;
        PoolStats pool = client.poolStats();
        Map<String, Object> poolDetails = new LinkedHashMap<>();
        poolDetails.put("total", pool.total());
        poolDetails.put("active", pool.active());
        poolDetails.put("idle", pool.idle());
        poolDetails.put("waiting", pool.waiting());
        poolDetails.put("max", pool.maximum());
        boolean onFallback = client.mode() != client.config().mode();
        String server = onFallback
                ? client.config()
                        .directUrl()
                        .map(u -> u.describe())
                        .orElse(client.config().url().describe())
                : client.config().url().describe();
        Health.Builder builder = Health.status(status)
                .withDetail("status", health.status().name())
                .withDetail("reason", health.reason())
                .withDetail("mode", client.mode().label())
                .withDetail("server", server);
        if (onFallback) {
            builder.withDetail("fallbackFrom", client.config().url().describe());
        }
        return builder.withDetail("pool", poolDetails)
                .withDetail("circuit", health.circuit())
                .withDetail("consecutiveConnectionFailures", health.consecutiveConnectionFailures())
                .withDetail("latencyMs", health.latency().toNanos() / 1_000_000.0)
                .withDetail("errorRate", health.errorRate())
                .withDetail("samples", health.samples())
                .withDetail("cacheHitRate", client.cacheStats().hitRatio())
                .build();
    }
}
