package io.openinsure.db.testkit.domains;

import static io.openinsure.db.domains.schema.oi_submissions.Tables.BIND_REQUEST;
import static io.openinsure.db.domains.schema.oi_submissions.Tables.SUBMISSION;
import static io.openinsure.db.testkit.domains.DomainTestSupport.race;
import static io.openinsure.db.testkit.domains.DomainTestSupport.refused;
import static org.assertj.core.api.Assertions.assertThat;

import io.openinsure.db.domains.DomainException;
import io.openinsure.db.domains.DomainException.Reason;
import io.openinsure.db.domains.Ids;
import io.openinsure.db.domains.SubmissionsDb;
import io.openinsure.db.domains.SubmissionsDb.QuoteStatus;
import io.openinsure.db.domains.SubmissionsDb.SubmissionRequest;
import io.openinsure.db.domains.schema.oi_submissions.tables.records.BindRequestRecord;
import io.openinsure.db.domains.schema.oi_submissions.tables.records.QuoteRecord;
import io.openinsure.db.domains.schema.oi_submissions.tables.records.SubmissionRecord;
import io.openinsure.db.testkit.domains.DomainTestSupport.Outcome;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.jooq.JSON;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link SubmissionsDb}: submit, quote, bind, decline, withdraw, on the embedded MariaDB with a clock the test moves. */
class SubmissionsDbTest extends ClockedDbTest {

    private static final String K = "Keyspace 'submissions': ";
    private static final String NUMBER = "-2026-[0-9A-HJKMNP-TV-Z]{10}";

    private final UUID underwriter = Ids.newId();
    private SubmissionsDb submissions;

    @BeforeEach
    void client() {
        submissions = db.submissions();
    }

    private SubmissionRecord submit(String key) {
        return submissions.submit(
                new SubmissionRequest(orgId, programId, "Acme Widgets LLC", "ca", "general_liability", key));
    }

    private QuoteRecord quote(SubmissionRecord s, String premium) {
        return submissions.quote(
                s.getId(),
                new BigDecimal(premium),
                "usd",
                JSON.valueOf("{\"revenue\": 1200000, \"employees\": 12}"),
                Duration.ofDays(30));
    }

    private static String ref(SubmissionRecord s) {
        return s.getSubmissionNumber() + " (" + s.getId() + ")";
    }

    private static String ref(QuoteRecord q) {
        return q.getQuoteNumber() + " (" + q.getId() + ")";
    }

    // ---------------------------------------------------------------- submit

    @Test
    void submitsWithAUniqueNumberAndFindsByIdAndNumber() {
        SubmissionRecord s = submit(null);
        SubmissionRecord t = submit(null);

        assertThat(s.getSubmissionNumber()).matches("SUB" + NUMBER).isNotEqualTo(t.getSubmissionNumber());
        assertThat(s.getStatus()).isEqualTo("SUBMITTED");
        assertThat(s.getInsuredState()).isEqualTo("CA");
        assertThat(s.getLineOfBusiness()).isEqualTo("GENERAL_LIABILITY");
        assertThat(s.getOrgId()).isEqualTo(orgId);
        assertThat(s.getProgramId()).isEqualTo(programId);
        assertThat(s.getIdempotencyKey()).isNull();
        assertThat(s.getVersion()).isZero();
        assertThat(s.getCreatedAt()).isEqualTo(NOW);
        assertThat(submissions.findSubmission(s.getId())).contains(s);
        assertThat(submissions.findSubmissionByNumber(s.getSubmissionNumber())).contains(s);
        assertThat(submissions.findSubmission(Ids.newId())).isEmpty();
        assertThat(submissions.findSubmissionByNumber("SUB-2026-NOPE")).isEmpty();
    }

    @Test
    void submitWithTheSameKeyReturnsTheFirstSubmission() {
        String key = key();
        SubmissionRecord first = submit(key);
        SubmissionRecord retry = submit(key);

        assertThat(retry).isEqualTo(first);
        assertThat(submissions.dsl().fetchCount(SUBMISSION, SUBMISSION.IDEMPOTENCY_KEY.eq(key)))
                .isEqualTo(1);

        refused(
                () -> submissions.submit(
                        new SubmissionRequest(orgId, programId, "Someone Else Inc", "CA", "GENERAL_LIABILITY", key)),
                Reason.CONFLICT,
                K + "idempotency key '" + key + "' was already used for submission " + ref(first) + " of organization "
                        + orgId
                        + ", program " + programId + ", insured 'Acme Widgets LLC', not organization " + orgId
                        + ", program " + programId
                        + ", insured 'Someone Else Inc'; use a new key for a new submission.");
    }

