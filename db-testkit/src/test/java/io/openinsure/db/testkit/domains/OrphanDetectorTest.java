package io.openinsure.db.testkit.domains;

import static io.openinsure.db.domains.schema.oi_billing.Tables.PAYMENT;
import static io.openinsure.db.domains.schema.oi_claims.Tables.CLAIM;
import static io.openinsure.db.domains.schema.oi_global.Tables.ORGANIZATION;
import static org.assertj.core.api.Assertions.assertThat;

import io.openinsure.db.domains.Ids;
import io.openinsure.db.domains.OpenInsureDb;
import io.openinsure.db.domains.OrphanDetector;
import io.openinsure.db.testkit.OpenInsureDbTest;
import io.openinsure.db.testkit.TestBackend;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Orphans inserted on purpose (no foreign keys stop them) are found; rows with parents are not. */
@OpenInsureDbTest(backend = TestBackend.DEFAULT)
class OrphanDetectorTest {

    @Test
    void findsRowsWhoseParentInAnotherKeyspaceIsMissing(OpenInsureDb db) {
        UUID org = Ids.newId();
        db.global()
                .dsl()
                .insertInto(ORGANIZATION, ORGANIZATION.ID, ORGANIZATION.SLUG, ORGANIZATION.NAME)
                .values(org, "orphan-test-" + org, "Orphan Test Org")
                .execute();
        UUID missingPolicy = Ids.newId();
        UUID[] claimIds = {Ids.newId(), Ids.newId(), Ids.newId()};
        for (UUID claim : claimIds) {
            db.claims()
                    .dsl()
                    .insertInto(
                            CLAIM,
                            CLAIM.ID,
                            CLAIM.CLAIM_NUMBER,
                            CLAIM.POLICY_ID,
                            CLAIM.ORG_ID,
                            CLAIM.LOSS_DATE,
                            CLAIM.REPORTED_AT,
                            CLAIM.STATUS,
                            CLAIM.DESCRIPTION)
                    .values(
                            claim,
                            "CLM-ORPHAN-" + claim.toString().substring(24),
                            missingPolicy,
                            org,
                            LocalDate.of(2026, 1, 2),
                            LocalDateTime.of(2026, 1, 3, 4, 5),
                            "OPEN",
                            "orphan on purpose")
                    .execute();
        }
        UUID payment = Ids.newId();
        UUID missingInvoice = Ids.newId();
        db.billing()
                .dsl()
                .insertInto(
                        PAYMENT,
                        PAYMENT.ID,
                        PAYMENT.INVOICE_ID,
                        PAYMENT.AMOUNT,
                        PAYMENT.CURRENCY,
                        PAYMENT.METHOD,
                        PAYMENT.RECEIVED_AT,
                        PAYMENT.IDEMPOTENCY_KEY)
                .values(
                        payment,
                        missingInvoice,
                        new BigDecimal("10.00"),
                        "USD",
                        "ACH",
                        LocalDateTime.of(2026, 1, 3, 4, 5),
                        "orphan-" + payment)
                .execute();

        List<OrphanDetector.Orphan> orphans = new OrphanDetector(db, 2).scan();

        assertThat(orphans)
                .filteredOn(o -> List.of(claimIds).contains(o.childId()))
                .as("each claim is an orphan of its missing policy, not of its existing organization")
                .hasSize(3)
                .allSatisfy(o -> {
                    assertThat(o.relation().toString()).isEqualTo("claims.claim.policy_id -> policies.policy.id");
                    assertThat(o.missingParentId()).isEqualTo(missingPolicy);
                });
        assertThat(orphans)
                .filteredOn(o -> o.childId().equals(payment))
                .singleElement()
                .satisfies(o -> assertThat(o.toString())
                        .isEqualTo("billing.payment " + payment + ": invoice_id " + missingInvoice
                                + " not found in billing.invoice"));
        assertThat(new OrphanDetector(db).summary())
                .containsKey("claims.claim.policy_id -> policies.policy.id")
                .hasSize(OrphanDetector.RELATIONS.size());
    }
}
