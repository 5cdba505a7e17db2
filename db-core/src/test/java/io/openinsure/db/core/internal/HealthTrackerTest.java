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
        assertThat(tracker.health("closed")).extracting(Health::status, Health::reason)
                .containsExactly(HealthStatus.DEGRADED, "latency 600 ms over 500 ms");
        statements(100, 1200, false);
        assertThat(tracker.health("closed")).extracting(Health::status, Health::latency, Health::reason)
                .containsExactly(HealthStatus.UNHEALTHY, Duration.ofMillis(1200), "latency 1200 ms over 1000 ms");
    }

    @Test
    void errorRatesOver5And10PercentDegradeThenFail() {
        statements(94, 1, false);
        statements(6, 1, true);
        assertThat(tracker.health("closed")).extracting(Health::status, Health::reason)
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
        assertThat(tracker.health("open")).extracting(Health::status, Health::consecutiveConnectionFailures, Health::reason)
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
}