    @Test
    void concurrentSubmitsWithOneKeyCreateOneRow() throws InterruptedException {
        String key = key();
        List<Outcome<SubmissionRecord>> outcomes = race(4, () -> submit(key));

        assertThat(outcomes).allSatisfy(o -> assertThat(o.failure()).isNull());
        assertThat(outcomes.stream().map(o -> o.value().getId()).distinct()).hasSize(1);
        assertThat(submissions.dsl().fetchCount(SUBMISSION, SUBMISSION.IDEMPOTENCY_KEY.eq(key)))
                .isEqualTo(1);
    }

    @Test
    void refusesMalformedSubmissions() {
        refused(
                () -> new SubmissionRequest(orgId, programId, "Acme", "California", "GL", null),
                Reason.INVALID,
                K + "insured state must be a USPS state code such as CA or NY, but was 'California'.");
        refused(
                () -> new SubmissionRequest(orgId, programId, "Acme", "C1", "GL", null),
                Reason.INVALID,
                K + "insured state must be a USPS state code such as CA or NY, but was 'C1'.");
        refused(
                () -> new SubmissionRequest(null, programId, "Acme", "CA", "GL", null),
                Reason.INVALID,
                K + "organization id is required, but was null.");
        refused(
                () -> new SubmissionRequest(orgId, programId, " ", "CA", "GL", null),
                Reason.INVALID,
                K + "insured name must be 1 to 255 characters, but was blank.");
        refused(
                () -> new SubmissionRequest(orgId, programId, "Acme", "CA", "GL", "x".repeat(129)),
                Reason.INVALID,
                K + "idempotency key must be 1 to 128 characters, but was 129 characters long.");
        refused(() -> submissions.submit(null), Reason.INVALID, K + "submission request is required, but was null.");
        assertThat(new SubmissionRequest(orgId, programId, " Acme ", "ca", "general_liability", null))
                .as("text stripped, codes upper-cased")
                .isEqualTo(new SubmissionRequest(orgId, programId, "Acme", "CA", "GENERAL_LIABILITY", null));
    }

    // ---------------------------------------------------------------- quote

    @Test
    void quotesASubmission() {
        SubmissionRecord s = submit(null);
        QuoteRecord q = quote(s, "1250.50");

        assertThat(q.getQuoteNumber()).matches("QUO" + NUMBER);
        assertThat(q.getStatus()).isEqualTo("ACTIVE");
        assertThat(q.getPremium()).isEqualByComparingTo("1250.50");
        assertThat(q.getCurrency()).isEqualTo("USD");
        assertThat(q.getExpiresAt()).isEqualTo(NOW.plusDays(30));
        assertThat(q.getRatingInputs().data()).contains("\"employees\"").contains("12");
        assertThat(submissions.findQuote(q.getId())).contains(q);
        assertThat(submissions.findQuoteByNumber(q.getQuoteNumber())).contains(q);
        assertThat(submissions.quoteStatus(q)).isEqualTo(QuoteStatus.ACTIVE);
        SubmissionRecord quoted = submissions.findSubmission(s.getId()).orElseThrow();
        assertThat(quoted.getStatus()).isEqualTo("QUOTED");
        assertThat(quoted.getVersion()).isEqualTo(1);

        QuoteRecord plain = submissions.quote(s.getId(), new BigDecimal("99"), "EUR", null, Duration.ofHours(1));
        assertThat(submissions.findQuote(plain.getId())).contains(plain);
        assertThat(plain.getRatingInputs()).isNull();
    }

