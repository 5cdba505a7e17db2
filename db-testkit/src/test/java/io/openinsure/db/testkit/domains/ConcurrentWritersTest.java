package io.openinsure.db.testkit.domains;

import static io.openinsure.db.domains.schema.oi_billing.Tables.BILLING_ACCOUNT;
import static io.openinsure.db.domains.schema.oi_billing.Tables.INVOICE;
import static io.openinsure.db.domains.schema.oi_billing.Tables.PAYMENT;
import static io.openinsure.db.domains.schema.oi_claims.Tables.CLAIM;
import static io.openinsure.db.domains.schema.oi_claims.Tables.CLAIM_PAYMENT;
import static io.openinsure.db.testkit.domains.DomainTestSupport.racing;
import static io.openinsure.db.testkit.domains.DomainTestSupport.refused;
import static org.assertj.core.api.Assertions.assertThat;

import io.openinsure.db.domains.BillingDb;
import io.openinsure.db.domains.BillingDb.ReferenceType;
import io.openinsure.db.domains.ClaimsDb;
import io.openinsure.db.domains.ClaimsDb.FirstNotice;
import io.openinsure.db.domains.DomainException.Reason;
import io.openinsure.db.domains.Ids;
import io.openinsure.db.domains.schema.oi_billing.tables.records.BillingAccountRecord;
import io.openinsure.db.domains.schema.oi_billing.tables.records.InvoiceRecord;
import io.openinsure.db.domains.schema.oi_billing.tables.records.PaymentRecord;
import io.openinsure.db.domains.schema.oi_claims.tables.records.ClaimEventRecord;
import io.openinsure.db.domains.schema.oi_claims.tables.records.ClaimPaymentRecord;
import io.openinsure.db.domains.schema.oi_claims.tables.records.ClaimRecord;
import io.openinsure.db.testkit.OpenInsureDbTest;
import io.openinsure.db.testkit.TestBackend;
import io.openinsure.db.testkit.Topology;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Another writer changes rows behind the client's back (through its own {@code dsl()}, in a
 * transaction held open until the client's operation waits for its locks): optimistic version
 * checks turn lost updates into {@code CONFLICT}, and idempotency keys that lose a race return the
 * winner's row.
 */
@OpenInsureDbTest(backend = TestBackend.DEFAULT)
class ConcurrentWritersTest {

    private static final LocalDate LOSS = LocalDate.of(2026, 1, 15);

    private static ClaimRecord reservedClaim(ClaimsDb claims, String reserve) {
        ClaimRecord claim =
                claims.fileFirstNotice(new FirstNotice(Ids.newId(), Ids.newId(), LOSS, "Water damage", null));
        claims.setReserve(claim.getId(), new BigDecimal(reserve), "USD", "estimate");
        return claims.findClaim(claim.getId()).orElseThrow();
    }

    private static String key(ClaimRecord claim) {
        return claim.getClaimNumber() + " (" + claim.getId() + ")";
    }

    // ---- optimistic locking ----

    @Test
    void closingAClaimAnotherWriterJustChangedIsAConflict(ClaimsDb claims, Topology topology) {
        ClaimRecord claim = claims.fileFirstNotice(new FirstNotice(Ids.newId(), Ids.newId(), LOSS, "Theft", null));

        assertThat(refused(
                        () -> racing(
                                topology,
                                claims,
                                tx -> tx.update(CLAIM)
                                        .set(CLAIM.DESCRIPTION, "Theft of a bicycle")
                                        .set(CLAIM.VERSION, CLAIM.VERSION.plus(1))
                                        .where(CLAIM.ID.eq(claim.getId()))
                                        .execute(),
                                () -> claims.closeClaim(claim.getId(), "recovered")),
                        Reason.CONFLICT))
                .hasMessage("Keyspace 'claims': claim " + key(claim)
                        + " was changed by another writer (expected version 0); read it again and retry.");

        ClaimRecord after = claims.findClaim(claim.getId()).orElseThrow();
        assertThat(after.getStatus()).isEqualTo("OPEN");
        assertThat(after.getDescription()).isEqualTo("Theft of a bicycle");
        assertThat(after.getVersion()).isEqualTo(1);
        assertThat(claims.listEvents(claim.getId()))
                .extracting(ClaimEventRecord::getEventType)
                .containsExactly("FIRST_NOTICE");
        // Read again and retry: it goes through.
        assertThat(claims.closeClaim(claim.getId(), "recovered").getStatus()).isEqualTo("CLOSED");
    }

