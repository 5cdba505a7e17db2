package io.openinsure.db.core.internal;

import io.openinsure.db.core.Health;
import io.openinsure.db.core.HealthStatus;
import io.openinsure.db.core.HealthThresholds;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The recent statements of one client (a ring of latency and outcome) and its run of connection
 * failures, turned into a {@link Health} verdict. Thread-safe and lock-free on the recording side:
 * every statement and every borrow passes through here, and on a small machine a lock held by a
 * descheduled thread stalls every other caller (measured: a synchronized ring cost the 8-thread
 * primary-key lookup a fifth of its throughput). Readers see a snapshot that may miss the
 * statements recorded while they read.
 */
final class HealthTracker {

    private static final long EMPTY = -1;

    private final HealthThresholds thresholds;
    /** Per slot: latency in nanoseconds shifted left once, the low bit set for a failure; {@link #EMPTY} before first use. */
    private final AtomicLongArray slots;

    private final AtomicLong recorded = new AtomicLong();
    private final AtomicInteger consecutiveConnectionFailures = new AtomicInteger();

    HealthTracker(HealthThresholds thresholds) {
        this.thresholds = thresholds;
        this.slots = new AtomicLongArray(thresholds.window());
        for (int i = 0; i < slots.length(); i++) {
            slots.set(i, EMPTY);
        }
    }

    /** A statement completed (successfully or with a SQL error) after {@code nanos}. */
    void statement(long nanos, boolean failed) {
        int slot = (int) Long.remainderUnsigned(recorded.getAndIncrement(), slots.length());
        slots.setRelease(slot, (Math.max(0, Math.min(nanos, Long.MAX_VALUE >> 1)) << 1) | (failed ? 1 : 0));
    }

    /** A connection was obtained: the run of connection failures ends (no write while there is none: every borrow calls this). */
    void connected() {
        if (consecutiveConnectionFailures.get() != 0) {
            consecutiveConnectionFailures.set(0);
        }
    }

    /** A connection attempt failed. */
    void connectionFailed() {
        consecutiveConnectionFailures.incrementAndGet();
    }

    /** The latencies (nanoseconds) of the recent statements, sorted ascending. */
    long[] latencies() {
        long[] copy = new long[slots.length()];
        int n = 0;
        for (int i = 0; i < copy.length; i++) {
            long v = slots.getAcquire(i);
            if (v != EMPTY) {
                copy[n++] = v >>> 1;
            }
        }
        copy = java.util.Arrays.copyOf(copy, n);
        java.util.Arrays.sort(copy);
        return copy;
    }

    /** How many statements were recorded since the tracker was made. */
    long recorded() {
        return recorded.get();
    }

    int consecutiveConnectionFailures() {
        return consecutiveConnectionFailures.get();
    }

    /** The verdict now; {@code circuit} is the breaker's state as reported. */
    Health health(String circuit) {
        long total = 0;
        int failed = 0;
        int size = 0;
        for (int i = 0; i < slots.length(); i++) {
            long v = slots.getAcquire(i);
            if (v != EMPTY) {
                total += v >>> 1;
                failed += (int) (v & 1);
                size++;
            }
        }
        int consecutiveConnectionFailures = this.consecutiveConnectionFailures.get();
        Duration latency = size == 0 ? Duration.ZERO : Duration.ofNanos(total / size);
        double errorRate = size == 0 ? 0.0 : (double) failed / size;
        HealthStatus status = HealthStatus.HEALTHY;
        String reason = "ok";
        if (consecutiveConnectionFailures >= thresholds.connectionFailuresToOpen() || "open".equals(circuit)) {
            status = HealthStatus.UNHEALTHY;
            reason = consecutiveConnectionFailures + " consecutive connection failures; circuit " + circuit;
        } else if (latency.compareTo(thresholds.unhealthyLatency()) > 0) {
            status = HealthStatus.UNHEALTHY;
            reason = "latency " + latency.toMillis() + " ms over "
                    + thresholds.unhealthyLatency().toMillis() + " ms";
        } else if (errorRate > thresholds.unhealthyErrorRate()) {
            status = HealthStatus.UNHEALTHY;
            reason = "error rate " + percent(errorRate) + " over " + percent(thresholds.unhealthyErrorRate());
        } else if (latency.compareTo(thresholds.degradedLatency()) > 0) {
            status = HealthStatus.DEGRADED;
            reason = "latency " + latency.toMillis() + " ms over "
                    + thresholds.degradedLatency().toMillis() + " ms";
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
