package io.openinsure.db.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.openinsure.db.core.Health;
import io.openinsure.db.core.HealthStatus;
import io.openinsure.db.core.HealthThresholds;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HealthTrackerTest {

    private static final long MS = 1_000_000L;
    private final HealthTracker tracker = new HealthTracker(HealthThresholds.ofDefaults());

    private void statements(int n, long millis, boolean failed) {
        for (int i = 0; i < n; i++) {
            tracker.statement(millis * MS, failed);
        }
    }

    @Test
    void noTrafficIsHealthy() {
        Health h = tracker.health("closed");
        assertThat(h.status()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(h.samples()).isZero();
        assertThat(h.reason()).isEqualTo("ok");
    }

    @Test
    void latencyOver500msIsDegradedAndOver1000msUnhealthy() {
        statements(100, 600, false);
        assertThat(tracker.health("closed"))
                .extracting(Health::status, Health::reason)
                .containsExactly(HealthStatus.DEGRADED, "latency 600 ms over 500 ms");
        statements(100, 1200, false);
        assertThat(tracker.health("closed"))
                .extracting(Health::status, Health::latency, Health::reason)
                .containsExactly(HealthStatus.UNHEALTHY, Duration.ofMillis(1200), "latency 1200 ms over 1000 ms");
    }

    @Test
    void errorRatesOver5And10PercentDegradeThenFail() {
        statements(94, 1, false);
        statements(6, 1, true);
        assertThat(tracker.health("closed"))
                .extracting(Health::status, Health::reason)
                .containsExactly(HealthStatus.DEGRADED, "error rate 6.0 % over 5.0 %");
        statements(6, 1, true);
        assertThat(tracker.health("closed").status()).isEqualTo(HealthStatus.UNHEALTHY);
        assertThat(tracker.health("closed").errorRate()).isEqualTo(0.12);
    }

    @Test
    void threeConsecutiveConnectionFailuresAreUnhealthyUntilAConnectionSucceeds() {
        tracker.connectionFailed();
        tracker.connectionFailed();
        assertThat(tracker.health("closed").status()).isEqualTo(HealthStatus.HEALTHY);
        tracker.connectionFailed();
        assertThat(tracker.health("open"))
                .extracting(Health::status, Health::consecutiveConnectionFailures, Health::reason)
                .containsExactly(HealthStatus.UNHEALTHY, 3, "3 consecutive connection failures; circuit open");
        tracker.connected();
        assertThat(tracker.health("closed").status()).isEqualTo(HealthStatus.HEALTHY);
    }

    @Test
    void theWindowForgetsOldStatements() {
        statements(100, 2000, false);
        statements(100, 10, false);
        assertThat(tracker.health("closed").status()).isEqualTo(HealthStatus.HEALTHY);
    }

    @Test
    void concurrentRecordingKeepsAFullWindowOfRecordedValues() throws Exception {
        int threads = 8;
        int each = 20_000;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long millis = t + 1;
                boolean failed = t % 2 == 0;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        tracker.statement(millis * MS, failed);
                        tracker.connected();
                    }
                }));
            }
            for (java.util.concurrent.Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        Health h = tracker.health("closed");
        int window = HealthThresholds.ofDefaults().window();
        assertThat(h.samples()).isEqualTo(window);
        long[] latencies = tracker.latencies();
        assertThat(latencies).hasSize(window);
        assertThat(java.util.Arrays.stream(latencies).boxed().toList()).allSatisfy(nanos -> {
            assertThat(nanos % MS).isZero();
            assertThat(nanos / MS).isBetween(1L, (long) threads);
        });
        assertThat(h.errorRate()).isBetween(0.0, 1.0);
        statements(window, 3, false); // the ring still overwrites in order: one full window later only these remain
        assertThat(tracker.latencies()).containsOnly(3 * MS);
        assertThat(tracker.health("closed").errorRate()).isZero();
    }

    @Test
    void aNegativeOrHugeLatencyIsStoredWithoutCorruptingItsOutcome() {
        tracker.statement(-5, true);
        tracker.statement(Long.MAX_VALUE, false);
        assertThat(tracker.latencies()).containsExactly(0L, Long.MAX_VALUE >> 1);
        assertThat(tracker.health("closed").errorRate()).isEqualTo(0.5);
    }
}
