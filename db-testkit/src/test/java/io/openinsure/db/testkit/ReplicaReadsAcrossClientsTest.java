package io.openinsure.db.testkit;

import static io.openinsure.db.domains.schema.oi_global.Tables.ORGANIZATION;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.openinsure.db.core.ReplicaReads;
import io.openinsure.db.domains.Ids;
import io.openinsure.db.domains.Keyspace;
import io.openinsure.db.domains.OpenInsureDb;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Read-your-writes across the clients of one {@code OpenInsureDb}: the global binding reads from a replica (here the
 * same database, so where each read went is told by the counts; data that differs between primary and replica is
 * {@code ReplicaReadsTest}'s, on real MariaDB replication). A write through another client (the legacy one, as
 * during the cutover) pins the tables it touched to the primary for the window, for jOOQ reads and typed finders alike.
 */
@OpenInsureDbTest(backend = TestBackend.MARIADB)
class ReplicaReadsAcrossClientsTest {

    private static OpenInsureDb withGlobalReplica(Topology topology, boolean cache) {
        return topology.builder()
                .binding(
                        Keyspace.GLOBAL,
                        b -> b.replicaUrl(topology.connectionString(Keyspace.GLOBAL))
                                .replicaReads(ReplicaReads.READS)
                                .cacheEnabled(cache))
                .build();
    }

    private static Map<String, Long> reads(OpenInsureDb db) {
        return db.global().health().replica().reads();
    }

    @Test
    void aWriteThroughTheLegacyClientSendsTheGlobalClientsReadsOfThatTableToThePrimary(Topology topology) {
        try (OpenInsureDb db = withGlobalReplica(topology, false)) {
            UUID id = Ids.newId();
            String slug = "ryw-" + id.toString().substring(24);
            try (OpenInsureDb other = topology.open()) { // another process: no read-your-writes for its writes
                other.global()
                        .dsl()
                        .insertInto(ORGANIZATION, ORGANIZATION.ID, ORGANIZATION.SLUG, ORGANIZATION.NAME)
                        .values(id, slug, "Before")
                        .execute();
            }
            assertThat(db.global().dsl().fetchValue("select name from organization where slug = ?", slug))
                    .isEqualTo("Before");
            assertThat(reads(db)).containsEntry("replica", 1L).containsEntry("recent_write", 0L);

            db.legacy().dsl().execute("update organization set name = 'After' where slug = ?", slug);

            assertThat(db.global().dsl().fetchValue("select name from organization where slug = ?", slug))
                    .isEqualTo("After");
            assertThat(db.global().findOrganization(id))
                    .hasValueSatisfying(o -> assertThat(o.getName()).isEqualTo("After"));
            assertThat(reads(db)).as("the select and the typed finder").containsEntry("recent_write", 2L);
            db.global().dsl().fetchCount(db.global().dsl().selectFrom("program"));
            assertThat(reads(db)).as("another table").containsEntry("replica", 2L);
            assertThat(db.global().health().replica().server()).endsWith("/oi_global");
            assertThat(db.report().clients().get(0).replica().reads()).isEqualTo("reads");
        }
    }

    @Test
    void cacheMissesGoToTheReplicaAndAWriteThroughTheClientItselfPinsItsTables(Topology topology) {
        try (OpenInsureDb db = withGlobalReplica(topology, true)) {
            var org = db.global()
                    .createOrganization("ryw-own-" + Ids.newId().toString().substring(24), "Own");
            assertThat(db.global().findOrganization(org.getId()))
                    .isPresent(); // a miss right after the write: the primary
            assertThat(reads(db)).containsEntry("recent_write", 1L);
            assertThat(db.global().findOrganization(org.getId())).isPresent(); // a hit: no database
            assertThat(reads(db)).containsEntry("recent_write", 1L).containsEntry("replica", 0L);
            assertThat(db.global().listLinesOfBusiness()).isNotEmpty(); // a miss of an unwritten table: the replica
            assertThat(reads(db)).containsEntry("replica", 1L);
            assertThat(db.global().uncached().fetchCount(db.global().uncached().selectFrom("us_state")))
                    .isPositive();
            assertThat(reads(db)).as("uncached() reads the primary").containsEntry("replica", 1L);
        }
    }

    @Test
    void metersSayWhereEachCandidateReadWent(Topology topology) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (OpenInsureDb db = topology.builder()
                .meterRegistry(registry)
                .binding(
                        Keyspace.GLOBAL,
                        b -> b.replicaUrl(topology.connectionString(Keyspace.GLOBAL))
                                .replicaReads(ReplicaReads.READS)
                                .cacheEnabled(false))
                .build()) {
            db.global()
                    .uncached()
                    .fetchValue("select 1"); // jOOQ's first statement in a JVM asks the primary's metadata first
            db.global().dsl().fetchValue("select count(*) from us_state");
            db.legacy().dsl().execute("update organization set name = name where slug = 'no-such-slug'");
            db.global().dsl().fetchCount(db.global().dsl().selectFrom("organization"));

            assertThat(registry.get("openinsure.db.reads")
                            .tags("keyspace", "global", "target", "replica", "reason", "replica")
                            .counter()
                            .count())
                    .isEqualTo(1);
            assertThat(registry.get("openinsure.db.reads")
                            .tags("keyspace", "global", "target", "primary", "reason", "recent_write")
                            .counter()
                            .count())
                    .isEqualTo(1);
            assertThat(registry.get("hikaricp.connections")
                            .tag("pool", "oi-global-replica")
                            .gauge())
                    .isNotNull();
            assertThat(registry.find("hikaricp.connections")
                            .tag("pool", "oi-policies-replica")
                            .meters())
                    .isEmpty();
        }
    }
}
