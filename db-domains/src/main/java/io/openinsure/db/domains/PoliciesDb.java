package io.openinsure.db.domains;

import static io.openinsure.db.domains.schema.oi_policies.Tables.COVERAGE;
import static io.openinsure.db.domains.schema.oi_policies.Tables.ENDORSEMENT;
import static io.openinsure.db.domains.schema.oi_policies.Tables.POLICY;
import static io.openinsure.db.domains.schema.oi_policies.Tables.POLICY_EVENT;

import io.openinsure.db.core.ForwardingKeyspaceClient;
import io.openinsure.db.core.KeyspaceClient;
import io.openinsure.db.domains.Inputs.Sign;
import io.openinsure.db.domains.internal.BusinessNumbers;
import io.openinsure.db.domains.internal.Prepared;
import io.openinsure.db.domains.internal.Rows;
import io.openinsure.db.domains.schema.oi_policies.tables.records.CoverageRecord;
import io.openinsure.db.domains.schema.oi_policies.tables.records.EndorsementRecord;
import io.openinsure.db.domains.schema.oi_policies.tables.records.PolicyEventRecord;
import io.openinsure.db.domains.schema.oi_policies.tables.records.PolicyRecord;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Period;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;

/**
 * The client for the policy lifecycle: keyspace {@code policies} (database {@code oi_policies}).
 * Thread-safe.
 *
 * <p>Lifecycle (every write is one transaction of this keyspace and appends a {@code policy_event}):
 * <pre>
 * issueFromQuote --> ACTIVE --endorse--> ACTIVE (endorsements 1, 2, 3 …, premium changed)
 *                    ACTIVE --cancel--> CANCELLED (terminal)
 *                    ACTIVE --renew--> a new ACTIVE policy for the next term (renewal_of_policy_id)
 * </pre>
 * Events: {@code ISSUED}, {@code ENDORSED}, {@code CANCELLED}, {@code RENEWED} (on the expiring policy).
 * Lifecycle updates are optimistic: {@code update … where id = ? and version = ?}; when another writer
 * changed the policy since it was read, the operation fails with {@code CONFLICT} and writes nothing.
 * Overloads with an {@code expectedVersion} check against the version the caller read (e.g. the one a
 * user saw on screen) instead of the one read in the transaction. Writes with an idempotency key return the
 * row written first when retried, also when two retries race; a key reused for a different request is
 * refused with {@code CONFLICT}.
 *
 * <p>{@code org_id}, {@code program_id} point into keyspace {@code global}, {@code submission_id} and
 * {@code quote_id} into {@code submissions}, coverage types into {@code global}'s reference data: this
 * client does not check them (keyspaces have no foreign keys); the calling flow does. Lookups by id
 * or number and all lifecycle writes run pre-rendered SQL ({@link Prepared}).
 */
public final class PoliciesDb extends ForwardingKeyspaceClient {

    private static final Keyspace K = Keyspace.POLICIES;
    /** Upper bound of coverage lines per policy (each count has its own pre-rendered insert). */
    static final int MAX_COVERAGES = 50;

    private static final int MAX_DESCRIPTION = 4000;

    /** Status of a policy. */
    public enum PolicyStatus {
        /** In force (or to be, before its effective date). */
        ACTIVE,
        /** Cancelled as of {@code cancellation_date} (terminal). */
        CANCELLED,
        /** Reserved for a term that ran out; this client does not set it. */
        EXPIRED
    }

    /** Type of a {@code policy_event}. */
    public enum PolicyEventType {
        /** A policy was issued (from a quote, or as a renewal); payload: number, premium, term, source. */
        ISSUED,
        /** An endorsement was added; payload: its number, date, premium change and the new premium. */
        ENDORSED,
        /** The policy was cancelled; payload: date and reason. */
        CANCELLED,
        /** On the expiring policy; the renewal has its own {@code ISSUED} event. */
        RENEWED
    }

