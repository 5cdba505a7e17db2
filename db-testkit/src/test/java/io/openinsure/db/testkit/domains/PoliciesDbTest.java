package io.openinsure.db.testkit.domains;

import static io.openinsure.db.domains.schema.oi_policies.Tables.COVERAGE;
import static io.openinsure.db.domains.schema.oi_policies.Tables.ENDORSEMENT;
import static io.openinsure.db.domains.schema.oi_policies.Tables.POLICY;
import static io.openinsure.db.domains.schema.oi_policies.Tables.POLICY_EVENT;
import static io.openinsure.db.testkit.domains.DomainTestSupport.race;
import static io.openinsure.db.testkit.domains.DomainTestSupport.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openinsure.db.domains.DomainException;
import io.openinsure.db.domains.DomainException.Reason;
import io.openinsure.db.domains.Ids;
import io.openinsure.db.domains.PoliciesDb;
import io.openinsure.db.domains.PoliciesDb.CoverageLine;
import io.openinsure.db.domains.PoliciesDb.IssueRequest;
import io.openinsure.db.domains.PoliciesDb.PolicyStatus;
import io.openinsure.db.domains.schema.oi_policies.tables.records.CoverageRecord;
import io.openinsure.db.domains.schema.oi_policies.tables.records.EndorsementRecord;
import io.openinsure.db.domains.schema.oi_policies.tables.records.PolicyEventRecord;
import io.openinsure.db.domains.schema.oi_policies.tables.records.PolicyRecord;
import io.openinsure.db.testkit.domains.DomainTestSupport.Outcome;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link PoliciesDb}: issue, endorse, cancel, renew, reads, on the embedded MariaDB with a clock the test moves. */
class PoliciesDbTest extends ClockedDbTest {

    private static final String K = "Keyspace 'policies': ";
    private static final LocalDate EFFECTIVE = LocalDate.of(2026, 4, 1);
    private static final LocalDate EXPIRATION = LocalDate.of(2027, 4, 1);
    private static final ObjectMapper JSON = new ObjectMapper();

    private PoliciesDb policies;

    @BeforeEach
    void client() {
        policies = db.policies();
    }

    private static List<CoverageLine> coverages() {
        return List.of(
                new CoverageLine(
                        "gl_each_occurrence", new BigDecimal("1000000"), new BigDecimal("1000"), new BigDecimal("800")),
                new CoverageLine("GL_GENERAL_AGGREGATE", new BigDecimal("2000000"), null, new BigDecimal("400.25")));
    }

    private IssueRequest request(UUID quoteId, String key) {
        return new IssueRequest(
                quoteId,
                Ids.newId(),
                orgId,
                programId,
                "Acme Widgets LLC",
                EFFECTIVE,
                EXPIRATION,
                new BigDecimal("1200.25"),
                "usd",
                coverages(),
                key);
    }

    private PolicyRecord issue() {
        return policies.issueFromQuote(request(Ids.newId(), key()));
    }

    private static String ref(PolicyRecord p) {
        return p.getPolicyNumber() + " (" + p.getId() + ")";
    }

    private static JsonNode payload(PolicyEventRecord e) throws Exception {
        return JSON.readTree(e.getPayload().data());
    }

    // ---------------------------------------------------------------- issue

