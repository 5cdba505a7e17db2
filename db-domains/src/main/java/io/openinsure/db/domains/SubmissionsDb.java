package io.openinsure.db.domains;

import static io.openinsure.db.domains.schema.oi_submissions.Tables.BIND_REQUEST;
import static io.openinsure.db.domains.schema.oi_submissions.Tables.QUOTE;
import static io.openinsure.db.domains.schema.oi_submissions.Tables.SUBMISSION;

import io.openinsure.db.core.ForwardingKeyspaceClient;
import io.openinsure.db.core.KeyspaceClient;
import io.openinsure.db.domains.internal.Prepared;
import io.openinsure.db.domains.internal.Rows;
import io.openinsure.db.domains.schema.oi_submissions.tables.records.BindRequestRecord;
import io.openinsure.db.domains.schema.oi_submissions.tables.records.QuoteRecord;
import io.openinsure.db.domains.schema.oi_submissions.tables.records.SubmissionRecord;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jooq.DSLContext;
import org.jooq.JSON;
import org.jooq.Record;
import org.jooq.impl.DSL;

/**
 * The client for submissions, quotes and bind requests: keyspace {@code submissions} (database
 * {@code oi_submissions}). Thread-safe.
 *
 * <p>Lifecycle (every write is one transaction of this keyspace):
 * <pre>
 * submission:  SUBMITTED --quote--> QUOTED --bind--> BOUND
 *              SUBMITTED | QUOTED --decline--> DECLINED,  --withdraw--> WITHDRAWN
 * quote:       ACTIVE --a newer quote--> SUPERSEDED,  ACTIVE --bind--> BOUND
 *              (an ACTIVE quote whose expires_at has passed reads as EXPIRED: {@link #quoteStatus})
 * bind request: BOUND (bound_at set) when the bind succeeds
 * </pre>
 * Refusals are {@link DomainException}s naming the entity, its number and id, its status and what to
 * do instead. Status changes check the row's {@code version} (a concurrent writer makes the slower one
 * fail with {@code CONFLICT}). {@code org_id}, {@code program_id} and {@code requested_by} point into
 * keyspace {@code global}; this client does not check them (keyspaces have no foreign keys): the
 * calling flow does, e.g. with {@link GlobalDb#programExists}. Lookups by id or number and all writes
 * run pre-rendered SQL ({@link Prepared}).
 */
public final class SubmissionsDb extends ForwardingKeyspaceClient {

    private static final Keyspace K = Keyspace.SUBMISSIONS;

    /** Status of a submission. */
    public enum SubmissionStatus {
        /** Received, not yet quoted. */
        SUBMITTED,
        /** Has at least one quote. */
        QUOTED,
        /** A quote was bound (terminal). */
        BOUND,
        /** Refused by the underwriter (terminal). */
        DECLINED,
        /** Taken back by the submitter (terminal). */
        WITHDRAWN
    }

    /** Status of a quote. */
    public enum QuoteStatus {
        /** Can be bound until {@code expires_at}. */
        ACTIVE,
        /** A newer quote of the same submission replaced it. */
        SUPERSEDED,
        /** Bound (terminal). */
        BOUND,
        /** Not stored: how {@link #quoteStatus} reports an ACTIVE quote whose {@code expires_at} has passed. */
        EXPIRED
    }

    /** Status of a bind request. */
    public enum BindStatus {
        /** The quote was bound at {@code bound_at}. */
        BOUND
    }

    private static final Pattern STATE = Pattern.compile("[A-Z]{2}");