    /**
     * One coverage of a policy, in the policy's currency.
     *
     * @param coverageType a code of {@link GlobalDb#listCoverageTypes(String)} (upper-cased; not checked here)
     * @param limit        the limit, not negative
     * @param deductible   the deductible, not negative; {@code null} means 0
     * @param premium      this coverage's share of the premium, not negative
     */
    public record CoverageLine(String coverageType, BigDecimal limit, BigDecimal deductible, BigDecimal premium) {

        /** @throws DomainException {@code INVALID} for a missing type, a negative amount or more than 4 decimals */
        public CoverageLine {
            coverageType = Inputs.text(K, "coverage type", coverageType, 64).toUpperCase(Locale.ROOT);
            limit = Inputs.money(K, "limit of coverage " + coverageType, limit, Sign.NOT_NEGATIVE);
            deductible = Inputs.money(
                    K,
                    "deductible of coverage " + coverageType,
                    deductible == null ? BigDecimal.ZERO : deductible,
                    Sign.NOT_NEGATIVE);
            premium = Inputs.money(K, "premium of coverage " + coverageType, premium, Sign.NOT_NEGATIVE);
        }
    }

    /**
     * What {@link #issueFromQuote} needs: the bound quote and its submission, who is insured, the term,
     * the premium and the coverages.
     *
     * @param quoteId        the bound quote (keyspace {@code submissions}); one policy per quote
     * @param submissionId   the quote's submission (keyspace {@code submissions})
     * @param orgId          the organization (keyspace {@code global})
     * @param programId      the program (keyspace {@code global})
     * @param insuredName    1–255 characters
     * @param effectiveDate  first day of the term
     * @param expirationDate end of the term, after {@code effectiveDate}
     * @param premium        the premium, not negative, at most 4 decimal places
     * @param currency       an ISO 4217 code, e.g. {@code USD} (upper-cased)
     * @param coverages      1–50 coverage lines, each coverage type at most once
     * @param idempotencyKey required, 1–128 characters: a retry with the same key returns the same policy
     */
    public record IssueRequest(
            UUID quoteId,
            UUID submissionId,
            UUID orgId,
            UUID programId,
            String insuredName,
            LocalDate effectiveDate,
            LocalDate expirationDate,
            BigDecimal premium,
            String currency,
            List<CoverageLine> coverages,
            String idempotencyKey) {

        /** @throws DomainException {@code INVALID} naming the first rule the request breaks */
        public IssueRequest {
            Inputs.required(K, "quote id", quoteId);
            Inputs.required(K, "submission id", submissionId);
            Inputs.required(K, "organization id", orgId);
            Inputs.required(K, "program id", programId);
            insuredName = Inputs.text(K, "insured name", insuredName, 255);
            Inputs.required(K, "effective date", effectiveDate);
            Inputs.required(K, "expiration date", expirationDate);
            if (!expirationDate.isAfter(effectiveDate)) {
                throw Inputs.invalid(
                        K,
                        "expiration date",
                        "must be after the effective date " + effectiveDate,
                        "was " + expirationDate);
            }
            premium = Inputs.money(K, "premium", premium, Sign.NOT_NEGATIVE);
            currency = Inputs.currency(K, "currency", currency);
            coverages = checkCoverages(coverages);
            idempotencyKey = Inputs.idempotencyKey(K, idempotencyKey);
        }
    }

    private static List<CoverageLine> checkCoverages(List<CoverageLine> coverages) {
        List<CoverageLine> lines = Inputs.list(K, "coverage lines", coverages, 1, MAX_COVERAGES);
        Set<String> types = new HashSet<>();
        for (CoverageLine line : lines) {
            if (!types.add(line.coverageType())) {
                throw Inputs.invalid(
                        K,
                        "coverage lines",
                        "must each have a coverage type of their own",
                        line.coverageType() + " appears twice");
            }
        }
        return lines;
    }

