package io.openinsure.db.domains;

import static io.openinsure.db.domains.schema.oi_submissions.Tables.BIND_REQUEST;
import static io.openinsure.db.domains.schema.oi_submissions.Tables.QUOTE;
import static io.openinsure.db.domains.schema.oi_submissions.Tables.SUBMISSION;

import io.openinsure.db.core.ForwardingKeyspaceClient;
import io.openinsure.db.core.KeyspaceClient;
import io.openinsure.db.domains.Inputs.Sign;
import io.openinsure.db.domains.internal.BusinessNumbers;
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
 * fail with {@code CONFLICT}). Writes with an idempotency key return the row written first when
 * retried, also when two retries race; a key reused for a different request is refused with
 * {@code CONFLICT}. {@code org_id}, {@code program_id} and {@code requested_by} point into keyspace
 * {@code global}; this client does not check them (keyspaces have no foreign keys): the calling flow
 * does, e.g. with {@link GlobalDb#programExists}. Lookups by id or number and all writes run
 * pre-rendered SQL ({@link Prepared}).
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

    private static final Pattern STATE = Pattern.compile("[A-Za-z]{2}");

    /**
     * A new submission.
     *
     * @param orgId          the organization (keyspace {@code global}; not checked here)
     * @param programId      the program (keyspace {@code global}; not checked here)
     * @param insuredName    1–255 characters
     * @param insuredState   a USPS state code, e.g. {@code CA} (upper-cased)
     * @param lineOfBusiness a line-of-business code of {@link GlobalDb#listLinesOfBusiness()}, 1–32 characters
     *                       (upper-cased; not checked here)
     * @param idempotencyKey {@code null} for no idempotency, else 1–128 characters: a retry with the same key
     *                       returns the submission the first call created
     * @throws DomainException {@code INVALID} naming the field that breaks a rule
     */
    public record SubmissionRequest(
            UUID orgId,
            UUID programId,
            String insuredName,
            String insuredState,
            String lineOfBusiness,
            String idempotencyKey) {
        public SubmissionRequest {
            Inputs.required(K, "organization id", orgId);
            Inputs.required(K, "program id", programId);
            insuredName = Inputs.text(K, "insured name", insuredName, 255);
            insuredState = Inputs.matching(
                            K, "insured state", insuredState, STATE, "a USPS state code such as CA or NY")
                    .toUpperCase(Locale.ROOT);
            lineOfBusiness =
                    Inputs.text(K, "line of business", lineOfBusiness, 32).toUpperCase(Locale.ROOT);
            idempotencyKey = Inputs.optionalIdempotencyKey(K, idempotencyKey);
        }
    }

    private static final Prepared<SubmissionRecord> SUBMISSION_BY_ID = Rows.selectWhere(SUBMISSION, SUBMISSION.ID);
    private static final Prepared<SubmissionRecord> SUBMISSION_BY_NUMBER =
            Rows.selectWhere(SUBMISSION, SUBMISSION.SUBMISSION_NUMBER);
    private static final Prepared<SubmissionRecord> SUBMISSION_BY_KEY =
            Rows.selectWhere(SUBMISSION, SUBMISSION.IDEMPOTENCY_KEY);
    private static final Prepared<QuoteRecord> QUOTE_BY_ID = Rows.selectWhere(QUOTE, QUOTE.ID);
    private static final Prepared<QuoteRecord> QUOTE_BY_NUMBER = Rows.selectWhere(QUOTE, QUOTE.QUOTE_NUMBER);
    private static final Prepared<BindRequestRecord> BIND_BY_ID = Rows.selectWhere(BIND_REQUEST, BIND_REQUEST.ID);
    private static final Prepared<BindRequestRecord> BIND_BY_KEY =
            Rows.selectWhere(BIND_REQUEST, BIND_REQUEST.IDEMPOTENCY_KEY);
    private static final Prepared<BindRequestRecord> BIND_BY_QUOTE =
            Rows.selectWhere(BIND_REQUEST, BIND_REQUEST.QUOTE_ID);
    private static final Prepared<Record> INSERT_SUBMISSION = Rows.insertRow(SUBMISSION);
    private static final Prepared<Record> INSERT_QUOTE = Rows.insertRow(QUOTE);
    private static final Prepared<Record> INSERT_BIND = Rows.insertRow(BIND_REQUEST);
    /** Binds: status, updated_at, id, expected version. */
    private static final Prepared<Record> SET_SUBMISSION_STATUS = Rows.versionedUpdate(
            SUBMISSION, SUBMISSION.ID, SUBMISSION.VERSION, SUBMISSION.STATUS, SUBMISSION.UPDATED_AT);
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
     * <p>Idempotent when the request has an idempotency key: a retry with the same key returns the row the
     * first call created (also when two calls race: the loser re-reads the winner's row).
     *
     * @param request who and what is submitted (checked when it was built)
     * @return the new submission, or the one submitted before under the same idempotency key
     * @throws DomainException {@code CONFLICT} when the key was already used for a submission of another
     *                         organization, program or insured
     */
    public SubmissionRecord submit(SubmissionRequest request) {
        Inputs.required(K, "submission request", request);
        return Statements.writeOnce(
                this,
                tx -> submittedBefore(tx, request),
                tx -> {
                    LocalDateTime now = Utc.now(clock);
                    SubmissionRecord s = new SubmissionRecord(
                            Ids.newId(),
                            request.orgId(),
                            request.programId(),
                            BusinessNumbers.next("SUB", now.toLocalDate()),
                            request.insuredName(),
                            request.insuredState(),
                            request.lineOfBusiness(),
                            SubmissionStatus.SUBMITTED.name(),
                            request.idempotencyKey(),
                            0,
                            now,
                            now);
                    INSERT_SUBMISSION.execute(tx, s.intoArray());
                    return s;
                },
                "uk_submission_number");
    }

    private static Optional<SubmissionRecord> submittedBefore(DSLContext tx, SubmissionRequest request) {
        if (request.idempotencyKey() == null) {
            return Optional.empty();
        }
        return Statements.sameRequest(
                K,
                request.idempotencyKey(),
                SUBMISSION_BY_KEY.fetchOptional(tx, request.idempotencyKey()),
                s -> s.getOrgId().equals(request.orgId())
                        && s.getProgramId().equals(request.programId())
                        && s.getInsuredName().equals(request.insuredName()),
                s -> "submission " + key(s) + " of " + submitter(s.getOrgId(), s.getProgramId(), s.getInsuredName()),
                submitter(request.orgId(), request.programId(), request.insuredName()),
                "submission");
    }

    private static String submitter(UUID orgId, UUID programId, String insured) {
        return "organization " + orgId + ", program " + programId + ", insured '" + insured + "'";
    }

    // ---------------------------------------------------------------- quote

    /**
     * Prices a {@code SUBMITTED} or {@code QUOTED} submission: inserts an {@code ACTIVE} quote with a new,
     * unique number {@code QUO-<year>-<10 characters>}, valid until now + {@code validFor}; every older
     * ACTIVE quote of the submission becomes {@code SUPERSEDED}; the submission becomes {@code QUOTED}.
     *
     * @param submissionId the submission
     * @param premium      the premium, not negative, at most 4 decimal places
     * @param currency     an ISO 4217 code, e.g. {@code USD} (upper-cased)
     * @param ratingInputs the rating inputs as JSON, or {@code null}
     * @param validFor     how long the quote can be bound, positive
     * @throws DomainException {@code NOT_FOUND} when the submission does not exist; {@code ILLEGAL_TRANSITION}
     *                         when it is BOUND, DECLINED or WITHDRAWN; {@code INVALID} for bad input;
     *                         {@code CONFLICT} when another writer changed the submission meanwhile
     */
    public QuoteRecord quote(
            UUID submissionId, BigDecimal premium, String currency, JSON ratingInputs, Duration validFor) {
        Inputs.required(K, "submission id", submissionId);
        BigDecimal amount = Inputs.money(K, "premium", premium, Sign.NOT_NEGATIVE);
        String ccy = Inputs.currency(K, "currency", currency);
        JSON inputs = Inputs.json(K, "rating inputs", ratingInputs);
        Inputs.positive(K, "quote validity", validFor);
        return Statements.writeOnce(
                this,
                tx -> Optional.empty(),
                tx -> {
                    SubmissionRecord s = submission(tx, submissionId);
                    if (!isOpen(s)) {
                        throw DomainException.illegalTransition(
                                K, "submission", key(s), s.getStatus(), "quote", closedHint(s));
                    }
                    LocalDateTime now = Utc.now(clock);
                    UUID id = Ids.newId();
                    QuoteRecord q = new QuoteRecord(
                            id,
                            submissionId,
                            BusinessNumbers.next("QUO", now.toLocalDate()),
                            amount,
                            ccy,
                            inputs,
                            QuoteStatus.ACTIVE.name(),
                            now.plus(validFor).truncatedTo(ChronoUnit.MICROS),
                            0,
                            now,
                            now);
                    SUPERSEDE_ACTIVE_QUOTES.execute(tx, now, submissionId);
                    setStatus(tx, s, SubmissionStatus.QUOTED, now);
                    INSERT_QUOTE.execute(tx, q.intoArray());
                    // Read back when there are rating inputs: the server rewrites JSON text (e.g. adds spaces).
                    return inputs == null
                            ? q
                            : QUOTE_BY_ID.fetchOptional(tx, id).orElseThrow();
                },
                "uk_quote_number");
    }

    /**
     * The quote's status as of this client's clock: {@link QuoteStatus#EXPIRED} for an ACTIVE quote whose
     * {@code expires_at} is not after now, else its stored status.
     */
    public QuoteStatus quoteStatus(QuoteRecord quote) {
        QuoteStatus stored = QuoteStatus.valueOf(quote.getStatus());
        return stored == QuoteStatus.ACTIVE && !quote.getExpiresAt().isAfter(Utc.now(clock))
                ? QuoteStatus.EXPIRED
                : stored;
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
     * @param idempotencyKey required, 1–128 characters
     * @throws DomainException {@code NOT_FOUND} when the quote does not exist; {@code ILLEGAL_TRANSITION} when
     *                         the quote is BOUND, SUPERSEDED or EXPIRED ({@code expires_at} not after now) or
     *                         its submission is DECLINED or WITHDRAWN; {@code CONFLICT} when the key was used
     *                         to bind another quote, or another writer changed the quote or submission meanwhile;
     *                         {@code INVALID} for bad input
     */
    public BindRequestRecord bind(UUID quoteId, UUID requestedBy, String idempotencyKey) {
        Inputs.required(K, "quote id", quoteId);
        Inputs.required(K, "requested by", requestedBy);
        String key = Inputs.idempotencyKey(K, idempotencyKey);
        return Statements.writeOnce(this, tx -> boundBefore(tx, quoteId, key), tx -> {
            QuoteRecord q = QUOTE_BY_ID
                    .fetchOptional(tx, quoteId)
                    .orElseThrow(() -> DomainException.notFound(
                            K, "quote", quoteId, "Check the id, or quote the submission first (SubmissionsDb.quote)."));
            if (QuoteStatus.valueOf(q.getStatus()) == QuoteStatus.BOUND) {
                // On PostgreSQL (READ COMMITTED) each statement sees what committed before it: a racer with the same
                // key
                // may have committed between the key lookup above and this read. Its bind request answers this request.
                Optional<BindRequestRecord> mine =
                        BIND_BY_QUOTE.fetchOptional(tx, quoteId).filter(b -> key.equals(b.getIdempotencyKey()));
                if (mine.isPresent()) {
                    return mine.get();
                }
            }
            SubmissionRecord s = submission(tx, q.getSubmissionId());
            LocalDateTime now = Utc.now(clock);
            checkBindable(tx, q, s, now);
            BindRequestRecord b = new BindRequestRecord(
                    Ids.newId(), quoteId, s.getId(), BindStatus.BOUND.name(), requestedBy, now, key, 0, now, now);
            // Insert first: a racer with the same key then waits on the key and re-reads this row, instead of
            // failing the version check of the quote below.
            INSERT_BIND.execute(tx, b.intoArray());
            setQuoteStatus(tx, q, QuoteStatus.BOUND, now);
            setStatus(tx, s, SubmissionStatus.BOUND, now);
            return b;
        });
    }

    private static Optional<BindRequestRecord> boundBefore(DSLContext tx, UUID quoteId, String key) {
        return Statements.sameRequest(
                K,
                key,
                BIND_BY_KEY.fetchOptional(tx, key),
                b -> b.getQuoteId().equals(quoteId),
                b -> "bind request " + b.getId() + " for quote " + b.getQuoteId(),
                "quote " + quoteId,
                "bind request");
    }

    private void checkBindable(DSLContext tx, QuoteRecord q, SubmissionRecord s, LocalDateTime now) {
        String quote = key(q);
        switch (QuoteStatus.valueOf(q.getStatus())) {
            case BOUND -> {
                String by = BIND_BY_QUOTE
                        .fetchOptional(tx, q.getId())
                        .map(b -> " It was bound at " + Utc.format(b.getBoundAt()) + " by bind request " + b.getId()
                                + " (idempotency key '" + b.getIdempotencyKey()
                                + "'); retry with that key to get it back.")
                        .orElse(" A quote is bound once.");
                throw DomainException.illegalTransition(K, "quote", quote, q.getStatus(), "bind", by.strip());
            }
            case SUPERSEDED ->
                throw DomainException.illegalTransition(
                        K,
                        "quote",
                        quote,
                        q.getStatus(),
                        "bind",
                        "A newer quote of submission " + key(s) + " replaced it; bind the submission's ACTIVE quote.");
            default -> {
                // ACTIVE: check the submission and the expiry below
            }
        }
        if (!isOpen(s)) {
            throw DomainException.illegalTransition(K, "submission", key(s), s.getStatus(), "bind", closedHint(s));
        }
        if (!q.getExpiresAt().isAfter(now)) {
            throw DomainException.illegalTransition(
                    K,
                    "quote",
                    quote,
                    QuoteStatus.EXPIRED.name(),
                    "bind",
                    "It expired at " + Utc.format(q.getExpiresAt()) + " (now " + Utc.format(now)
                            + "); quote submission " + key(s) + " again and bind the new quote.");
        }
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
        return closeSubmission(submissionId, SubmissionStatus.DECLINED, "decline");
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
        return closeSubmission(submissionId, SubmissionStatus.WITHDRAWN, "withdraw");
    }

    private SubmissionRecord closeSubmission(UUID submissionId, SubmissionStatus target, String action) {
        Inputs.required(K, "submission id", submissionId);
        return transactionResult(tx -> {
            SubmissionRecord s = submission(tx, submissionId);
            if (!isOpen(s)) {
                throw DomainException.illegalTransition(K, "submission", key(s), s.getStatus(), action, closedHint(s));
            }
            setStatus(tx, s, target, Utc.now(clock));
            return s;
        });
    }

    // ---------------------------------------------------------------- reads

    /** The submission with this id, if any. A single pre-rendered lookup (eligible for the read cache). */
    public Optional<SubmissionRecord> findSubmission(UUID submissionId) {
        return SUBMISSION_BY_ID.fetchOptional(dsl(), Inputs.required(K, "submission id", submissionId));
    }

    /** The submission with this number (e.g. {@code SUB-2026-01JD4W7K9Q}), if any. A single pre-rendered lookup. */
    public Optional<SubmissionRecord> findSubmissionByNumber(String submissionNumber) {
        return SUBMISSION_BY_NUMBER.fetchOptional(dsl(), Inputs.required(K, "submission number", submissionNumber));
    }

    /** The quote with this id, if any. A single pre-rendered lookup. */
    public Optional<QuoteRecord> findQuote(UUID quoteId) {
        return QUOTE_BY_ID.fetchOptional(dsl(), Inputs.required(K, "quote id", quoteId));
    }

    /** The quote with this number (e.g. {@code QUO-2026-01JD4W7K9Q}), if any. A single pre-rendered lookup. */
    public Optional<QuoteRecord> findQuoteByNumber(String quoteNumber) {
        return QUOTE_BY_NUMBER.fetchOptional(dsl(), Inputs.required(K, "quote number", quoteNumber));
    }

    /** The submission's quotes, oldest first. */
    public List<QuoteRecord> listQuotes(UUID submissionId) {
        Inputs.required(K, "submission id", submissionId);
        return dsl().selectFrom(QUOTE)
                .where(QUOTE.SUBMISSION_ID.eq(submissionId))
                .orderBy(QUOTE.ID)
                .fetch();
    }

    /** The bind request with this id, if any. A single pre-rendered lookup. */
    public Optional<BindRequestRecord> findBindRequest(UUID bindRequestId) {
        return BIND_BY_ID.fetchOptional(dsl(), Inputs.required(K, "bind request id", bindRequestId));
    }

    /** The bind request made with this idempotency key, if any. A single pre-rendered lookup. */
    public Optional<BindRequestRecord> findBindRequestByKey(String idempotencyKey) {
        return BIND_BY_KEY.fetchOptional(dsl(), Inputs.required(K, "idempotency key", idempotencyKey));
    }

    // ---------------------------------------------------------------- helpers

    private static SubmissionRecord submission(DSLContext tx, UUID submissionId) {
        return SUBMISSION_BY_ID
                .fetchOptional(tx, submissionId)
                .orElseThrow(() -> DomainException.notFound(
                        K, "submission", submissionId, "Check the id, or submit it first (SubmissionsDb.submit)."));
    }

    private static boolean isOpen(SubmissionRecord s) {
        return SubmissionStatus.SUBMITTED.name().equals(s.getStatus())
                || SubmissionStatus.QUOTED.name().equals(s.getStatus());
    }

    private static String closedHint(SubmissionRecord s) {
        return SubmissionStatus.BOUND.name().equals(s.getStatus())
                ? "It is bound; change the policy instead (PoliciesDb.endorse or PoliciesDb.cancel)."
                : "Only SUBMITTED or QUOTED submissions can be quoted, bound, declined or withdrawn; submit a new one.";
    }

    private static void setStatus(DSLContext tx, SubmissionRecord s, SubmissionStatus status, LocalDateTime now) {
        Statements.versioned(
                K,
                "submission",
                key(s),
                s.getVersion(),
                tx,
                SET_SUBMISSION_STATUS,
                status.name(),
                now,
                s.getId(),
                s.getVersion());
        s.setStatus(status.name());
        s.setUpdatedAt(now);
        s.setVersion(s.getVersion() + 1);
        s.changed(false);
    }

    private static void setQuoteStatus(DSLContext tx, QuoteRecord q, QuoteStatus status, LocalDateTime now) {
        Statements.versioned(
                K,
                "quote",
                key(q),
                q.getVersion(),
                tx,
                SET_QUOTE_STATUS,
                status.name(),
                now,
                q.getId(),
                q.getVersion());
    }

    private static String key(SubmissionRecord s) {
        return s.getSubmissionNumber() + " (" + s.getId() + ")";
    }

    private static String key(QuoteRecord q) {
        return q.getQuoteNumber() + " (" + q.getId() + ")";
    }
}
