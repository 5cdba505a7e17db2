package io.openinsure.db.examples.spring;

import static io.openinsure.db.domains.schema.oi_billing.Tables.INVOICE;
import static io.openinsure.db.domains.schema.oi_policies.Tables.POLICY;

import io.openinsure.db.domains.DomainException;
import io.openinsure.db.domains.InsuranceFlows;
import io.openinsure.db.domains.Keyspace;
import io.openinsure.db.domains.PoliciesDb;
import io.openinsure.db.domains.schema.oi_policies.tables.records.PolicyRecord;
import io.openinsure.db.spring.boot.OpenInsureDsl;
import java.math.BigDecimal;
import java.net.URI;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.jooq.DSLContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The insurance flow over HTTP. Writes go through {@link InsuranceFlows} (one transaction per keyspace, each step
 * idempotent); reads go through the keyspaces' own {@code DSLContext}s, selected with {@link OpenInsureDsl}, with
 * the typed tables generated from the migrations.
 */
@RestController
@RequestMapping("/api")
class PolicyController {

    /** {@code POST /api/policies}: binds a quote, issues its policy and invoices the premium. */
    record IssueRequest(
            UUID quoteId,
            UUID requestedBy,
            LocalDate effectiveDate,
            LocalDate expirationDate,
            LocalDate invoiceDueDate,
            List<PoliciesDb.CoverageLine> coverages,
            String idempotencyKey) {}

    record IssuedPolicy(
            UUID policyId,
            String policyNumber,
            String status,
            BigDecimal premium,
            String currency,
            String invoiceNumber,
            String invoiceStatus) {}

    record PolicyView(
            String policyNumber,
            String status,
            String insuredName,
            LocalDate effectiveDate,
            LocalDate expirationDate,
            BigDecimal premium,
            String currency) {}

    record InvoiceView(String invoiceNumber, String status, BigDecimal amount, String currency, LocalDate dueDate) {}

    record DemoQuoteRequest(String insuredName, BigDecimal premium) {}

    private final InsuranceFlows flows;
    private final DemoQuotes demoQuotes;
    private final DSLContext policies;
    private final DSLContext billing;

    PolicyController(
            InsuranceFlows flows,
            DemoQuotes demoQuotes,
            @OpenInsureDsl(Keyspace.POLICIES) DSLContext policies,
            @OpenInsureDsl(Keyspace.BILLING) DSLContext billing) {
        this.flows = flows;
        this.demoQuotes = demoQuotes;
        this.policies = policies;
        this.billing = billing;
    }

    @PostMapping("/demo/quotes")
    @ResponseStatus(HttpStatus.CREATED)
    DemoQuotes.DemoQuote demoQuote(@RequestBody(required = false) DemoQuoteRequest request) {
        String insured = request == null || request.insuredName() == null ? "Lone Star Widgets" : request.insuredName();
        BigDecimal premium =
                request == null || request.premium() == null ? new BigDecimal("2400.00") : request.premium();
        return demoQuotes.create(insured, premium);
    }

    @PostMapping("/policies")
    ResponseEntity<IssuedPolicy> issue(@RequestBody IssueRequest request) {
        if (request.quoteId() == null
                || request.requestedBy() == null
                || request.effectiveDate() == null
                || request.coverages() == null) {
            throw new IllegalArgumentException("quoteId, requestedBy, effectiveDate and coverages are required");
        }
        LocalDate expiration = request.expirationDate() != null
                ? request.expirationDate()
                : request.effectiveDate().plusYears(1);
        LocalDate due = request.invoiceDueDate() != null
                ? request.invoiceDueDate()
                : request.effectiveDate().plusDays(30);
        String key = request.idempotencyKey() != null ? request.idempotencyKey() : "bind-" + request.quoteId();
        InsuranceFlows.Issued issued = flows.bindIssueAndInvoice(new InsuranceFlows.BindAndIssue(
                request.quoteId(),
                request.requestedBy(),
                request.effectiveDate(),
                expiration,
                request.coverages(),
                due,
                key));
        PolicyRecord policy = issued.policy();
        IssuedPolicy body = new IssuedPolicy(
                policy.getId(),
                policy.getPolicyNumber(),
                policy.getStatus(),
                policy.getPremium(),
                policy.getCurrency(),
                issued.invoice().getInvoiceNumber(),
                issued.invoice().getStatus());
        return ResponseEntity.created(URI.create("/api/policies/" + policy.getPolicyNumber()))
                .body(body);
    }

    @GetMapping("/policies/{policyNumber}")
    PolicyView policy(@PathVariable String policyNumber) {
        PolicyRecord p = find(policyNumber);
        return new PolicyView(
                p.getPolicyNumber(),
                p.getStatus(),
                p.getInsuredName(),
                p.getEffectiveDate(),
                p.getExpirationDate(),
                p.getPremium(),
                p.getCurrency());
    }

    @GetMapping("/policies/{policyNumber}/invoices")
    List<InvoiceView> invoices(@PathVariable String policyNumber) {
        PolicyRecord p = find(policyNumber);
        return billing.selectFrom(INVOICE)
                .where(INVOICE.POLICY_ID.eq(p.getId()))
                .orderBy(INVOICE.CREATED_AT)
                .fetch(i -> new InvoiceView(
                        i.getInvoiceNumber(), i.getStatus(), i.getAmount(), i.getCurrency(), i.getDueDate()));
    }

    private PolicyRecord find(String policyNumber) {
        return policies.selectFrom(POLICY)
                .where(POLICY.POLICY_NUMBER.eq(policyNumber))
                .fetchOptional()
                .orElseThrow(() -> new DomainException(
                        Keyspace.POLICIES,
                        DomainException.Reason.NOT_FOUND,
                        "policy " + policyNumber + " does not exist."));
    }
}