    private static final Prepared<PolicyRecord> POLICY_BY_ID = Rows.selectWhere(POLICY, POLICY.ID);
    private static final Prepared<PolicyRecord> POLICY_BY_NUMBER = Rows.selectWhere(POLICY, POLICY.POLICY_NUMBER);
    private static final Prepared<PolicyRecord> POLICY_BY_KEY = Rows.selectWhere(POLICY, POLICY.IDEMPOTENCY_KEY);
    private static final Prepared<PolicyRecord> POLICY_BY_QUOTE = Rows.selectWhere(POLICY, POLICY.QUOTE_ID);
    private static final Prepared<PolicyRecord> RENEWAL_OF = Rows.selectWhere(POLICY, POLICY.RENEWAL_OF_POLICY_ID);
    private static final Prepared<CoverageRecord> COVERAGES_OF = Rows.selectWhere(COVERAGE, COVERAGE.POLICY_ID);
    private static final Prepared<EndorsementRecord> LAST_ENDORSEMENT = Prepared.query(
            ENDORSEMENT,
            ctx -> ctx.selectFrom(ENDORSEMENT)
                    .where(ENDORSEMENT.POLICY_ID.eq(Rows.param(ENDORSEMENT.POLICY_ID)))
                    .orderBy(ENDORSEMENT.ENDORSEMENT_NUMBER.desc())
                    .limit(DSL.inline(1)));
    private static final Prepared<Record> INSERT_POLICY = Rows.insertRow(POLICY);
    private static final Prepared<Record> INSERT_ENDORSEMENT = Rows.insertRow(ENDORSEMENT);
    private static final Prepared<Record> INSERT_EVENT = Rows.insertRow(POLICY_EVENT);
    private static final Map<Integer, Prepared<Record>> INSERT_COVERAGES = new ConcurrentHashMap<>();
    /** Binds: premium, updated_at, id, expected version. */
    private static final Prepared<Record> SET_PREMIUM =
            Rows.versionedUpdate(POLICY, POLICY.ID, POLICY.VERSION, POLICY.PREMIUM, POLICY.UPDATED_AT);
    /** Binds: status, cancellation date, reason, updated_at, id, expected version. */
    private static final Prepared<Record> SET_CANCELLED = Rows.versionedUpdate(
            POLICY,
            POLICY.ID,
            POLICY.VERSION,
            POLICY.STATUS,
            POLICY.CANCELLATION_DATE,
            POLICY.CANCELLATION_REASON,
            POLICY.UPDATED_AT);
    /** Binds: updated_at, id, expected version (claims the policy for one renewal). */
    private static final Prepared<Record> TOUCH =
            Rows.versionedUpdate(POLICY, POLICY.ID, POLICY.VERSION, POLICY.UPDATED_AT);

    private final Clock clock;

    PoliciesDb(KeyspaceClient client, Clock clock) {
        super(client);
        this.clock = clock;
    }

    /** The clock operations use for "now" (UTC). */
    Clock clock() {
        return clock;
    }

    // ---------------------------------------------------------------- issue

    /**
     * Issues the policy of a bound quote: an {@code ACTIVE} policy with a new, unique number
     * {@code POL-<year>-<10 characters>}, its coverages, and an {@code ISSUED} event.
     *
     * <p>One policy per quote. A retry with the same idempotency key returns the policy the first call
     * issued (also when two calls race: the loser re-reads the winner's row); the request's other fields
     * are not compared.
     *
     * @param request the quote, term, premium, coverages and idempotency key (validated when it was built)
     * @return the new policy, or the one issued before under the same idempotency key
     * @throws DomainException {@code CONFLICT} when the quote was already issued under another idempotency
     *                         key, or the key was used for another quote; {@code INVALID} for a {@code null} request
     */
    public PolicyRecord issueFromQuote(IssueRequest request) {
        Inputs.required(K, "issue request", request);
        return Statements.writeOnce(
                this,
                tx -> issuedBefore(tx, request),
                tx -> {
                    LocalDateTime now = Utc.now(clock);
                    UUID id = Ids.newId();
                    PolicyRecord p = new PolicyRecord(
                            id,
                            BusinessNumbers.next("POL", now.toLocalDate()),
                            request.orgId(),
                            request.programId(),
                            request.insuredName(),
                            PolicyStatus.ACTIVE.name(),
                            request.effectiveDate(),
                            request.expirationDate(),
                            request.premium(),
                            request.currency(),
                            request.submissionId(),
                            request.quoteId(),
                            null,
                            null,
                            null,
                            request.idempotencyKey(),
                            0,
                            now,
                            now);
                    INSERT_POLICY.execute(tx, p.intoArray());
                    insertCoverages(tx, id, request.coverages(), now);
                    Map<String, Object> payload = issuedPayload(p);
                    payload.put("quoteId", request.quoteId().toString());
                    payload.put("submissionId", request.submissionId().toString());
                    event(tx, id, PolicyEventType.ISSUED, payload, now);
                    return p;
                },
                "uk_policy_number");
    }

