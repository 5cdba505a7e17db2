package io.openinsure.db.testkit;

import static io.openinsure.db.domains.schema.oi_global.Tables.ORGANIZATION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openinsure.db.core.DatabaseUrl;
import io.openinsure.db.core.StatementRefusedException;
import io.openinsure.db.domains.Ids;
import io.openinsure.db.domains.Keyspace;
import io.openinsure.db.domains.OpenInsureDb;
import io.openinsure.db.domains.schema.DefaultCatalog;
import io.openinsure.db.testkit.internal.AdminConnections;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jooq.Table;
import org.junit.jupiter.api.Test;

/**
 * The OpenInsure topology on real Vitess (vttestserver): the VSchemas and migrations are in place,
 * vtgate routes the legacy keyspace's tables by {@code routing_rules.json} (the legacy client detects
 * vtgate and leaves routing to it), and {@code @replica}/{@code @rdonly} targets read from replicas while
 * the SDK refuses writes through them. Skipped, with the reason, where Vitess is not available.
 */
@OpenInsureDbTest(backend = TestBackend.VITESS)
class VitessIntegrationTest {

    @Test
    void everyKeyspaceServesItsVschemaAndItsMigratedTables(Topology topology) throws Exception {
        assertThat(topology.server().isVitess()).isTrue();
        ObjectMapper json = new ObjectMapper();
        for (Keyspace k : Keyspace.values()) {
            DatabaseUrl url = topology.server().withDatabase(k.database());
            JsonNode file;
            try (InputStream in = getClass()
                    .getResourceAsStream(VttestserverContainer.VSCHEMA_RESOURCES + k.database() + "/vschema.json")) {
                file = json.readTree(in);
            }
            List<String> inFile = new ArrayList<>();
            file.path("tables").fieldNames().forEachRemaining(inFile::add);
            try (Connection c = AdminConnections.open(url);
                    Statement st = c.createStatement()) {
                List<String> served = column(st, "SHOW VSCHEMA TABLES");
                assertThat(served).as("vtgate's VSchema of %s", k.database()).containsAll(inFile);
                List<String> tables = column(st, "SHOW TABLES");
                // A real vtgate tracks the schema of unsharded keyspaces and adds the tables it finds there
                // (flyway_schema_history, tables tests create) to the VSchema it serves; nothing else.
                assertThat(served)
                        .as("the file's tables, dual, and tables that exist in %s", k.database())
                        .allMatch(t -> inFile.contains(t) || t.equals("dual") || tables.contains(t));
                if (k != Keyspace.LEGACY) {
                    List<String> generated = DefaultCatalog.DEFAULT_CATALOG.getSchema(k.database()).getTables().stream()
                            .map(Table::getName)
                            .toList();
                    assertThat(tables).as("migrated").containsAll(generated).contains("flyway_schema_history");
                }
            }
        }
    }

    @Test
    void theLegacyClientLeavesRoutingToVtgateWhichFollowsRoutingRulesJson(OpenInsureDb db, Topology topology) {
        assertThat(db.legacy().serverVersion()).containsIgnoringCase("vitess");
        assertThat(db.legacy().routesServerSide()).isTrue();

        UUID org = Ids.newId();
        String slug = "vitess-routing-" + org;
        db.global()
                .dsl()
                .insertInto(ORGANIZATION, ORGANIZATION.ID, ORGANIZATION.SLUG, ORGANIZATION.NAME)
                .values(org, slug, "Routed by vtgate")
                .execute();

        // Unqualified and legacy-qualified names, typed and plain SQL, all land in oi_global.organization.
        assertThat(db.legacy()
                        .dsl()
                        .select(ORGANIZATION.NAME)
                        .from(ORGANIZATION)
                        .where(ORGANIZATION.ID.eq(org))
                        .fetchOne(ORGANIZATION.NAME))
                .isEqualTo("Routed by vtgate");
        assertThat(db.legacy().dsl().fetchValue("select name from organization where slug = ?", slug))
                .isEqualTo("Routed by vtgate");
        assertThat(db.legacy().dsl().fetchValue("select name from openinsure.organization where slug = ?", slug))
                .isEqualTo("Routed by vtgate");
        db.legacy().dsl().execute("update organization set name = 'Renamed through legacy' where slug = ?", slug);
        assertThat(db.global()
                        .dsl()
                        .select(ORGANIZATION.NAME)
                        .from(ORGANIZATION)
                        .where(ORGANIZATION.ID.eq(org))
                        .fetchOne(ORGANIZATION.NAME))
                .isEqualTo("Renamed through legacy");

        // The legacy keyspace on a replica: vtgate applies the openinsure.<table>@replica rules; writes are refused
        // client-side.
        try (OpenInsureDb replica = topology.builder()
                .url(Keyspace.LEGACY, topology.connectionString(Keyspace.LEGACY) + "@replica")
                .build()) {
            assertThat(replica.legacy().dsl().fetchValue("select name from organization where slug = ?", slug))
                    .isEqualTo("Renamed through legacy");
            assertThatThrownBy(() -> replica.legacy().dsl().execute("delete from organization where slug = ?", slug))
                    .isInstanceOf(StatementRefusedException.class)
                    .satisfies(e ->
                            assertThat(((StatementRefusedException) e).rule()).isEqualTo("replica-write"));
        }
    }

    @Test
    void replicaAndRdonlyTargetsReadFromThoseTabletsAndRefuseWrites(Topology topology) {
        UUID org = Ids.newId();
        try (OpenInsureDb primary = topology.open()) {
            primary.global()
                    .dsl()
                    .insertInto(ORGANIZATION, ORGANIZATION.ID, ORGANIZATION.SLUG, ORGANIZATION.NAME)
                    .values(org, "vitess-replica-" + org, "Read from a replica")
                    .execute();
            assertThat(String.valueOf(primary.global().dsl().fetchValue("show vitess_target")))
                    .startsWith("oi_global")
                    .doesNotContain("@replica", "@rdonly");
        }
        for (String tablet : new String[] {"replica", "rdonly"}) {
            try (OpenInsureDb replicas = topology.builder()
                    .url(Keyspace.GLOBAL, topology.connectionString(Keyspace.GLOBAL) + "@" + tablet)
                    .build()) {
                assertThat(String.valueOf(replicas.global().dsl().fetchValue("show vitess_target")))
                        .isEqualTo("oi_global@" + tablet);
                // vttestserver's tablets share one mysqld, so a replica sees the write at once (real replicas lag).
                assertThat(replicas.global()
                                .dsl()
                                .select(ORGANIZATION.NAME)
                                .from(ORGANIZATION)
                                .where(ORGANIZATION.ID.eq(org))
                                .fetchOne(ORGANIZATION.NAME))
                        .isEqualTo("Read from a replica");
                assertThatThrownBy(() -> replicas.global()
                                .dsl()
                                .update(ORGANIZATION)
                                .set(ORGANIZATION.NAME, "no")
                                .where(ORGANIZATION.ID.eq(org))
                                .execute())
                        .isInstanceOf(StatementRefusedException.class)
                        .hasMessageContaining("oi_global@" + tablet)
                        .hasMessageContaining("vitess://host:port/oi_global@primary");
            }
        }
    }

    private static List<String> column(Statement st, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