    @Test
    void aNewQuoteSupersedesTheActiveOnes() {
        SubmissionRecord s = submit(null);
        QuoteRecord first = quote(s, "1000");
        clock.advance(Duration.ofMinutes(5));
        QuoteRecord second = quote(s, "900");

        assertThat(submissions.listQuotes(s.getId()))
                .extracting(QuoteRecord::getId, QuoteRecord::getStatus)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(first.getId(), "SUPERSEDED"),
                        org.assertj.core.groups.Tuple.tuple(second.getId(), "ACTIVE"));
        QuoteRecord superseded = submissions.findQuote(first.getId()).orElseThrow();
        assertThat(superseded.getVersion()).isEqualTo(1);
        assertThat(superseded.getUpdatedAt()).isEqualTo(NOW.plusMinutes(5));
        refused(
                () -> submissions.bind(first.getId(), underwriter, key()),
                Reason.ILLEGAL_TRANSITION,
                K + "cannot bind quote " + ref(first) + ": it is SUPERSEDED. A newer quote of submission " + ref(s)
                        + " replaced it; bind the submission's ACTIVE quote.");
    }

    @Test
    void refusesToQuoteMissingOrClosedSubmissionsAndBadInput() {
        UUID missing = Ids.newId();
        refused(
                () -> submissions.quote(missing, BigDecimal.TEN, "USD", null, Duration.ofDays(1)),
                Reason.NOT_FOUND,
                K + "submission " + missing
                        + " does not exist. Check the id, or submit it first (SubmissionsDb.submit).");

        SubmissionRecord s = submit(null);
        refused(
                () -> submissions.quote(s.getId(), new BigDecimal("-1"), "USD", null, Duration.ofDays(1)),
                Reason.INVALID,
                K + "premium must be zero or more, but was -1.");
        refused(
                () -> submissions.quote(s.getId(), new BigDecimal("10.12345"), "USD", null, Duration.ofDays(1)),
                Reason.INVALID,
                K + "premium must have at most 4 decimal places (DECIMAL(19,4)), but was 10.12345.");
        refused(
                () -> submissions.quote(s.getId(), BigDecimal.TEN, "XYZ", null, Duration.ofDays(1)),
                Reason.INVALID,
                K + "currency must be an ISO 4217 code such as USD or EUR, but was 'XYZ'.");
        assertThat(refused(
                                () -> submissions.quote(
                                        s.getId(),
                                        BigDecimal.TEN,
                                        "USD",
                                        JSON.valueOf("{revenue: 1"),
                                        Duration.ofDays(1)),
                                Reason.INVALID)
                        .getMessage())
                .startsWith(K + "rating inputs must be valid JSON, but was not: ");
        refused(
                () -> submissions.quote(s.getId(), BigDecimal.TEN, "USD", null, Duration.ZERO),
                Reason.INVALID,
                K + "quote validity must be a positive duration, but was PT0S.");
        assertThat(submissions.listQuotes(s.getId())).isEmpty();

        SubmissionRecord declined = submissions.decline(s.getId());
        refused(
                () -> quote(declined, "10"),
                Reason.ILLEGAL_TRANSITION,
                K + "cannot quote submission " + ref(s)
                        + ": it is DECLINED. Only SUBMITTED or QUOTED submissions can be quoted, "
                        + "bound, declined or withdrawn; submit a new one.");
    }

    // ---------------------------------------------------------------- bind

    @Test
    void bindsAQuote() {
        SubmissionRecord s = submit(null);
        QuoteRecord q = quote(s, "1000");
        clock.advance(Duration.ofHours(2));
        String key = key();

        BindRequestRecord b = submissions.bind(q.getId(), underwriter, key);

        assertThat(b.getStatus()).isEqualTo("BOUND");
        assertThat(b.getQuoteId()).isEqualTo(q.getId());
        assertThat(b.getSubmissionId()).isEqualTo(s.getId());
        assertThat(b.getRequestedBy()).isEqualTo(underwriter);
        assertThat(b.getBoundAt()).isEqualTo(NOW.plusHours(2));
        assertThat(b.getIdempotencyKey()).isEqualTo(key);
        assertThat(submissions.findBindRequest(b.getId())).contains(b);
        assertThat(submissions.findBindRequestByKey(key)).contains(b);
        assertThat(submissions.findQuote(q.getId()).orElseThrow().getStatus()).isEqualTo("BOUND");
        assertThat(submissions.findSubmission(s.getId()).orElseThrow().getStatus())
                .isEqualTo("BOUND");
    }

    @Test
    void bindWithTheSameKeyReturnsTheFirstBindRequestEvenAfterExpiry() {
        QuoteRecord q = quote(submit(null), "1000");
        String key = key();
        BindRequestRecord first = submissions.bind(q.getId(), underwriter, key);
        clock.advance(Duration.ofDays(60));

        assertThat(submissions.bind(q.getId(), underwriter, key)).isEqualTo(first);
        assertThat(submissions.dsl().fetchCount(BIND_REQUEST, BIND_REQUEST.QUOTE_ID.eq(q.getId())))
                .isEqualTo(1);
    }

    @Test
    void refusesToBindTwiceNamingTheFirstBind() {
        QuoteRecord q = quote(submit(null), "1000");
        String key = key();
        BindRequestRecord first = submissions.bind(q.getId(), underwriter, key);

        refused(
                () -> submissions.bind(q.getId(), underwriter, key()),
                Reason.ILLEGAL_TRANSITION,
                K + "cannot bind quote " + ref(q)
                        + ": it is BOUND. It was bound at 2026-03-01T10:00:00Z by bind request " + first.getId()
                        + " (idempotency key '" + key + "'); retry with that key to get it back.");
        assertThat(submissions.dsl().fetchCount(BIND_REQUEST, BIND_REQUEST.QUOTE_ID.eq(q.getId())))
                .isEqualTo(1);
    }

    @Test
    void refusesToBindAnExpiredQuote() {
        SubmissionRecord s = submit(null);
        QuoteRecord q = quote(s, "1000");
        clock.advance(Duration.ofDays(30)); // expires_at == now: expired

        assertThat(submissions.quoteStatus(q)).isEqualTo(QuoteStatus.EXPIRED);
        refused(
                () -> submissions.bind(q.getId(), underwriter, key()),
                Reason.ILLEGAL_TRANSITION,
                K + "cannot bind quote " + ref(q)
                        + ": it is EXPIRED. It expired at 2026-03-31T10:00:00Z (now 2026-03-31T10:00:00Z); "
                        + "quote submission " + ref(s) + " again and bind the new quote.");
        clock.advance(Duration.ofDays(1));
        refused(() -> submissions.bind(q.getId(), underwriter, key()), Reason.ILLEGAL_TRANSITION);
        assertThat(submissions.findQuote(q.getId()).orElseThrow().getStatus()).isEqualTo("ACTIVE");
        assertThat(submissions.findSubmission(s.getId()).orElseThrow().getStatus())
                .isEqualTo("QUOTED");

        QuoteRecord fresh = quote(s, "1100");
        assertThat(submissions.bind(fresh.getId(), underwriter, key()).getQuoteId())
                .isEqualTo(fresh.getId());
    }

    @Test
    void bindsAQuoteOneMicrosecondBeforeItExpires() {
        QuoteRecord q = quote(submit(null), "1000");
        clock.advance(Duration.ofDays(30).minusNanos(1_000));

        assertThat(submissions.bind(q.getId(), underwriter, key()).getStatus()).isEqualTo("BOUND");
    }

    @Test
    void refusesToBindAQuoteOfADeclinedOrWithdrawnSubmission() {
        SubmissionRecord declined = submit(null);
        QuoteRecord q1 = quote(declined, "1000");
        submissions.decline(declined.getId());
        refused(
                () -> submissions.bind(q1.getId(), underwriter, key()),
                Reason.ILLEGAL_TRANSITION,
                K + "cannot bind submission " + ref(declined)
                        + ": it is DECLINED. Only SUBMITTED or QUOTED submissions can be "
                        + "quoted, bound, declined or withdrawn; submit a new one.");

        SubmissionRecord withdrawn = submit(null);
        QuoteRecord q2 = quote(withdrawn, "1000");
        submissions.withdraw(withdrawn.getId());
        assertThat(refused(() -> submissions.bind(q2.getId(), underwriter, key()), Reason.ILLEGAL_TRANSITION)
                        .getMessage())
                .startsWith(K + "cannot bind submission " + ref(withdrawn) + ": it is WITHDRAWN.");
        assertThat(submissions.findQuote(q2.getId()).orElseThrow().getStatus()).isEqualTo("ACTIVE");
    }

    @Test
    void refusesAKeyReusedForAnotherQuoteAndUnknownQuotes() {
        QuoteRecord q1 = quote(submit(null), "1000");
        QuoteRecord q2 = quote(submit(null), "2000");
        String key = key();
        BindRequestRecord b = submissions.bind(q1.getId(), underwriter, key);

        refused(
                () -> submissions.bind(q2.getId(), underwriter, key),
                Reason.CONFLICT,
                K + "idempotency key '" + key + "' was already used for bind request " + b.getId() + " for quote "
                        + q1.getId() + ", not quote " + q2.getId() + "; use a new key for a new bind request.");
        UUID missing = Ids.newId();
        refused(
                () -> submissions.bind(missing, underwriter, key()),
                Reason.NOT_FOUND,
                K + "quote " + missing
                        + " does not exist. Check the id, or quote the submission first (SubmissionsDb.quote).");
        refused(() -> submissions.bind(q2.getId(), underwriter, " "), Reason.INVALID);
        assertThat(submissions.findQuote(q2.getId()).orElseThrow().getStatus()).isEqualTo("ACTIVE");
    }

    @Test
    void concurrentBindsOfOneQuoteBindItOnce() throws InterruptedException {
        QuoteRecord q = quote(submit(null), "1000");

        List<Outcome<BindRequestRecord>> outcomes = race(4, () -> submissions.bind(q.getId(), underwriter, key()));

        assertThat(outcomes.stream().filter(o -> o.failure() == null)).hasSize(1);
        assertThat(outcomes.stream().filter(o -> o.failure() != null))
                .hasSize(3)
                .allSatisfy(o -> {
                    assertThat(o.failure()).isInstanceOf(DomainException.class);
                    assertThat(((DomainException) o.failure()).reason())
                            .isIn(Reason.CONFLICT, Reason.ILLEGAL_TRANSITION);
                });
        assertThat(submissions.dsl().fetchCount(BIND_REQUEST, BIND_REQUEST.QUOTE_ID.eq(q.getId())))
                .isEqualTo(1);
    }

    @Test
    void concurrentBindsWithOneKeyReturnTheSameBindRequest() throws InterruptedException {
        QuoteRecord q = quote(submit(null), "1000");
        String key = key();

        List<Outcome<BindRequestRecord>> outcomes = race(4, () -> submissions.bind(q.getId(), underwriter, key));

        assertThat(outcomes).allSatisfy(o -> assertThat(o.failure()).isNull());
        assertThat(outcomes.stream().map(o -> o.value().getId()).distinct()).hasSize(1);
    }

    // ---------------------------------------------------------------- decline / withdraw

    @Test
    void declinesAndWithdrawsOpenSubmissionsOnly() {
        SubmissionRecord submitted = submit(null);
        SubmissionRecord declined = submissions.decline(submitted.getId());
        assertThat(declined.getStatus()).isEqualTo("DECLINED");
        assertThat(declined.getVersion()).isEqualTo(1);
        assertThat(submissions.findSubmission(submitted.getId())).contains(declined);
        refused(
                () -> submissions.withdraw(submitted.getId()),
                Reason.ILLEGAL_TRANSITION,
                K + "cannot withdraw submission " + ref(submitted)
                        + ": it is DECLINED. Only SUBMITTED or QUOTED submissions "
                        + "can be quoted, bound, declined or withdrawn; submit a new one.");

        SubmissionRecord quoted = submit(null);
        quote(quoted, "500");
        assertThat(submissions.withdraw(quoted.getId()).getStatus()).isEqualTo("WITHDRAWN");

        SubmissionRecord bound = submit(null);
        submissions.bind(quote(bound, "500").getId(), underwriter, key());
        refused(
                () -> submissions.decline(bound.getId()),
                Reason.ILLEGAL_TRANSITION,
                K + "cannot decline submission " + ref(bound) + ": it is BOUND. It is bound; change the policy instead "
                        + "(PoliciesDb.endorse or PoliciesDb.cancel).");
        UUID missing = Ids.newId();
        refused(() -> submissions.withdraw(missing), Reason.NOT_FOUND);
    }
}