    @Test
    void issuesAPolicyWithCoveragesAndAnIssuedEvent() throws Exception {
        IssueRequest request = request(Ids.newId(), key());
        PolicyRecord p = policies.issueFromQuote(request);

        assertThat(p.getPolicyNumber()).matches("POL-2026-[0-9A-HJKMNP-TV-Z]{10}");
        assertThat(p.getStatus()).isEqualTo("ACTIVE");
        assertThat(p.getOrgId()).isEqualTo(orgId);
        assertThat(p.getProgramId()).isEqualTo(programId);
        assertThat(p.getQuoteId()).isEqualTo(request.quoteId());
        assertThat(p.getSubmissionId()).isEqualTo(request.submissionId());
        assertThat(p.getEffectiveDate()).isEqualTo(EFFECTIVE);
        assertThat(p.getExpirationDate()).isEqualTo(EXPIRATION);
        assertThat(p.getPremium()).isEqualByComparingTo("1200.25");
        assertThat(p.getCurrency()).isEqualTo("USD");
        assertThat(p.getRenewalOfPolicyId()).isNull();
        assertThat(p.getVersion()).isZero();
        assertThat(p.getCreatedAt()).isEqualTo(NOW);
        assertThat(policies.findPolicy(p.getId())).contains(p);
        assertThat(policies.findPolicyByNumber(p.getPolicyNumber())).contains(p);
        assertThat(policies.findPolicyByQuote(request.quoteId())).contains(p);

        assertThat(policies.listCoverages(p.getId()))
                .extracting(
                        CoverageRecord::getCoverageType,
                        c -> c.getLimitAmount().toPlainString(),
                        c -> c.getDeductible().toPlainString(),
                        c -> c.getPremium().toPlainString())
                .containsExactly(
                        tuple("GL_EACH_OCCURRENCE", "1000000.0000", "1000.0000", "800.0000"),
                        tuple("GL_GENERAL_AGGREGATE", "2000000.0000", "0.0000", "400.2500"));
        List<PolicyEventRecord> events = policies.listEvents(p.getId());
        assertThat(events).extracting(PolicyEventRecord::getEventType).containsExactly("ISSUED");
        assertThat(events.get(0).getOccurredAt()).isEqualTo(NOW);
        JsonNode issued = payload(events.get(0));
        assertThat(issued.get("policyNumber").asText()).isEqualTo(p.getPolicyNumber());
        assertThat(issued.get("premium").asText()).isEqualTo("1200.2500");
        assertThat(issued.get("quoteId").asText()).isEqualTo(request.quoteId().toString());
    }

    @Test
    void issueWithTheSameKeyReturnsTheFirstPolicyAndWritesNothingMore() {
        IssueRequest request = request(Ids.newId(), key());
        PolicyRecord first = policies.issueFromQuote(request);
        clock.advance(Duration.ofMinutes(1));

        assertThat(policies.issueFromQuote(request)).isEqualTo(first);
        assertThat(policies.dsl().fetchCount(POLICY, POLICY.QUOTE_ID.eq(request.quoteId())))
                .isEqualTo(1);
        assertThat(policies.listCoverages(first.getId())).hasSize(2);
        assertThat(policies.listEvents(first.getId())).hasSize(1);
    }

    @Test
    void refusesASecondPolicyForOneQuoteAndAKeyReusedForAnotherQuote() {
        IssueRequest request = request(Ids.newId(), key());
        PolicyRecord first = policies.issueFromQuote(request);
        IssueRequest otherKey = request(request.quoteId(), key());
        IssueRequest otherQuote = request(Ids.newId(), request.idempotencyKey());

        refused(
                () -> policies.issueFromQuote(otherKey),
                Reason.CONFLICT,
                K + "quote " + request.quoteId() + " was already issued as policy " + ref(first)
                        + " with idempotency key '"
                        + request.idempotencyKey() + "', not '" + otherKey.idempotencyKey()
                        + "'; one policy per quote: "
                        + "retry with that key to get the policy, or bind a new quote.");
        refused(
                () -> policies.issueFromQuote(otherQuote),
                Reason.CONFLICT,
                K + "idempotency key '" + request.idempotencyKey() + "' was already used for policy " + ref(first)
                        + " of quote " + request.quoteId() + ", not quote " + otherQuote.quoteId()
                        + "; use a new key for a new policy.");
        assertThat(policies.dsl().fetchCount(POLICY, POLICY.ORG_ID.eq(orgId))).isEqualTo(1);
    }

    @Test
    void concurrentIssuesOfOneRequestCreateOnePolicy() throws InterruptedException {
        IssueRequest request = request(Ids.newId(), key());

        List<Outcome<PolicyRecord>> outcomes = race(4, () -> policies.issueFromQuote(request));

        assertThat(outcomes).allSatisfy(o -> assertThat(o.failure()).isNull());
        assertThat(outcomes.stream().map(o -> o.value().getId()).distinct()).hasSize(1);
        assertThat(policies.dsl().fetchCount(POLICY, POLICY.QUOTE_ID.eq(request.quoteId())))
                .isEqualTo(1);
    }

