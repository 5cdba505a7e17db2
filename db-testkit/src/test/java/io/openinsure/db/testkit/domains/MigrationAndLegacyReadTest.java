package io.openinsure.db.testkit.domains;

import static io.openinsure.db.domains.schema.oi_global.Tables.ORGANIZATION;
import static io.openinsure.db.testkit.domains.DomainTestSupport.assumeLegacyReachesKeyspaces;
import static org.assertj.core.api.Assertions.assertThat;

import io.openinsure.db.domains.Keyspace;
import io.openinsure.db.domains.OpenInsureDb;
import io.openinsure.db.domains.schema.oi_global.tables.records.OrganizationRecord;
import io.openinsure.db.testkit.OpenInsureDbTest;
import io.openinsure.db.testkit.TestBackend;
import java.util.Map;
import java.util.UUID;
import org.jooq.Record3;
import org.jooq.Result;
import org.junit.jupiter.api.Test;

/** Migrations are idempotent; the legacy client reads the real schema through the packaged routing rules. */
@OpenInsureDbTest(backend = TestBackend.DEFAULT)
class MigrationAndLegacyReadTest {

    @Test
    void migratingAgainAppliesNothing(OpenInsureDb db) {
        Map<Keyspace, Integer> applied = db.migrate();
        assertThat(applied)
                .containsOnlyKeys(
                        Keyspace.GLOBAL, Keyspace.POLICIES, Keyspace.SUBMISSIONS, Keyspace.CLAIMS, Keyspace.BILLING)
                .allSatisfy((k, n) -> assertThat(n).as("%s", k).isZero());
    }

    @Test
    void theLegacyClientAndTheKeyspaceClientReturnTheSameRows(OpenInsureDb db) {
        assumeLegacyReachesKeyspaces();
        OrganizationRecord org = db.global()
                .createOrganization("legacy-" + UUID.randomUUID().toString().substring(0, 8), "Legacy Read Co");
        // Read as the typed columns: the id is BINARY(16) on MySQL and uuid on PostgreSQL.
        Result<Record3<UUID, String, String>> viaLegacy = db.legacy()
                .dsl()
                .resultQuery("select id, slug, name from openinsure.organization where slug = ?", org.getSlug())
                .coerce(ORGANIZATION.ID, ORGANIZATION.SLUG, ORGANIZATION.NAME)
                .fetch();
        Result<Record3<UUID, String, String>> viaGlobal = db.global()
                .dsl()
                .resultQuery("select id, slug, name from organization where slug = ?", org.getSlug())
                .coerce(ORGANIZATION.ID, ORGANIZATION.SLUG, ORGANIZATION.NAME)
                .fetch();
        assertThat(viaLegacy.intoMaps()).isEqualTo(viaGlobal.intoMaps()).hasSize(1);
        assertThat(viaLegacy.get(0).value1()).isEqualTo(org.getId());
        assertThat(((Number) db.legacy().dsl().fetchValue("select count(*) from us_state")).longValue())
                .isEqualTo(((Number) db.global().dsl().fetchValue("select count(*) from us_state")).longValue())
                .isPositive();
    }
}
