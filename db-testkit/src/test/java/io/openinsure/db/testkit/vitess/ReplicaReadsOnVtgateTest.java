package io.openinsure.db.testkit.vitess;

import static io.openinsure.db.domains.schema.oi_global.Tables.ORGANIZATION;
import static org.assertj.core.api.Assertions.assertThat;

import io.openinsure.db.core.HealthStatus;
import io.openinsure.db.core.ReplicaReads;
import io.openinsure.db.domains.Ids;
import io.openinsure.db.domains.Keyspace;
import io.openinsure.db.domains.OpenInsureDb;
import io.openinsure.db.testkit.OpenInsureDbTest;
import io.openinsure.db.testkit.TestBackend;
import io.openinsure.db.testkit.Topology;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Replica reads through a real vtgate: with {@code REPLICA_READS=reads} and no {@code REPLICA_URL}, a {@code vitess://}
 * binding reads from {@code <keyspace>@replica} on the same vtgate, which routes those reads to the keyspace's replica
 * tablet (vtcombo's tablets all share one MariaDB, so there is no lag to see; what vtgate says about the target is).
 */
@OpenInsureDbTest(backend = TestBackend.VITESS)
class ReplicaReadsOnVtgateTest {

    @Test
    void eligibleReadsGoToTheReplicaTabletAndAWrittenTableToThePrimary(Topology topology) {
        try (OpenInsureDb db = topology.builder()
                .binding(
                        Keyspace.GLOBAL,
                        b -> b.replicaReads(ReplicaReads.READS)
                                .cacheEnabled(false)
                                .readYourWritesWindow(Duration.ofSeconds(30)))
                .build()) {
            assertThat(db.global().config().replica().url().describe()).endsWith("/oi_global@replica");

            // vtgate answers DATABASE() with the connection's target: the replica tablet type for dsl()'s reads.
            assertThat(db.global().dsl().fetchValue("SELECT DATABASE()")).isEqualTo("oi_global@replica");
            assertThat(db.global().uncached().fetchValue("SELECT DATABASE()")).isIn("oi_global", "oi_global@primary");
            assertThat((Object) db.global().transactionResult(tx -> tx.fetchValue("SELECT DATABASE()")))
                    .isIn("oi_global", "oi_global@primary");

            UUID id = Ids.newId();
            String slug = "vt-ryw-" + id.toString().substring(24);
            db.global()
                    .dsl()
                    .insertInto(ORGANIZATION, ORGANIZATION.ID, ORGANIZATION.SLUG, ORGANIZATION.NAME)
                    .values(id, slug, "Fresh")
                    .execute();
            assertThat(db.global().dsl().fetchValue("SELECT name FROM organization WHERE slug = ?", slug))
                    .isEqualTo("Fresh");
            assertThat(db.global().findOrganization(id)).isPresent();

            var replica = db.global().health().replica();
            assertThat(replica.reads()).containsEntry("replica", 1L).containsEntry("recent_write", 2L);
            assertThat(replica.state()).isEqualTo("serving");
            assertThat(replica.lag()).isEqualTo("lag unknown (vtgate keeps lagging tablets out itself)");
            assertThat(db.global().health().status()).isEqualTo(HealthStatus.HEALTHY);
        }
    }

    @Test
    void theReplicaContextReadsTheRdonlyTabletWhenAskedFor(Topology topology) {
        try (OpenInsureDb db = topology.builder()
                .binding(Keyspace.CLAIMS, b -> b.replicaUrl("@rdonly").replicaReads(ReplicaReads.EXPLICIT))
                .build()) {
            assertThat(db.claims().dsl().fetchValue("SELECT DATABASE()")).isIn("oi_claims", "oi_claims@primary");
            assertThat(db.claims().replica().fetchValue("SELECT DATABASE()")).isEqualTo("oi_claims@rdonly");
            assertThat(db.claims().replica().fetchCount(db.claims().replica().selectFrom("claim")))
                    .isNotNegative();
            assertThat(db.claims().health().replica().reads()).containsEntry("replica", 2L);
        }
    }
}
