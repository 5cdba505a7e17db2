package io.openinsure.db.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import io.openinsure.db.core.ConnectionUnavailableException;
import io.openinsure.db.core.KeyspaceClient;
import io.openinsure.db.core.OpenInsureDbException;
import io.openinsure.db.core.PoolStats;
import io.openinsure.db.domains.Keyspace;
import io.openinsure.db.domains.OpenInsureDb;
import io.openinsure.db.testkit.internal.AdminConnections;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.jooq.Field;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The guarantees every keyspace client (and the legacy client) gives, on a real server: it
 * answers, talks to its own database, reads and writes, commits and rolls back transactions,
 * keeps its pool to itself, and refuses work once closed.
 *
 * <p>Extend it once per backend, as {@code MariaDbKeyspaceClientContractTest} does:
 * <pre>{@code
 * class MyBackendContractTest extends KeyspaceClientContract {
 *     protected TestBackend backend() { return TestBackend.MARIADB; }
 * }
 * }</pre>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class KeyspaceClientContract {

    /** A scratch table created in every keyspace's database through an admin connection. */
    protected static final String PROBE_TABLE = "oi_contract_probe";

    private static final Table<?> PROBE = table(name(PROBE_TABLE));
    private static final Field<Long> ID = field(name("id"), Long.class);
    private static final Field<String> NOTE = field(name("note"), String.class);
    private static final AtomicLong IDS = new AtomicLong(System.nanoTime() & 0xFFFF_FFFFL);

    private Topology topology;
    private OpenInsureDb db;

    /** The backend the contract runs on. */
    protected abstract TestBackend backend();

    @BeforeAll
    void openTopology() throws SQLException {
        topology = Topology.of(backend());
        for (Keyspace k : Keyspace.values()) {
            try (Connection c = AdminConnections.open(topology.server().withDatabase(k.database()));
                    Statement st = c.createStatement()) {
                st.execute("CREATE TABLE IF NOT EXISTS " + PROBE_TABLE + " (id BIGINT PRIMARY KEY, note VARCHAR(100))");
            }
        }
        db = topology.open();
    }

    @AfterAll
    void closeTopology() {
        if (db != null) {
            db.close();
        }
    }

    /** The clients under test, one per keyspace. */
    protected KeyspaceClient client(Keyspace keyspace) {
        return db.client(keyspace);
    }

    @ParameterizedTest
    @EnumSource(Keyspace.class)
    void answersAQueryAndReportsTheServer(Keyspace keyspace) {
        KeyspaceClient client = client(keyspace);
        assertThat(client.name()).isEqualTo(keyspace.bindingName());
        assertThat(client.dsl().resultQuery("select 40 + 2").fetchOne(0, Integer.class))
                .isEqualTo(42);
        assertThat(client.serverVersion()).isNotBlank();
        SQLDialect expected = switch (backend().resolve()) {
            case POSTGRES -> SQLDialect.POSTGRES;
            case MARIADB -> SQLDialect.MARIADB;
            default -> client.dsl().dialect();
        };
        assertThat(client.dsl().dialect()).isEqualTo(expected);
    }

    @ParameterizedTest
    @EnumSource(Keyspace.class)
    void talksToItsOwnDatabase(Keyspace keyspace) {
        KeyspaceClient client = client(keyspace);
        String sql = client.dsl().dialect().family() == SQLDialect.POSTGRES
                ? "select current_database()"
                : "select database()";
        assertThat(client.dsl().resultQuery(sql).fetchOne(0, String.class)).isEqualTo(keyspace.database());
    }

    @ParameterizedTest
    @EnumSource(Keyspace.class)
    void writesAndReadsWithTypedQueries(Keyspace keyspace) {
        KeyspaceClient client = client(keyspace);
        long id = IDS.incrementAndGet();
        assertThat(client.dsl()
                        .insertInto(PROBE)
                        .columns(ID, NOTE)
                        .values(id, "written by " + keyspace)
                        .execute())
                .isEqualTo(1);
        assertThat(client.dsl().select(NOTE).from(PROBE).where(ID.eq(id)).fetchOne(NOTE))
                .isEqualTo("written by " + keyspace);
        assertThat(client.dsl()
                        .update(PROBE)
                        .set(NOTE, "updated")
                        .where(ID.eq(id))
                        .execute())
                .isEqualTo(1);
        assertThat(client.dsl().select(NOTE).from(PROBE).where(ID.eq(id)).fetchOne(NOTE))
                .isEqualTo("updated");
    }

    @ParameterizedTest
    @EnumSource(Keyspace.class)
    void commitsATransaction(Keyspace keyspace) {
        KeyspaceClient client = client(keyspace);
        long id = IDS.incrementAndGet();
        int inserted = client.transactionResult(tx ->
                tx.insertInto(PROBE).columns(ID, NOTE).values(id, "committed").execute()
                        + tx.insertInto(PROBE)
                                .columns(ID, NOTE)
                                .values(id + 1_000_000_000L, "committed too")
                                .execute());
        assertThat(inserted).isEqualTo(2);
        assertThat(client.dsl().fetchCount(PROBE, ID.in(id, id + 1_000_000_000L)))
                .isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(Keyspace.class)
    void rollsBackWhenTheWorkThrowsAndRethrowsTheSameException(Keyspace keyspace) {
        KeyspaceClient client = client(keyspace);
        long id = IDS.incrementAndGet();
        IllegalStateException failure = new IllegalStateException("business rule broken");
        assertThatThrownBy(() -> client.transaction(tx -> {
                    tx.insertInto(PROBE)
                            .columns(ID, NOTE)
                            .values(id, "must vanish")
                            .execute();
                    throw failure;
                }))
                .isSameAs(failure);
        assertThat(client.dsl().fetchCount(PROBE, ID.eq(id))).isZero();
    }

    @ParameterizedTest
    @EnumSource(Keyspace.class)
    void anExhaustedPoolFailsFastAndLeavesTheOtherKeyspacesAnswering(Keyspace keyspace) throws Exception {
        try (OpenInsureDb small = topology.builder()
                .binding(keyspace, b -> b.maxPoolSize(2).connectionTimeout(Duration.ofMillis(500)))
                .build()) {
            KeyspaceClient starved = small.client(keyspace);
            starved.dsl(); // detect the dialect before the pool is taken
            try (HeldConnections held = HeldConnections.hold(starved, 2)) {
                long t0 = System.nanoTime();
                assertThatThrownBy(() -> starved.dsl().fetchValue("select 1"))
                        .isInstanceOf(ConnectionUnavailableException.class)
                        .hasMessageStartingWith("Keyspace '" + keyspace.bindingName()
                                + "': no connection available within 500 ms (pool oi-" + keyspace.bindingName()
                                + ": total=2, active=2, idle=0, waiting=")
                        .hasMessageContaining("the pool is exhausted: all 2 connections are in use. Raise OI_DB_"
                                + keyspace.name() + "_POOL_MAX_SIZE")
                        .satisfies(e -> {
                            PoolStats stats = ((ConnectionUnavailableException) e).poolStats();
                            assertThat(stats.active()).isEqualTo(2);
                            assertThat(((OpenInsureDbException) e).keyspace()).contains(keyspace.bindingName());
                        });
                assertThat(Duration.ofNanos(System.nanoTime() - t0))
                        .as("fails fast, not after 30 s")
                        .isLessThan(Duration.ofSeconds(10));

                for (Keyspace other : Keyspace.values()) {
                    if (other != keyspace) {
                        assertThat(small.client(other)
                                        .dsl()
                                        .resultQuery("select 1")
                                        .fetchOne(0, Integer.class))
                                .as("%s answers while %s is exhausted", other, keyspace)
                                .isEqualTo(1);
                    }
                }
                held.release();
                assertThat(starved.dsl().resultQuery("select 1").fetchOne(0, Integer.class))
                        .as("recovers once connections return")
                        .isEqualTo(1);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Keyspace.class)
    void refusesWorkOnceClosed(Keyspace keyspace) {
        OpenInsureDb own = topology.open();
        KeyspaceClient client = own.client(keyspace);
        assertThat(client.dsl().resultQuery("select 1").fetchOne(0, Integer.class))
                .isEqualTo(1);
        own.close();
        own.close(); // idempotent
        assertThatThrownBy(() -> client.dsl().fetchValue("select 1"))
                .isInstanceOf(OpenInsureDbException.class)
                .hasMessage("Keyspace '" + keyspace.bindingName() + "': the client is closed.");
    }
}
