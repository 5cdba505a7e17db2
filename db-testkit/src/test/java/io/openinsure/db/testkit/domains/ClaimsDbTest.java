package io.openinsure.db.testkit.domains;

import static io.openinsure.db.domains.schema.oi_claims.Tables.CLAIM;
import static io.openinsure.db.testkit.domains.DomainTestSupport.money;
import static io.openinsure.db.testkit.domains.DomainTestSupport.refused;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.openinsure.db.domains.ClaimsDb;
import io.openinsure.db.domains.ClaimsDb.ClaimPaymentRequest;
import io.openinsure.db.domains.ClaimsDb.ClaimTotals;
import io.openinsure.db.domains.ClaimsDb.FirstNotice;
import io.openinsure.db.domains.DomainException;
import io.openinsure.db.domains.DomainException.Reason;
import io.openinsure.db.domains.Ids;
import io.openinsure.db.domains.OpenInsureDb;
import io.openinsure.db.domains.schema.oi_claims.tables.records.ClaimEventRecord;
import io.openinsure.db.domains.schema.oi_claims.tables.records.ClaimPaymentRecord;
import io.openinsure.db.domains.schema.oi_claims.tables.records.ClaimRecord;
import io.openinsure.db.domains.schema.oi_claims.tables.records.ReserveRecord;
import io.openinsure.db.testkit.OpenInsureDbTest;
import io.openinsure.db.testkit.TestBackend;
import io.openinsure.db.testkit.Topology;
import io.openinsure.db.testkit.domains.DomainTestSupport.TestClock;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link ClaimsDb} against the embedded MariaDB: the claim lifecycle, its money and every refusal. */
@OpenInsureDbTest(backend = TestBackend.DEFAULT)
class ClaimsDbTest {

    private static final TestClock CLOCK = new TestClock(DomainTestSupport.START);
    private static final LocalDate LOSS = LocalDate.of(2026, 2, 20);

    private static OpenInsureDb db;
    private static ClaimsDb claims;

    @BeforeAll
    static void open(Topology topology) {
        db = topology.builder().clock(CLOCK).build();
        claims = db.claims();
    }

    @AfterAll
    static void close() {
        db.close();
    }

    private static LocalDateTime now() {
        return LocalDateTime.ofInstant(CLOCK.instant(), ZoneOffset.UTC);
    }

    private static ClaimRecord file() {
        return claims.fileFirstNotice(new FirstNotice(Ids.newId(), Ids.newId(), LOSS, "Kitchen fire", null));
    }

    private static ClaimRecord fileWithReserve(String amount) {
        ClaimRecord claim = file();
        claims.setReserve(claim.getId(), new BigDecimal(amount), "USD", "initial estimate");
        return claim;
    }

    private static String key(ClaimRecord claim) {
        return claim.getClaimNumber() + " (" + claim.getId() + ")";
    }

    // ---- first notice of loss ----

    @Test
    void aFirstNoticeOpensANumberedClaimWithAnEvent() {
        UUID policy = Ids.newId();
        UUID org = Ids.newId();
        ClaimRecord claim =
                claims.fileFirstNotice(new FirstNotice(policy, org, LOSS, "  Burst pipe in the basement ", null));

        assertThat(claim.getClaimNumber()).matches("CLM-2026-[0-9A-HJKMNP-TV-Z]{10}");
        assertThat(claim.getStatus()).isEqualTo("OPEN");
        assertThat(claim.getPolicyId()).isEqualTo(policy);
        assertThat(claim.getOrgId()).isEqualTo(org);
        assertThat(claim.getDescription()).isEqualTo("Burst pipe in the basement");
        assertThat(claim.getReportedAt()).isEqualTo(now());
        assertThat(claim.getClosedAt()).isNull();
        assertThat(claim.getVersion()).isZero();

        ClaimRecord stored = claims.findClaim(claim.getId()).orElseThrow();
        assertThat(stored.intoMap()).isEqualTo(claim.intoMap());
        assertThat(claims.findClaimByNumber(claim.getClaimNumber())
                        .orElseThrow()
                        .getId())
                .isEqualTo(claim.getId());
        assertThat(claims.findClaim(Ids.newId())).isEmpty();
        assertThat(claims.findClaimByNumber("CLM-2026-NOSUCHCLAIM")).isEmpty();

        List<ClaimEventRecord> events = claims.listEvents(claim.getId());
        assertThat(events).extracting(ClaimEventRecord::getEventType).containsExactly("FIRST_NOTICE");
        assertThat(events.get(0).getOccurredAt()).isEqualTo(now());
        JsonNode payload = DomainTestSupport.json(events.get(0).getPayload());
        assertThat(payload.get("policyId").asText()).isEqualTo(policy.toString());
        assertThat(payload.get("lossDate").asText()).isEqualTo("2026-02-20");
    }

