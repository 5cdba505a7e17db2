package io.openinsure.db.testkit.domains;

import static org.assertj.core.api.Assertions.assertThat;

import io.openinsure.db.domains.Keyspace;
import io.openinsure.db.domains.OpenInsureDb;
import io.openinsure.db.domains.schema.oi_global.tables.records.OrganizationRecord;
import io.openinsure.db.testkit.OpenInsureDbTest;
import io.openinsure.db.testkit.TestBackend;
import java.util.Map;
import java.util.UUID;
import org.jooq.Record;
import org.jooq.Result;
import org.junit.jupiter.api.Test;

/** Migrations are idempotent; the legacy client reads the real schema through the packaged routing rules. */
@OpenInsureDbTest(backend = TestBackend.MARIADB)
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
        OrganizationRecord org = db.global()
                .createOrganization("legacy-" + UUID.randomUUID().toString().substring(0, 8), "Legacy Read Co");
        Result<Record> viaLegacy = db.legacy()
                .dsl()
                .fetch("select hex(id) id, slug, name from openinsure.organization where slug = ?", org.getSlug());
        Result<Record> viaGlobal = db.global()
                .dsl()
                .fetch("select hex(id) id, slug, name from organization where slug = ?", org.getSlug());
        assertThat(viaLegacy.intoMaps()).isEqualTo(viaGlobal.intoMaps()).hasSize(1);
        assertThat(db.legacy().dsl().fetchValue("select count(*) from us_state"))
                .isEqualTo(db.global().dsl().fetchValue("select count(*) from us_state"));
    }
}