    @Test
    void twoPaymentsCannotTogetherOverdrawTheReserve(ClaimsDb claims, Topology topology) {
        ClaimRecord claim = reservedClaim(claims, "100");

        // The other writer pays 80 (and takes a new version, as ClaimsDb.pay does); our 50 passed its check on the old
        // snapshot.
        assertThat(refused(
                        () -> racing(
                                topology,
                                claims,
                                tx -> {
                                    tx.insertInto(CLAIM_PAYMENT)
                                            .set(new ClaimPaymentRecord(
                                                    Ids.newId(),
                                                    claim.getId(),
                                                    new BigDecimal("80"),
                                                    "USD",
                                                    "Other desk",
                                                    LocalDateTime.now(),
                                                    "pay-" + UUID.randomUUID(),
                                                    LocalDateTime.now()))
                                            .execute();
                                    tx.update(CLAIM)
                                            .set(CLAIM.VERSION, CLAIM.VERSION.plus(1))
                                            .where(CLAIM.ID.eq(claim.getId()))
                                            .execute();
                                },
                                () -> claims.pay(new ClaimsDb.ClaimPaymentRequest(
                                        claim.getId(),
                                        new BigDecimal("50"),
                                        "USD",
                                        "Acme",
                                        "pay-" + UUID.randomUUID()))),
                        Reason.CONFLICT))
                .hasMessage("Keyspace 'claims': claim " + key(claim)
                        + " was changed by another writer (expected version 1); read it again and retry.");

        assertThat(claims.totals(claim.getId()).paid()).isEqualByComparingTo("80");
        assertThat(refused(
                        () -> claims.pay(new ClaimsDb.ClaimPaymentRequest(
                                claim.getId(), new BigDecimal("50"), "USD", "Acme", "pay-" + UUID.randomUUID())),
                        Reason.INVALID))
                .hasMessageContaining("reserve 100.0000, paid 80.0000, outstanding 20.0000.");
    }

    @Test
    void aPaymentOnAnInvoiceAnotherWriterJustChangedIsAConflict(BillingDb billing, Topology topology) {
        InvoiceRecord invoice = billing.invoicePremium(BillingDbTest.request(Ids.newId(), Ids.newId(), "300", null));

        assertThat(refused(
                        () -> racing(
                                topology,
                                billing,
                                tx -> tx.update(INVOICE)
                                        .set(INVOICE.DUE_DATE, LocalDate.of(2026, 6, 30))
                                        .set(INVOICE.VERSION, INVOICE.VERSION.plus(1))
                                        .where(INVOICE.ID.eq(invoice.getId()))
                                        .execute(),
                                () -> billing.recordPayment(new BillingDb.PaymentRequest(
                                        invoice.getId(),
                                        new BigDecimal("100"),
                                        "USD",
                                        "ACH",
                                        "pmt-" + UUID.randomUUID()))),
                        Reason.CONFLICT))
                .hasMessage("Keyspace 'billing': invoice " + invoice.getInvoiceNumber() + " (" + invoice.getId()
                        + ") was changed by another writer (expected version 0); read it again and retry.");

        assertThat(billing.listPayments(invoice.getId())).isEmpty();
        assertThat(billing.findInvoice(invoice.getId()).orElseThrow().getStatus())
                .isEqualTo("ISSUED");
        assertThat(billing.listJournals(ReferenceType.INVOICE, invoice.getId())).hasSize(1);
    }

    @Test
    void voidingAnInvoiceAnotherWriterJustChangedIsAConflict(BillingDb billing, Topology topology) {
        InvoiceRecord invoice = billing.invoicePremium(BillingDbTest.request(Ids.newId(), Ids.newId(), "300", null));

        assertThat(refused(
                        () -> racing(
                                topology,
                                billing,
                                tx -> tx.update(INVOICE)
                                        .set(INVOICE.VERSION, INVOICE.VERSION.plus(1))
                                        .where(INVOICE.ID.eq(invoice.getId()))
                                        .execute(),
                                () -> billing.voidInvoice(invoice.getId(), "error")),
                        Reason.CONFLICT))
                .hasMessageEndingWith("was changed by another writer (expected version 0); read it again and retry.");
        assertThat(billing.listJournals(ReferenceType.INVOICE, invoice.getId())).hasSize(1);
    }

    // ---- idempotency races ----

    @Test
    void aFirstNoticeThatLosesTheRaceForItsKeyReturnsTheWinnersClaim(ClaimsDb claims, Topology topology)
            throws Throwable {
        String key = "fnol-" + UUID.randomUUID();
        UUID policy = Ids.newId();
        UUID org = Ids.newId();
        UUID winner = Ids.newId();
        LocalDateTime now = LocalDateTime.now();

        ClaimRecord returned = racing(
                topology,
                claims,
                tx -> tx.insertInto(CLAIM)
                        .set(new ClaimRecord(
                                winner,
                                "CLM-RACE-" + winner.toString().substring(24),
                                policy,
                                org,
                                LOSS,
                                now,
                                "OPEN",
                                "Filed by the other writer",
                                null,
                                key,
                                0,
                                now,
                                now))
                        .execute(),
                () -> claims.fileFirstNotice(new FirstNotice(policy, org, LOSS, "Filed by us", key)));

        assertThat(returned.getId()).isEqualTo(winner);
        assertThat(returned.getDescription()).isEqualTo("Filed by the other writer");
        assertThat(claims.listClaims(policy)).hasSize(1);
    }