    @Test
    void claimNumbersAreUnique() {
        List<String> numbers = java.util.stream.IntStream.range(0, 20)
                .mapToObj(i -> file().getClaimNumber())
                .toList();
        assertThat(numbers).doesNotHaveDuplicates();
    }

    @Test
    void aRetriedFirstNoticeReturnsTheFirstClaim() {
        UUID policy = Ids.newId();
        FirstNotice notice = new FirstNotice(policy, Ids.newId(), LOSS, "Hail damage", "fnol-" + UUID.randomUUID());
        ClaimRecord first = claims.fileFirstNotice(notice);
        CLOCK.advance(Duration.ofMinutes(1));
        ClaimRecord retried = claims.fileFirstNotice(notice);

        assertThat(retried.intoMap()).isEqualTo(first.intoMap());
        assertThat(claims.listClaims(policy)).hasSize(1);
        assertThat(claims.listEvents(first.getId())).hasSize(1);
    }

    @Test
    void anIdempotencyKeyUsedForAnotherPolicyIsRefused() {
        String key = "fnol-" + UUID.randomUUID();
        ClaimRecord first = claims.fileFirstNotice(new FirstNotice(Ids.newId(), Ids.newId(), LOSS, "Theft", key));
        UUID otherPolicy = Ids.newId();

        DomainException e = refused(
                () -> claims.fileFirstNotice(new FirstNotice(otherPolicy, Ids.newId(), LOSS, "Theft", key)),
                Reason.CONFLICT);
        assertThat(e)
                .hasMessage("Keyspace 'claims': idempotency key '" + key + "' was already used for claim " + key(first)
                        + " on policy " + first.getPolicyId() + ", not policy " + otherPolicy
                        + "; use a new key for a new first notice.");
    }

    @Test
    void aLossAfterTodayIsRefused() {
        UUID policy = Ids.newId();
        DomainException e = refused(
                () -> claims.fileFirstNotice(
                        new FirstNotice(policy, Ids.newId(), LocalDate.of(2026, 12, 24), "Future storm", null)),
                Reason.INVALID);
        assertThat(e)
                .hasMessage(
                        "Keyspace 'claims': loss date must be on or before today, 2026-03-01 (UTC), but was 2026-12-24.");
        assertThat(claims.listClaims(policy)).isEmpty();
    }

    @Test
    void aFirstNoticeChecksItsFields() {
        assertThat(refused(() -> new FirstNotice(null, Ids.newId(), LOSS, "x", null), Reason.INVALID))
                .hasMessage("Keyspace 'claims': policy id is required, but was null.");
        assertThat(refused(() -> new FirstNotice(Ids.newId(), Ids.newId(), LOSS, "  ", null), Reason.INVALID))
                .hasMessage("Keyspace 'claims': loss description must be 1 to 10000 characters, but was blank.");
        assertThat(refused(() -> new FirstNotice(Ids.newId(), Ids.newId(), null, "x", null), Reason.INVALID))
                .hasMessage("Keyspace 'claims': loss date is required, but was null.");
        assertThat(refused(() -> new FirstNotice(Ids.newId(), Ids.newId(), LOSS, "x", "k".repeat(129)), Reason.INVALID))
                .hasMessage(
                        "Keyspace 'claims': idempotency key must be 1 to 128 characters, but was 129 characters long.");
    }

