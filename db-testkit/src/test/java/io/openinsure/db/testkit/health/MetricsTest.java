package io.openinsure.db.testkit.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.openinsure.db.core.BindingConfig;
import io.openinsure.db.core.KeyspaceClient;
import io.openinsure.db.core.ServerErrorException;
import io.openinsure.db.domains.Keyspace;
import io.openinsure.db.domains.OpenInsureDb;
import io.openinsure.db.testkit.EmbeddedMariaDb;
import io.openinsure.db.testkit.TestBackend;
import io.openinsure.db.testkit.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The meters of every client in a SimpleMeterRegistry: names and tags. */
@Timeout(120)
class MetricsTest {

    @Test
    void everyClientPublishesQueryErrorCacheAndPoolMetersTaggedByKeyspace() {
        EmbeddedMariaDb server = HealthFixture.server();
        HealthFixture.admin(
                server,
                "CREATE TABLE IF NOT EXISTS oi_policies.metrics_probe (id BIGINT PRIMARY KEY, v VARCHAR(20))",
                "INSERT IGNORE INTO oi_policies.metrics_probe VALUES (1, 'a')");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (OpenInsureDb db = Topology.of(TestBackend.MARIADB)
                .builder()
                .meterRegistry(registry)
                .build()) {
            KeyspaceClient policies = db.client(Keyspace.POLICIES);
            String read = "SELECT v FROM metrics_probe WHERE id = 1";
            policies.dsl().fetchValue(read); // miss
            policies.dsl().fetchValue(read); // hit
            policies.uncached().fetchValue(read); // bypass
            assertThatThrownBy(() -> policies.dsl().fetchValue("SELECT v FROM no_such_table"))
                    .isInstanceOf(ServerErrorException.class);
            db.client(Keyspace.CLAIMS).uncached().fetchValue("SELECT 1");

            assertThat(registry.get("openinsure.db.query")
                            .tags("keyspace", "policies", "outcome", "success", "cache", "miss")
                            .timer()
                            .count())
                    .isEqualTo(1);
            assertThat(registry.get("openinsure.db.query")
                            .tags("keyspace", "policies", "outcome", "success", "cache", "hit")
                            .timer()
                            .count())
                    .isEqualTo(1);
            assertThat(registry.get("openinsure.db.query")
                            .tags("keyspace", "policies", "outcome", "success", "cache", "bypass")
                            .timer()
                            .count())
                    .isEqualTo(1);
            assertThat(registry.get("openinsure.db.query")
                            .tags("keyspace", "policies", "outcome", "error")
                            .timers())
                    .extracting(t -> t.count())
                    .contains(1L);
            assertThat(registry.get("openinsure.db.errors")
                            .tags("keyspace", "policies", "type", "sql")
                            .counter()
                            .count())
                    .isEqualTo(1);
            assertThat(registry.get("openinsure.db.cache")
                            .tags("keyspace", "policies", "status", "hit")
                            .functionCounter()
                            .count())
                    .isEqualTo(1);
            assertThat(registry.get("openinsure.db.cache")
                            .tags("keyspace", "policies", "status", "miss")
                            .functionCounter()
                            .count())
                    .isEqualTo(1);
            assertThat(
                            registry
                                    .get("openinsure.db.query")
                                    .tags("keyspace", "claims", "outcome", "success")
                                    .timers()
                                    .stream()
                                    .mapToLong(t -> t.count())
                                    .sum())
                    .isEqualTo(1);
            for (Keyspace k : Keyspace.values()) {
                assertThat(registry.find("openinsure.db.cache")
                                .tag("keyspace", k.bindingName())
                                .meters())
                        .isNotEmpty();
                String pool = "oi-" + k.bindingName();
                assertThat(registry.get("hikaricp.connections")
                                .tag("pool", pool)
                                .gauge())
                        .isNotNull();
                assertThat(registry.get("hikaricp.connections.active")
                                .tag("pool", pool)
                                .gauge())
                        .isNotNull();
                assertThat(registry.get("hikaricp.connections.idle")
                                .tag("pool", pool)
                                .gauge())
                        .isNotNull();
                assertThat(registry.get("hikaricp.connections.pending")
                                .tag("pool", pool)
                                .gauge())
                        .isNotNull();
            }
            assertThat(registry.get("hikaricp.connections.acquire")
                            .tag("pool", "oi-policies")
                            .timer()
                            .count())
                    .isPositive();
        }
        assertThat(registry.getMeters())
                .as("closing the clients removes their meters")
                .noneMatch(m -> m.getId().getName().startsWith("openinsure.db")
                        || m.getId().getName().startsWith("hikaricp"));
    }

    @Test
    void theCoreLevelOpenTakesARegistryToo() {
        EmbeddedMariaDb server = HealthFixture.server();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (KeyspaceClient client = KeyspaceClient.open(
                BindingConfig.builder("solo")
                        .url(server.connectionString("oi_health"))
                        .minIdle(0)
                        .build(),
                registry)) {
            client.uncached().fetchValue("SELECT 1");
            assertThat(registry.getMeters()).extracting(Meter::getId).anySatisfy(id -> {
                assertThat(id.getName()).isEqualTo("openinsure.db.query");
                assertThat(id.getTag("keyspace")).isEqualTo("solo");
            });
        }
    }
}
