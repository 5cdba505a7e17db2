package io.openinsure.db.testkit.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openinsure.db.core.DatabaseReport;
import io.openinsure.db.core.KeyspaceClient;
import io.openinsure.db.domains.Keyspace;
import io.openinsure.db.domains.OpenInsureDb;
import io.openinsure.db.testkit.EmbeddedMariaDb;
import io.openinsure.db.testkit.TestBackend;
import io.openinsure.db.testkit.Topology;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** db.report() on real clients, rendered to JSON and read back with Jackson. */
@Timeout(120)
class ReportTest {

    @Test
    void theReportRendersEveryClientWithNumbersAndRecommendations() throws Exception {
        EmbeddedMariaDb server = HealthFixture.server();
        HealthFixture.admin(
                server,
                "CREATE TABLE IF NOT EXISTS oi_claims.report_probe (id BIGINT PRIMARY KEY, at DATETIME)",
                "INSERT IGNORE INTO oi_claims.report_probe VALUES (1, '2020-01-01 00:00:00')");
        try (OpenInsureDb db = Topology.of(TestBackend.MARIADB).open()) {
            KeyspaceClient claims = db.client(Keyspace.CLAIMS);
            for (int i = 0; i < 25; i++) {
                claims.dsl().fetchValue("SELECT id FROM report_probe WHERE at < NOW()"); // volatile: never cached
            }
            KeyspaceClient policies = db.client(Keyspace.POLICIES);
            for (int i = 0; i < 5; i++) {
                policies.dsl().fetchValue("SELECT 1");
            }

            DatabaseReport report = db.report();
            assertThat(report.clients())
                    .extracting(DatabaseReport.ClientReport::name)
                    .containsExactly("global", "policies", "submissions", "claims", "billing", "legacy");
            JsonNode json = new ObjectMapper().readTree(report.toJson());

            assertThat(Instant.parse(json.get("generatedAt").asText())).isBeforeOrEqualTo(Instant.now());
            assertThat(json.get("clients")).hasSize(6);
            JsonNode c = find(json, "claims");
            assertThat(c.get("mode").asText()).isEqualTo("pooled");
            assertThat(c.get("server").asText()).isEqualTo("127.0.0.1:" + server.port() + "/oi_claims");
            assertThat(c.get("pool").get("max").asInt()).isEqualTo(4);
            assertThat(c.get("pool").get("total").asInt()).isGreaterThanOrEqualTo(1);
            assertThat(c.get("pool").has("waiting")).isTrue();
            assertThat(c.get("latency").get("samples").asInt()).isEqualTo(25);
            double p50 = c.get("latency").get("p50Ms").asDouble();
            double p95 = c.get("latency").get("p95Ms").asDouble();
            double p99 = c.get("latency").get("p99Ms").asDouble();
            assertThat(p50).isPositive().isLessThanOrEqualTo(p95);
            assertThat(p95).isLessThanOrEqualTo(p99);
            assertThat(c.get("errorRate").asDouble()).isZero();
            assertThat(c.get("statements").asLong()).isEqualTo(25);
            assertThat(c.get("qps").asDouble()).isPositive();
            assertThat(c.get("cache").get("hitRate").asDouble()).isZero();
            assertThat(c.get("cache").get("statuses").get("volatile").asLong()).isEqualTo(25);
            assertThat(c.get("roundTripMs").asDouble()).isPositive();
            assertThat(c.get("health").get("status").asText()).isEqualTo("HEALTHY");
            assertThat(c.get("health").get("circuit").asText()).isEqualTo("closed");
            assertThat(c.get("fallback").isNull()).isTrue();
            assertThat(texts(c.get("recommendations")))
                    .containsExactly(
                            "low hit rate (0 % of 25 reads served from the cache) caused "
                                    + "mostly by volatile functions (25 reads call NOW(), RAND(), …): bind the time as a parameter (see explain())");

            JsonNode p = find(json, "policies");
            assertThat(p.get("cache").get("statuses").get("hit").asLong()).isEqualTo(4);
            assertThat(p.get("cache").get("hitRate").asDouble()).isEqualTo(0.8);
            assertThat(texts(p.get("recommendations"))).containsExactly("healthy: no action needed");
            assertThat(texts(json.get("recommendations")))
                    .contains("[policies] healthy: no action needed")
                    .anyMatch(r -> r.startsWith("[claims] low hit rate"));
        }
    }

    @Test
    void anOpenCircuitSkipsTheRoundTripAndSaysSo() throws Exception {
        int dead = HealthFixture.deadPort();
        try (OpenInsureDb db = Topology.of(TestBackend.MARIADB)
                .builder()
                .binding(
                        Keyspace.BILLING,
                        b -> b.url("mysql://127.0.0.1:" + dead + "/oi_billing")
                                .connectionTimeout(java.time.Duration.ofMillis(300)))
                .build()) {
            for (int i = 0; i < 3; i++) {
                try {
                    db.billing().uncached().fetchValue("SELECT 1");
                } catch (RuntimeException expected) {
                    // connection failures open the circuit
                }
            }
            long t0 = System.nanoTime();
            JsonNode b = find(new ObjectMapper().readTree(db.report().toJson()), "billing");
            assertThat((System.nanoTime() - t0) / 1_000_000)
                    .as("no wait on the dead server")
                    .isLessThan(2_000);
            assertThat(b.get("roundTripMs").isNull()).isTrue();
            assertThat(b.get("health").get("status").asText()).isEqualTo("UNHEALTHY");
            assertThat(texts(b.get("recommendations")))
                    .anySatisfy(r -> assertThat(r)
                            .startsWith("circuit open: 3 consecutive connection failures to 127.0.0.1:" + dead
                                    + "/oi_billing (last: ")
                            .endsWith("calls fail at once and the server is probed every 1000 ms"));
        }
    }

    private static JsonNode find(JsonNode json, String name) {
        for (JsonNode c : json.get("clients")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no client " + name + " in " + json);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