    @Test
    void listClaimsReturnsThatPolicysClaimsInReportOrder() {
        UUID policy = Ids.newId();
        ClaimRecord a = claims.fileFirstNotice(new FirstNotice(policy, Ids.newId(), LOSS, "first", null));
        CLOCK.advance(Duration.ofSeconds(1));
        ClaimRecord b = claims.fileFirstNotice(new FirstNotice(policy, Ids.newId(), LOSS, "second", null));
        file();

        assertThat(claims.listClaims(policy)).extracting(ClaimRecord::getId).containsExactly(a.getId(), b.getId());
        assertThat(claims.listClaims(Ids.newId())).isEmpty();
    }

    // ---- reserves ----

    @Test
    void theLatestReserveIsCurrentEvenWithinOneMicrosecond() {
        ClaimRecord claim = file();
        ReserveRecord first = claims.setReserve(claim.getId(), new BigDecimal("1000"), "USD", "initial estimate");
        // Same clock reading: the later row (larger time-ordered id) wins.
        ReserveRecord second = claims.setReserve(claim.getId(), new BigDecimal("1500.5"), "USD", "contractor quote");

        assertThat(first.getAmount()).isEqualByComparingTo("1000");
        assertThat(second.getSetAt()).isEqualTo(first.getSetAt()).isEqualTo(now());
        assertThat(claims.totals(claim.getId()))
                .isEqualTo(new ClaimTotals(claim.getId(), "USD", money("1500.5"), money("0"), money("1500.5")));
        assertThat(claims.listEvents(claim.getId()))
                .extracting(ClaimEventRecord::getEventType)
                .containsExactly("FIRST_NOTICE", "RESERVE_SET", "RESERVE_SET");
        assertThat(claims.findClaim(claim.getId()).orElseThrow().getVersion()).isEqualTo(2);
    }

    @Test
    void aClaimWithoutReserveHasZeroTotals() {
        ClaimRecord claim = file();
        assertThat(claims.totals(claim.getId()))
                .isEqualTo(new ClaimTotals(claim.getId(), null, money("0"), money("0"), money("0")));
    }

    @Test
    void aReserveBelowThePaidTotalIsRefused() {
        ClaimRecord claim = fileWithReserve("1000");
        claims.pay(new ClaimPaymentRequest(
                claim.getId(), new BigDecimal("600"), "USD", "Acme Restoration", "pay-" + UUID.randomUUID()));

        DomainException e = refused(
                () -> claims.setReserve(claim.getId(), new BigDecimal("500"), "USD", "revised"), Reason.INVALID);
        assertThat(e)
                .hasMessage(
                        "Keyspace 'claims': reserve of 500.0000 USD on claim " + key(claim)
                                + " is below the 600.0000 USD already paid; a reserve covers what was paid plus what is still expected.");
        claims.setReserve(claim.getId(), new BigDecimal("600"), "USD", "settled at paid");
        assertThat(claims.totals(claim.getId()).outstanding()).isEqualByComparingTo("0");
    }

    @Test
    void aReserveInAnotherCurrencyIsRefused() {
        ClaimRecord claim = fileWithReserve("1000");
        DomainException e = refused(
                () -> claims.setReserve(claim.getId(), new BigDecimal("900"), "EUR", "revised"), Reason.INVALID);
        assertThat(e)
                .hasMessage("Keyspace 'claims': reserve currency EUR differs from the currency USD of claim "
                        + key(claim) + "; a claim is reserved and paid in one currency.");
    }

    @Test
    void aReserveOnAClosedClaimIsRefused() {
        ClaimRecord claim = file();
        claims.closeClaim(claim.getId(), "no coverage");
        DomainException e = refused(
                () -> claims.setReserve(claim.getId(), BigDecimal.TEN, "USD", "late estimate"),
                Reason.ILLEGAL_TRANSITION);
        assertThat(e)
                .hasMessage("Keyspace 'claims': cannot set the reserve of claim " + key(claim)
                        + ": it is CLOSED. Reopen the claim before changing its reserve.");
    }