    /** The policy issued under the request's key; a refusal when the quote was issued under another key. */
    private static Optional<PolicyRecord> issuedBefore(DSLContext tx, IssueRequest request) {
        return Statements.sameRequest(
                        K,
                        request.idempotencyKey(),
                        POLICY_BY_KEY.fetchOptional(tx, request.idempotencyKey()),
                        p -> request.quoteId().equals(p.getQuoteId()),
                        p -> "policy " + key(p) + " of quote " + p.getQuoteId(),
                        "quote " + request.quoteId(),
                        "policy")
                .or(() -> POLICY_BY_QUOTE.fetchOptional(tx, request.quoteId()).map(p -> {
                    throw DomainException.conflict(
                            K,
                            "quote " + request.quoteId() + " was already issued as policy " + key(p)
                                    + " with idempotency key '" + p.getIdempotencyKey() + "', not '"
                                    + request.idempotencyKey()
                                    + "'; one policy per quote: retry with that key to get the policy, or bind a new quote.");
                }));
    }

    private static Map<String, Object> issuedPayload(PolicyRecord p) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("policyNumber", p.getPolicyNumber());
        payload.put("premium", p.getPremium().toPlainString());
        payload.put("currency", p.getCurrency());
        payload.put("effectiveDate", p.getEffectiveDate().toString());
        payload.put("expirationDate", p.getExpirationDate().toString());
        return payload;
    }

    private static void insertCoverages(DSLContext tx, UUID policyId, List<CoverageLine> lines, LocalDateTime now) {
        List<Object> values = new ArrayList<>(lines.size() * COVERAGE.fields().length);
        for (CoverageLine line : lines) {
            values.addAll(List.of(new CoverageRecord(
                            Ids.newId(),
                            policyId,
                            line.coverageType(),
                            line.limit(),
                            line.deductible(),
                            line.premium(),
                            now,
                            now)
                    .intoArray()));
        }
        INSERT_COVERAGES
                .computeIfAbsent(lines.size(), n -> Rows.insertRows(COVERAGE, n))
                .execute(tx, values.toArray());
    }

    // ---------------------------------------------------------------- endorse

    /**
     * Endorses an {@code ACTIVE} policy: inserts endorsement number n+1 (1, 2, 3 … per policy), adds
     * {@code premiumChange} to the policy's premium, and appends an {@code ENDORSED} event.
     *
     * @param policyId      the policy
     * @param effectiveDate within the term: on or after the effective date, before the expiration date
     * @param premiumChange the change, may be negative or zero; the new premium must not be negative
     * @param description   what changed, 1–4000 characters
     * @return the new endorsement
     * @throws DomainException {@code NOT_FOUND}; {@code ILLEGAL_TRANSITION} when the policy is not ACTIVE;
     *                         {@code INVALID} for a date outside the term, a negative resulting premium or other
     *                         bad input; {@code CONFLICT} when another writer changed the policy meanwhile
     */
    public EndorsementRecord endorse(
            UUID policyId, LocalDate effectiveDate, BigDecimal premiumChange, String description) {
        return endorse(policyId, null, effectiveDate, premiumChange, description);
    }

    /**
     * {@link #endorse(UUID, LocalDate, BigDecimal, String)}, refused with {@code CONFLICT} unless the policy
     * is still at {@code expectedVersion} (the {@code version} the caller read, e.g. the one a user saw).
     *
     * @param policyId        the policy
     * @param expectedVersion the policy's {@code version} when the caller read it
     * @param effectiveDate   within the term
     * @param premiumChange   the change; the new premium must not be negative
     * @param description     what changed, 1–4000 characters
     * @return the new endorsement
     * @throws DomainException as {@link #endorse(UUID, LocalDate, BigDecimal, String)}, and {@code CONFLICT} when
     *                         the policy's version is no longer {@code expectedVersion}
     */
    public EndorsementRecord endorse(
            UUID policyId, int expectedVersion, LocalDate effectiveDate, BigDecimal premiumChange, String description) {
        return endorse(policyId, Integer.valueOf(expectedVersion), effectiveDate, premiumChange, description);
    }

    private EndorsementRecord endorse(
            UUID policyId,
            Integer expectedVersion,
            LocalDate effectiveDate,
            BigDecimal premiumChange,
            String description) {
        Inputs.required(K, "policy id", policyId);
        Inputs.required(K, "endorsement effective date", effectiveDate);
        BigDecimal change = Inputs.money(K, "premium change", premiumChange, Sign.ANY);
        String text = Inputs.text(K, "endorsement description", description, MAX_DESCRIPTION);
        return transactionResult(tx -> {
            PolicyRecord p = activePolicy(tx, policyId, expectedVersion, "endorse");
            checkWithinTerm(p, effectiveDate, "endorsement effective date");
            BigDecimal premium = p.getPremium().add(change);
            if (premium.signum() < 0) {
                throw DomainException.invalid(
                        K,
                        "premium change " + change.toPlainString() + " would make the premium of policy " + key(p)
                                + " negative (" + p.getPremium().toPlainString() + " + " + change.toPlainString()
                                + ").");
            }
            int number = LAST_ENDORSEMENT
                    .fetchOptional(tx, policyId)
                    .map(e -> e.getEndorsementNumber() + 1)
                    .orElse(1);
            LocalDateTime now = Utc.now(clock);
            update(tx, p, SET_PREMIUM, now, premium);
            EndorsementRecord e =
                    new EndorsementRecord(Ids.newId(), policyId, number, effectiveDate, change, text, now);
            INSERT_ENDORSEMENT.execute(tx, e.intoArray());
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("endorsementId", e.getId().toString());
            payload.put("endorsementNumber", number);
            payload.put("effectiveDate", effectiveDate.toString());
            payload.put("premiumChange", change.toPlainString());
            payload.put("premium", premium.toPlainString());
            event(tx, policyId, PolicyEventType.ENDORSED, payload, now);
            return e;
        });
    }

    // ---------------------------------------------------------------- cancel

    /**
     * Cancels an {@code ACTIVE} policy as of {@code cancellationDate}: status {@code CANCELLED}, the date and
     * reason recorded, and a {@code CANCELLED} event.
     *
     * @param policyId         the policy
     * @param cancellationDate within the term: on or after the effective date (flat cancellation), before the
     *                         expiration date
     * @param reason           1–255 characters
     * @return the updated policy
     * @throws DomainException {@code NOT_FOUND}; {@code ILLEGAL_TRANSITION} when the policy is not ACTIVE;
     *                         {@code INVALID} for a date outside the term or a missing reason; {@code CONFLICT}
     *                         when another writer changed the policy meanwhile
     */
    public PolicyRecord cancel(UUID policyId, LocalDate cancellationDate, String reason) {
        return cancel(policyId, null, cancellationDate, reason);
    }

    /**
     * {@link #cancel(UUID, LocalDate, String)}, refused with {@code CONFLICT} unless the policy is still at
     * {@code expectedVersion} (the {@code version} the caller read, e.g. the one a user saw).
     *
     * @param policyId         the policy
     * @param expectedVersion  the policy's {@code version} when the caller read it
     * @param cancellationDate within the term
     * @param reason           1–255 characters
     * @return the updated policy
     * @throws DomainException as {@link #cancel(UUID, LocalDate, String)}, and {@code CONFLICT} when the
     *                         policy's version is no longer {@code expectedVersion}
     */
    public PolicyRecord cancel(UUID policyId, int expectedVersion, LocalDate cancellationDate, String reason) {
        return cancel(policyId, Integer.valueOf(expectedVersion), cancellationDate, reason);
    }

    private PolicyRecord cancel(UUID policyId, Integer expectedVersion, LocalDate cancellationDate, String reason) {
        Inputs.required(K, "policy id", policyId);
        Inputs.required(K, "cancellation date", cancellationDate);
        String why = Inputs.text(K, "cancellation reason", reason, 255);
        return transactionResult(tx -> {
            PolicyRecord p = activePolicy(tx, policyId, expectedVersion, "cancel");
            checkWithinTerm(p, cancellationDate, "cancellation date");
            LocalDateTime now = Utc.now(clock);
            update(tx, p, SET_CANCELLED, now, PolicyStatus.CANCELLED.name(), cancellationDate, why);
            p.setStatus(PolicyStatus.CANCELLED.name());
            p.setCancellationDate(cancellationDate);
            p.setCancellationReason(why);
            p.changed(false);
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("cancellationDate", cancellationDate.toString());
            payload.put("reason", why);
            event(tx, policyId, PolicyEventType.CANCELLED, payload, now);
            return p;
        });
    }

    // ---------------------------------------------------------------- renew

    /**
     * Renews an {@code ACTIVE} policy for the next term: a new {@code ACTIVE} policy (new number,
     * {@code renewal_of_policy_id} = this policy) from this policy's expiration date for a term of the same
     * length, at {@code newPremium}, with this policy's coverages copied unchanged; an {@code ISSUED} event on
     * the new policy and a {@code RENEWED} event on this one. This policy stays ACTIVE until its term ends.
     *
     * <p>A policy is renewed once. A retry with the same idempotency key returns the renewal the first call
     * created (also when two calls race).
     *
     * @param policyId       the policy
     * @param newPremium     the renewal's premium, not negative, at most 4 decimal places
     * @param idempotencyKey required, up to 128 characters
     * @return the renewal
     * @throws DomainException {@code NOT_FOUND}; {@code ILLEGAL_TRANSITION} when the policy is not ACTIVE;
     *                         {@code CONFLICT} when it was already renewed under another key, the key was used
     *                         for another policy, or another writer changed the policy meanwhile;
     *                         {@code INVALID} for bad input
     */
    public PolicyRecord renew(UUID policyId, BigDecimal newPremium, String idempotencyKey) {
        Inputs.required(K, "policy id", policyId);
        BigDecimal premium = Inputs.money(K, "renewal premium", newPremium, Sign.NOT_NEGATIVE);
        String key = Inputs.idempotencyKey(K, idempotencyKey);
        return Statements.writeOnce(
                this,
                tx -> renewedBefore(tx, policyId, key),
                tx -> {
                    PolicyRecord old = activePolicy(tx, policyId, null, "renew");
                    Optional<PolicyRecord> renewal = RENEWAL_OF.fetchOptional(tx, policyId);
                    if (renewal.isPresent()) {
                        throw DomainException.conflict(
                                K,
                                "policy " + key(old) + " was already renewed as policy " + key(renewal.get())
                                        + " with idempotency key '"
                                        + renewal.get().getIdempotencyKey() + "', not '" + key
                                        + "'; a policy is renewed once: retry with that key to get the renewal.");
                    }
                    LocalDateTime now = Utc.now(clock);
                    Period term = Period.between(old.getEffectiveDate(), old.getExpirationDate());
                    UUID id = Ids.newId();
                    PolicyRecord p = new PolicyRecord(
                            id,
                            BusinessNumbers.next("POL", now.toLocalDate()),
                            old.getOrgId(),
                            old.getProgramId(),
                            old.getInsuredName(),
                            PolicyStatus.ACTIVE.name(),
                            old.getExpirationDate(),
                            old.getExpirationDate().plus(term),
                            premium,
                            old.getCurrency(),
                            null,
                            null,
                            policyId,
                            null,
                            null,
                            key,
                            0,
                            now,
                            now);
                    // Insert first: a racer with the same key then waits on the key and re-reads this row, instead of
                    // failing the version check below (which makes racers with other keys fail with CONFLICT).
                    INSERT_POLICY.execute(tx, p.intoArray());
                    update(tx, old, TOUCH, now);
                    List<CoverageLine> lines = new ArrayList<>();
                    for (CoverageRecord c : COVERAGES_OF.fetch(tx, policyId)) {
                        lines.add(new CoverageLine(
                                c.getCoverageType(), c.getLimitAmount(), c.getDeductible(), c.getPremium()));
                    }
                    if (!lines.isEmpty()) {
                        insertCoverages(tx, id, lines, now);
                    }
                    Map<String, Object> issued = issuedPayload(p);
                    issued.put("renewalOfPolicyId", policyId.toString());
                    event(tx, id, PolicyEventType.ISSUED, issued, now);
                    event(
                            tx,
                            policyId,
                            PolicyEventType.RENEWED,
                            Map.of("renewalPolicyId", id.toString(), "renewalPolicyNumber", p.getPolicyNumber()),
                            now);
                    return p;
                },
                "uk_policy_number");
    }

    private static Optional<PolicyRecord> renewedBefore(DSLContext tx, UUID policyId, String key) {
        return Statements.sameRequest(
                K,
                key,
                POLICY_BY_KEY.fetchOptional(tx, key),
                p -> policyId.equals(p.getRenewalOfPolicyId()),
                p -> "policy " + key(p)
                        + (p.getRenewalOfPolicyId() == null
                                ? ""
                                : ", the renewal of policy " + p.getRenewalOfPolicyId()),
                "a renewal of policy " + policyId,
                "renewal");
    }

    // ---------------------------------------------------------------- reads

    /** The policy with this id, if any. A single pre-rendered lookup (eligible for the read cache). */
    public Optional<PolicyRecord> findPolicy(UUID policyId) {
        return POLICY_BY_ID.fetchOptional(dsl(), Inputs.required(K, "policy id", policyId));
    }

    /** The policy with this number (e.g. {@code POL-2026-01JD4W7K9Q}), if any. A single pre-rendered lookup. */
    public Optional<PolicyRecord> findPolicyByNumber(String policyNumber) {
        return POLICY_BY_NUMBER.fetchOptional(dsl(), Inputs.required(K, "policy number", policyNumber));
    }

    /** The policy issued for this quote, if any. A single pre-rendered lookup. */
    public Optional<PolicyRecord> findPolicyByQuote(UUID quoteId) {
        return POLICY_BY_QUOTE.fetchOptional(dsl(), Inputs.required(K, "quote id", quoteId));
    }

    /**
     * The organization's policies, oldest first.
     *
     * @param status only policies in this status, or {@code null} for all
     */
    public List<PolicyRecord> listPolicies(UUID orgId, PolicyStatus status) {
        Inputs.required(K, "organization id", orgId);
        Condition c = POLICY.ORG_ID.eq(orgId);
        if (status != null) {
            c = c.and(POLICY.STATUS.eq(status.name()));
        }
        return dsl().selectFrom(POLICY).where(c).orderBy(POLICY.ID).fetch();
    }

    /** The policy's history, oldest first; empty for an unknown policy. */
    public List<PolicyEventRecord> listEvents(UUID policyId) {
        Inputs.required(K, "policy id", policyId);
        return dsl().selectFrom(POLICY_EVENT)
                .where(POLICY_EVENT.POLICY_ID.eq(policyId))
                .orderBy(POLICY_EVENT.OCCURRED_AT, POLICY_EVENT.ID)
                .fetch();
    }

    /** The policy's coverages, ordered by coverage type. */
    public List<CoverageRecord> listCoverages(UUID policyId) {
        Inputs.required(K, "policy id", policyId);
        return dsl().selectFrom(COVERAGE)
                .where(COVERAGE.POLICY_ID.eq(policyId))
                .orderBy(COVERAGE.COVERAGE_TYPE)
                .fetch();
    }

    /** The policy's endorsements, by number. */
    public List<EndorsementRecord> listEndorsements(UUID policyId) {
        Inputs.required(K, "policy id", policyId);
        return dsl().selectFrom(ENDORSEMENT)
                .where(ENDORSEMENT.POLICY_ID.eq(policyId))
                .orderBy(ENDORSEMENT.ENDORSEMENT_NUMBER)
                .fetch();
    }

    // ---------------------------------------------------------------- helpers

    private static PolicyRecord activePolicy(DSLContext tx, UUID policyId, Integer expectedVersion, String action) {
        PolicyRecord p = POLICY_BY_ID
                .fetchOptional(tx, policyId)
                .orElseThrow(() -> DomainException.notFound(
                        K, "policy", policyId, "Check the id, or issue it first (PoliciesDb.issueFromQuote)."));
        if (expectedVersion != null && expectedVersion.intValue() != p.getVersion()) {
            throw DomainException.stale(K, "policy", key(p), expectedVersion);
        }
        if (!PolicyStatus.ACTIVE.name().equals(p.getStatus())) {
            String hint = PolicyStatus.CANCELLED.name().equals(p.getStatus())
                    ? "It was cancelled as of " + p.getCancellationDate() + " ('" + p.getCancellationReason()
                            + "'); only ACTIVE policies can be endorsed, cancelled or renewed: issue a new policy from a new quote."
                    : "Only ACTIVE policies can be endorsed, cancelled or renewed.";
            throw DomainException.illegalTransition(K, "policy", key(p), p.getStatus(), action, hint);
        }
        return p;
    }

    private static void checkWithinTerm(PolicyRecord p, LocalDate date, String what) {
        if (date.isBefore(p.getEffectiveDate()) || !date.isBefore(p.getExpirationDate())) {
            throw DomainException.invalid(
                    K,
                    what + " " + date + " is outside the term of policy " + key(p) + " ["
                            + p.getEffectiveDate() + ", " + p.getExpirationDate()
                            + "); choose a date on or after the effective date"
                            + " and before the expiration date.");
        }
    }

    /**
     * Runs a versioned update of {@code p} whose last set column is {@code updated_at} (binds: {@code values},
     * {@code now}, then id and version) and steps the record's version.
     */
    private static void update(
            DSLContext tx, PolicyRecord p, Prepared<Record> statement, LocalDateTime now, Object... values) {
        Object[] binds = new Object[values.length + 3];
        System.arraycopy(values, 0, binds, 0, values.length);
        binds[values.length] = now;
        binds[values.length + 1] = p.getId();
        binds[values.length + 2] = p.getVersion();
        Statements.versioned(K, "policy", key(p), p.getVersion(), tx, statement, binds);
        p.setVersion(p.getVersion() + 1);
        p.setUpdatedAt(now);
    }

    private static void event(
            DSLContext tx, UUID policyId, PolicyEventType type, Map<String, ?> payload, LocalDateTime now) {
        INSERT_EVENT.execute(
                tx, new PolicyEventRecord(Ids.newId(), policyId, type.name(), Json.of(payload), now).intoArray());
    }

    private static String key(PolicyRecord p) {
        return p.getPolicyNumber() + " (" + p.getId() + ")";
    }
}
