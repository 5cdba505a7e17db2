package io.openinsure.db.testkit.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.openinsure.db.core.ConnectionUnavailableException;
import io.openinsure.db.core.DatabaseUrl;
import io.openinsure.db.core.KeyspaceClient;
import io.openinsure.db.domains.Keyspace;
import io.openinsure.db.domains.OpenInsureDb;
import io.openinsure.db.testkit.EmbeddedMariaDb;
import io.openinsure.db.testkit.TestBackend;
import io.openinsure.db.testkit.Topology;
import io.openinsure.db.testkit.internal.AdminConnections;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * FAULT: the JVM's embedded MariaDB stops under a write load and starts again. During the outage every
 * failed call fails with a typed error within the acquisition timeout (no hang); after the restart every
 * client answers again within 5 s; every acknowledged write is present. The server is running again
 * when this class ends, whatever happens.
 */
@Timeout(180)
class ServerRestartUnderWriteLoadTest {

    private static final List<Keyspace> WRITERS = List.of(Keyspace.POLICIES, Keyspace.CLAIMS, Keyspace.BILLING);
    private static final Duration ACQUISITION = Duration.ofSeconds(1);

    @AfterAll
    static void serverRunsAgain() {
        EmbeddedMariaDb.shared().start();
    }

    @Test
    void writesAcknowledgedBeforeDuringAndAfterAnOutageAreAllThereAndEveryClientRecovers() throws Exception {
        EmbeddedMariaDb server = HealthFixture.server();
        for (Keyspace k : WRITERS) {
            HealthFixture.admin(
                    server,
                    "CREATE TABLE IF NOT EXISTS " + k.database() + ".fault_writes (id BIGINT PRIMARY KEY, writer INT)",
                    "DELETE FROM " + k.database() + ".fault_writes");
        }
        Map<Keyspace, Set<Long>> acknowledged = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicLong slowestFailureMs = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong ids = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS.size());
        try (OpenInsureDb db = Topology.of(TestBackend.MARIADB)
                .builder()
                .defaults(b -> b.connectionTimeout(ACQUISITION))
                .build()) {
            List<Future<?>> writers = new ArrayList<>();
            for (Keyspace k : WRITERS) {
                Set<Long> acks = ConcurrentHashMap.newKeySet();
                acknowledged.put(k, acks);
                KeyspaceClient client = db.client(k);
                writers.add(pool.submit(() -> {
                    while (running.get()) {
                        long id = ids.incrementAndGet();
                        long t0 = System.nanoTime();
                        try {
                            client.dsl()
                                    .execute("INSERT INTO fault_writes (id, writer) VALUES (?, ?)", id, k.ordinal());
                            acks.add(id);
                        } catch (RuntimeException e) {
                            failures.add(e);
                            slowestFailureMs.accumulateAndGet((System.nanoTime() - t0) / 1_000_000, Math::max);
                            sleep(20);
                        }
                        sleep(5);
                    }
                }));
            }
            sleep(1_000);
            int before = acknowledged.values().stream().mapToInt(Set::size).sum();
            server.stop();
            try {
                sleep(3_000);
            } finally {
                server.start();
            }
            long restarted = System.nanoTime();
            // Every client answers again within 5 s of the restart (each call itself bounded by the acquisition
            // timeout).
            for (Keyspace k : Keyspace.values()) {
                KeyspaceClient client = db.client(k);
                while (true) {
                    try {
                        client.uncached().fetchValue("SELECT 1");
                        break;
                    } catch (ConnectionUnavailableException e) {
                        assertThat(Duration.ofNanos(System.nanoTime() - restarted))
                                .as(k + " recovered")
                                .isLessThan(Duration.ofSeconds(5));
                        sleep(50);
                    }
                }
            }
            long recoveredMs = (System.nanoTime() - restarted) / 1_000_000;
            int atRecovery = acknowledged.values().stream().mapToInt(Set::size).sum();
            sleep(1_000);
            running.set(false);
            for (Future<?> w : writers) {
                w.get(30, TimeUnit.SECONDS);
            }
            int after = acknowledged.values().stream().mapToInt(Set::size).sum();

            assertThat(before).as("writes before the outage").isPositive();
            assertThat(after).as("writes after the restart").isGreaterThan(atRecovery);
            assertThat(failures).as("the outage was noticed").isNotEmpty();
            assertThat(failures)
                    .as("typed failures only")
                    .allSatisfy(f -> assertThat(f).isInstanceOf(ConnectionUnavailableException.class));
            assertThat(slowestFailureMs.get())
                    .as("no failed call waited much beyond the acquisition timeout")
                    .isLessThan(ACQUISITION.toMillis() + 2_000);
            assertThat(recoveredMs).isLessThan(5_000);
        } finally {
            running.set(false);
            pool.shutdownNow();
        }

        try (Connection c = AdminConnections.open(DatabaseUrl.parse(server.connectionString(null)));
                Statement st = c.createStatement()) {
            for (Keyspace k : WRITERS) {
                Set<Long> stored = new HashSet<>();
                try (ResultSet rs = st.executeQuery("SELECT id FROM " + k.database() + ".fault_writes")) {
                    while (rs.next()) {
                        stored.add(rs.getLong(1));
                    }
                }
                assertThat(stored)
                        .as("every acknowledged write to " + k + " is stored")
                        .containsAll(acknowledged.get(k));
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
