package io.openinsure.db.core;

import java.time.Duration;

/**
 * A keyspace client's health at one moment.
 *
 * @param status                         the verdict
 * @param latency                        mean latency of the recent statements (zero when there were none)
 * @param errorRate                      share of the recent statements that failed, 0.0–1.0
 * @param samples                        how many recent statements the numbers are based on
 * @param consecutiveConnectionFailures  connection attempts that failed in a row
 * @param circuit                        the circuit breaker's state: {@code closed}, {@code open} or {@code half_open}
 * @param reason                         why, in words (e.g. "latency 730 ms over 500 ms")
 * @param replica                        the read replica's state; {@code null} when the binding sends no reads to one.
 *                                       A replica that is down or lagging makes an otherwise healthy client
 *                                       {@code DEGRADED} (its reads go to the primary)
 */
public record Health(
        HealthStatus status,
        Duration latency,
        double errorRate,
        int samples,
        int consecutiveConnectionFailures,
        String circuit,
        String reason,
        ReplicaHealth replica) {

    /** A verdict for a client without a read replica. */
    public Health(
            HealthStatus status,
            Duration latency,
            double errorRate,
            int samples,
            int consecutiveConnectionFailures,
            String circuit,
            String reason) {
        this(status, latency, errorRate, samples, consecutiveConnectionFailures, circuit, reason, null);
    }
}