    private static final Prepared<SubmissionRecord> SUBMISSION_BY_ID = Rows.selectWhere(SUBMISSION, SUBMISSION.ID);
    private static final Prepared<SubmissionRecord> SUBMISSION_BY_NUMBER = Rows.selectWhere(SUBMISSION, SUBMISSION.SUBMISSION_NUMBER);
    private static final Prepared<SubmissionRecord> SUBMISSION_BY_KEY = Rows.selectWhere(SUBMISSION, SUBMISSION.IDEMPOTENCY_KEY);
    private static final Prepared<QuoteRecord> QUOTE_BY_ID = Rows.selectWhere(QUOTE, QUOTE.ID);
    private static final Prepared<QuoteRecord> QUOTE_BY_NUMBER = Rows.selectWhere(QUOTE, QUOTE.QUOTE_NUMBER);
    private static final Prepared<BindRequestRecord> BIND_BY_ID = Rows.selectWhere(BIND_REQUEST, BIND_REQUEST.ID);
    private static final Prepared<BindRequestRecord> BIND_BY_KEY = Rows.selectWhere(BIND_REQUEST, BIND_REQUEST.IDEMPOTENCY_KEY);
    private static final Prepared<BindRequestRecord> BIND_BY_QUOTE = Rows.selectWhere(BIND_REQUEST, BIND_REQUEST.QUOTE_ID);
    private static final Prepared<Record> INSERT_SUBMISSION = Rows.insertRow(SUBMISSION);
    private static final Prepared<Record> INSERT_QUOTE = Rows.insertRow(QUOTE);
    private static final Prepared<Record> INSERT_BIND = Rows.insertRow(BIND_REQUEST);
    /** Binds: status, updated_at, id, expected version. */
    private static final Prepared<Record> SET_SUBMISSION_STATUS =
            Rows.versionedUpdate(SUBMISSION, SUBMISSION.ID, SUBMISSION.VERSION, SUBMISSION.STATUS, SUBMISSION.UPDATED_AT);
    /** Binds: status, updated_at, id, expected version. */
    private static final Prepared<Record> SET_QUOTE_STATUS =
            Rows.versionedUpdate(QUOTE, QUOTE.ID, QUOTE.VERSION, QUOTE.STATUS, QUOTE.UPDATED_AT);
    /** Binds: updated_at, submission id. */
    private static final Prepared<Record> SUPERSEDE_ACTIVE_QUOTES = Prepared.statement(ctx -> ctx.update(QUOTE)
            .set(QUOTE.STATUS, DSL.inline(QuoteStatus.SUPERSEDED.name()))
            .set(QUOTE.VERSION, QUOTE.VERSION.plus(DSL.inline(1)))
            .set(QUOTE.UPDATED_AT, Rows.param(QUOTE.UPDATED_AT))
            .where(QUOTE.SUBMISSION_ID.eq(Rows.param(QUOTE.SUBMISSION_ID)))
            .and(QUOTE.STATUS.eq(DSL.inline(QuoteStatus.ACTIVE.name()))));

    private final Clock clock;

    SubmissionsDb(KeyspaceClient client, Clock clock) {
        super(client);
        this.clock = clock;
    }

    /** The clock operations use for "now" (UTC). */
    Clock clock() {
        return clock;
    }

    // ---------------------------------------------------------------- submit

