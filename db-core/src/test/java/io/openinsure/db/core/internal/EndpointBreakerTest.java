package io.openinsure.db.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.openinsure.db.core.DatabaseUrl;
import io.openinsure.db.core.HealthThresholds;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The breaker's verdict with successive successes left unrecorded ({@link Endpoint#borrowed}): it still opens
 * exactly when the last {@code n} borrows failed. No server is needed: the outcomes are fed in directly and the
 * pool is never started.
 */
class EndpointBreakerTest {

    private final HikariDataSource pool = new HikariDataSource();
    private final Endpoint endpoint = new Endpoint(
            "pooled",
            DatabaseUrl.parse("mysql://127.0.0.1:1/oi_policies"),
            "test",
            pool,
            HealthThresholds.ofDefaults(),
            new RotatingCredentials(io.openinsure.db.core.CredentialsProvider.of("u", "p"), "test"),
            new Properties(),
            Duration.ofSeconds(1),
            0);
    private final int n = HealthThresholds.ofDefaults().connectionFailuresToOpen();

    @AfterEach
    void close() {
        endpoint.close();
    }

    private void fail(int times) {
        for (int i = 0; i < times; i++) {
            endpoint.borrowFailed("refused", 1_000, new SQLException("refused", "08001"));
        }
    }

    private void succeed(int times) {
        for (int i = 0; i < times; i++) {
            endpoint.borrowed(1_000);
        }
    }

    @Test
    void opensAfterNConsecutiveFailuresWhateverCameBefore() {
        succeed(1_000);
        fail(n - 1);
        assertThat(endpoint.circuit()).isEqualTo("closed");
        fail(1);
        assertThat(endpoint.circuit()).isEqualTo("open");
        assertThat(endpoint.consecutiveFailures()).isEqualTo(n);
    }

    @Test
    void aSuccessBetweenFailuresKeepsItClosedEvenAfterLongRunsOfSuccesses() {
        for (int round = 0; round < 5; round++) {
            fail(n - 1);
            succeed(round * 100 + 1);
        }
        fail(n - 1);
        assertThat(endpoint.circuit()).isEqualTo("closed");
        assertThat(endpoint.consecutiveFailures()).isEqualTo(n - 1);
        succeed(1);
        assertThat(endpoint.consecutiveFailures()).isZero();
        fail(n - 1);
        assertThat(endpoint.circuit())
                .as("the success after the last run was recorded")
                .isEqualTo("closed");
    }

    @Test
    void aSuccessIsRecordedAgainOnceTheProbeHasClosedTheCircuit() {
        fail(n);
        assertThat(endpoint.circuit()).isEqualTo("open");
        endpoint.breaker.transitionToClosedState();
        endpoint.connected();
        succeed(3);
        fail(n - 1);
        assertThat(endpoint.circuit()).isEqualTo("closed");
        fail(1);
        assertThat(endpoint.circuit()).isEqualTo("open");
    }
}
