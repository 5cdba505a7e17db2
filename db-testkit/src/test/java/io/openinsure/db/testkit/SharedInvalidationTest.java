package io.openinsure.db.testkit;

import static io.openinsure.db.domains.schema.oi_global.Tables.ORGANIZATION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.openinsure.db.core.CacheStatus;
import io.openinsure.db.domains.Ids;
import io.openinsure.db.domains.OpenInsureDb;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Clients of one OpenInsureDb invalidate each other's cached reads, so legacy and keyspace code can mix. */
@OpenInsureDbTest(backend = TestBackend.DEFAULT)
class SharedInvalidationTest {

    private static final String SQL = "select name from organization where slug = ?";

    private static void assumeLegacyReachesKeyspaces() {
        assumeTrue(
                Topology.selected().legacyReachesKeyspaces(),
                "the legacy client reaches the keyspaces on PostgreSQL only when they are schemas of its database"
                        + " (oi.test.postgres.layout=schemas)");
    }

    /** Inserts an organization named "Before" and returns its slug. */
    private static String organizationNamedBefore(OpenInsureDb db, UUID id) {
        String slug = "shared-" + id.toString().substring(24);
        db.global()
                .dsl()
                .insertInto(ORGANIZATION, ORGANIZATION.ID, ORGANIZATION.SLUG, ORGANIZATION.NAME)
                .values(id, slug, "Before")
                .execute();
        return slug;
    }

    @Test
    void aWriteThroughTheLegacyClientIsSeenByTheKeyspaceClientsNextCachedRead(OpenInsureDb db) {
        assumeLegacyReachesKeyspaces();
        UUID id = Ids.newId();
        String slug = organizationNamedBefore(db, id);
        assertThat(db.global().dsl().fetchValue(SQL, slug)).isEqualTo("Before");
        long hits = db.global().cacheStats().count(CacheStatus.HIT);
        assertThat(db.global().dsl().fetchValue(SQL, slug))
                .as("served from the cache")
                .isEqualTo("Before");
        assertThat(db.global().cacheStats().count(CacheStatus.HIT)).isEqualTo(hits + 1);

        db.legacy().dsl().execute("update openinsure.organization set name = 'After' where slug = ?", slug);

        assertThat(db.global().dsl().fetchValue(SQL, slug))
                .as("the global client's cache was invalidated")
                .isEqualTo("After");
    }

    @Test
    void aWriteThroughTheKeyspaceClientIsSeenByTheLegacyClient(OpenInsureDb db) {
        assumeLegacyReachesKeyspaces();
        UUID id = Ids.newId();
        String slug = organizationNamedBefore(db, id);
        assertThat(db.legacy().dsl().fetchValue(SQL, slug)).isEqualTo("Before");
        db.global()
                .dsl()
                .update(ORGANIZATION)
                .set(ORGANIZATION.NAME, "After")
                .where(ORGANIZATION.ID.eq(id))
                .execute();
        assertThat(db.legacy().dsl().fetchValue(SQL, slug)).isEqualTo("After");
    }

    @Test
    void invalidateCachedReadsDropsReadsOfWritesMadeElsewhere(OpenInsureDb db) {
        UUID id = Ids.newId();
        String slug = organizationNamedBefore(db, id);
        assertThat(db.global().dsl().fetchValue(SQL, slug)).isEqualTo("Before");
        try (OpenInsureDb other = Topology.selected().open()) {
            other.global()
                    .dsl()
                    .update(ORGANIZATION)
                    .set(ORGANIZATION.NAME, "Elsewhere")
                    .where(ORGANIZATION.ID.eq(id))
                    .execute();
        }
        assertThat(db.global().dsl().fetchValue(SQL, slug))
                .as("another process's write is not seen yet")
                .isEqualTo("Before");
        db.global().invalidateCachedReads(List.of("oi_global.Organization"));
        assertThat(db.global().dsl().fetchValue(SQL, slug)).isEqualTo("Elsewhere");
    }
}
