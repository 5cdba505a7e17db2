package io.openinsure.db.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.openinsure.db.core.BindingConfig;
import io.openinsure.db.core.CacheStatus;
import io.openinsure.db.core.CircuitOpenException;
import io.openinsure.db.core.ConnectionUnavailableException;
import io.openinsure.db.core.Health;
import io.openinsure.db.core.HealthStatus;
import io.openinsure.db.core.KeyspaceClient;
import io.openinsure.db.core.ServerErrorException;
import io.openinsure.db.testsupport.EmbeddedMariaDbServer;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** health() from real statements on the embedded MariaDB, and the circuit breaker against a dead port and a proxy. */
@Timeout(120)
class HealthAndCircuitTest {

    private static EmbeddedMariaDbServer server;

    @BeforeAll
    static void start() {
        server = ServerFixture.healthDatabase();
    }

    private static BindingConfig.Builder binding(String url) {
        return BindingConfig.builder("health")
                .url(url)
                .user("root")
                .maxPoolSize(3)
                .minIdle(0)
                .connectionTimeout(Duration.ofMillis(500))
                .circuitProbeInterval(Duration.ofMillis(200));
    }

    @Test
    void slowQueriesMakeTheClientDegradedThenUnhealthyAndFastOnesHealthyAgain() {
        try (KeyspaceClient client = KeyspaceClient.open(binding(server.connectionString(ServerFixture.HEALTH_DATABASE))
                .healthWindow(3)
                .healthDegradedLatency(Duration.ofMillis(500))
                .healthUnhealthyLatency(Duration.ofMillis(1500))
                .build())) {
            assertThat(client.health().status()).isEqualTo(HealthStatus.HEALTHY);
            for (int i = 0; i < 3; i++) {
                client.uncached().fetchValue("SELECT SLEEP(0.6)");
            }
            Health slow = client.health();
            assertThat(slow.status()).isEqualTo(HealthStatus.DEGRADED);
            assertThat(slow.latency()).isGreaterThanOrEqualTo(Duration.ofMillis(600));
            assertThat(slow.samples()).isEqualTo(3);
            assertThat(slow.reason()).startsWith("latency ").endsWith(" ms over 500 ms");
            assertThat(slow.circuit()).isEqualTo("closed");

            for (int i = 0; i < 3; i++) {
                client.uncached().fetchValue("SELECT SLEEP(1.6)");
            }
            assertThat(client.health().status()).isEqualTo(HealthStatus.UNHEALTHY);
            assertThat(client.health().reason()).endsWith(" ms over 1500 ms");

            for (int i = 0; i < 3; i++) {
                client.uncached().fetchValue("SELECT 1");
            }
            assertThat(client.health().status()).isEqualTo(HealthStatus.HEALTHY);
            assertThat(client.health().reason()).isEqualTo("ok");
        }
    }

    @Test
    void sqlErrorsRaiseTheErrorRateButNeverOpenTheCircuit() {
        try (KeyspaceClient client = KeyspaceClient.open(binding(server.connectionString(ServerFixture.HEALTH_DATABASE))
                .healthWindow(10)
                .build())) {
            for (int i = 0; i < 9; i++) {
                client.uncached().fetchValue("SELECT v FROM probe WHERE id = 1");
            }
            assertThatThrownBy(() -> client.uncached().fetchValue("SELECT nope FROM no_such_table"))
                    .isInstanceOf(ServerErrorException.class);
            Health one = client.health();
            assertThat(one.errorRate()).isEqualTo(0.1);
            assertThat(one.status()).isEqualTo(HealthStatus.DEGRADED);
            assertThat(one.reason()).isEqualTo("error rate 10.0 % over 5.0 %");

            for (int i = 0; i < 5; i++) {
                assertThatThrownBy(() -> client.uncached().fetchValue("SELEC broken"))
                        .isInstanceOf(ServerErrorException.class);
            }
            Health many = client.health();
            assertThat(many.status()).isEqualTo(HealthStatus.UNHEALTHY);
            assertThat(many.reason()).startsWith("error rate 60.0 %");
            assertThat(many.circuit())
                    .as("SQL errors are not connection failures")
                    .isEqualTo("closed");
            assertThat(many.consecutiveConnectionFailures()).isZero();
        }
    }