    /**
     * Records a {@code SUBMITTED} submission with a new, unique submission number
     * {@code SUB-<year>-<10 characters>} (e.g. {@code SUB-2026-01JD4W7K9Q}).
     *
     * <p>Idempotent when {@code idempotencyKey} is given: a retry with the same key returns the row the
     * first call created (also when two calls race: the loser re-reads the winner's row).
     *
     * @param orgId          the organization (keyspace {@code global}; not checked here)
     * @param programId      the program (keyspace {@code global}; not checked here)
     * @param insuredName    1–255 characters
     * @param insuredState   a USPS state code, e.g. {@code CA} (upper-cased)
     * @param lineOfBusiness a line-of-business code of {@link GlobalDb#linesOfBusiness()} (upper-cased; not checked here)
     * @param idempotencyKey up to 128 characters, or {@code null} for no idempotency
     * @throws DomainException {@code INVALID} for bad input; {@code CONFLICT} when the key was already
     *                         used for a submission of another organization, program or insured
     */
    public SubmissionRecord submit(UUID orgId, UUID programId, String insuredName, String insuredState,
                                   String lineOfBusiness, String idempotencyKey) {
        DomainRules.required(K, "organization id", orgId);
        DomainRules.required(K, "program id", programId);
        String insured = DomainRules.text(K, "insured name", insuredName, 255);
        String state = DomainRules.text(K, "insured state", insuredState, 2).toUpperCase(Locale.ROOT);
        if (!STATE.matcher(state).matches()) {
            throw DomainException.invalid(K, "insured state '" + insuredState + "' is not a USPS state code (e.g. CA, NY).");
        }
        String lob = DomainRules.text(K, "line of business", lineOfBusiness, 32).toUpperCase(Locale.ROOT);
        String key = idempotencyKey == null ? null : DomainRules.idempotencyKey(K, idempotencyKey);
        return DomainRules.insertOnce(() -> transactionResult(tx -> {
            if (key != null) {
                Optional<SubmissionRecord> existing = SUBMISSION_BY_KEY.fetchOptional(tx, key);
                if (existing.isPresent()) {
                    return sameSubmission(existing.get(), orgId, programId, insured);
                }
            }
            LocalDateTime now = DomainRules.now(clock);
            UUID id = Ids.newId();
            SubmissionRecord s = new SubmissionRecord(id, orgId, programId, DomainRules.businessNumber("SUB", clock, id),
                    insured, state, lob, SubmissionStatus.SUBMITTED.name(), key, 0, now, now);
            INSERT_SUBMISSION.execute(tx, s.intoArray());
            return s;
        }), "uk_submission_number", dup -> key == null ? Optional.empty()
                : transactionResult(tx -> SUBMISSION_BY_KEY.fetchOptional(tx, key)).map(s -> sameSubmission(s, orgId, programId, insured)));
    }

    private static SubmissionRecord sameSubmission(SubmissionRecord s, UUID orgId, UUID programId, String insured) {
        if (s.getOrgId().equals(orgId) && s.getProgramId().equals(programId) && s.getInsuredName().equals(insured)) {
            return s;
        }
        throw DomainRules.conflict(K, "idempotency key '" + s.getIdempotencyKey() + "' was already used for submission "
                + key(s) + " of another request (organization " + s.getOrgId() + ", program " + s.getProgramId()
                + ", insured '" + s.getInsuredName() + "'); use a new key for a new request.");
    }

    // ---------------------------------------------------------------- quote

    /**
     * Prices a {@code SUBMITTED} or {@code QUOTED} submission: inserts an {@code ACTIVE} quote with a new,
     * unique number {@code QUO-<year>-<10 characters>}, valid until now + {@code validFor}; every older
     * ACTIVE quote of the submission becomes {@code SUPERSEDED}; the submission becomes {@code QUOTED}.
     *
     * @param submissionId the submission
     * @param premium      the premium, not negative, at most 4 decimal places
     * @param currency     an ISO 4217 code, e.g. {@code USD}
     * @param ratingInputs the rating inputs as JSON, or {@code null}
     * @param validFor     how long the quote can be bound, positive
     * @throws DomainException {@code NOT_FOUND} when the submission does not exist; {@code ILLEGAL_TRANSITION}
     *                         when it is BOUND, DECLINED or WITHDRAWN; {@code INVALID} for bad input;
     *                         {@code CONFLICT} when another writer changed the submission meanwhile
     */
    public QuoteRecord quote(UUID submissionId, BigDecimal premium, String currency, JSON ratingInputs, Duration validFor) {
        DomainRules.required(K, "submission id", submissionId);
        BigDecimal amount = DomainRules.money(K, "premium", premium, false);
        String ccy = DomainRules.currency(K, currency);
        JSON inputs = DomainRules.json(K, "rating inputs", ratingInputs);
        DomainRules.required(K, "validFor", validFor);
        if (validFor.isNegative() || validFor.isZero()) {
            throw DomainException.invalid(K, "validFor must be positive (was " + validFor + ").");
        }
        return DomainRules.insertOnce(() -> transactionResult(tx -> {
            SubmissionRecord s = submission(tx, submissionId);
            if (!isOpen(s)) {
                throw DomainException.illegalTransition(K, "submission", key(s), s.getStatus(), "quote",
                        closedHint(s));
            }
            LocalDateTime now = DomainRules.now(clock);
            UUID id = Ids.newId();
            QuoteRecord q = new QuoteRecord(id, submissionId, DomainRules.businessNumber("QUO", clock, id), amount, ccy,
                    inputs, QuoteStatus.ACTIVE.name(), now.plus(validFor).truncatedTo(ChronoUnit.MICROS), 0, now, now);
            SUPERSEDE_ACTIVE_QUOTES.execute(tx, now, submissionId);
            setStatus(tx, s, SubmissionStatus.QUOTED, now);
            INSERT_QUOTE.execute(tx, q.intoArray());
            // Read back when there are rating inputs: the server rewrites JSON text (e.g. adds spaces).
            return inputs == null ? q : QUOTE_BY_ID.fetchOptional(tx, id).orElseThrow();
        }), "uk_quote_number", dup -> Optional.empty());
    }