    @Test
    void anIssueThatLosesTheRaceOnTheKeyReturnsTheWinnersPolicy() throws Exception {
        IssueRequest request = request(Ids.newId(), key());
        UUID winnerId = Ids.newId();
        CompletableFuture<PolicyRecord> loser = new CompletableFuture<>();
        // The winner's row stays uncommitted until the client's insert waits for its unique-key lock.
        policies.dsl().transaction(cfg -> {
            cfg.dsl()
                    .insertInto(POLICY)
                    .set(new PolicyRecord(
                            winnerId,
                            "POL-RACE-" + winnerId.toString().substring(24),
                            orgId,
                            programId,
                            "Acme Widgets LLC",
                            "ACTIVE",
                            EFFECTIVE,
                            EXPIRATION,
                            new BigDecimal("1200.2500"),
                            "USD",
                            request.submissionId(),
                            request.quoteId(),
                            null,
                            null,
                            null,
                            request.idempotencyKey(),
                            0,
                            NOW,
                            NOW))
                    .execute();
            CompletableFuture.runAsync(() -> {
                try {
                    loser.complete(policies.issueFromQuote(request));
                } catch (Throwable t) {
                    loser.completeExceptionally(t);
                }
            });
            DomainTestSupport.awaitRunning(policies.dsl(), "insert into policy ", loser);
        });

        PolicyRecord p = loser.get(30, TimeUnit.SECONDS);
        assertThat(p.getId()).isEqualTo(winnerId);
        assertThat(policies.dsl().fetchCount(POLICY, POLICY.QUOTE_ID.eq(request.quoteId())))
                .isEqualTo(1);
        assertThat(policies.listCoverages(winnerId))
                .as("the loser's coverages were rolled back")
                .isEmpty();
        assertThat(policies.listEvents(winnerId)).isEmpty();
    }

    @Test
    void refusesMalformedIssueRequests() {
        UUID q = Ids.newId();
        assertInvalid(
                () -> new IssueRequest(
                        q,
                        Ids.newId(),
                        orgId,
                        programId,
                        "Acme",
                        EFFECTIVE,
                        EFFECTIVE,
                        BigDecimal.TEN,
                        "USD",
                        coverages(),
                        key()),
                K + "expiration date must be after the effective date 2026-04-01, but was 2026-04-01.");
        assertInvalid(
                () -> new IssueRequest(
                        q,
                        Ids.newId(),
                        orgId,
                        programId,
                        "Acme",
                        EFFECTIVE,
                        EXPIRATION,
                        new BigDecimal("-5"),
                        "USD",
                        coverages(),
                        key()),
                K + "premium must be zero or more, but was -5.");
        assertInvalid(
                () -> new IssueRequest(
                        q,
                        Ids.newId(),
                        orgId,
                        programId,
                        "Acme",
                        EFFECTIVE,
                        EXPIRATION,
                        BigDecimal.TEN,
                        "dollars",
                        coverages(),
                        key()),
                K + "currency must be an ISO 4217 code such as USD or EUR, but was 'dollars'.");
        assertInvalid(
                () -> new IssueRequest(
                        q,
                        Ids.newId(),
                        orgId,
                        programId,
                        "Acme",
                        EFFECTIVE,
                        EXPIRATION,
                        BigDecimal.TEN,
                        "USD",
                        List.of(),
                        key()),
                K + "coverage lines must have 1 to 50, but had 0.");
        assertInvalid(
                () -> new IssueRequest(
                        q,
                        Ids.newId(),
                        orgId,
                        programId,
                        "Acme",
                        EFFECTIVE,
                        EXPIRATION,
                        BigDecimal.TEN,
                        "USD",
                        List.of(coverages().get(0), coverages().get(0)),
                        key()),
                K
                        + "coverage lines must each have a coverage type of their own, but GL_EACH_OCCURRENCE appears twice.");
        assertInvalid(
                () -> new IssueRequest(
                        null,
                        Ids.newId(),
                        orgId,
                        programId,
                        "Acme",
                        EFFECTIVE,
                        EXPIRATION,
                        BigDecimal.TEN,
                        "USD",
                        coverages(),
                        key()),
                K + "quote id is required, but was null.");
        assertInvalid(
                () -> new IssueRequest(
                        q,
                        Ids.newId(),
                        orgId,
                        programId,
                        "Acme",
                        EFFECTIVE,
                        EXPIRATION,
                        BigDecimal.TEN,
                        "USD",
                        coverages(),
                        null),
                K + "idempotency key is required, but was null; pass the same key when retrying the same "
                        + "request, e.g. a UUID made once per request.");
        assertInvalid(
                () -> new CoverageLine("GL_EACH_OCCURRENCE", new BigDecimal("-1"), null, BigDecimal.ONE),
                K + "limit of coverage GL_EACH_OCCURRENCE must be zero or more, but was -1.");
    }