    @Test
    void reserveInputsAreChecked() {
        UUID id = file().getId();
        assertThat(refused(() -> claims.setReserve(id, new BigDecimal("-1"), "USD", "x"), Reason.INVALID))
                .hasMessage("Keyspace 'claims': reserve amount must be zero or more, but was -1.");
        assertThat(refused(() -> claims.setReserve(id, new BigDecimal("1.00001"), "USD", "x"), Reason.INVALID))
                .hasMessage(
                        "Keyspace 'claims': reserve amount must have at most 4 decimal places (DECIMAL(19,4)), but was 1.00001.");
        assertThat(refused(() -> claims.setReserve(id, new BigDecimal("1E15"), "USD", "x"), Reason.INVALID))
                .hasMessage(
                        "Keyspace 'claims': reserve amount must have at most 15 digits before the decimal point (DECIMAL(19,4)),"
                                + " but was 1000000000000000.");
        assertThat(refused(() -> claims.setReserve(id, BigDecimal.ONE, "US$", "x"), Reason.INVALID))
                .hasMessage(
                        "Keyspace 'claims': reserve currency must be an ISO 4217 code such as USD or EUR, but was 'US$'.");
        assertThat(refused(() -> claims.setReserve(id, BigDecimal.ONE, "XYZ", "x"), Reason.INVALID))
                .hasMessage(
                        "Keyspace 'claims': reserve currency must be an ISO 4217 code such as USD or EUR, but was 'XYZ'.");
        assertThat(refused(() -> claims.setReserve(id, BigDecimal.ONE, "USD", "r".repeat(256)), Reason.INVALID))
                .hasMessage(
                        "Keyspace 'claims': reserve reason must be 1 to 255 characters, but was 256 characters long.");
        // Currency codes are case-insensitive: "usd" is stored as USD.
        assertThat(claims.setReserve(id, BigDecimal.ONE, "usd", "x").getCurrency())
                .isEqualTo("USD");
    }

    // ---- payments ----

    @Test
    void aPaymentWithinTheReserveIsRecordedWithAnEvent() {
        ClaimRecord claim = fileWithReserve("1000");
        ClaimPaymentRecord payment = claims.pay(new ClaimPaymentRequest(
                claim.getId(), new BigDecimal("400.25"), "USD", "Acme Restoration", "pay-" + UUID.randomUUID()));

        assertThat(payment.getAmount()).isEqualByComparingTo("400.25");
        assertThat(payment.getPayee()).isEqualTo("Acme Restoration");
        assertThat(payment.getPaidAt()).isEqualTo(now());
        assertThat(claims.listPayments(claim.getId()))
                .extracting(ClaimPaymentRecord::getId)
                .containsExactly(payment.getId());
        assertThat(claims.totals(claim.getId()))
                .isEqualTo(new ClaimTotals(claim.getId(), "USD", money("1000"), money("400.25"), money("599.75")));
        ClaimEventRecord event = claims.listEvents(claim.getId()).get(2);
        assertThat(event.getEventType()).isEqualTo("PAYMENT");
        JsonNode payload = DomainTestSupport.json(event.getPayload());
        assertThat(payload.get("paymentId").asText()).isEqualTo(payment.getId().toString());
        assertThat(payload.get("amount").decimalValue()).isEqualByComparingTo("400.25");
        assertThat(payload.get("payee").asText()).isEqualTo("Acme Restoration");
    }

