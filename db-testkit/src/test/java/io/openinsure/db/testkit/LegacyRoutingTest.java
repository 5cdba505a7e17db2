package io.openinsure.db.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import io.openinsure.db.core.CrossKeyspaceTransactionException;
import io.openinsure.db.domains.Keyspace;
import io.openinsure.db.domains.OpenInsureDb;
import io.openinsure.db.domains.RoutingRules;
import io.openinsure.db.testkit.internal.AdminConnections;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Result;
import org.jooq.Table;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The legacy client applies Vitess routing rules itself on plain MariaDB. Uses rules of its own for
 * two probe tables so it does not depend on the OpenInsure schema.
 */
class LegacyRoutingTest {

    static final String RULES = """
            {"rules": [
              {"from_table": "route_a", "to_tables": ["oi_policies.route_probe"]},
              {"from_table": "openinsure.route_a", "to_tables": ["oi_policies.route_probe"]},
              {"from_table": "route_b", "to_tables": ["oi_billing.route_probe"]}
            ]}""";
    private static final String MOVED =
            RULES.replace("\"route_b\", \"to_tables\": [\"oi_billing", "\"route_b\", \"to_tables\": [\"oi_claims");
    private static final Table<?> ROUTE_A = table(name("route_a"));
    private static final Table<?> PROBE = table(name("route_probe"));
    private static final Field<Long> ID = field(name("id"), Long.class);
    private static final Field<String> NOTE = field(name("note"), String.class);
    private static final AtomicLong IDS = new AtomicLong(System.nanoTime() & 0xFFFFFFL);

    private static Topology topology;

    @BeforeAll
    static void createProbeTables() throws Exception {
        topology = Topology.of(TestBackend.MARIADB);
        for (Keyspace k : new Keyspace[] {Keyspace.POLICIES, Keyspace.BILLING, Keyspace.CLAIMS}) {
            try (Connection c = AdminConnections.open(topology.server().withDatabase(k.database()));
                    Statement st = c.createStatement()) {
                st.execute("CREATE TABLE IF NOT EXISTS route_probe (id BIGINT PRIMARY KEY, note VARCHAR(100))");
                st.execute("INSERT IGNORE INTO route_probe VALUES (0, 'lives in " + k.database() + "')");
            }
        }
    }

    private static OpenInsureDb open(String rules, boolean allowCross) {
        return topology.builder()
                .routingRules(RoutingRules.parse(rules))
                .allowCrossKeyspaceLegacyTransactions(allowCross)
                .build();
    }

    @Test
    void typedQueriesAndPlainSqlThroughTheLegacyClientSeeTheKeyspaceTable() {
        try (OpenInsureDb db = open(RULES, false)) {
            long id = IDS.incrementAndGet();
            assertThat(db.legacy().routesServerSide()).isFalse();
            db.legacy()
                    .dsl()
                    .insertInto(ROUTE_A)
                    .columns(ID, NOTE)
                    .values(id, "via legacy, typed")
                    .execute();
            db.legacy().dsl().execute("update openinsure.route_a set note = concat(note, ' + plain') where id = ?", id);

            Result<Record> viaLegacy =
                    db.legacy().dsl().fetch("select id, note from route_a where id in (0, ?) order by id", id);
            Result<? extends Record> viaKeyspace = db.policies()
                    .dsl()
                    .select(ID, NOTE)
                    .from(PROBE)
                    .where(ID.in(0L, id))
                    .orderBy(ID)
                    .fetch();
            assertThat(viaLegacy.intoMaps()).isEqualTo(viaKeyspace.intoMaps()).hasSize(2);
            assertThat(viaKeyspace.get(1).get(NOTE)).isEqualTo("via legacy, typed + plain");
            assertThat(viaKeyspace.get(0).get(NOTE)).isEqualTo("lives in oi_policies");
        }
    }

    @Test
    void changingARuleInTheFileMovesTheTable() {
        try (OpenInsureDb before = open(RULES, false);
                OpenInsureDb after = open(MOVED, false)) {
            assertThat(before.legacy().dsl().fetchValue("select note from route_b where id = 0"))
                    .isEqualTo("lives in oi_billing");
            assertThat(after.legacy().dsl().fetchValue("select note from route_b where id = 0"))
                    .isEqualTo("lives in oi_claims");
        }
    }

    @Test
    void aLegacyTransactionTouchingTwoKeyspacesIsRefusedAndRolledBack() {
        try (OpenInsureDb db = open(RULES, false)) {
            long id = IDS.incrementAndGet();
            assertThatThrownBy(() -> db.legacy().transaction(tx -> {
                        tx.execute("insert into route_a (id, note) values (?, 'first keyspace')", id);
                        tx.execute("insert into route_b (id, note) values (?, 'second keyspace')", id);
                    }))
                    .isInstanceOf(CrossKeyspaceTransactionException.class)
                    .hasMessage(
                            "Keyspace 'legacy': this transaction would touch oi_policies and oi_billing; Vitess commits a "
                                    + "transaction across keyspaces one keyspace at a time, not atomically. Run each part in its own keyspace "
                                    + "client's transaction, or allow it explicitly with OpenInsureDb.builder().allowCrossKeyspaceLegacyTransactions(true).")
                    .satisfies(e -> assertThat(((CrossKeyspaceTransactionException) e).keyspaces())
                            .containsExactly("oi_policies", "oi_billing"));
            assertThat(db.policies().dsl().fetchCount(PROBE, ID.eq(id)))
                    .as("the first insert was rolled back")
                    .isZero();

            assertThatThrownBy(() -> db.legacy().dsl().transaction(cfg -> {
                        cfg.dsl().execute("select * from route_b");
                        cfg.dsl().execute("select * from route_a");
                    }))
                    .as("also through dsl().transaction")
                    .isInstanceOf(CrossKeyspaceTransactionException.class);

            db.legacy()
                    .transaction(
                            tx -> tx.execute("insert into route_a (id, note) values (?, 'one keyspace is fine')", id));
            // the legacy write invalidated the policies client's cached count (read just above, inside the refusal
            // check)
            assertThat(db.policies().dsl().fetchCount(PROBE, ID.eq(id))).isEqualTo(1);
            assertThat(db.legacy().dsl().fetch("select a.id from route_a a join route_b b on a.id = b.id"))
                    .as("outside a transaction a cross-keyspace read is allowed, as on vtgate")
                    .isNotNull();
        }
    }

    @Test
    void crossKeyspaceTransactionsCanBeAllowedExplicitly() {
        try (OpenInsureDb db = open(RULES, true)) {
            long id = IDS.incrementAndGet();
            db.legacy().transaction(tx -> {
                tx.execute("insert into route_a (id, note) values (?, 'a')", id);
                tx.execute("insert into route_b (id, note) values (?, 'b')", id);
            });
            assertThat(db.billing().dsl().fetchCount(PROBE, ID.eq(id))).isEqualTo(1);
        }
    }
}