    @Test
    void threeConnectionFailuresOpenTheCircuitThenCallsFailAtOnce() throws Exception {
        int dead = ServerFixture.deadPort();
        try (KeyspaceClient client = KeyspaceClient.open(
                binding("mysql://127.0.0.1:" + dead + "/oi_health").build())) {
            for (int i = 1; i <= 3; i++) {
                Throwable t = catchThrowable(() -> client.uncached().fetchValue("SELECT 1"));
                assertThat(t)
                        .isInstanceOf(ConnectionUnavailableException.class)
                        .isNotInstanceOf(CircuitOpenException.class);
                assertThat(t.getMessage())
                        .startsWith("Keyspace 'health': no connection available within 500 ms")
                        .contains("127.0.0.1:" + dead + "/oi_health is unreachable");
                assertThat(client.health().consecutiveConnectionFailures()).isEqualTo(i);
            }
            long t0 = System.nanoTime();
            Throwable open = catchThrowable(() -> client.uncached().fetchValue("SELECT 1"));
            long tookMs = (System.nanoTime() - t0) / 1_000_000;
            assertThat(open).isInstanceOf(CircuitOpenException.class);
            assertThat(tookMs)
                    .as("fails at once, without waiting on the pool (500 ms)")
                    .isLessThan(250);
            assertThat(open.getMessage())
                    .startsWith("Keyspace 'health': circuit open after 3 consecutive connection failures to 127.0.0.1:"
                            + dead + "/oi_health (last: ")
                    .endsWith(
                            "failing at once instead of waiting on the pool. The client probes the server every 200 ms and closes "
                                    + "the circuit when it answers.");
            Health health = client.health();
            assertThat(health.status()).isEqualTo(HealthStatus.UNHEALTHY);
            assertThat(health.circuit()).isEqualTo("open");
            assertThat(health.reason()).isEqualTo("3 consecutive connection failures; circuit open");
            // Still open after several probe intervals: nothing answers on that port.
            Thread.sleep(700);
            assertThat(catchThrowable(() -> client.dsl().fetchValue("SELECT 1")))
                    .isInstanceOf(CircuitOpenException.class);
        }
    }

    @Test
    void theCircuitClosesWhenTheServerAnswersAgainAndCacheHitsNeverNoticeIt() throws Exception {
        try (TcpProxy proxy = new TcpProxy(server.port());
                KeyspaceClient client = KeyspaceClient.open(binding("mysql://127.0.0.1:" + proxy.port() + "/oi_health")
                        .build())) {
            String cached = "SELECT v FROM probe WHERE id = 1";
            assertThat(client.dsl().fetchValue(cached)).isEqualTo("one");
            proxy.stop();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!"open".equals(client.health().circuit())) {
                assertThat(System.nanoTime()).as("circuit opened").isLessThan(deadline);
                assertThat(catchThrowable(() -> client.uncached().fetchValue("SELECT 1")))
                        .isInstanceOf(ConnectionUnavailableException.class);
            }
            assertThat(catchThrowable(() -> client.uncached().fetchValue("SELECT 1")))
                    .isInstanceOf(CircuitOpenException.class);
            long hitsBefore = client.cacheStats().count(CacheStatus.HIT);
            assertThat(client.dsl().fetchValue(cached))
                    .as("a cache hit borrows no connection")
                    .isEqualTo("one");
            assertThat(client.cacheStats().count(CacheStatus.HIT)).isEqualTo(hitsBefore + 1);

            proxy.start();
            deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!"closed".equals(client.health().circuit())) {
                assertThat(System.nanoTime()).as("the probe closed the circuit").isLessThan(deadline);
                Thread.sleep(50);
            }
            assertThat(client.uncached().fetchValue("SELECT 2")).isNotNull();
            assertThat(client.health().status()).isEqualTo(HealthStatus.HEALTHY);
            assertThat(client.health().consecutiveConnectionFailures()).isZero();
        }
    }
}