    @Test
    void paymentsMayUseTheWholeOutstandingAmountAndNoMore() {
        ClaimRecord claim = fileWithReserve("1000");
        claims.pay(new ClaimPaymentRequest(
                claim.getId(), new BigDecimal("400"), "USD", "Acme", "pay-" + UUID.randomUUID()));

        DomainException e = refused(
                () -> claims.pay(new ClaimPaymentRequest(
                        claim.getId(), new BigDecimal("700"), "USD", "Acme", "pay-" + UUID.randomUUID())),
                Reason.INVALID);
        assertThat(e)
                .hasMessage("Keyspace 'claims': payment of 700.0000 USD on claim " + key(claim)
                        + " exceeds its outstanding reserve: reserve 1000.0000, paid 400.0000, outstanding 600.0000."
                        + " Raise the reserve with setReserve first.");

        claims.pay(new ClaimPaymentRequest(
                claim.getId(), new BigDecimal("600"), "USD", "Acme", "pay-" + UUID.randomUUID()));
        assertThat(claims.totals(claim.getId()).outstanding()).isEqualByComparingTo("0");
        assertThat(refused(
                        () -> claims.pay(new ClaimPaymentRequest(
                                claim.getId(), new BigDecimal("0.0001"), "USD", "Acme", "pay-" + UUID.randomUUID())),
                        Reason.INVALID))
                .hasMessageContaining("reserve 1000.0000, paid 1000.0000, outstanding 0.0000.");
    }

    @Test
    void aPaymentWithoutAReserveIsRefused() {
        ClaimRecord claim = file();
        DomainException e = refused(
                () -> claims.pay(new ClaimPaymentRequest(
                        claim.getId(), BigDecimal.TEN, "USD", "Acme", "pay-" + UUID.randomUUID())),
                Reason.INVALID);
        assertThat(e)
                .hasMessage(
                        "Keyspace 'claims': payment of 10.0000 USD on claim " + key(claim)
                                + " exceeds its outstanding reserve: reserve 0.0000, paid 0.0000, outstanding 0.0000. Raise the reserve with setReserve first.");
    }

    @Test
    void aPaymentInAnotherCurrencyIsRefused() {
        ClaimRecord claim = fileWithReserve("1000");
        assertThat(refused(
                        () -> claims.pay(new ClaimPaymentRequest(
                                claim.getId(), BigDecimal.TEN, "EUR", "Acme", "pay-" + UUID.randomUUID())),
                        Reason.INVALID))
                .hasMessage("Keyspace 'claims': payment currency EUR differs from the currency USD of claim "
                        + key(claim) + "; a claim is reserved and paid in one currency.");
    }

    @Test
    void aRetriedPaymentReturnsTheFirstOneEvenAfterTheClaimClosed() {
        ClaimRecord claim = fileWithReserve("1000");
        String key = "pay-" + UUID.randomUUID();
        ClaimPaymentRecord first =
                claims.pay(new ClaimPaymentRequest(claim.getId(), new BigDecimal("250"), "USD", "Acme", key));
        ClaimPaymentRecord retried =
                claims.pay(new ClaimPaymentRequest(claim.getId(), new BigDecimal("250.0000"), "USD", "Acme", key));
        assertThat(retried.intoMap()).isEqualTo(first.intoMap());

        claims.closeClaim(claim.getId(), "settled");
        assertThat(claims.pay(new ClaimPaymentRequest(claim.getId(), new BigDecimal("250"), "USD", "Acme", key))
                        .getId())
                .isEqualTo(first.getId());
        assertThat(claims.listPayments(claim.getId())).hasSize(1);
        assertThat(claims.totals(claim.getId()).paid()).isEqualByComparingTo("250");
    }

    @Test
    void aPaymentKeyUsedForAnotherPaymentIsRefused() {
        ClaimRecord claim = fileWithReserve("1000");
        String key = "pay-" + UUID.randomUUID();
        ClaimPaymentRecord first =
                claims.pay(new ClaimPaymentRequest(claim.getId(), new BigDecimal("250"), "USD", "Acme", key));

        DomainException e = refused(
                () -> claims.pay(new ClaimPaymentRequest(claim.getId(), new BigDecimal("300"), "USD", "Acme", key)),
                Reason.CONFLICT);
        assertThat(e)
                .hasMessage("Keyspace 'claims': idempotency key '" + key + "' was already used for payment "
                        + first.getId()
                        + " of 250.0000 USD on claim " + claim.getId() + ", not 300.0000 USD on claim " + claim.getId()
                        + "; use a new key for a new payment.");
    }

