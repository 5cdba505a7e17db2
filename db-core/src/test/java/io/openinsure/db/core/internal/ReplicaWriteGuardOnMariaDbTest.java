package io.openinsure.db.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import io.openinsure.db.core.BindingConfig;
import io.openinsure.db.core.ConfigSource;
import io.openinsure.db.core.DatabaseUrl.TabletType;
import io.openinsure.db.core.KeyspaceClient;
import io.openinsure.db.core.StatementRefusedException;
import io.openinsure.db.testsupport.EmbeddedMariaDbServer;
import java.util.concurrent.atomic.AtomicLong;
import org.jooq.CloseableDSLContext;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The replica write guard on a real server (the embedded MariaDB): reads go through, writes of every
 * shape are refused before they reach the server, and nothing is written.
 *
 * <p>The second half opens a real binding from a {@code vitess://…/oi_rwguard@replica} URL. Without
 * Vitess, it points at a MariaDB database literally named {@code oi_rwguard@replica} (Connector/J sends
 * {@code keyspace@tablet} as the database name, as it does to vtgate), so the whole path runs: URL
 * parsing, the pool, the guard installed by the client, and the server answering reads.
 */
class ReplicaWriteGuardOnMariaDbTest {

    private static final String KEYSPACE = "oi_rwguard";
    private static final String REPLICA_DB = KEYSPACE + "@replica";
    private static final Table<?> PROBE = table(name("guard_probe"));
    private static final Field<Long> ID = field(name("id"), Long.class);
    private static final Field<String> NOTE = field(name("note"), String.class);
    private static final AtomicLong IDS = new AtomicLong(System.nanoTime() & 0xFFFFFFL);

    private static EmbeddedMariaDbServer server;

    @BeforeAll
    static void createDatabases() throws Exception {
        server = EmbeddedMariaDbServer.shared();
        for (String db : new String[] {KEYSPACE, REPLICA_DB}) {
            server.execute(
                    "CREATE DATABASE IF NOT EXISTS `" + db + "` CHARACTER SET utf8mb4",
                    "CREATE TABLE IF NOT EXISTS `" + db + "`.guard_probe (id BIGINT PRIMARY KEY, note VARCHAR(100))",
                    "INSERT IGNORE INTO `" + db + "`.guard_probe VALUES (0, 'in " + db + "')");
        }
    }

    private static CloseableDSLContext onPrimaryDatabase() {
        return DSL.using(server.jdbcUrl(KEYSPACE) + "?user=root");
    }

    @Test
    void readsGoThroughAndWritesOfEveryShapeAreRefusedBeforeTheServer() {
        try (CloseableDSLContext plain = onPrimaryDatabase()) {
            // A replica-targeted binding's guard, attached by hand to a context on the embedded MariaDB.
            DSLContext guarded = DSL.using(plain.configuration()
                    .deriveAppending(new ReplicaWriteGuard("claims", KEYSPACE, TabletType.REPLICA)));
            assertThat(guarded.select(NOTE).from(PROBE).where(ID.eq(0L)).fetchOne(NOTE))
                    .isEqualTo("in " + KEYSPACE);
            assertThat(guarded.fetchValue("select count(*) from guard_probe")).isNotNull();
            assertThat(guarded.resultQuery("show tables").fetch()).isNotEmpty();

            long id = IDS.incrementAndGet();
            assertRefused(
                    () -> guarded.insertInto(PROBE)
                            .columns(ID, NOTE)
                            .values(id, "typed insert")
                            .execute(),
                    "INSERT");
            assertRefused(
                    () -> guarded.update(PROBE).set(NOTE, "x").where(ID.eq(0L)).execute(), "UPDATE");
            assertRefused(() -> guarded.deleteFrom(PROBE).where(ID.eq(0L)).execute(), "DELETE");
            assertRefused(() -> guarded.execute("insert into guard_probe values (?, 'plain sql')", id), "INSERT");
            assertRefused(
                    () -> guarded.execute("/* looks harmless */ UPDATE guard_probe SET note = 'x' WHERE id = 0"),
                    "UPDATE");
            assertRefused(() -> guarded.fetch("select * from guard_probe where id = 0 for update"), "locking read");
            assertRefused(
                    () -> guarded.select(NOTE)
                            .from(PROBE)
                            .where(ID.eq(0L))
                            .forUpdate()
                            .fetch(),
                    "locking read");
            assertRefused(
                    () -> guarded.batch(
                                    guarded.insertInto(PROBE).columns(ID, NOTE).values(id, "batched"))
                            .execute(),
                    "INSERT");
            assertRefused(
                    () -> guarded.batch("delete from guard_probe where id = 0").execute(), "DELETE");
            assertRefused(
                    () -> guarded.createTable("guard_other")
                            .column("id", org.jooq.impl.SQLDataType.BIGINT)
                            .execute(),
                    "CREATE");
            assertRefused(() -> guarded.truncate(PROBE).execute(), "TRUNCATE");

            assertThat(plain.fetchValue("select note from guard_probe where id = 0"))
                    .as("nothing written")
                    .isEqualTo("in " + KEYSPACE);
            assertThat(plain.fetchCount(PROBE, ID.notEqual(0L).and(NOTE.in("typed insert", "plain sql", "batched"))))
                    .isZero();
            assertThat(plain.meta().getTables("guard_other"))
                    .as("nothing created")
                    .isEmpty();
        }
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String kind) {
        assertThatThrownBy(call)
                .isInstanceOf(StatementRefusedException.class)
                .hasMessage("Keyspace 'claims': refused this statement (" + kind + "): the binding targets " + KEYSPACE
                        + "@replica (tablet "
                        + "type REPLICA), which serves reads only. Run writes through a binding whose URL targets the primary, e.g."
                        + " vitess://host:port/" + KEYSPACE + "@primary (or no tablet type).")
                .satisfies(e -> {
                    StatementRefusedException refused = (StatementRefusedException) e;
                    assertThat(refused.rule()).isEqualTo(ReplicaWriteGuard.RULE);
                    assertThat(refused.keyspace()).contains("claims");
                });
    }

    @Test
    void aVitessReplicaBindingInstallsTheGuardAndAPrimaryBindingWrites() {
        String host = "root@127.0.0.1:" + server.port();
        BindingConfig replica = BindingConfig.builder("claims")
                .url("vitess://" + host + "/" + REPLICA_DB)
                .maxPoolSize(2)
                .minIdle(0)
                .build(ConfigSource.empty());
        BindingConfig primary = BindingConfig.builder("claims")
                .url("vitess://" + host + "/" + KEYSPACE)
                .maxPoolSize(2)
                .minIdle(0)
                .build(ConfigSource.empty());
        assertThat(replica.url().jdbcUrl()).endsWith("/" + KEYSPACE + "%40replica");
        try (KeyspaceClient reads = KeyspaceClient.open(replica);
                KeyspaceClient writes = KeyspaceClient.open(primary)) {
            assertThat(reads.dsl().dialect()).isEqualTo(SQLDialect.MARIADB);
            assertThat(reads.dsl().fetchValue("select database()")).isEqualTo(REPLICA_DB);
            assertThat(reads.dsl().select(NOTE).from(PROBE).where(ID.eq(0L)).fetchOne(NOTE))
                    .isEqualTo("in " + REPLICA_DB);
            assertRefused(
                    () -> reads.dsl()
                            .insertInto(PROBE)
                            .columns(ID, NOTE)
                            .values(IDS.incrementAndGet(), "no")
                            .execute(),
                    "INSERT");
            assertRefused(() -> reads.transaction(tx -> tx.execute("delete from guard_probe")), "DELETE");

            long id = IDS.incrementAndGet();
            assertThat(writes.dsl()
                            .insertInto(PROBE)
                            .columns(ID, NOTE)
                            .values(id, "written through the primary")
                            .execute())
                    .isEqualTo(1);
            assertThat(writes.dsl().fetchValue("select database()")).isEqualTo(KEYSPACE);
        }
    }
}