    /**
     * The quote's status as of this client's clock: {@link QuoteStatus#EXPIRED} for an ACTIVE quote whose
     * {@code expires_at} is not after now, else its stored status.
     */
    public QuoteStatus quoteStatus(QuoteRecord quote) {
        QuoteStatus stored = QuoteStatus.valueOf(quote.getStatus());
        return stored == QuoteStatus.ACTIVE && !quote.getExpiresAt().isAfter(DomainRules.now(clock)) ? QuoteStatus.EXPIRED : stored;
    }

    // ---------------------------------------------------------------- bind

    /**
     * Binds an ACTIVE, unexpired quote: inserts a {@code BOUND} bind request ({@code bound_at} = now), and
     * marks the quote and its submission {@code BOUND}.
     *
     * <p>Idempotent: a retry with the same key returns the bind request the first call created (also when
     * two calls race), even after the quote has expired.
     *
     * @param quoteId        the quote to bind
     * @param requestedBy    the user asking (keyspace {@code global}; not checked here)
     * @param idempotencyKey required, up to 128 characters
     * @throws DomainException {@code NOT_FOUND} when the quote does not exist; {@code ILLEGAL_TRANSITION} when
     *                         the quote is BOUND, SUPERSEDED or EXPIRED ({@code expires_at} not after now) or
     *                         its submission is DECLINED or WITHDRAWN; {@code CONFLICT} when the key was used
     *                         to bind another quote, or another writer changed the quote or submission meanwhile;
     *                         {@code INVALID} for bad input
     */
    public BindRequestRecord bind(UUID quoteId, UUID requestedBy, String idempotencyKey) {
        DomainRules.required(K, "quote id", quoteId);
        DomainRules.required(K, "requested by", requestedBy);
        String key = DomainRules.idempotencyKey(K, idempotencyKey);
        return DomainRules.insertOnce(() -> transactionResult(tx -> {
            Optional<BindRequestRecord> existing = BIND_BY_KEY.fetchOptional(tx, key);
            if (existing.isPresent()) {
                return sameBind(existing.get(), quoteId);
            }
            QuoteRecord q = QUOTE_BY_ID.fetchOptional(tx, quoteId).orElseThrow(() -> DomainRules.notFound(K, "quote", quoteId,
                    "Check the id, or quote the submission first (SubmissionsDb.quote)."));
            SubmissionRecord s = submission(tx, q.getSubmissionId());
            LocalDateTime now = DomainRules.now(clock);
            checkBindable(tx, q, s, now);
            BindRequestRecord b = new BindRequestRecord(Ids.newId(), quoteId, s.getId(), BindStatus.BOUND.name(), requestedBy,
                    now, key, 0, now, now);
            // Insert first: a racer with the same key then waits on the key and re-reads this row, instead of
            // failing the version check of the quote below.
            INSERT_BIND.execute(tx, b.intoArray());
            setQuoteStatus(tx, q, QuoteStatus.BOUND, now);
            setStatus(tx, s, SubmissionStatus.BOUND, now);
            return b;
        }), null, dup -> transactionResult(tx -> BIND_BY_KEY.fetchOptional(tx, key)).map(b -> sameBind(b, quoteId)));
    }

