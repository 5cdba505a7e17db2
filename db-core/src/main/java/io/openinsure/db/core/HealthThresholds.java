package io.openinsure.db.core;

import java.time.Duration;
import java.util.Objects;

/**
 * When a client counts as degraded or unhealthy, and when its circuit opens. Immutable.
 *
 * @param degradedLatency               mean latency above which a client is {@code DEGRADED} (500 ms)
 * @param unhealthyLatency              mean latency above which it is {@code UNHEALTHY} (1000 ms)
 * @param degradedErrorRate             error rate above which it is {@code DEGRADED} (0.05)
 * @param unhealthyErrorRate            error rate above which it is {@code UNHEALTHY} (0.10)
 * @param connectionFailuresToOpen      consecutive connection failures that open the circuit (3)
 * @param probeInterval                 how often an open circuit probes the server (1 s)
 * @param window                        how many recent statements the latency and error rate cover (100)
 */
public record HealthThresholds(
        Duration degradedLatency,
        Duration unhealthyLatency,
        double degradedErrorRate,
        double unhealthyErrorRate,
        int connectionFailuresToOpen,
        Duration probeInterval,
        int window) {

    /** The defaults above. */
    public static HealthThresholds ofDefaults() {
        return new HealthThresholds(
                Duration.ofMillis(500), Duration.ofMillis(1000), 0.05, 0.10, 3, Duration.ofSeconds(1), 100);
    }

    public HealthThresholds {
        Objects.requireNonNull(degradedLatency, "degradedLatency");
        Objects.requireNonNull(unhealthyLatency, "unhealthyLatency");
        Objects.requireNonNull(probeInterval, "probeInterval");
        if (degradedLatency.isNegative() || unhealthyLatency.compareTo(degradedLatency) < 0) {
            throw new IllegalArgumentException("unhealthyLatency (" + unhealthyLatency.toMillis()
                    + " ms) must be at least degradedLatency (" + degradedLatency.toMillis() + " ms), both positive");
        }
        if (degradedErrorRate < 0 || unhealthyErrorRate > 1 || unhealthyErrorRate < degradedErrorRate) {
            throw new IllegalArgumentException("error rates must satisfy 0 <= degraded (" + degradedErrorRate
                    + ") <= unhealthy (" + unhealthyErrorRate + ") <= 1");
        }
        if (connectionFailuresToOpen < 1 || connectionFailuresToOpen > 100) {
            throw new IllegalArgumentException(
                    "connectionFailuresToOpen must be between 1 and 100 but was " + connectionFailuresToOpen);
        }
        if (window < 1 || window > 100_000) {
            throw new IllegalArgumentException("window must be between 1 and 100000 but was " + window);
        }
    }
}