    @Test
    void payingAClosedClaimIsRefused() {
        ClaimRecord claim = fileWithReserve("1000");
        claims.closeClaim(claim.getId(), "denied");

        DomainException e = refused(
                () -> claims.pay(new ClaimPaymentRequest(
                        claim.getId(), BigDecimal.TEN, "USD", "Acme", "pay-" + UUID.randomUUID())),
                Reason.ILLEGAL_TRANSITION);
        assertThat(e)
                .hasMessage("Keyspace 'claims': cannot pay claim " + key(claim)
                        + ": it is CLOSED. Reopen the claim before paying on it.");
        assertThat(claims.listPayments(claim.getId())).isEmpty();
    }

    @Test
    void paymentInputsAreChecked() {
        UUID id = fileWithReserve("1000").getId();
        assertThat(refused(() -> new ClaimPaymentRequest(id, BigDecimal.ZERO, "USD", "Acme", "k"), Reason.INVALID))
                .hasMessage("Keyspace 'claims': payment amount must be greater than zero, but was 0.");
        assertThat(refused(() -> new ClaimPaymentRequest(id, BigDecimal.ONE, "USD", " ", "k"), Reason.INVALID))
                .hasMessage("Keyspace 'claims': payee must be 1 to 255 characters, but was blank.");
        assertThat(refused(() -> new ClaimPaymentRequest(id, BigDecimal.ONE, "USD", "Acme", null), Reason.INVALID))
                .hasMessage(
                        "Keyspace 'claims': idempotency key is required, but was null; pass the same key when retrying the same"
                                + " request, e.g. a UUID made once per request.");
        assertThat(refused(() -> new ClaimPaymentRequest(null, BigDecimal.ONE, "USD", "Acme", "k"), Reason.INVALID))
                .hasMessage("Keyspace 'claims': claim id is required, but was null.");
        assertThat(refused(() -> claims.pay(null), Reason.INVALID))
                .hasMessage("Keyspace 'claims': claim payment request is required, but was null.");
    }

    // ---- close and reopen ----

    @Test
    void closingSetsClosedAtAndReleasesWhatIsOutstanding() {
        ClaimRecord claim = fileWithReserve("1000");
        claims.pay(new ClaimPaymentRequest(
                claim.getId(), new BigDecimal("300"), "USD", "Acme", "pay-" + UUID.randomUUID()));
        CLOCK.advance(Duration.ofHours(1));

        ClaimRecord closed = claims.closeClaim(claim.getId(), "settled with the insured");

        assertThat(closed.getStatus()).isEqualTo("CLOSED");
        assertThat(closed.getClosedAt()).isEqualTo(now());
        assertThat(closed.getVersion()).isEqualTo(3); // reserve, payment, close
        assertThat(claims.findClaim(claim.getId()).orElseThrow().intoMap()).isEqualTo(closed.intoMap());
        assertThat(claims.totals(claim.getId()))
                .isEqualTo(new ClaimTotals(claim.getId(), "USD", money("300"), money("300"), money("0")));
        ClaimEventRecord event = claims.listEvents(claim.getId()).get(3);
        assertThat(event.getEventType()).isEqualTo("CLOSED");
        JsonNode payload = DomainTestSupport.json(event.getPayload());
        assertThat(payload.get("reason").asText()).isEqualTo("settled with the insured");
        assertThat(payload.get("releasedReserve").decimalValue()).isEqualByComparingTo("700");
    }

    @Test
    void closingTwiceIsRefused() {
        ClaimRecord claim = file();
        ClaimRecord closed = claims.closeClaim(claim.getId(), "duplicate report");

        DomainException e = refused(() -> claims.closeClaim(claim.getId(), "again"), Reason.ILLEGAL_TRANSITION);
        assertThat(e)
                .hasMessage("Keyspace 'claims': cannot close claim " + key(claim) + ": it is CLOSED. It was closed at "
                        + closed.getClosedAt() + " UTC; a closed claim can only be reopened.");
        assertThat(claims.listEvents(claim.getId()))
                .extracting(ClaimEventRecord::getEventType)
                .containsExactly("FIRST_NOTICE", "CLOSED");
    }

