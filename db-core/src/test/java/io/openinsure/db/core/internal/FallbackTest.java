package io.openinsure.db.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.openinsure.db.core.BindingConfig;
import io.openinsure.db.core.ConnectionMode;
import io.openinsure.db.core.ConnectionUnavailableException;
import io.openinsure.db.core.DatabaseReport;
import io.openinsure.db.core.KeyspaceClient;
import io.openinsure.db.testsupport.EmbeddedMariaDbServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fallback between two real endpoints: the "pooled" URL is a TCP proxy in front of the embedded MariaDB,
 * the direct URL is the MariaDB itself. Taking the proxy down moves the client to direct; bringing it back
 * returns the client to pooled.
 */
@Timeout(120)
class FallbackTest {

    @Test
    void switchesToTheDirectUrlWhenThePooledOneFailsAndReturnsWhenItAnswers() throws Exception {
        EmbeddedMariaDbServer server = ServerFixture.healthDatabase();
        String secret = "fallback-secret-pw";
        ServerFixture.mariaDb(
                "CREATE USER IF NOT EXISTS 'oi_fallback'@'127.0.0.1' IDENTIFIED BY '" + secret + "'",
                "CREATE USER IF NOT EXISTS 'oi_fallback'@'localhost' IDENTIFIED BY '" + secret + "'",
                "GRANT ALL ON oi_health.* TO 'oi_fallback'@'127.0.0.1'",
                "GRANT ALL ON oi_health.* TO 'oi_fallback'@'localhost'");
        try (ServerFixture.Logs logs = new ServerFixture.Logs();
                TcpProxy proxy = new TcpProxy(server.port());
                KeyspaceClient client = KeyspaceClient.open(BindingConfig.builder("fallback")
                        .url("mysql://oi_fallback:" + secret + "@127.0.0.1:" + proxy.port() + "/oi_health")
                        .directUrl("mysql://oi_fallback:" + secret + "@127.0.0.1:" + server.port() + "/oi_health")
                        .maxPoolSize(3)
                        .minIdle(0)
                        .connectionTimeout(Duration.ofMillis(500))
                        .circuitProbeInterval(Duration.ofMillis(200))
                        .build())) {
            assertThat(client.mode()).isEqualTo(ConnectionMode.POOLED);
            assertThat(client.uncached().fetchValue("SELECT v FROM probe WHERE id = 1"))
                    .isEqualTo("one");

            proxy.stop();
            int failures = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (client.mode() != ConnectionMode.DIRECT) {
                assertThat(System.nanoTime()).as("switched to direct").isLessThan(deadline);
                Throwable t = catchThrowable(() -> client.uncached().fetchValue("SELECT 1"));
                if (t != null) {
                    assertThat(t).isInstanceOf(ConnectionUnavailableException.class);
                    failures++;
                }
            }
            assertThat(failures).as("failures before the switch").isLessThanOrEqualTo(3);
            assertThat(client.uncached().fetchValue("SELECT v FROM probe WHERE id = 1"))
                    .isEqualTo("one");
            assertThat(client.toString()).contains("direct", "127.0.0.1:" + server.port() + "/oi_health");
            assertThat(client.poolStats().total()).isPositive();

            DatabaseReport.ClientReport report = client.report();
            assertThat(report.mode()).isEqualTo("direct");
            assertThat(report.fallback().pooledServer()).isEqualTo("127.0.0.1:" + proxy.port() + "/oi_health");
            assertThat(report.recommendations())
                    .anySatisfy(r -> assertThat(r)
                            .startsWith(
                                    "running on the direct fallback 127.0.0.1:" + server.port() + "/oi_health since "));

            // Still direct while the pooled endpoint is down.
            Thread.sleep(600);
            assertThat(client.mode()).isEqualTo(ConnectionMode.DIRECT);

            proxy.start();
            deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (client.mode() != ConnectionMode.POOLED) {
                assertThat(System.nanoTime()).as("returned to pooled").isLessThan(deadline);
                Thread.sleep(50);
            }
            assertThat(client.uncached().fetchValue("SELECT v FROM probe WHERE id = 1"))
                    .isEqualTo("one");
            assertThat(client.report().fallback()).isNull();

            List<ILoggingEvent> switches = logs.events().stream()
                    .filter(e -> e.getFormattedMessage().contains("switching to the direct fallback"))
                    .toList();
            assertThat(switches).as("the switch is logged once").hasSize(1);
            assertThat(switches.get(0).getLevel()).isEqualTo(Level.WARN);
            assertThat(switches.get(0).getFormattedMessage())
                    .startsWith(
                            "openinsure-db [fallback] pooled endpoint 127.0.0.1:" + proxy.port() + "/oi_health failed ")
                    .endsWith("switching to the direct fallback 127.0.0.1:" + server.port()
                            + "/oi_health until it answers again");
            assertThat(logs.messages())
                    .filteredOn(m -> m.contains("leaving the direct fallback"))
                    .hasSize(1);
            assertThat(logs.messages()).noneMatch(m -> m.contains(secret) || m.contains("oi_fallback:"));
        }
    }
}