    private static void assertInvalid(ThrowingCallable call, String message) {
        refused(call, Reason.INVALID, message);
    }

    // ---------------------------------------------------------------- endorse

    @Test
    void endorsementsAreNumberedPerPolicyAndChangeThePremium() throws Exception {
        PolicyRecord p = issue();
        PolicyRecord other = issue();
        clock.advance(Duration.ofDays(1));

        EndorsementRecord e1 =
                policies.endorse(p.getId(), LocalDate.of(2026, 5, 1), new BigDecimal("100.50"), "Add a location");
        EndorsementRecord e2 =
                policies.endorse(p.getId(), LocalDate.of(2026, 6, 1), new BigDecimal("-50"), "Remove a vehicle");
        EndorsementRecord o1 =
                policies.endorse(other.getId(), EFFECTIVE, BigDecimal.ZERO, "Correct the insured's address");
        EndorsementRecord e3 =
                policies.endorse(p.getId(), EXPIRATION.minusDays(1), new BigDecimal("0.0001"), "Last day");

        assertThat(List.of(e1, e2, e3))
                .extracting(EndorsementRecord::getEndorsementNumber)
                .containsExactly(1, 2, 3);
        assertThat(o1.getEndorsementNumber()).isEqualTo(1);
        assertThat(policies.listEndorsements(p.getId())).containsExactly(e1, e2, e3);
        assertThat(e1.getCreatedAt()).isEqualTo(NOW.plusDays(1));
        PolicyRecord endorsed = policies.findPolicy(p.getId()).orElseThrow();
        assertThat(endorsed.getPremium()).isEqualByComparingTo("1250.7501");
        assertThat(endorsed.getVersion()).isEqualTo(3);
        assertThat(endorsed.getUpdatedAt()).isEqualTo(NOW.plusDays(1));
        List<PolicyEventRecord> events = policies.listEvents(p.getId());
        assertThat(events)
                .extracting(PolicyEventRecord::getEventType)
                .containsExactly("ISSUED", "ENDORSED", "ENDORSED", "ENDORSED");
        JsonNode second = payload(events.get(2));
        assertThat(second.get("endorsementNumber").asInt()).isEqualTo(2);
        assertThat(second.get("premiumChange").asText()).isEqualTo("-50.0000");
        assertThat(second.get("premium").asText()).isEqualTo("1250.7500");
    }

    @Test
    void refusesEndorsementsOutsideTheTermOrBelowZero() {
        PolicyRecord p = issue();

        refused(
                () -> policies.endorse(p.getId(), EXPIRATION, BigDecimal.ONE, "Too late"),
                Reason.INVALID,
                K + "endorsement effective date 2027-04-01 is outside the term of policy " + ref(p)
                        + " [2026-04-01, 2027-04-01); "
                        + "choose a date on or after the effective date and before the expiration date.");
        refused(() -> policies.endorse(p.getId(), EFFECTIVE.minusDays(1), BigDecimal.ONE, "Too early"), Reason.INVALID);
        refused(
                () -> policies.endorse(p.getId(), EFFECTIVE, new BigDecimal("-1200.2501"), "Too much"),
                Reason.INVALID,
                K + "premium change -1200.2501 would make the premium of policy " + ref(p)
                        + " negative (1200.2500 + -1200.2501).");
        refused(
                () -> policies.endorse(p.getId(), EFFECTIVE, BigDecimal.ONE, ""),
                Reason.INVALID,
                K + "endorsement description must be 1 to 4000 characters, but was blank.");
        UUID missing = Ids.newId();
        refused(
                () -> policies.endorse(missing, EFFECTIVE, BigDecimal.ONE, "Nothing"),
                Reason.NOT_FOUND,
                K + "policy " + missing
                        + " does not exist. Check the id, or issue it first (PoliciesDb.issueFromQuote).");
        assertThat(policies.listEndorsements(p.getId())).isEmpty();
        assertThat(policies.findPolicy(p.getId())).contains(p);
    }

