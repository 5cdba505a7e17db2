package io.openinsure.db.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.openinsure.db.core.BindingConfig;
import io.openinsure.db.core.DatabaseReport;
import io.openinsure.db.core.Health;
import io.openinsure.db.core.HealthStatus;
import io.openinsure.db.core.KeyspaceClient;
import io.openinsure.db.core.ReplicaReads;
import io.openinsure.db.core.spi.TypedReads;
import io.openinsure.db.testsupport.EmbeddedMariaDbServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.jooq.Record;
import org.jooq.TableField;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.jooq.impl.TableImpl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Replica reads and read-your-writes on real MariaDB replication: two embedded servers of their own, the second a
 * replica of the first that applies every change {@value #DELAY_S} s late ({@code MASTER_DELAY}). A read that sees the
 * old value was answered by the replica; one that sees the new value right after the write, by the primary. (Real
 * replication rather than "the same server with a second database updated late": it took a few lines here, and it also
 * gives the lag check something true to read, {@code Seconds_Behind_Master}.)
 */
@Timeout(180)
class ReplicaReadsTest {

    static final int DELAY_S = 2;
    private static final String DB = "oi_replica";

    private static EmbeddedMariaDbServer primary;
    private static EmbeddedMariaDbServer replica;

    @BeforeAll
    static void startReplication() throws Exception {
        primary = EmbeddedMariaDbServer.dedicated("--server-id=1", "--log-bin=oi-bin", "--binlog-format=ROW");
        replica = EmbeddedMariaDbServer.dedicated("--server-id=2");
        String file;
        long position;
        try (Connection c = primary.open("");
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW MASTER STATUS")) {
            rs.next();
            file = rs.getString(1);
            position = rs.getLong(2);
        }
        replica.execute(
                "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + primary.port() + ", MASTER_USER='root', "
                        + "MASTER_PASSWORD='', MASTER_LOG_FILE='" + file + "', MASTER_LOG_POS=" + position
                        + ", MASTER_SSL=0, "
                        + "MASTER_CONNECT_RETRY=1, MASTER_DELAY=" + DELAY_S,
                "START SLAVE");
        primary.execute(
                "CREATE DATABASE " + DB,
                "CREATE TABLE " + DB + ".item (id BIGINT PRIMARY KEY, v VARCHAR(50))",
                "CREATE TABLE " + DB + ".other (id BIGINT PRIMARY KEY, v VARCHAR(50))",
                "INSERT INTO " + DB + ".other VALUES (1, 'other')");
        await(
                Duration.ofSeconds(30),
                () -> valueOn(replica, "SELECT v FROM other WHERE id = 1") != null,
                "replication to start");
    }

    @AfterAll
    static void stop() {
        if (replica != null) {
            replica.close();
        }
        if (primary != null) {
            primary.close();
        }
    }

    @BeforeEach
    void freshRow() throws Exception {
        primary.execute("REPLACE INTO " + DB + ".item VALUES (1, 'old')");
        await(
                Duration.ofSeconds(20),
                () -> "old".equals(valueOn(replica, "SELECT v FROM item WHERE id = 1")),
                "the replica to catch up");
    }

    private static BindingConfig.Builder binding(String name, String replicaUrl) {
        return BindingConfig.builder(name)
                .url(primary.connectionString(DB))
                .replicaUrl(replicaUrl)
                .maxPoolSize(3)
                .minIdle(0)
                .connectionTimeout(Duration.ofMillis(500))
                .circuitProbeInterval(Duration.ofMillis(100));
    }

    @Test
    void eligibleReadsGoToTheReplicaWhileWritesTransactionsAndUncachedReadsGoToThePrimary() {
        try (KeyspaceClient client = KeyspaceClient.open(binding("replicated", replica.connectionString(DB))
                .replicaReads(ReplicaReads.READS)
                .readYourWritesWindow(Duration.ZERO)
                .cacheEnabled(false)
                .build())) {
            client.dsl().execute("UPDATE item SET v = 'new' WHERE id = ?", 1);

            // The replica applies the update DELAY_S seconds late: dsl() reads it, everything else reads the primary.
            assertThat(client.dsl().fetchValue("SELECT v FROM item WHERE id = ?", 1))
                    .isEqualTo("old");
            assertThat(client.uncached().fetchValue("SELECT v FROM item WHERE id = ?", 1))
                    .isEqualTo("new");
            assertThat((Object) client.transactionResult(tx -> tx.fetchValue("SELECT v FROM item WHERE id = ?", 1)))
                    .isEqualTo("new");
            assertThat(client.dsl().fetchValue("SELECT v FROM item WHERE id = ? FOR UPDATE", 1))
                    .as("a locking read")
                    .isEqualTo("new");
            assertThat(client.replica()).isSameAs(client.dsl());

            await(
                    Duration.ofSeconds(10),
                    () -> "new".equals(client.dsl().fetchValue("SELECT v FROM item WHERE id = ?", 1)),
                    "the replica to apply the update");
            Map<String, Long> reads = client.health().replica().reads();
            assertThat(reads.get("replica")).isGreaterThanOrEqualTo(2);
            assertThat(reads.get("recent_write")).isZero();
            assertThat(client.health().status()).isEqualTo(HealthStatus.HEALTHY);
        }
    }

    @Test
    void afterAWriteItsTablesAreReadFromThePrimaryForTheWindowThenFromTheReplica() {
        Duration window = Duration.ofSeconds(DELAY_S + 2);
        try (KeyspaceClient client = KeyspaceClient.open(binding("ryw", replica.connectionString(DB))
                .replicaReads(ReplicaReads.READS)
                .readYourWritesWindow(window)
                .build())) {
            assertThat(client.dsl().fetchValue("SELECT v FROM item WHERE id = ?", 1))
                    .isEqualTo("old"); // cached now
            client.dsl().execute("UPDATE item SET v = 'new' WHERE id = ?", 1);
            long written = System.nanoTime(); // the window runs from the write's commit, which is before this

            // The write invalidated the cached read, and the window sends the table's reads to the primary.
            assertThat(client.dsl().fetchValue("SELECT v FROM item WHERE id = ?", 1))
                    .isEqualTo("new");
            assertThat(client.uncached().fetchValue("SELECT v FROM item WHERE id = ? AND v IS NOT NULL", 1))
                    .isEqualTo("new");
            // Another table is not pinned: read from the replica.
            assertThat(client.dsl().fetchValue("SELECT v FROM other WHERE id = ?", 1))
                    .isEqualTo("other");
            Map<String, Long> reads = client.health().replica().reads();
            assertThat(reads.get("recent_write")).isEqualTo(1);
            assertThat(reads.get("replica")).isEqualTo(2); // the first read of item, and the read of other

            // After the window the replica, which lags less than the window, serves the read with the new value.
            sleepUntil(written + window.toNanos() + Duration.ofMillis(50).toNanos());
            assertThat(client.dsl().fetchValue("SELECT v FROM item WHERE id = ? AND id > ?", 1, 0))
                    .isEqualTo("new");
            assertThat(client.health().replica().reads())
                    .as(client.health().toString())
                    .containsEntry("replica", 3L);
        }
    }

    @Test
    void aWriteThroughAnotherClientOfTheSameDatabasePinsTheTablesToo() {
        try (KeyspaceClient writer = KeyspaceClient.open(
                        binding("writer", replica.connectionString(DB)).build());
                KeyspaceClient reader = KeyspaceClient.open(binding("reader", replica.connectionString(DB))
                        .replicaReads(ReplicaReads.READS)
                        .cacheEnabled(false)
                        .build())) {
            writer.onWrite(reader::invalidateCachedReads); // what OpenInsureDb wires between its clients
            writer.dsl().execute("UPDATE item SET v = 'new' WHERE id = ?", 1);
            assertThat(reader.dsl().fetchValue("SELECT v FROM item WHERE id = ?", 1))
                    .isEqualTo("new");
            assertThat(reader.health().replica().reads().get("recent_write")).isEqualTo(1);
        }
    }

    @Test
    void explicitModeSendsOnlyTheReplicaContextsReadsToTheReplica() {
        try (KeyspaceClient client = KeyspaceClient.open(binding("explicit", replica.connectionString(DB))
                .replicaReads(ReplicaReads.EXPLICIT)
                .readYourWritesWindow(Duration.ZERO)
                .cacheEnabled(false)
                .build())) {
            client.replica()
                    .execute("UPDATE item SET v = 'new' WHERE id = ?", 1); // a write through replica(): the primary
            assertThat(client.dsl().fetchValue("SELECT v FROM item WHERE id = ?", 1))
                    .isEqualTo("new");
            assertThat(client.replica().fetchValue("SELECT v FROM item WHERE id = ?", 1))
                    .isEqualTo("old");
            assertThat((Object) client.replica()
                            .transactionResult(tx -> tx.dsl().fetchValue("SELECT v FROM item WHERE id = ?", 1)))
                    .isEqualTo("new");
            assertThat(client.replica()).isNotSameAs(client.dsl());
        }
    }

    @Test
    void offSendsNothingToTheReplicaAndOpensNoPoolForIt() {
        try (KeyspaceClient client = KeyspaceClient.open(
                binding("off", replica.connectionString(DB)).cacheEnabled(false).build())) {
            client.dsl().execute("UPDATE item SET v = 'new' WHERE id = ?", 1);
            assertThat(client.replica().fetchValue("SELECT v FROM item WHERE id = ?", 1))
                    .isEqualTo("new");
            assertThat(client.health().replica()).isNull();
            assertThat(client.report().replica()).isNull();
        }
    }

    @Test
    void aCacheMissOnAConnectionTheReplicaDroppedRunsOnThePrimary() throws Exception {
        readOnceMoreOnThePrimaryAfterTheReplicaDroppedItsConnection(
                "droppedmiss",
                true,
                client -> client.dsl().fetchValue("SELECT v FROM other WHERE id = ?", 1), // a miss, on the replica
                client -> client.dsl().fetchValue("SELECT v FROM other WHERE id = ? AND v IS NOT NULL", 1));
    }

    @Test
    void aTypedReadOnAConnectionTheReplicaDroppedRunsOnThePrimary() throws Exception {
        // A deterministic read of all of a table's columns: straight on JDBC (ClientTypedReads), not through jOOQ.
        String sql = "SELECT id, v FROM other WHERE id = ?";
        Function<KeyspaceClient, Object> typed =
                client -> TypedReads.fetch(client.dsl(), sql, new Object[] {1L}, Other.OTHER)
                        .getValue(0, Other.OTHER.v);
        readOnceMoreOnThePrimaryAfterTheReplicaDroppedItsConnection("droppedtyped", false, typed, typed);
    }

    /** {@code first} reads from the replica; its pool's one connection is cut; {@code second} then reads on the primary. */
    private static void readOnceMoreOnThePrimaryAfterTheReplicaDroppedItsConnection(
            String binding,
            boolean cache,
            Function<KeyspaceClient, Object> first,
            Function<KeyspaceClient, Object> second)
            throws Exception {
        try (TcpProxy proxy = new TcpProxy(replica.port());
                KeyspaceClient client =
                        KeyspaceClient.open(binding(binding, "mysql://root@127.0.0.1:" + proxy.port() + "/" + DB)
                                .maxPoolSize(1)
                                .replicaReads(ReplicaReads.READS)
                                .readYourWritesWindow(Duration.ZERO)
                                .cacheEnabled(cache)
                                .build())) {
            assertThat(first.apply(client)).isEqualTo("other");
            proxy.stop(); // cuts the pool's one connection, which is handed out unchecked within 500 ms of its last use
            assertThat(second.apply(client)).isEqualTo("other");
            assertThat(client.health().replica().reads())
                    .as("borrowed from the replica, lost, read on the primary")
                    .containsEntry("replica", 2L)
                    .containsEntry("replica_down", 1L);
            assertThat(client.health().replica().consecutiveConnectionFailures())
                    .isEqualTo(1);
            assertThat(client.health().consecutiveConnectionFailures())
                    .as("the primary's")
                    .isZero();
        }
    }

    /** {@code other} as a jOOQ table, as db-domains' generated tables are: typed reads map its rows themselves. */
    private static final class Other extends TableImpl<Record> {
        private static final long serialVersionUID = 1L;
        static final Other OTHER = new Other();

        final TableField<Record, Long> id = createField(DSL.name("id"), SQLDataType.BIGINT);
        final TableField<Record, String> v = createField(DSL.name("v"), SQLDataType.VARCHAR(50));

        private Other() {
            super(DSL.name("other"));
        }
    }

    @Test
    void aReplicaThatStoppedReplicatingGetsNoReadsUntilItCatchesUp() throws Exception {
        try (KeyspaceClient client = KeyspaceClient.open(binding("lagging", replica.connectionString(DB))
                .replicaReads(ReplicaReads.READS)
                .readYourWritesWindow(Duration.ZERO)
                .replicaMaxLag(Duration.ofSeconds(1))
                .cacheEnabled(false)
                .build())) {
            replica.execute("STOP SLAVE SQL_THREAD");
            try {
                await(
                        Duration.ofSeconds(10),
                        () -> "lagging".equals(client.health().replica().state()),
                        "the lag check");
                client.dsl().execute("UPDATE item SET v = 'new' WHERE id = ?", 1);
                assertThat(client.dsl().fetchValue("SELECT v FROM item WHERE id = ?", 1))
                        .isEqualTo("new");
                Health health = client.health();
                assertThat(health.status()).isEqualTo(HealthStatus.DEGRADED);
                assertThat(health.reason())
                        .isEqualTo("replica 127.0.0.1:" + replica.port() + "/" + DB
                                + " not replicating (replication stopped): its reads go to the primary");
                assertThat(health.replica().lag()).isEqualTo("not replicating (replication stopped)");
                assertThat(health.replica().reads().get("replica_lagging")).isEqualTo(1);
                DatabaseReport.ClientReport report = client.report();
                assertThat(report.replica().state()).isEqualTo("lagging");
                assertThat(report.recommendations())
                        .contains(
                                "replica 127.0.0.1:" + replica.port() + "/" + DB
                                        + " is not replicating (replication stopped): its reads go to the primary until it catches up");
            } finally {
                replica.execute("START SLAVE SQL_THREAD");
            }
            await(
                    Duration.ofSeconds(20),
                    () -> "serving".equals(client.health().replica().state()),
                    "the replica to catch up");
            assertThat(client.health().status()).isEqualTo(HealthStatus.HEALTHY);
        }
    }

    @Test
    void aDeadReplicaSendsReadsToThePrimaryWithinTheAcquisitionTimeoutAndIsUsedAgainWhenItAnswers() throws Exception {
        try (TcpProxy proxy = new TcpProxy(replica.port());
                KeyspaceClient client =
                        KeyspaceClient.open(binding("deadreplica", "mysql://root@127.0.0.1:" + proxy.port() + "/" + DB)
                                .replicaReads(ReplicaReads.READS)
                                .readYourWritesWindow(Duration.ZERO)
                                .cacheEnabled(false)
                                .build())) {
            assertThat(client.dsl().fetchValue("SELECT v FROM item WHERE id = ?", 1))
                    .isEqualTo("old");
            primary.execute("UPDATE " + DB + ".item SET v = 'new' WHERE id = 1");

            // A read running on the replica when it dies runs once more on the primary (the replica still has 'old').
            java.util.concurrent.CompletableFuture<Object> slow = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> client.dsl().fetchValue("SELECT CONCAT(SLEEP(1), v) FROM item WHERE id = ?", 1));
            Thread.sleep(400);
            proxy.stop();
            assertThat(slow.get()).isEqualTo("0new");

            for (int i = 0; i < 6; i++) {
                long t0 = System.nanoTime();
                assertThat(client.dsl().fetchValue("SELECT v FROM item WHERE id = ?", 1))
                        .isEqualTo("new"); // from the primary
                assertThat(Duration.ofNanos(System.nanoTime() - t0))
                        .as("read %d", i)
                        .isLessThan(Duration.ofMillis(500 + 400));
            }
            Health health = client.health();
            assertThat(health.replica().state()).isEqualTo("down");
            assertThat(health.replica().circuit()).isEqualTo("open");
            assertThat(health.status()).isEqualTo(HealthStatus.DEGRADED);
            assertThat(health.reason())
                    .startsWith("replica 127.0.0.1:" + proxy.port() + "/" + DB + " down (circuit open)");
            assertThat(health.replica().reads())
                    .as("the slow read on the replica, then retried")
                    .containsEntry("replica", 2L)
                    .containsEntry("replica_down", 7L);
            assertThat(client.poolStats().total()).as("the primary's pool").isPositive();
            DatabaseReport.ClientReport report = client.report();
            assertThat(report.replica().state()).isEqualTo("down");
            assertThat(report.health().status()).isEqualTo("DEGRADED");
            assertThat(report.recommendations())
                    .anySatisfy(r -> assertThat(r)
                            .startsWith(
                                    "replica 127.0.0.1:" + proxy.port() + "/" + DB + " is down (circuit open, last: "));
            assertThat(new DatabaseReport("now", java.util.List.of(report), java.util.List.of()).toJson())
                    .contains("\"replica\" : {", "\"state\" : \"down\"");

            proxy.start();
            await(
                    Duration.ofSeconds(10),
                    () -> client.health().replica().serving(),
                    "the probe to close the replica's circuit");
            await(
                    Duration.ofSeconds(10),
                    () -> "new".equals(valueOn(replica, "SELECT v FROM item WHERE id = 1")),
                    "replication");
            assertThat(client.dsl().fetchValue("SELECT v FROM item WHERE id = ?", 1))
                    .isEqualTo("new");
            assertThat(client.health().replica().reads())
                    .as(client.health().toString())
                    .containsEntry("replica", 3L);
            assertThat(client.health().status()).isEqualTo(HealthStatus.HEALTHY);
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static String valueOn(EmbeddedMariaDbServer server, String sql) {
        try (Connection c = server.open(DB);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            return null;
        }
    }

    private static void await(Duration max, BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static void sleepUntil(long nanoTime) {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            try {
                Thread.sleep(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
