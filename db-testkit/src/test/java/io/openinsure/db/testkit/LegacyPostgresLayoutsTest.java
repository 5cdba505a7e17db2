package io.openinsure.db.testkit;

import static io.openinsure.db.domains.schema.oi_policies.Tables.POLICY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openinsure.db.core.OpenInsureDbException;
import io.openinsure.db.domains.OpenInsureDb;
import org.junit.jupiter.api.Test;

/**
 * The legacy client on PostgreSQL in both layouts: with the keyspaces as schemas of one database its table names
 * route to {@code schema.table}; with each keyspace its own database a routed statement is refused, saying why and
 * what to configure.
 */
class LegacyPostgresLayoutsTest {

    @Test
    void inTheSchemasLayoutALegacyStatementReachesTheKeyspacesSchemas() {
        try (OpenInsureDb db =
                Topology.of(TestBackend.POSTGRES, PostgresLayout.SCHEMAS).open()) {
            int typed = db.policies().uncached().fetchCount(POLICY);
            assertThat(((Number) db.legacy().uncached().fetchValue("select count(*) from policy")).intValue())
                    .isEqualTo(typed);
            assertThat(((Number) db.legacy().uncached().fetchValue("select count(*) from openinsure.policy"))
                            .intValue())
                    .isEqualTo(typed);
        }
    }

    @Test
    void inTheDatabasesLayoutARoutedStatementIsRefusedWithWhatToConfigure() {
        try (OpenInsureDb db =
                Topology.of(TestBackend.POSTGRES, PostgresLayout.DATABASES).open()) {
            assertThatThrownBy(() -> db.legacy().uncached().fetch("select count(*) from claim"))
                    .isInstanceOf(OpenInsureDbException.class)
                    .hasMessage(
                            "Keyspace 'legacy': on PostgreSQL the legacy client routes tables to schemas of its own database,"
                                    + " but database openinsure has no schema oi_claims: the keyspaces are separate databases (PostgreSQL's"
                                    + " default layout), which one statement cannot reach. Use the schemas layout (the keyspaces as schemas"
                                    + " of the legacy database: each binding's URL names its schema, e.g."
                                    + " postgres://host/openinsure?currentSchema=oi_claims, and db.migrate() creates it), or run the"
                                    + " statement through db.claims().");
            assertThat(((Number) db.legacy().uncached().fetchValue("select 1")).intValue())
                    .isEqualTo(1); // nothing routed
        }
    }
}
