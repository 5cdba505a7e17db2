package io.openinsure.db.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.openinsure.db.domains.Keyspace;
import io.openinsure.db.domains.OpenInsureDb;
import io.openinsure.db.domains.RoutingRules;
import io.openinsure.db.testkit.internal.AdminConnections;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * On PostgreSQL the legacy client routes by PostgreSQL's lexical rules: double quotes delimit names,
 * a backslash is text outside {@code E'…'}, {@code $$…$$} is a string, comments nest and {@code #} is
 * an operator. Uses the schema layout legacy routing needs there: the keyspaces are schemas of the
 * legacy database, with the probe tables and rules of {@link LegacyRoutingTest}. Each statement gives
 * the same rows as the statement written against the target tables directly.
 */
class LegacyRoutingPostgresTest {

    private static OpenInsureDb db;

    @BeforeAll
    static void createSchemas() throws Exception {
        Topology topology = Topology.of(TestBackend.POSTGRES);
        try (Connection c = AdminConnections.open(topology.server().withDatabase(Keyspace.LEGACY.database()));
                Statement st = c.createStatement()) {
            for (String schema : new String[] {"oi_policies", "oi_billing"}) {
                st.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
                st.execute("CREATE TABLE IF NOT EXISTS " + schema + ".route_probe (id BIGINT PRIMARY KEY, note TEXT)");
                st.execute("INSERT INTO " + schema + ".route_probe VALUES (1, 'C:\\ in " + schema
                        + "'), (2, 'it''s \"route_a\"') " + "ON CONFLICT (id) DO NOTHING");
            }
        }
        db = topology.builder()
                .routingRules(RoutingRules.parse(LegacyRoutingTest.RULES))
                .build();
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            SELECT "id", 'route_a' AS s FROM "route_a" ORDER BY 1                  | SELECT "id", 'route_a' AS s FROM oi_policies.route_probe ORDER BY 1
            SELECT id FROM route_a WHERE note = 'C:\\ in oi_policies'              | SELECT id FROM oi_policies.route_probe WHERE note = 'C:\\ in oi_policies'
            SELECT E'it\\'s route_b' AS e, $$ from route_b $$ AS d, $t$ ' $t$ AS t, note FROM route_a -- from route_b | SELECT E'it\\'s route_b' AS e, $$ from route_b $$ AS d, $t$ ' $t$ AS t, note FROM oi_policies.route_probe
            SELECT 5 # 3 AS x, note FROM route_a /* a /* from route_b */ b */ WHERE id = 1 | SELECT 5 # 3 AS x, note FROM oi_policies.route_probe WHERE id = 1
            SELECT id FROM route_a WHERE note = 'it''s "route_a"'                 | SELECT id FROM oi_policies.route_probe WHERE note = 'it''s "route_a"'
            WITH route_b AS (SELECT note FROM route_a) SELECT * FROM route_b ORDER BY 1 | WITH route_b AS (SELECT note FROM oi_policies.route_probe) SELECT * FROM route_b ORDER BY 1
            SELECT a.note, b.note AS b_note FROM route_a a JOIN route_b AS b USING (id) ORDER BY 1 | SELECT a.note, b.note AS b_note FROM oi_policies.route_probe a JOIN oi_billing.route_probe AS b USING (id) ORDER BY 1
            SELECT note FROM openinsure.route_a UNION ALL SELECT note FROM "route_b" ORDER BY 1 | SELECT note FROM oi_policies.route_probe UNION ALL SELECT note FROM oi_billing.route_probe ORDER BY 1
            """)
    void aReadGivesTheRowsOfTheTargetTables(String legacySql, String targetSql) {
        List<Map<String, Object>> routed =
                db.legacy().uncached().fetch(legacySql).intoMaps();
        assertThat(routed)
                .isNotEmpty()
                .isEqualTo(db.legacy().uncached().fetch(targetSql).intoMaps());
    }

    @Test
    void aWriteLandsInTheTargetTable() {
        db.legacy()
                .dsl()
                .execute(
                        "INSERT INTO \"route_b\" (id, note) VALUES (10, E'a\\\\b') ON CONFLICT (id) DO UPDATE SET note = 'route_a'");
        db.legacy().dsl().execute("UPDATE route_b SET note = note || '\\' WHERE id = 10");
        assertThat(db.legacy().dsl().fetchValue("SELECT note FROM oi_billing.route_probe WHERE id = 10"))
                .isEqualTo("a\\b\\");
        db.legacy().dsl().execute("DELETE FROM route_b WHERE id = 10 AND note = 'a\\b\\'");
        assertThat(db.legacy().uncached().fetchValue("SELECT count(*) FROM oi_billing.route_probe WHERE id = 10"))
                .isEqualTo(0L);
    }
}
