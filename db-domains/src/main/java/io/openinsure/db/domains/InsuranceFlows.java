package io.openinsure.db.domains;

import io.openinsure.db.domains.schema.oi_billing.tables.records.InvoiceRecord;
import io.openinsure.db.domains.schema.oi_policies.tables.records.PolicyRecord;
import io.openinsure.db.domains.schema.oi_submissions.tables.records.BindRequestRecord;
import io.openinsure.db.domains.schema.oi_submissions.tables.records.QuoteRecord;
import io.openinsure.db.domains.schema.oi_submissions.tables.records.SubmissionRecord;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Flows that span keyspaces, orchestrated in application code: there is no transaction across
 * keyspaces (Vitess would commit it keyspace by keyspace, not atomically), so each step is one
 * transaction in one keyspace, and every step is idempotent under a key derived from the caller's
 * idempotency key. A flow that fails halfway (a keyspace down, a timeout, a crash) is retried with
 * the same key: finished steps return their earlier rows, so no policy or invoice is ever made twice.
 *
 * <p>References across keyspaces are checked here, before the writes (keyspaces have no foreign
 * keys); {@link OrphanDetector} finds what slips through. Thread-safe.
 */
public final class InsuranceFlows {

    /** The flow derives a key per step ({@code key + ":invoice"}, …) that must fit the 128-character columns. */
    private static final int FLOW_KEY_MAX = 100;

    private final OpenInsureDb db;

    /** Flows over the clients of {@code db}. */
    public InsuranceFlows(OpenInsureDb db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    /**
     * What {@link #bindIssueAndInvoice} needs.
     *
     * @param quoteId        the quote to bind (keyspace {@code submissions})
     * @param requestedBy    the user binding it (keyspace {@code global})
     * @param effectiveDate  first day of cover
     * @param expirationDate the day cover ends (after {@code effectiveDate})
     * @param coverages      the policy's coverages
     * @param invoiceDueDate when the premium is due
     * @param idempotencyKey the caller's key for this flow; retries must pass the same one (1–100 characters)
     * @throws DomainException {@code INVALID} (keyspace {@code submissions}, where the flow starts) naming the
     *                         field that breaks a rule; the steps check the rest
     */
    public record BindAndIssue(
            UUID quoteId,
            UUID requestedBy,
            LocalDate effectiveDate,
            LocalDate expirationDate,
            List<PoliciesDb.CoverageLine> coverages,
            LocalDate invoiceDueDate,
            String idempotencyKey) {
        public BindAndIssue {
            Inputs.required(Keyspace.SUBMISSIONS, "quote id", quoteId);
            Inputs.required(Keyspace.SUBMISSIONS, "requested by", requestedBy);
            Inputs.required(Keyspace.SUBMISSIONS, "effective date", effectiveDate);
            Inputs.required(Keyspace.SUBMISSIONS, "expiration date", expirationDate);
            coverages = Inputs.list(Keyspace.SUBMISSIONS, "coverage lines", coverages, 1, PoliciesDb.MAX_COVERAGES);
            Inputs.required(Keyspace.SUBMISSIONS, "invoice due date", invoiceDueDate);
            Inputs.idempotencyKey(Keyspace.SUBMISSIONS, idempotencyKey, FLOW_KEY_MAX);
        }
    }

    /** The rows a completed flow produced, one per keyspace. */
    public record Issued(BindRequestRecord bind, PolicyRecord policy, InvoiceRecord invoice) {}

    /**
     * Binds a quote ({@code submissions}), issues the policy ({@code policies}) and invoices its premium
     * with balanced GL entries ({@code billing}): three transactions in three keyspaces, each idempotent
     * under {@code idempotencyKey + ":bind" / ":policy" / ":invoice"}.
     *
     * @throws DomainException NOT_FOUND for an unknown quote, MISSING_REFERENCE when the organization,
     *                         program or user does not exist in {@code global}, ILLEGAL_TRANSITION when
     *                         the quote cannot be bound (e.g. expired)
     * @throws io.openinsure.db.core.OpenInsureDbException when a keyspace is unavailable; retry with the same key
     */
    public Issued bindIssueAndInvoice(BindAndIssue request) {
        QuoteRecord quote = db.submissions()
                .findQuote(request.quoteId())
                .orElseThrow(() -> DomainException.notFound(Keyspace.SUBMISSIONS, "quote", request.quoteId()));
        SubmissionRecord submission = db.submissions()
                .findSubmission(quote.getSubmissionId())
                .orElseThrow(
                        () -> DomainException.notFound(Keyspace.SUBMISSIONS, "submission", quote.getSubmissionId()));
        requireReferences(submission, request.requestedBy());

        String key = request.idempotencyKey();
        BindRequestRecord bind = db.submissions().bind(quote.getId(), request.requestedBy(), key + ":bind");
        PolicyRecord policy = db.policies()
                .issueFromQuote(new PoliciesDb.IssueRequest(
                        quote.getId(),
                        submission.getId(),
                        submission.getOrgId(),
                        submission.getProgramId(),
                        submission.getInsuredName(),
                        request.effectiveDate(),
                        request.expirationDate(),
                        quote.getPremium(),
                        quote.getCurrency(),
                        request.coverages(),
                        key + ":policy"));
        InvoiceRecord invoice = db.billing()
                .invoicePremium(new BillingDb.InvoiceRequest(
                        policy.getId(),
                        policy.getOrgId(),
                        policy.getPremium(),
                        policy.getCurrency(),
                        request.invoiceDueDate(),
                        List.of(new BillingDb.Line(
                                "Premium, policy " + policy.getPolicyNumber() + " (" + policy.getEffectiveDate()
                                        + " to " + policy.getExpirationDate() + ")",
                                policy.getPremium())),
                        key + ":invoice"));
        return new Issued(bind, policy, invoice);
    }

    private void requireReferences(SubmissionRecord submission, UUID user) {
        GlobalDb global = db.global();
        if (!global.organizationExists(submission.getOrgId())) {
            throw DomainException.missingReference(
                    Keyspace.SUBMISSIONS,
                    "submission " + submission.getSubmissionNumber() + " names organization " + submission.getOrgId()
                            + ", which does not exist in keyspace 'global'.");
        }
        if (!global.programExists(submission.getOrgId(), submission.getProgramId())) {
            throw DomainException.missingReference(
                    Keyspace.SUBMISSIONS,
                    "submission " + submission.getSubmissionNumber() + " names program " + submission.getProgramId()
                            + ", which does not exist for its organization in keyspace 'global'.");
        }
        if (global.findUser(user)
                .filter(u -> u.getOrgId().equals(submission.getOrgId()))
                .isEmpty()) {
            throw DomainException.missingReference(
                    Keyspace.GLOBAL, "user " + user + " does not exist in organization " + submission.getOrgId() + ".");
        }
    }
}