    @Test
    void aClaimPaymentThatLosesTheRaceForItsKeyReturnsTheWinnersPayment(ClaimsDb claims, Topology topology)
            throws Throwable {
        ClaimRecord claim = reservedClaim(claims, "100");
        String key = "pay-" + UUID.randomUUID();
        UUID winner = Ids.newId();

        ClaimPaymentRecord returned = racing(
                topology,
                claims,
                tx -> tx.insertInto(CLAIM_PAYMENT)
                        .set(new ClaimPaymentRecord(
                                winner,
                                claim.getId(),
                                new BigDecimal("40"),
                                "USD",
                                "Acme",
                                LocalDateTime.now(),
                                key,
                                LocalDateTime.now()))
                        .execute(),
                () -> claims.pay(
                        new ClaimsDb.ClaimPaymentRequest(claim.getId(), new BigDecimal("40"), "USD", "Acme", key)));

        assertThat(returned.getId()).isEqualTo(winner);
        assertThat(claims.listPayments(claim.getId()))
                .extracting(ClaimPaymentRecord::getId)
                .containsExactly(winner);
    }

    @Test
    void anAccountThatLosesTheRaceForItsPolicyReturnsTheWinnersAccount(BillingDb billing, Topology topology)
            throws Throwable {
        UUID org = Ids.newId();
        UUID policy = Ids.newId();
        UUID winner = Ids.newId();
        LocalDateTime now = LocalDateTime.now();

        BillingAccountRecord returned = racing(
                topology,
                billing,
                tx -> tx.insertInto(BILLING_ACCOUNT)
                        .set(new BillingAccountRecord(
                                winner,
                                org,
                                policy,
                                "BA-RACE-" + winner.toString().substring(24),
                                "ACTIVE",
                                0,
                                now,
                                now))
                        .execute(),
                () -> billing.openAccount(org, policy));

        assertThat(returned.getId()).isEqualTo(winner);
    }

    @Test
    void anInvoiceThatLosesTheRaceForItsKeyReturnsTheWinnersInvoice(BillingDb billing, Topology topology)
            throws Throwable {
        BillingDb.InvoiceRequest request =
                BillingDbTest.request(Ids.newId(), Ids.newId(), "250", "inv-" + UUID.randomUUID());
        BillingAccountRecord account = billing.openAccount(request.orgId(), request.policyId());
        UUID winner = Ids.newId();
        LocalDateTime now = LocalDateTime.now();

        InvoiceRecord returned = racing(
                topology,
                billing,
                tx -> tx.insertInto(INVOICE)
                        .set(new InvoiceRecord(
                                winner,
                                "INV-RACE-" + winner.toString().substring(24),
                                account.getId(),
                                request.policyId(),
                                request.amount(),
                                "USD",
                                "ISSUED",
                                request.dueDate(),
                                now,
                                null,
                                null,
                                request.idempotencyKey(),
                                0,
                                now,
                                now))
                        .execute(),
                () -> billing.invoicePremium(request));

        assertThat(returned.getId()).isEqualTo(winner);
        assertThat(billing.listInvoices(request.policyId()))
                .extracting(InvoiceRecord::getId)
                .containsExactly(winner);
        // The loser's journal was rolled back with its invoice.
        assertThat(billing.dsl()
                        .fetchCount(
                                io.openinsure.db.domains.schema.oi_billing.Tables.GL_JOURNAL,
                                io.openinsure.db.domains.schema.oi_billing.Tables.GL_JOURNAL.REFERENCE_ID.in(
                                        billing.dsl()
                                                .select(INVOICE.ID)
                                                .from(INVOICE)
                                                .where(INVOICE.POLICY_ID.eq(request.policyId())))))
                .isZero();
    }

    @Test
    void anInvoicePaymentThatLosesTheRaceForItsKeyReturnsTheWinnersPayment(BillingDb billing, Topology topology)
            throws Throwable {
        InvoiceRecord invoice = billing.invoicePremium(BillingDbTest.request(Ids.newId(), Ids.newId(), "300", null));
        String key = "pmt-" + UUID.randomUUID();
        UUID winner = Ids.newId();

        PaymentRecord returned = racing(
                topology,
                billing,
                tx -> tx.insertInto(PAYMENT)
                        .set(new PaymentRecord(
                                winner,
                                invoice.getId(),
                                new BigDecimal("120"),
                                "USD",
                                "WIRE",
                                LocalDateTime.now(),
                                key,
                                LocalDateTime.now()))
                        .execute(),
                () -> billing.recordPayment(
                        new BillingDb.PaymentRequest(invoice.getId(), new BigDecimal("120"), "USD", "WIRE", key)));

        assertThat(returned.getId()).isEqualTo(winner);
        assertThat(billing.listPayments(invoice.getId()))
                .extracting(PaymentRecord::getId)
                .containsExactly(winner);
    }
}