    @Test
    void refusesToEndorseACancelledPolicy() {
        PolicyRecord p = issue();
        policies.cancel(p.getId(), LocalDate.of(2026, 9, 1), "Non-payment");

        refused(
                () -> policies.endorse(p.getId(), LocalDate.of(2026, 10, 1), BigDecimal.ONE, "Add a driver"),
                Reason.ILLEGAL_TRANSITION,
                K + "cannot endorse policy " + ref(p)
                        + ": it is CANCELLED. It was cancelled as of 2026-09-01 ('Non-payment'); "
                        + "only ACTIVE policies can be endorsed, cancelled or renewed: issue a new policy from a new quote.");
        assertThat(policies.listEndorsements(p.getId())).isEmpty();
    }

    @Test
    void concurrentEndorsementsGetDistinctNumbersOrAConflict() throws InterruptedException {
        PolicyRecord p = issue();
        AtomicInteger n = new AtomicInteger();

        List<Outcome<EndorsementRecord>> outcomes = race(
                4,
                () -> policies.endorse(
                        p.getId(), EFFECTIVE, BigDecimal.TEN, "Concurrent change " + n.incrementAndGet()));

        List<EndorsementRecord> done = outcomes.stream()
                .filter(o -> o.failure() == null)
                .map(Outcome::value)
                .toList();
        assertThat(done).isNotEmpty();
        assertThat(outcomes.stream().filter(o -> o.failure() != null)).allSatisfy(o -> {
            assertThat(o.failure()).isInstanceOf(DomainException.class);
            assertThat(((DomainException) o.failure()).reason()).isEqualTo(Reason.CONFLICT);
        });
        assertThat(policies.listEndorsements(p.getId()))
                .extracting(EndorsementRecord::getEndorsementNumber)
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, done.size())
                        .boxed()
                        .toList());
        PolicyRecord after = policies.findPolicy(p.getId()).orElseThrow();
        assertThat(after.getPremium())
                .isEqualByComparingTo(
                        new BigDecimal("1200.25").add(BigDecimal.TEN.multiply(BigDecimal.valueOf(done.size()))));
        assertThat(after.getVersion()).isEqualTo(done.size());
    }

    // ---------------------------------------------------------------- version conflicts

    @Test
    void aWriteBehindTheClientsBackMakesVersionedWritesConflict() {
        PolicyRecord seen = issue();
        // Another writer changes the policy after we read it.
        assertThat(policies.dsl()
                        .update(POLICY)
                        .set(POLICY.VERSION, POLICY.VERSION.plus(1))
                        .set(POLICY.INSURED_NAME, "Acme Widgets Holdings LLC")
                        .where(POLICY.ID.eq(seen.getId()))
                        .execute())
                .isEqualTo(1);

        String stale = K + "policy " + ref(seen)
                + " was changed by another writer (expected version 0); read it again and retry.";
        refused(
                () -> policies.cancel(seen.getId(), seen.getVersion(), EFFECTIVE, "Insured request"),
                Reason.CONFLICT,
                stale);
        refused(
                () -> policies.endorse(seen.getId(), seen.getVersion(), EFFECTIVE, BigDecimal.ONE, "Add a location"),
                Reason.CONFLICT,
                stale);
        assertThat(policies.listEndorsements(seen.getId())).isEmpty();
        assertThat(policies.listEvents(seen.getId())).hasSize(1);
        assertThat(policies.findPolicy(seen.getId()).orElseThrow().getStatus()).isEqualTo("ACTIVE");

        PolicyRecord current = policies.findPolicy(seen.getId()).orElseThrow();
        assertThat(policies.endorse(current.getId(), current.getVersion(), EFFECTIVE, BigDecimal.ONE, "Add a location")
                        .getEndorsementNumber())
                .isEqualTo(1);
        assertThat(policies.cancel(current.getId(), current.getVersion() + 1, EFFECTIVE, "Insured request")
                        .getVersion())
                .isEqualTo(3);
    }

    // ---------------------------------------------------------------- cancel

    @Test
    void cancelsAnActivePolicyOnce() throws Exception {
        PolicyRecord p = issue();
        clock.advance(Duration.ofDays(200));

        PolicyRecord cancelled = policies.cancel(p.getId(), LocalDate.of(2026, 9, 15), "Insured sold the business");

        assertThat(cancelled.getStatus()).isEqualTo("CANCELLED");
        assertThat(cancelled.getCancellationDate()).isEqualTo(LocalDate.of(2026, 9, 15));
        assertThat(cancelled.getCancellationReason()).isEqualTo("Insured sold the business");
        assertThat(cancelled.getVersion()).isEqualTo(1);
        assertThat(cancelled.getUpdatedAt()).isEqualTo(NOW.plusDays(200));
        assertThat(policies.findPolicy(p.getId())).contains(cancelled);
        List<PolicyEventRecord> events = policies.listEvents(p.getId());
        assertThat(events).extracting(PolicyEventRecord::getEventType).containsExactly("ISSUED", "CANCELLED");
        assertThat(payload(events.get(1)).get("reason").asText()).isEqualTo("Insured sold the business");
        assertThat(events.get(1).getOccurredAt()).isEqualTo(NOW.plusDays(200));

        refused(
                () -> policies.cancel(p.getId(), LocalDate.of(2026, 10, 1), "Again"),
                Reason.ILLEGAL_TRANSITION,
                K + "cannot cancel policy " + ref(p)
                        + ": it is CANCELLED. It was cancelled as of 2026-09-15 ('Insured sold the "
                        + "business'); only ACTIVE policies can be endorsed, cancelled or renewed: issue a new policy from a new quote.");
    }

    @Test
    void refusesCancellationsOutsideTheTermOrWithoutAReason() {
        PolicyRecord p = issue();
        refused(
                () -> policies.cancel(p.getId(), EXPIRATION, "Late"),
                Reason.INVALID,
                K + "cancellation date 2027-04-01 is outside the term of policy " + ref(p)
                        + " [2026-04-01, 2027-04-01); "
                        + "choose a date on or after the effective date and before the expiration date.");
        refused(
                () -> policies.cancel(p.getId(), EFFECTIVE, null),
                Reason.INVALID,
                K + "cancellation reason is required, but was null.");
        assertThat(policies.cancel(p.getId(), EFFECTIVE, "Flat cancellation").getCancellationDate())
                .isEqualTo(EFFECTIVE);
    }

    // ---------------------------------------------------------------- renew

    @Test
    void renewsForTheNextTermOnce() throws Exception {
        PolicyRecord p = issue();
        policies.endorse(p.getId(), EFFECTIVE, BigDecimal.ONE, "Add a location");
        clock.advance(Duration.ofDays(330));
        String key = key();

        PolicyRecord renewal = policies.renew(p.getId(), new BigDecimal("1320"), key);

        assertThat(renewal.getId()).isNotEqualTo(p.getId());
        assertThat(renewal.getPolicyNumber())
                .matches("POL-2027-[0-9A-HJKMNP-TV-Z]{10}")
                .isNotEqualTo(p.getPolicyNumber());
        assertThat(renewal.getRenewalOfPolicyId()).isEqualTo(p.getId());
        assertThat(renewal.getEffectiveDate()).isEqualTo(EXPIRATION);
        assertThat(renewal.getExpirationDate()).isEqualTo(LocalDate.of(2028, 4, 1));
        assertThat(renewal.getPremium()).isEqualByComparingTo("1320");
        assertThat(renewal.getStatus()).isEqualTo("ACTIVE");
        assertThat(renewal.getQuoteId()).isNull();
        assertThat(renewal.getSubmissionId()).isNull();
        assertThat(renewal.getInsuredName()).isEqualTo(p.getInsuredName());
        assertThat(policies.findPolicy(renewal.getId())).contains(renewal);
        assertThat(policies.listCoverages(renewal.getId()))
                .extracting(CoverageRecord::getCoverageType, CoverageRecord::getLimitAmount)
                .containsExactlyElementsOf(policies.listCoverages(p.getId()).stream()
                        .map(c -> tuple(c.getCoverageType(), c.getLimitAmount()))
                        .toList());
        assertThat(policies.listEvents(renewal.getId()))
                .extracting(PolicyEventRecord::getEventType)
                .containsExactly("ISSUED");
        assertThat(payload(policies.listEvents(renewal.getId()).get(0))
                        .get("renewalOfPolicyId")
                        .asText())
                .isEqualTo(p.getId().toString());
        List<PolicyEventRecord> oldEvents = policies.listEvents(p.getId());
        assertThat(oldEvents)
                .extracting(PolicyEventRecord::getEventType)
                .containsExactly("ISSUED", "ENDORSED", "RENEWED");
        assertThat(payload(oldEvents.get(2)).get("renewalPolicyNumber").asText())
                .isEqualTo(renewal.getPolicyNumber());
        PolicyRecord expiring = policies.findPolicy(p.getId()).orElseThrow();
        assertThat(expiring.getStatus()).isEqualTo("ACTIVE");
        assertThat(expiring.getVersion()).isEqualTo(2);

        assertThat(policies.renew(p.getId(), new BigDecimal("1320"), key)).isEqualTo(renewal);
        String otherKey = key();
        refused(
                () -> policies.renew(p.getId(), new BigDecimal("1500"), otherKey),
                Reason.CONFLICT,
                K + "policy " + ref(p) + " was already renewed as policy " + ref(renewal) + " with idempotency key '"
                        + key + "', not '" + otherKey
                        + "'; a policy is renewed once: retry with that key to get the renewal.");
        refused(() -> policies.renew(issue().getId(), new BigDecimal("1500"), key), Reason.CONFLICT);
        assertThat(policies.dsl().fetchCount(POLICY, POLICY.RENEWAL_OF_POLICY_ID.eq(p.getId())))
                .isEqualTo(1);
    }

    @Test
    void refusesToRenewACancelledPolicy() {
        PolicyRecord p = issue();
        policies.cancel(p.getId(), EFFECTIVE, "Flat cancellation");

        assertThat(refused(() -> policies.renew(p.getId(), BigDecimal.TEN, key()), Reason.ILLEGAL_TRANSITION)
                        .getMessage())
                .startsWith(K + "cannot renew policy " + ref(p) + ": it is CANCELLED.");
        assertThat(policies.dsl().fetchCount(POLICY, POLICY.RENEWAL_OF_POLICY_ID.eq(p.getId())))
                .isZero();
    }

    @Test
    void concurrentRenewalsWithDifferentKeysRenewOnce() throws InterruptedException {
        PolicyRecord p = issue();

        List<Outcome<PolicyRecord>> outcomes = race(4, () -> policies.renew(p.getId(), BigDecimal.TEN, key()));

        assertThat(outcomes.stream().filter(o -> o.failure() == null)).hasSize(1);
        assertThat(outcomes.stream().filter(o -> o.failure() != null))
                .allSatisfy(o ->
                        assertThat(((DomainException) o.failure()).reason()).isEqualTo(Reason.CONFLICT));
        assertThat(policies.dsl().fetchCount(POLICY, POLICY.RENEWAL_OF_POLICY_ID.eq(p.getId())))
                .isEqualTo(1);
    }

    @Test
    void concurrentRenewalsWithOneKeyReturnTheSameRenewal() throws InterruptedException {
        PolicyRecord p = issue();
        String key = key();

        List<Outcome<PolicyRecord>> outcomes = race(4, () -> policies.renew(p.getId(), BigDecimal.TEN, key));

        assertThat(outcomes).allSatisfy(o -> assertThat(o.failure()).isNull());
        assertThat(outcomes.stream().map(o -> o.value().getId()).distinct()).hasSize(1);
        assertThat(policies.dsl().fetchCount(POLICY, POLICY.RENEWAL_OF_POLICY_ID.eq(p.getId())))
                .isEqualTo(1);
    }

    // ---------------------------------------------------------------- reads

    @Test
    void listsAnOrganizationsPoliciesByStatus() {
        PolicyRecord a = issue();
        PolicyRecord b = issue();
        PolicyRecord c = policies.cancel(issue().getId(), EFFECTIVE, "Flat cancellation");

        assertThat(policies.listPolicies(orgId, null))
                .extracting(PolicyRecord::getId)
                .containsExactly(a.getId(), b.getId(), c.getId());
        assertThat(policies.listPolicies(orgId, PolicyStatus.ACTIVE)).containsExactly(a, b);
        assertThat(policies.listPolicies(orgId, PolicyStatus.CANCELLED)).containsExactly(c);
        assertThat(policies.listPolicies(Ids.newId(), null)).isEmpty();
        assertThat(policies.listEvents(Ids.newId())).isEmpty();
        assertThat(policies.findPolicy(Ids.newId())).isEmpty();
        assertThat(policies.findPolicyByNumber("POL-2026-NOPE")).isEmpty();
        assertThat(policies.dsl().fetchCount(COVERAGE, COVERAGE.POLICY_ID.eq(a.getId())))
                .isEqualTo(2);
        assertThat(policies.dsl().fetchCount(ENDORSEMENT, ENDORSEMENT.POLICY_ID.eq(a.getId())))
                .isZero();
        assertThat(policies.dsl().fetchCount(POLICY_EVENT, POLICY_EVENT.POLICY_ID.eq(c.getId())))
                .isEqualTo(2);
    }
}