    @Test
    void reopeningMakesAClosedClaimPayableAgainAfterANewReserve() {
        ClaimRecord claim = fileWithReserve("500");
        claims.pay(new ClaimPaymentRequest(
                claim.getId(), new BigDecimal("500"), "USD", "Acme", "pay-" + UUID.randomUUID()));
        claims.closeClaim(claim.getId(), "paid in full");

        ClaimRecord reopened = claims.reopenClaim(claim.getId(), "supplemental damage found");
        assertThat(reopened.getStatus()).isEqualTo("OPEN");
        assertThat(reopened.getClosedAt()).isNull();
        assertThat(claims.findClaim(claim.getId()).orElseThrow().intoMap()).isEqualTo(reopened.intoMap());

        claims.setReserve(claim.getId(), new BigDecimal("800"), "USD", "supplement");
        claims.pay(new ClaimPaymentRequest(
                claim.getId(), new BigDecimal("300"), "USD", "Acme", "pay-" + UUID.randomUUID()));
        assertThat(claims.totals(claim.getId()))
                .isEqualTo(new ClaimTotals(claim.getId(), "USD", money("800"), money("800"), money("0")));
        assertThat(claims.listEvents(claim.getId()))
                .extracting(ClaimEventRecord::getEventType)
                .containsExactly(
                        "FIRST_NOTICE", "RESERVE_SET", "PAYMENT", "CLOSED", "REOPENED", "RESERVE_SET", "PAYMENT");
    }

    @Test
    void reopeningAnOpenClaimIsRefused() {
        ClaimRecord claim = file();
        assertThat(refused(() -> claims.reopenClaim(claim.getId(), "why not"), Reason.ILLEGAL_TRANSITION))
                .hasMessage("Keyspace 'claims': cannot reopen claim " + key(claim)
                        + ": it is OPEN. Only a CLOSED claim can be reopened.");
    }

    @Test
    void operationsOnAMissingClaimAreNotFound() {
        UUID missing = Ids.newId();
        String message = "Keyspace 'claims': claim " + missing + " does not exist.";
        assertThat(refused(() -> claims.setReserve(missing, BigDecimal.ONE, "USD", "x"), Reason.NOT_FOUND))
                .hasMessage(message);
        assertThat(refused(
                        () -> claims.pay(new ClaimPaymentRequest(
                                missing, BigDecimal.ONE, "USD", "Acme", "pay-" + UUID.randomUUID())),
                        Reason.NOT_FOUND))
                .hasMessage(message);
        assertThat(refused(() -> claims.closeClaim(missing, "x"), Reason.NOT_FOUND))
                .hasMessage(message);
        assertThat(refused(() -> claims.reopenClaim(missing, "x"), Reason.NOT_FOUND))
                .hasMessage(message);
        assertThat(refused(() -> claims.totals(missing), Reason.NOT_FOUND)).hasMessage(message);
        assertThat(refused(() -> claims.listEvents(missing), Reason.NOT_FOUND)).hasMessage(message);
        assertThat(refused(() -> claims.listPayments(missing), Reason.NOT_FOUND))
                .hasMessage(message);
    }

    @Test
    void aRefusedOperationWritesNothing() {
        ClaimRecord claim = fileWithReserve("100");
        ClaimRecord before = claims.findClaim(claim.getId()).orElseThrow();
        refused(
                () -> claims.pay(new ClaimPaymentRequest(
                        claim.getId(), new BigDecimal("101"), "USD", "Acme", "pay-" + UUID.randomUUID())),
                Reason.INVALID);

        assertThat(claims.findClaim(claim.getId()).orElseThrow().intoMap()).isEqualTo(before.intoMap());
        assertThat(claims.listEvents(claim.getId())).hasSize(2);
        assertThat(claims.dsl().fetchCount(CLAIM, CLAIM.ID.eq(claim.getId()))).isEqualTo(1);
    }
}
