package io.openinsure.db.domains;

import static io.openinsure.db.domains.internal.Rows.param;
import static io.openinsure.db.domains.schema.oi_claims.Tables.CLAIM;
import static io.openinsure.db.domains.schema.oi_claims.Tables.CLAIM_EVENT;
import static io.openinsure.db.domains.schema.oi_claims.Tables.CLAIM_PAYMENT;
import static io.openinsure.db.domains.schema.oi_claims.Tables.RESERVE;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openinsure.db.core.ForwardingKeyspaceClient;
import io.openinsure.db.core.KeyspaceClient;
import io.openinsure.db.domains.Inputs.Sign;
import io.openinsure.db.domains.internal.BusinessNumbers;
import io.openinsure.db.domains.internal.Prepared;
import io.openinsure.db.domains.internal.Rows;
import io.openinsure.db.domains.schema.oi_claims.tables.records.ClaimEventRecord;
import io.openinsure.db.domains.schema.oi_claims.tables.records.ClaimPaymentRecord;
import io.openinsure.db.domains.schema.oi_claims.tables.records.ClaimRecord;
import io.openinsure.db.domains.schema.oi_claims.tables.records.ReserveRecord;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.JSON;
import org.jooq.Record;
import org.jooq.Record3;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * The client for the claim lifecycle: keyspace {@code claims} (database {@code oi_claims}).
 *
 * <p>A claim is opened by a first notice of loss and moves between two states:
 *
 * <pre>
 *   fileFirstNotice ──► OPEN ──closeClaim──► CLOSED
 *                        ▲                     │
 *                        └─────reopenClaim─────┘
 *   setReserve, pay: OPEN only
 * </pre>
 *
 * <p>Money: a claim's <em>reserve</em> is the total expected cost (paid plus still to pay); each
 * {@link #setReserve} appends a row and the latest is current. A payment may not exceed the
 * outstanding amount, reserve minus payments so far. Closing releases what is still outstanding
 * (a reserve row equal to the amount paid), so a closed claim has nothing outstanding. Amounts
 * are DECIMAL(19,4) in one ISO 4217 currency per claim, fixed by its first reserve.
 *
 * <p>Every operation is one transaction in this keyspace and either completes or writes nothing;
 * each change appends a {@code claim_event}. Lifecycle writes use the claim's {@code version}
 * (optimistic locking) and report a concurrent change as {@link DomainException.Reason#CONFLICT}.
 * Refusals are {@link DomainException}s whose message names the claim, its status and what to do.
 * Writes with an idempotency key return the row written first when retried, also when two
 * retries race; a key reused for a different request is refused with {@code CONFLICT}.
 * Hot operations run SQL rendered once ({@link Prepared}). Times are UTC from the client's clock.
 * Thread-safe.
 */
public final class ClaimsDb extends ForwardingKeyspaceClient {

    private static final Keyspace KS = Keyspace.CLAIMS;
    private static final int REASON_MAX = 255;
    private static final int NOTE_MAX = 1000;

    /** A claim's status, as stored in {@code claim.status}. */
    public enum ClaimStatus {
        /** Filed or reopened: reserves can be set and payments made. */
        OPEN,
        /** Closed: no reserve changes or payments until reopened. */
        CLOSED
    }

    /** The {@code claim_event.event_type} values this client writes. */
    public enum ClaimEventType {
        /** The claim was filed; payload: policyId, lossDate. */
        FIRST_NOTICE,
        /** A reserve was set; payload: amount, currency, previous, reason. */
        RESERVE_SET,
        /** A payment was made; payload: paymentId, amount, currency, payee. */
        PAYMENT,
        /** The claim was closed; payload: reason, releasedReserve. */
        CLOSED,
        /** The claim was reopened; payload: reason. */
        REOPENED
    }

    /**
     * A first notice of loss: the report that opens a claim.
     *
     * @param policyId       the policy the loss falls under (keyspace {@code policies}; not checked here)
     * @param orgId          the organization that owns the policy (keyspace {@code global})
     * @param lossDate       when the loss happened; not after today (checked when filed)
     * @param description    what happened, 1–10,000 characters
     * @param idempotencyKey makes a retried filing return the first claim instead of a second one;
     *                       {@code null} for none, else 1–128 characters
     * @throws DomainException {@code INVALID} naming the field that breaks a rule
     */
    public record FirstNotice(
            UUID policyId, UUID orgId, LocalDate lossDate, String description, String idempotencyKey) {
        public FirstNotice {
            Inputs.required(KS, "policy id", policyId);
            Inputs.required(KS, "organization id", orgId);
            Inputs.required(KS, "loss date", lossDate);
            description = Inputs.text(KS, "loss description", description, 10_000);
            idempotencyKey = Inputs.optionalIdempotencyKey(KS, idempotencyKey);
        }
    }

    /**
     * A payment on a claim.
     *
     * @param claimId        the claim paid on
     * @param amount         greater than zero and at most the outstanding amount (reserve minus paid)
     * @param currency       the claim's currency, ISO 4217 (upper-cased)
     * @param payee          who is paid, 1–255 characters
     * @param idempotencyKey required, 1–128 characters: paying again with the same key returns the first payment
     * @throws DomainException {@code INVALID} naming the field that breaks a rule
     */
    public record ClaimPaymentRequest(
            UUID claimId, BigDecimal amount, String currency, String payee, String idempotencyKey) {
        public ClaimPaymentRequest {
            Inputs.required(KS, "claim id", claimId);
            amount = Inputs.money(KS, "payment amount", amount, Sign.POSITIVE);
            currency = Inputs.currency(KS, "payment currency", currency);
            payee = Inputs.text(KS, "payee", payee, REASON_MAX);
            idempotencyKey = Inputs.idempotencyKey(KS, idempotencyKey);
        }
    }

    /**
     * A claim's money at one moment.
     *
     * @param claimId     the claim
     * @param currency    the claim's currency (of its reserves), or {@code null} before the first reserve
     * @param reserve     the current reserve (zero before the first)
     * @param paid        the sum of the claim's payments
     * @param outstanding {@code reserve - paid}: what may still be paid
     */
    public record ClaimTotals(
            UUID claimId, String currency, BigDecimal reserve, BigDecimal paid, BigDecimal outstanding) {}

    // Hot statements, rendered once per dialect.
    private static final Prepared<ClaimRecord> CLAIM_BY_ID = Rows.selectWhere(CLAIM, CLAIM.ID);
    private static final Prepared<ClaimRecord> CLAIM_BY_NUMBER = Rows.selectWhere(CLAIM, CLAIM.CLAIM_NUMBER);
    private static final Prepared<ClaimRecord> CLAIM_BY_KEY = Rows.selectWhere(CLAIM, CLAIM.IDEMPOTENCY_KEY);
    private static final Prepared<ClaimPaymentRecord> PAYMENT_BY_KEY =
            Rows.selectWhere(CLAIM_PAYMENT, CLAIM_PAYMENT.IDEMPOTENCY_KEY);
    private static final Prepared<Record> INSERT_CLAIM = Rows.insertRow(CLAIM);
    private static final Prepared<Record> INSERT_EVENT = Rows.insertRow(CLAIM_EVENT);
    private static final Prepared<Record> INSERT_RESERVE = Rows.insertRow(RESERVE);
    private static final Prepared<Record> INSERT_PAYMENT = Rows.insertRow(CLAIM_PAYMENT);
    /** Binds: status, closed_at, updated_at, id, version. */
    private static final Prepared<Record> UPDATE_STATUS =
            Rows.versionedUpdate(CLAIM, CLAIM.ID, CLAIM.VERSION, CLAIM.STATUS, CLAIM.CLOSED_AT, CLAIM.UPDATED_AT);
    /** Binds: updated_at, id, version. Claims a new version for a money change, so concurrent ones cannot both pass their checks. */
    private static final Prepared<Record> BUMP_VERSION =
            Rows.versionedUpdate(CLAIM, CLAIM.ID, CLAIM.VERSION, CLAIM.UPDATED_AT);

    private static final Field<BigDecimal> MONEY_RESERVE = DSL.field(DSL.name("reserve"), RESERVE.AMOUNT.getDataType());
    private static final Field<String> MONEY_CURRENCY = DSL.field(DSL.name("currency"), RESERVE.CURRENCY.getDataType());
    private static final Field<BigDecimal> MONEY_PAID = DSL.field(DSL.name("paid"), CLAIM_PAYMENT.AMOUNT.getDataType());
    private static final Table<Record3<BigDecimal, String, BigDecimal>> MONEY_SHAPE =
            DSL.select(MONEY_RESERVE, MONEY_CURRENCY, MONEY_PAID).asTable("claim_money");
    /** Current reserve, its currency and the sum paid in one round trip. Binds: claim id three times. */
    private static final Prepared<Record3<BigDecimal, String, BigDecimal>> MONEY = Prepared.query(
            MONEY_SHAPE,
            ctx -> ctx.select(
                    DSL.field(latestReserve(ctx, RESERVE.AMOUNT)).as(MONEY_RESERVE),
                    DSL.field(latestReserve(ctx, RESERVE.CURRENCY)).as(MONEY_CURRENCY),
                    DSL.field(ctx.select(DSL.coalesce(DSL.sum(CLAIM_PAYMENT.AMOUNT), DSL.inline(BigDecimal.ZERO)))
                                    .from(CLAIM_PAYMENT)
                                    .where(CLAIM_PAYMENT.CLAIM_ID.eq(param(CLAIM_PAYMENT.CLAIM_ID))))
                            .as(MONEY_PAID)));

    private static <T> org.jooq.Select<org.jooq.Record1<T>> latestReserve(DSLContext ctx, Field<T> column) {
        return ctx.select(column)
                .from(RESERVE)
                .where(RESERVE.CLAIM_ID.eq(param(RESERVE.CLAIM_ID)))
                .orderBy(RESERVE.SET_AT.desc(), RESERVE.ID.desc())
                .limit(DSL.inline(1));
    }

    private final Clock clock;

    ClaimsDb(KeyspaceClient client, Clock clock) {
        super(client);
        this.clock = clock;
    }

    /** The clock operations use for "now" (UTC). */
    Clock clock() {
        return clock;
    }

    /**
     * Opens a claim from a first notice of loss: a new claim numbered {@code CLM-<year>-<10 chars>},
     * status {@link ClaimStatus#OPEN}, reported now, with a {@link ClaimEventType#FIRST_NOTICE}
     * event. With an idempotency key, filing again with the same key returns the claim filed first
     * (also when two filings race).
     *
     * @return the claim (version 0), or the one filed earlier with the same idempotency key
     * @throws DomainException {@code INVALID} if the loss date is after today (UTC), or the
     *                         idempotency key was used for a claim on another policy
     */
    public ClaimRecord fileFirstNotice(FirstNotice notice) {
        Inputs.required(KS, "first notice", notice);
        LocalDate today = Utc.today(clock);
        if (notice.lossDate().isAfter(today)) {
            throw Inputs.invalid(
                    KS, "loss date", "must be on or before today, " + today + " (UTC)", "was " + notice.lossDate());
        }
        return Statements.writeOnce(this, tx -> filedBefore(tx, notice), tx -> fileIn(tx, notice), "uk_claim_number");
    }

    private static Optional<ClaimRecord> filedBefore(DSLContext tx, FirstNotice notice) {
        if (notice.idempotencyKey() == null) {
            return Optional.empty();
        }
        return Statements.sameRequest(
                KS,
                notice.idempotencyKey(),
                CLAIM_BY_KEY.fetchOptional(tx, notice.idempotencyKey()),
                c -> c.getPolicyId().equals(notice.policyId()),
                c -> "claim " + key(c) + " on policy " + c.getPolicyId(),
                "policy " + notice.policyId(),
                "first notice");
    }

    private ClaimRecord fileIn(DSLContext tx, FirstNotice notice) {
        LocalDateTime now = Utc.now(clock);
        ClaimRecord claim = Statements.insert(
                tx,
                INSERT_CLAIM,
                new ClaimRecord(
                        Ids.newId(),
                        BusinessNumbers.next("CLM", now.toLocalDate()),
                        notice.policyId(),
                        notice.orgId(),
                        notice.lossDate(),
                        now,
                        ClaimStatus.OPEN.name(),
                        notice.description(),
                        null,
                        notice.idempotencyKey(),
                        0,
                        now,
                        now));
        ObjectNode payload = Json.MAPPER
                .createObjectNode()
                .put("policyId", notice.policyId().toString())
                .put("lossDate", notice.lossDate().toString());
        event(tx, claim.getId(), ClaimEventType.FIRST_NOTICE, payload, now);
        return claim;
    }

    /**
     * Sets the claim's reserve: appends a {@code reserve} row, which becomes current, and a
     * {@link ClaimEventType#RESERVE_SET} event. The first reserve fixes the claim's currency.
     *
     * @param amount   the new total expected cost, zero or more; not below what is already paid
     * @param currency ISO 4217 code (upper-cased); the claim's currency once it has one
     * @param reason   why, 1–255 characters
     * @return the new reserve row
     * @throws DomainException {@code NOT_FOUND}; {@code ILLEGAL_TRANSITION} unless the claim is
     *                         OPEN; {@code INVALID} for another currency or an amount below the
     *                         paid total; {@code CONFLICT} if the claim changed concurrently
     */
    public ReserveRecord setReserve(UUID claimId, BigDecimal amount, String currency, String reason) {
        Inputs.required(KS, "claim id", claimId);
        BigDecimal value = Inputs.money(KS, "reserve amount", amount, Sign.NOT_NEGATIVE);
        String code = Inputs.currency(KS, "reserve currency", currency);
        String why = Inputs.text(KS, "reserve reason", reason, REASON_MAX);
        return onClaim(claimId, (tx, claim, now) -> {
            requireStatus(
                    claim, ClaimStatus.OPEN, "set the reserve of", "Reopen the claim before changing its reserve.");
            Money money = money(tx, claimId);
            requireCurrency(claim, money, code, "reserve");
            if (value.compareTo(money.paid()) < 0) {
                throw DomainException.invalid(
                        KS,
                        "reserve of " + Inputs.show(value) + " " + code + " on claim " + key(claim)
                                + " is below the " + Inputs.show(money.paid()) + " " + code
                                + " already paid; a reserve covers what was paid plus what is still expected.");
            }
            ReserveRecord reserve = Statements.insert(
                    tx, INSERT_RESERVE, new ReserveRecord(Ids.newId(), claimId, value, code, now, why));
            ObjectNode payload = Json.MAPPER
                    .createObjectNode()
                    .put("amount", value)
                    .put("currency", code)
                    .put("previous", money.reserve())
                    .put("reason", why);
            event(tx, claimId, ClaimEventType.RESERVE_SET, payload, now);
            bumpVersion(tx, claim, now);
            return reserve;
        });
    }

    /**
     * Pays on a claim: a {@code claim_payment} row and a {@link ClaimEventType#PAYMENT} event.
     * Paying again with the same idempotency key returns the first payment (also when the claim
     * has since been closed, and when two payments race).
     *
     * @param request the claim, amount, currency, payee and idempotency key (checked when it was built)
     * @return the payment
     * @throws DomainException {@code NOT_FOUND}; {@code ILLEGAL_TRANSITION} for a CLOSED claim;
     *                         {@code INVALID} for a payment over the outstanding amount (the
     *                         message shows reserve, paid and outstanding) or in another currency;
     *                         {@code CONFLICT} if the key was used for a different payment or the
     *                         claim changed concurrently
     */
    public ClaimPaymentRecord pay(ClaimPaymentRequest request) {
        Inputs.required(KS, "claim payment request", request);
        return Statements.writeOnce(this, tx -> paidBefore(tx, request), tx -> payIn(tx, request));
    }

    private static Optional<ClaimPaymentRecord> paidBefore(DSLContext tx, ClaimPaymentRequest request) {
        return Statements.sameRequest(
                KS,
                request.idempotencyKey(),
                PAYMENT_BY_KEY.fetchOptional(tx, request.idempotencyKey()),
                p -> p.getClaimId().equals(request.claimId())
                        && p.getAmount().compareTo(request.amount()) == 0
                        && p.getCurrency().equals(request.currency()),
                p -> "payment " + p.getId() + " of " + Inputs.show(p.getAmount()) + " " + p.getCurrency() + " on claim "
                        + p.getClaimId(),
                Inputs.show(request.amount()) + " " + request.currency() + " on claim " + request.claimId(),
                "payment");
    }

    private ClaimPaymentRecord payIn(DSLContext tx, ClaimPaymentRequest request) {
        LocalDateTime now = Utc.now(clock);
        UUID claimId = request.claimId();
        BigDecimal amount = request.amount();
        String currency = request.currency();
        ClaimRecord claim = require(tx, claimId);
        requireStatus(claim, ClaimStatus.OPEN, "pay", "Reopen the claim before paying on it.");
        Money money = money(tx, claimId);
        requireCurrency(claim, money, currency, "payment");
        BigDecimal outstanding = money.outstanding();
        if (amount.compareTo(outstanding) > 0) {
            throw DomainException.invalid(
                    KS,
                    "payment of " + Inputs.show(amount) + " " + currency + " on claim " + key(claim)
                            + " exceeds its outstanding reserve: reserve " + Inputs.show(money.reserve()) + ", paid "
                            + Inputs.show(money.paid())
                            + ", outstanding " + Inputs.show(outstanding)
                            + ". Raise the reserve with setReserve first.");
        }
        ClaimPaymentRecord payment = Statements.insert(
                tx,
                INSERT_PAYMENT,
                new ClaimPaymentRecord(
                        Ids.newId(), claimId, amount, currency, request.payee(), now, request.idempotencyKey(), now));
        ObjectNode payload = Json.MAPPER
                .createObjectNode()
                .put("paymentId", payment.getId().toString())
                .put("amount", amount)
                .put("currency", currency)
                .put("payee", request.payee());
        event(tx, claimId, ClaimEventType.PAYMENT, payload, now);
        bumpVersion(tx, claim, now);
        return payment;
    }

    /**
     * Closes an OPEN claim: status {@link ClaimStatus#CLOSED}, {@code closed_at} now, and a
     * {@link ClaimEventType#CLOSED} event. Whatever is still outstanding is released: a reserve
     * row equal to the paid total is appended, so the closed claim has nothing outstanding.
     *
     * @param reason why, 1–1,000 characters (kept in the event)
     * @return the claim as closed
     * @throws DomainException {@code NOT_FOUND}; {@code ILLEGAL_TRANSITION} if it is already
     *                         CLOSED; {@code CONFLICT} if the claim changed concurrently
     */
    public ClaimRecord closeClaim(UUID claimId, String reason) {
        Inputs.required(KS, "claim id", claimId);
        String why = Inputs.text(KS, "close reason", reason, NOTE_MAX);
        return onClaim(claimId, (tx, claim, now) -> {
            requireStatus(
                    claim,
                    ClaimStatus.OPEN,
                    "close",
                    "It was closed at " + claim.getClosedAt() + " UTC; a closed claim can only be reopened.");
            Money money = money(tx, claimId);
            BigDecimal released = money.outstanding();
            if (released.signum() > 0) {
                Statements.insert(
                        tx,
                        INSERT_RESERVE,
                        new ReserveRecord(
                                Ids.newId(), claimId, money.paid(), money.currency(), now, "released on close"));
            }
            ObjectNode payload =
                    Json.MAPPER.createObjectNode().put("reason", why).put("releasedReserve", released);
            event(tx, claimId, ClaimEventType.CLOSED, payload, now);
            return changeStatus(tx, claim, ClaimStatus.CLOSED, now, now);
        });
    }

    /**
     * Reopens a CLOSED claim: status {@link ClaimStatus#OPEN}, {@code closed_at} cleared, and a
     * {@link ClaimEventType#REOPENED} event. Its reserve stays as it was at closing (the paid
     * total): set a new one before paying more.
     *
     * @param reason why, 1–1,000 characters (kept in the event)
     * @return the claim as reopened
     * @throws DomainException {@code NOT_FOUND}; {@code ILLEGAL_TRANSITION} if it is OPEN;
     *                         {@code CONFLICT} if the claim changed concurrently
     */
    public ClaimRecord reopenClaim(UUID claimId, String reason) {
        Inputs.required(KS, "claim id", claimId);
        String why = Inputs.text(KS, "reopen reason", reason, NOTE_MAX);
        return onClaim(claimId, (tx, claim, now) -> {
            requireStatus(claim, ClaimStatus.CLOSED, "reopen", "Only a CLOSED claim can be reopened.");
            event(
                    tx,
                    claimId,
                    ClaimEventType.REOPENED,
                    Json.MAPPER.createObjectNode().put("reason", why),
                    now);
            return changeStatus(tx, claim, ClaimStatus.OPEN, null, now);
        });
    }

    /** The claim with this id, if any. A single pre-rendered lookup (eligible for the read cache). */
    public Optional<ClaimRecord> findClaim(UUID claimId) {
        return CLAIM_BY_ID.fetchOptional(dsl(), Inputs.required(KS, "claim id", claimId));
    }

    /** The claim with this claim number ({@code CLM-…}), if any. A single pre-rendered lookup. */
    public Optional<ClaimRecord> findClaimByNumber(String claimNumber) {
        return CLAIM_BY_NUMBER.fetchOptional(dsl(), Inputs.required(KS, "claim number", claimNumber));
    }

    /** The claims filed against a policy, oldest report first; empty if there are none. */
    public List<ClaimRecord> listClaims(UUID policyId) {
        Inputs.required(KS, "policy id", policyId);
        return dsl().selectFrom(CLAIM)
                .where(CLAIM.POLICY_ID.eq(policyId))
                .orderBy(CLAIM.REPORTED_AT, CLAIM.ID)
                .fetch();
    }

    /**
     * The claim's history, oldest first (events of one transaction in the order written).
     *
     * @throws DomainException {@code NOT_FOUND} if there is no such claim
     */
    public List<ClaimEventRecord> listEvents(UUID claimId) {
        Inputs.required(KS, "claim id", claimId);
        return onClaim(
                claimId,
                (tx, claim, now) -> tx.selectFrom(CLAIM_EVENT)
                        .where(CLAIM_EVENT.CLAIM_ID.eq(claimId))
                        .orderBy(CLAIM_EVENT.OCCURRED_AT, CLAIM_EVENT.ID)
                        .fetch());
    }

    /**
     * The payments made on a claim, oldest first.
     *
     * @throws DomainException {@code NOT_FOUND} if there is no such claim
     */
    public List<ClaimPaymentRecord> listPayments(UUID claimId) {
        Inputs.required(KS, "claim id", claimId);
        return onClaim(
                claimId,
                (tx, claim, now) -> tx.selectFrom(CLAIM_PAYMENT)
                        .where(CLAIM_PAYMENT.CLAIM_ID.eq(claimId))
                        .orderBy(CLAIM_PAYMENT.PAID_AT, CLAIM_PAYMENT.ID)
                        .fetch());
    }

    /**
     * The claim's current reserve, paid total and outstanding amount, read in one transaction.
     *
     * @throws DomainException {@code NOT_FOUND} if there is no such claim
     */
    public ClaimTotals totals(UUID claimId) {
        Inputs.required(KS, "claim id", claimId);
        return onClaim(claimId, (tx, claim, now) -> {
            Money money = money(tx, claimId);
            return new ClaimTotals(claimId, money.currency(), money.reserve(), money.paid(), money.outstanding());
        });
    }

    private record Money(BigDecimal reserve, String currency, BigDecimal paid) {
        BigDecimal outstanding() {
            return reserve.subtract(paid);
        }
    }

    private static Money money(DSLContext tx, UUID claimId) {
        Record3<BigDecimal, String, BigDecimal> r =
                MONEY.fetch(tx, claimId, claimId, claimId).get(0);
        BigDecimal reserve = r.value1() == null ? BigDecimal.ZERO.setScale(Inputs.MONEY_SCALE) : r.value1();
        return new Money(reserve, r.value2(), r.value3().setScale(Inputs.MONEY_SCALE));
    }

    private static ClaimRecord require(DSLContext tx, UUID claimId) {
        return CLAIM_BY_ID.fetchOptional(tx, claimId).orElseThrow(() -> DomainException.notFound(KS, "claim", claimId));
    }

    /** A lifecycle step: runs in one transaction, on the claim as read in it, at one "now". */
    @FunctionalInterface
    private interface ClaimStep<T> {
        T apply(DSLContext tx, ClaimRecord claim, LocalDateTime now);
    }

    /**
     * Runs {@code step} in one transaction on the claim.
     *
     * @throws DomainException {@code NOT_FOUND} if there is no such claim
     */
    private <T> T onClaim(UUID claimId, ClaimStep<T> step) {
        return transactionResult(tx -> step.apply(tx, require(tx, claimId), Utc.now(clock)));
    }

    private static void requireStatus(ClaimRecord claim, ClaimStatus required, String action, String hint) {
        if (!required.name().equals(claim.getStatus())) {
            throw DomainException.illegalTransition(KS, "claim", key(claim), claim.getStatus(), action, hint);
        }
    }

    private static void requireCurrency(ClaimRecord claim, Money money, String currency, String what) {
        if (money.currency() != null && !money.currency().equals(currency)) {
            throw DomainException.invalid(
                    KS,
                    what + " currency " + currency + " differs from the currency " + money.currency() + " of claim "
                            + key(claim) + "; a claim is reserved and paid in one currency.");
        }
    }

    private void bumpVersion(DSLContext tx, ClaimRecord claim, LocalDateTime now) {
        Statements.versioned(
                KS, "claim", key(claim), claim.getVersion(), tx, BUMP_VERSION, now, claim.getId(), claim.getVersion());
    }

    private ClaimRecord changeStatus(
            DSLContext tx, ClaimRecord claim, ClaimStatus status, LocalDateTime closedAt, LocalDateTime now) {
        Statements.versioned(
                KS,
                "claim",
                key(claim),
                claim.getVersion(),
                tx,
                UPDATE_STATUS,
                status.name(),
                closedAt,
                now,
                claim.getId(),
                claim.getVersion());
        claim.setStatus(status.name());
        claim.setClosedAt(closedAt);
        claim.setUpdatedAt(now);
        claim.setVersion(claim.getVersion() + 1);
        claim.changed(false);
        return claim;
    }

    private static void event(DSLContext tx, UUID claimId, ClaimEventType type, ObjectNode payload, LocalDateTime now) {
        Statements.insert(
                tx,
                INSERT_EVENT,
                new ClaimEventRecord(Ids.newId(), claimId, type.name(), JSON.json(payload.toString()), now));
    }

    /** How messages name a claim: its number and id. */
    private static String key(ClaimRecord claim) {
        return claim.getClaimNumber() + " (" + claim.getId() + ")";
    }
}