    private void checkBindable(DSLContext tx, QuoteRecord q, SubmissionRecord s, LocalDateTime now) {
        String quote = key(q);
        switch (QuoteStatus.valueOf(q.getStatus())) {
            case BOUND -> {
                String by = BIND_BY_QUOTE.fetchOptional(tx, q.getId())
                        .map(b -> " It was bound at " + DomainRules.utc(b.getBoundAt()) + " by bind request " + b.getId()
                                + " (idempotency key '" + b.getIdempotencyKey() + "'); retry with that key to get it back.")
                        .orElse(" A quote is bound once.");
                throw DomainException.illegalTransition(K, "quote", quote, q.getStatus(), "bind", by.strip());
            }
            case SUPERSEDED -> throw DomainException.illegalTransition(K, "quote", quote, q.getStatus(), "bind",
                    "A newer quote of submission " + key(s) + " replaced it; bind the submission's ACTIVE quote.");
            default -> {
                // ACTIVE: check the submission and the expiry below
            }
        }
        if (!isOpen(s)) {
            throw DomainException.illegalTransition(K, "submission", key(s), s.getStatus(), "bind", closedHint(s));
        }
        if (!q.getExpiresAt().isAfter(now)) {
            throw DomainException.illegalTransition(K, "quote", quote, QuoteStatus.EXPIRED.name(), "bind",
                    "It expired at " + DomainRules.utc(q.getExpiresAt()) + " (now " + DomainRules.utc(now) + "); quote submission " + key(s)
                            + " again and bind the new quote.");
        }
    }

    private static BindRequestRecord sameBind(BindRequestRecord b, UUID quoteId) {
        if (b.getQuoteId().equals(quoteId)) {
            return b;
        }
        throw DomainRules.conflict(K, "idempotency key '" + b.getIdempotencyKey() + "' was already used by bind request "
                + b.getId() + " for quote " + b.getQuoteId() + ", not quote " + quoteId + "; use a new key for a new request.");
    }

    // ---------------------------------------------------------------- decline / withdraw

    /**
     * The underwriter refuses a {@code SUBMITTED} or {@code QUOTED} submission: it becomes {@code DECLINED}
     * and none of its quotes can be bound any more.
     *
     * @param submissionId the submission
     * @return the updated submission
     * @throws DomainException {@code NOT_FOUND}; {@code ILLEGAL_TRANSITION} when it is BOUND, DECLINED or
     *                         WITHDRAWN; {@code CONFLICT} when another writer changed it meanwhile
     */
    public SubmissionRecord decline(UUID submissionId) {
        return close(submissionId, SubmissionStatus.DECLINED, "decline");
    }

    /**
     * The submitter takes back a {@code SUBMITTED} or {@code QUOTED} submission: it becomes {@code WITHDRAWN}
     * and none of its quotes can be bound any more.
     *
     * @param submissionId the submission
     * @return the updated submission
     * @throws DomainException {@code NOT_FOUND}; {@code ILLEGAL_TRANSITION} when it is BOUND, DECLINED or
     *                         WITHDRAWN; {@code CONFLICT} when another writer changed it meanwhile
     */
    public SubmissionRecord withdraw(UUID submissionId) {
        return close(submissionId, SubmissionStatus.WITHDRAWN, "withdraw");
    }

    private SubmissionRecord close(UUID submissionId, SubmissionStatus target, String action) {
        DomainRules.required(K, "submission id", submissionId);
        return transactionResult(tx -> {
            SubmissionRecord s = submission(tx, submissionId);
            if (!isOpen(s)) {
                throw DomainException.illegalTransition(K, "submission", key(s), s.getStatus(), action, closedHint(s));
            }
            setStatus(tx, s, target, DomainRules.now(clock));
            return s;
        });
    }

