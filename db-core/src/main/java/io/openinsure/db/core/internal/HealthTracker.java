package io.openinsure.db.core.internal;

import io.openinsure.db.core.Health;
import io.openinsure.db.core.HealthStatus;
import io.openinsure.db.core.HealthThresholds;
import java.time.Duration;
import java.util.Locale;

/**
 * The recent statements of one client (a ring buffer of latency and outcome) and its run of
 * connection failures, turned into a {@link Health} verdict. Thread-safe; recording is a short
 * synchronized section, cheap next to a database round trip.
 */
public final class HealthTracker {

    private final HealthThresholds thresholds;
    private final long[] latencies;
    private final boolean[] failures;
    private int next;
    private int size;
    private int consecutiveConnectionFailures;

    public HealthTracker(HealthThresholds thresholds) {
        this.thresholds = thresholds;
        this.latencies = new long[thresholds.window()];
        this.failures = new boolean[thresholds.window()];
    }

    /** A statement completed (successfully or with a SQL error) after {@code nanos}. */
    public synchronized void statement(long nanos, boolean failed) {
        latencies[next] = nanos;
        failures[next] = failed;
        next = (next + 1) % latencies.length;
        size = Math.min(size + 1, latencies.length);
    }

    /** A connection was obtained: the run of connection failures ends. */
    public synchronized void connected() {
        consecutiveConnectionFailures = 0;
    }

    /** A connection attempt failed. */
    public synchronized void connectionFailed() {
        consecutiveConnectionFailures++;
    }

    /** The latencies (nanoseconds) of the recent statements, sorted ascending. */
    public synchronized long[] latencies() {
        long[] copy = java.util.Arrays.copyOf(latencies, size);
        java.util.Arrays.sort(copy);
        return copy;
    }

    public synchronized int consecutiveConnectionFailures() {
        return consecutiveConnectionFailures;
    }

    /** The verdict now; {@code circuit} is the breaker's state as reported. */
    public synchronized Health health(String circuit) {
        long total = 0;
        int failed = 0;
        for (int i = 0; i < size; i++) {
            total += latencies[i];
            failed += failures[i] ? 1 : 0;
        }
        Duration latency = size == 0 ? Duration.ZERO : Duration.ofNanos(total / size);
        double errorRate = size == 0 ? 0.0 : (double) failed / size;
        HealthStatus status = HealthStatus.HEALTHY;
        String reason = "ok";
        if (consecutiveConnectionFailures >= thresholds.connectionFailuresToOpen() || "open".equals(circuit)) {
            status = HealthStatus.UNHEALTHY;
            reason = consecutiveConnectionFailures + " consecutive connection failures; circuit " + circuit;
        } else if (latency.compareTo(thresholds.unhealthyLatency()) > 0) {
            status = HealthStatus.UNHEALTHY;
            reason = "latency " + latency.toMillis() + " ms over " + thresholds.unhealthyLatency().toMillis() + " ms";
        } else if (errorRate > thresholds.unhealthyErrorRate()) {
            status = HealthStatus.UNHEALTHY;
            reason = "error rate " + percent(errorRate) + " over " + percent(thresholds.unhealthyErrorRate());
        } else if (latency.compareTo(thresholds.degradedLatency()) > 0) {
            status = HealthStatus.DEGRADED;
            reason = "latency " + latency.toMillis() + " ms over " + thresholds.degradedLatency().toMillis() + " ms";
        } else if (errorRate > thresholds.degradedErrorRate()) {
            status = HealthStatus.DEGRADED;
            reason = "error rate " + percent(errorRate) + " over " + percent(thresholds.degradedErrorRate());
        }
        return new Health(status, latency, errorRate, size, consecutiveConnectionFailures, circuit, reason);
    }

    private static String percent(double rate) {
        return String.format(Locale.ROOT, "%.1f %%", rate * 100);
    }
}
