package io.openinsure.db.testkit.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.openinsure.db.core.CircuitOpenException;
import io.openinsure.db.core.ConnectionUnavailableException;
import io.openinsure.db.core.KeyspaceClient;
import io.openinsure.db.domains.Keyspace;
import io.openinsure.db.domains.OpenInsureDb;
import io.openinsure.db.testkit.TestBackend;
import io.openinsure.db.testkit.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** SELECT SLEEP(…) exhausts one keyspace's pool; the other keyspaces keep answering, and the circuit stays closed. */
@Timeout(120)
class PoolExhaustionIsolationTest {

    @Test
    void slowQueriesExhaustOnePoolWhileTheOtherKeyspacesAnswer() throws Exception {
        HealthFixture.server();
        try (OpenInsureDb db = Topology.of(TestBackend.MARIADB)
                .builder()
                .binding(Keyspace.POLICIES, b -> b.maxPoolSize(2).connectionTimeout(Duration.ofMillis(500)))
                .build()) {
            KeyspaceClient policies = db.client(Keyspace.POLICIES);
            for (KeyspaceClient c : db.clients()) {
                c.uncached().fetchValue("SELECT 1"); // warm every pool
            }
            List<CompletableFuture<Object>> sleepers = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                sleepers.add(
                        CompletableFuture.supplyAsync(() -> policies.uncached().fetchValue("SELECT SLEEP(4)")));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (policies.poolStats().active() < 2) {
                assertThat(System.nanoTime()).as("both connections taken").isLessThan(deadline);
                Thread.sleep(20);
            }

            long t0 = System.nanoTime();
            Throwable exhausted = catchThrowable(() -> policies.uncached().fetchValue("SELECT 1"));
            long waitedMs = (System.nanoTime() - t0) / 1_000_000;
            assertThat(exhausted)
                    .isInstanceOf(ConnectionUnavailableException.class)
                    .isNotInstanceOf(CircuitOpenException.class);
            assertThat(exhausted.getMessage())
                    .startsWith("Keyspace 'policies': no connection available within 500 ms (pool oi-policies: ")
                    .contains(
                            "the pool is exhausted: all 2 connections are in use. Raise OI_DB_POLICIES_POOL_MAX_SIZE");
            assertThat(waitedMs).isBetween(400L, 3_000L);

            for (KeyspaceClient other : db.clients()) {
                if (other == policies) {
                    continue;
                }
                long s = System.nanoTime();
                assertThat(other.uncached().fetchValue("SELECT 1")).isNotNull();
                assertThat((System.nanoTime() - s) / 1_000_000)
                        .as(other.name() + " answers normally")
                        .isLessThan(1_000);
            }

            for (CompletableFuture<Object> f : sleepers) {
                f.get(30, TimeUnit.SECONDS);
            }
            assertThat(policies.health().circuit())
                    .as("exhaustion is not a dead server")
                    .isEqualTo("closed");
            assertThat(policies.uncached().fetchValue("SELECT 1")).isNotNull();
        }
    }
}