    // ---------------------------------------------------------------- reads

    /** The submission with this id, if any. */
    public Optional<SubmissionRecord> findById(UUID submissionId) {
        return DomainRules.find(SUBMISSION_BY_ID, dsl(), submissionId);
    }

    /** The submission with this number (e.g. {@code SUB-2026-01JD4W7K9Q}), if any. */
    public Optional<SubmissionRecord> findByNumber(String submissionNumber) {
        return DomainRules.find(SUBMISSION_BY_NUMBER, dsl(), submissionNumber);
    }

    /** The quote with this id, if any. */
    public Optional<QuoteRecord> findQuote(UUID quoteId) {
        return DomainRules.find(QUOTE_BY_ID, dsl(), quoteId);
    }

    /** The quote with this number (e.g. {@code QUO-2026-01JD4W7K9Q}), if any. */
    public Optional<QuoteRecord> findQuoteByNumber(String quoteNumber) {
        return DomainRules.find(QUOTE_BY_NUMBER, dsl(), quoteNumber);
    }

    /** The submission's quotes, oldest first. */
    public List<QuoteRecord> listQuotes(UUID submissionId) {
        DomainRules.required(K, "submission id", submissionId);
        return dsl().selectFrom(QUOTE).where(QUOTE.SUBMISSION_ID.eq(submissionId)).orderBy(QUOTE.ID).fetch();
    }

    /** The bind request with this id, if any. */
    public Optional<BindRequestRecord> findBindRequest(UUID bindRequestId) {
        return DomainRules.find(BIND_BY_ID, dsl(), bindRequestId);
    }

    /** The bind request made with this idempotency key, if any. */
    public Optional<BindRequestRecord> findBindRequestByKey(String idempotencyKey) {
        return DomainRules.find(BIND_BY_KEY, dsl(), idempotencyKey);
    }

    // ---------------------------------------------------------------- helpers

    private static SubmissionRecord submission(DSLContext tx, UUID submissionId) {
        return SUBMISSION_BY_ID.fetchOptional(tx, submissionId).orElseThrow(() -> DomainRules.notFound(K, "submission",
                submissionId, "Check the id, or submit it first (SubmissionsDb.submit)."));
    }

    private static boolean isOpen(SubmissionRecord s) {
        return SubmissionStatus.SUBMITTED.name().equals(s.getStatus()) || SubmissionStatus.QUOTED.name().equals(s.getStatus());
    }

    private static String closedHint(SubmissionRecord s) {
        return SubmissionStatus.BOUND.name().equals(s.getStatus())
                ? "It is bound; change the policy instead (PoliciesDb.endorse or PoliciesDb.cancel)."
                : "Only SUBMITTED or QUOTED submissions can be quoted, bound, declined or withdrawn; submit a new one.";
    }

    private static void setStatus(DSLContext tx, SubmissionRecord s, SubmissionStatus status, LocalDateTime now) {
        if (SET_SUBMISSION_STATUS.execute(tx, status.name(), now, s.getId(), s.getVersion()) == 0) {
            throw DomainRules.stale(K, "submission", key(s), s.getVersion());
        }
        s.setStatus(status.name());
        s.setUpdatedAt(now);
        s.setVersion(s.getVersion() + 1);
        s.changed(false);
    }

    private static void setQuoteStatus(DSLContext tx, QuoteRecord q, QuoteStatus status, LocalDateTime now) {
        if (SET_QUOTE_STATUS.execute(tx, status.name(), now, q.getId(), q.getVersion()) == 0) {
            throw DomainRules.stale(K, "quote", key(q), q.getVersion());
        }
    }

    private static String key(SubmissionRecord s) {
        return s.getSubmissionNumber() + " (" + s.getId() + ")";
    }

    private static String key(QuoteRecord q) {
        return q.getQuoteNumber() + " (" + q.getId() + ")";
    }
}
