package io.openinsure.db.testkit.domains;

import static io.openinsure.db.domains.BillingDb.ACCOUNTS_RECEIVABLE;
import static io.openinsure.db.domains.BillingDb.CASH;
import static io.openinsure.db.domains.BillingDb.UNEARNED_PREMIUM;
import static io.openinsure.db.testkit.domains.DomainTestSupport.money;
import static io.openinsure.db.testkit.domains.DomainTestSupport.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.openinsure.db.domains.BillingDb;
import io.openinsure.db.domains.BillingDb.InvoiceBalance;
import io.openinsure.db.domains.BillingDb.InvoiceRequest;
import io.openinsure.db.domains.BillingDb.InvoiceStatus;
import io.openinsure.db.domains.BillingDb.Journal;
import io.openinsure.db.domains.BillingDb.Line;
import io.openinsure.db.domains.BillingDb.PaymentRequest;
import io.openinsure.db.domains.BillingDb.ReferenceType;
import io.openinsure.db.domains.DomainException;
import io.openinsure.db.domains.DomainException.Reason;
import io.openinsure.db.domains.Ids;
import io.openinsure.db.domains.OpenInsureDb;
import io.openinsure.db.domains.schema.oi_billing.tables.records.BillingAccountRecord;
import io.openinsure.db.domains.schema.oi_billing.tables.records.GlEntryRecord;
import io.openinsure.db.domains.schema.oi_billing.tables.records.InvoiceLineRecord;
import io.openinsure.db.domains.schema.oi_billing.tables.records.InvoiceRecord;
import io.openinsure.db.domains.schema.oi_billing.tables.records.PaymentRecord;
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

/** {@link BillingDb} against the embedded MariaDB: accounts, invoices, payments, voids, and their GL postings. */
@OpenInsureDbTest(backend = TestBackend.DEFAULT)
class BillingDbTest {

    private static final TestClock CLOCK = new TestClock(DomainTestSupport.START);
    private static final LocalDate DUE = LocalDate.of(2026, 3, 31);

    private static OpenInsureDb db;
    private static BillingDb billing;

    @BeforeAll
    static void open(Topology topology) {
        db = topology.builder().clock(CLOCK).build();
        billing = db.billing();
    }

    @AfterAll
    static void close() {
        db.close();
    }

    private static LocalDateTime now() {
        return LocalDateTime.ofInstant(CLOCK.instant(), ZoneOffset.UTC);
    }

    static InvoiceRequest request(UUID policy, UUID org, String amount, String key) {
        BigDecimal total = new BigDecimal(amount);
        BigDecimal fee = new BigDecimal("25");
        return new InvoiceRequest(
                policy,
                org,
                total,
                "USD",
                DUE,
                List.of(new Line("Annual premium", total.subtract(fee)), new Line("Policy fee", fee)),
                key);
    }

    private static InvoiceRecord invoice(String amount) {
        return billing.invoicePremium(request(Ids.newId(), Ids.newId(), amount, null));
    }

    private static PaymentRecord pay(InvoiceRecord invoice, String amount) {
        return billing.recordPayment(
                new PaymentRequest(invoice.getId(), new BigDecimal(amount), "USD", "ACH", "pmt-" + UUID.randomUUID()));
    }

    private static String key(InvoiceRecord invoice) {
        return invoice.getInvoiceNumber() + " (" + invoice.getId() + ")";
    }

    // ---- accounts ----

    @Test
    void aPolicyHasOneBillingAccount() {
        UUID org = Ids.newId();
        UUID policy = Ids.newId();
        BillingAccountRecord account = billing.openAccount(org, policy);

        assertThat(account.getAccountNumber()).matches("BA-2026-[0-9A-HJKMNP-TV-Z]{10}");
        assertThat(account.getStatus()).isEqualTo("ACTIVE");
        assertThat(account.getCreatedAt()).isEqualTo(now());
        assertThat(billing.openAccount(org, policy).intoMap()).isEqualTo(account.intoMap());
        assertThat(billing.findAccountByPolicy(policy).orElseThrow().getId()).isEqualTo(account.getId());
        assertThat(billing.findAccountByPolicy(Ids.newId())).isEmpty();
    }

    @Test
    void aPolicysAccountBelongsToOneOrganization() {
        UUID org = Ids.newId();
        UUID policy = Ids.newId();
        BillingAccountRecord account = billing.openAccount(org, policy);
        UUID other = Ids.newId();

        assertThat(refused(() -> billing.openAccount(other, policy), Reason.INVALID))
                .hasMessage("Keyspace 'billing': policy " + policy + " is billed to organization " + org + " (account "
                        + account.getAccountNumber() + "), not organization " + other + ".");
        assertThat(refused(() -> billing.invoicePremium(request(policy, other, "100", null)), Reason.INVALID))
                .hasMessageContaining("is billed to organization " + org);
    }

    // ---- invoices ----

    @Test
    void invoicingPremiumIssuesANumberedInvoiceWithLinesAndABalancedJournal() {
        UUID policy = Ids.newId();
        UUID org = Ids.newId();
        InvoiceRecord invoice = billing.invoicePremium(request(policy, org, "1200", null));

        assertThat(invoice.getInvoiceNumber()).matches("INV-2026-[0-9A-HJKMNP-TV-Z]{10}");
        assertThat(invoice.getStatus()).isEqualTo("ISSUED");
        assertThat(invoice.getAmount()).isEqualByComparingTo("1200");
        assertThat(invoice.getIssuedAt()).isEqualTo(now());
        assertThat(invoice.getDueDate()).isEqualTo(DUE);
        assertThat(invoice.getBillingAccountId())
                .isEqualTo(billing.findAccountByPolicy(policy).orElseThrow().getId());
        assertThat(billing.findInvoice(invoice.getId()).orElseThrow().intoMap()).isEqualTo(invoice.intoMap());
        assertThat(billing.findInvoiceByNumber(invoice.getInvoiceNumber())
                        .orElseThrow()
                        .getId())
                .isEqualTo(invoice.getId());
        assertThat(billing.findInvoice(Ids.newId())).isEmpty();
        assertThat(billing.findInvoiceByNumber("INV-2026-NOSUCHINVO")).isEmpty();

        assertThat(billing.listInvoiceLines(invoice.getId()))
                .extracting(
                        InvoiceLineRecord::getLineNo, InvoiceLineRecord::getDescription, InvoiceLineRecord::getAmount)
                .containsExactly(tuple(1, "Annual premium", money("1175")), tuple(2, "Policy fee", money("25")));

        List<Journal> journals = billing.listJournals(ReferenceType.INVOICE, invoice.getId());
        assertThat(journals).hasSize(1);
        assertThat(journals.get(0).journal().getJournalType()).isEqualTo("PREMIUM_INVOICE");
        assertThat(journals.get(0).journal().getPostedAt()).isEqualTo(now());
        assertThat(journals.get(0).entries())
                .extracting(GlEntryRecord::getAccountCode, GlEntryRecord::getDebit, GlEntryRecord::getCredit)
                .containsExactly(
                        tuple(ACCOUNTS_RECEIVABLE, money("1200"), money("0")),
                        tuple(UNEARNED_PREMIUM, money("0"), money("1200")));
        assertThat(billing.balance(invoice.getId()))
                .isEqualTo(new InvoiceBalance(
                        invoice.getId(), InvoiceStatus.ISSUED, "USD", money("1200"), money("0"), money("1200")));
    }

    @Test
    void listInvoicesListsAPolicysInvoicesOldestFirst() {
        UUID policy = Ids.newId();
        UUID org = Ids.newId();
        InvoiceRecord first = billing.invoicePremium(request(policy, org, "100", null));
        CLOCK.advance(Duration.ofSeconds(1));
        InvoiceRecord second = billing.invoicePremium(request(policy, org, "200", null));
        invoice("300");

        assertThat(billing.listInvoices(policy))
                .extracting(InvoiceRecord::getId)
                .containsExactly(first.getId(), second.getId());
        assertThat(billing.listInvoices(Ids.newId())).isEmpty();
    }

    @Test
    void aRetriedInvoiceRequestReturnsTheFirstInvoice() {
        InvoiceRequest request = request(Ids.newId(), Ids.newId(), "500", "inv-" + UUID.randomUUID());
        InvoiceRecord first = billing.invoicePremium(request);
        InvoiceRecord retried = billing.invoicePremium(request);

        assertThat(retried.intoMap()).isEqualTo(first.intoMap());
        assertThat(billing.listInvoices(request.policyId())).hasSize(1);
        assertThat(billing.listJournals(ReferenceType.INVOICE, first.getId())).hasSize(1);
    }

    @Test
    void anInvoiceKeyUsedForAnotherInvoiceIsRefused() {
        InvoiceRequest request = request(Ids.newId(), Ids.newId(), "500", "inv-" + UUID.randomUUID());
        InvoiceRecord first = billing.invoicePremium(request);
        InvoiceRequest different = request(request.policyId(), request.orgId(), "600", request.idempotencyKey());

        assertThat(refused(() -> billing.invoicePremium(different), Reason.CONFLICT))
                .hasMessage("Keyspace 'billing': idempotency key '"
                        + request.idempotencyKey() + "' was already used for invoice " + key(first)
                        + " of 500.0000 USD on policy "
                        + request.policyId() + ", not 600.0000 USD on policy " + request.policyId()
                        + "; use a new key for a new invoice.");
    }

    @Test
    void invoiceLinesMustAddUpToTheAmount() {
        UUID policy = Ids.newId();
        assertThat(refused(
                        () -> new InvoiceRequest(
                                policy,
                                Ids.newId(),
                                new BigDecimal("100"),
                                "USD",
                                DUE,
                                List.of(new Line("Premium", new BigDecimal("90"))),
                                null),
                        Reason.INVALID))
                .hasMessage(
                        "Keyspace 'billing': invoice lines must add up to the invoice amount 100.0000, but add up to 90.0000.");
        assertThat(refused(
                        () -> new InvoiceRequest(
                                policy, Ids.newId(), new BigDecimal("100"), "USD", DUE, List.of(), null),
                        Reason.INVALID))
                .hasMessage("Keyspace 'billing': invoice lines must have at least 1, but had 0.");
        assertThat(refused(() -> new Line("Discount", BigDecimal.ZERO), Reason.INVALID))
                .hasMessage("Keyspace 'billing': invoice line amount must be other than zero, but was 0.");
        assertThat(refused(
                        () -> new InvoiceRequest(
                                policy,
                                Ids.newId(),
                                new BigDecimal("-5"),
                                "USD",
                                DUE,
                                List.of(new Line("Refund", new BigDecimal("-5"))),
                                null),
                        Reason.INVALID))
                .hasMessage("Keyspace 'billing': invoice amount must be greater than zero, but was -5.");

        // A negative line is a discount: the lines still add up.
        InvoiceRecord invoice = billing.invoicePremium(new InvoiceRequest(
                policy,
                Ids.newId(),
                new BigDecimal("90"),
                "USD",
                DUE,
                List.of(
                        new Line("Premium", new BigDecimal("100")),
                        new Line("Loyalty discount", new BigDecimal("-10"))),
                null));
        assertThat(billing.listInvoiceLines(invoice.getId()))
                .extracting(InvoiceLineRecord::getAmount)
                .containsExactly(money("100"), money("-10"));
    }

    // ---- payments ----

    @Test
    void paymentsMoveAnInvoiceFromIssuedToPartiallyPaidToPaid() {
        InvoiceRecord invoice = invoice("1000");

        PaymentRecord first = pay(invoice, "400");
        assertThat(first.getReceivedAt()).isEqualTo(now());
        assertThat(first.getMethod()).isEqualTo("ACH");
        InvoiceRecord partly = billing.findInvoice(invoice.getId()).orElseThrow();
        assertThat(partly.getStatus()).isEqualTo("PARTIALLY_PAID");
        assertThat(partly.getVersion()).isEqualTo(1);
        assertThat(billing.balance(invoice.getId()))
                .isEqualTo(new InvoiceBalance(
                        invoice.getId(),
                        InvoiceStatus.PARTIALLY_PAID,
                        "USD",
                        money("1000"),
                        money("400"),
                        money("600")));

        PaymentRecord second = pay(invoice, "600");
        assertThat(billing.findInvoice(invoice.getId()).orElseThrow().getStatus())
                .isEqualTo("PAID");
        assertThat(billing.balance(invoice.getId()).open()).isEqualByComparingTo("0");
        assertThat(billing.listPayments(invoice.getId()))
                .extracting(PaymentRecord::getId)
                .containsExactly(first.getId(), second.getId());

        List<Journal> journal = billing.listJournals(ReferenceType.PAYMENT, second.getId());
        assertThat(journal).hasSize(1);
        assertThat(journal.get(0).journal().getJournalType()).isEqualTo("PAYMENT");
        assertThat(journal.get(0).entries())
                .extracting(GlEntryRecord::getAccountCode, GlEntryRecord::getDebit, GlEntryRecord::getCredit)
                .containsExactly(
                        tuple(CASH, money("600"), money("0")), tuple(ACCOUNTS_RECEIVABLE, money("0"), money("600")));
    }

    @Test
    void aPaymentOverTheOpenBalanceIsRefused() {
        InvoiceRecord invoice = invoice("1000");
        pay(invoice, "250");

        DomainException e = refused(() -> pay(invoice, "750.0001"), Reason.INVALID);
        assertThat(e)
                .hasMessage("Keyspace 'billing': payment of 750.0001 USD on invoice " + key(invoice)
                        + " exceeds its open balance: amount 1000.0000, paid 250.0000, open 750.0000.");
        assertThat(billing.listPayments(invoice.getId())).hasSize(1);
        assertThat(billing.findInvoice(invoice.getId()).orElseThrow().getStatus())
                .isEqualTo("PARTIALLY_PAID");
    }

    @Test
    void aPaidInvoiceTakesNoMorePayments() {
        InvoiceRecord invoice = invoice("100");
        pay(invoice, "100");
        assertThat(refused(() -> pay(invoice, "1"), Reason.ILLEGAL_TRANSITION))
                .hasMessage("Keyspace 'billing': cannot record a payment on invoice " + key(invoice)
                        + ": it is PAID. Nothing is due on it.");
    }

    @Test
    void aVoidInvoiceTakesNoPayments() {
        InvoiceRecord invoice = invoice("100");
        billing.voidInvoice(invoice.getId(), "issued in error");
        assertThat(refused(() -> pay(invoice, "10"), Reason.ILLEGAL_TRANSITION))
                .hasMessage(
                        "Keyspace 'billing': cannot record a payment on invoice " + key(invoice)
                                + ": it is VOID. A void invoice takes no payments; invoice the premium again if it is still due.");
        assertThat(billing.listPayments(invoice.getId())).isEmpty();
    }

    @Test
    void aPaymentInAnotherCurrencyIsRefused() {
        InvoiceRecord invoice = invoice("100");
        assertThat(refused(
                        () -> billing.recordPayment(new PaymentRequest(
                                invoice.getId(), BigDecimal.TEN, "EUR", "CARD", "pmt-" + UUID.randomUUID())),
                        Reason.INVALID))
                .hasMessage("Keyspace 'billing': payment currency EUR differs from the currency USD of invoice "
                        + key(invoice) + ".");
    }

    @Test
    void aRetriedPaymentReturnsTheFirstPayment() {
        InvoiceRecord invoice = invoice("100");
        String key = "pmt-" + UUID.randomUUID();
        PaymentRecord first =
                billing.recordPayment(new PaymentRequest(invoice.getId(), new BigDecimal("100"), "USD", "CARD", key));
        // The invoice is PAID now: the retry is still answered with the first payment, not refused.
        PaymentRecord retried =
                billing.recordPayment(new PaymentRequest(invoice.getId(), new BigDecimal("100"), "USD", "CARD", key));

        assertThat(retried.intoMap()).isEqualTo(first.intoMap());
        assertThat(billing.listPayments(invoice.getId())).hasSize(1);
        assertThat(billing.listJournals(ReferenceType.PAYMENT, first.getId())).hasSize(1);

        InvoiceRecord other = invoice("100");
        assertThat(refused(
                        () -> billing.recordPayment(
                                new PaymentRequest(other.getId(), new BigDecimal("100"), "USD", "CARD", key)),
                        Reason.CONFLICT))
                .hasMessage("Keyspace 'billing': idempotency key '" + key + "' was already used for payment "
                        + first.getId()
                        + " of 100.0000 USD on invoice " + invoice.getId() + ", not 100.0000 USD on invoice "
                        + other.getId()
                        + "; use a new key for a new payment.");
    }

    @Test
    void paymentInputsAreChecked() {
        UUID id = invoice("100").getId();
        assertThat(refused(() -> new PaymentRequest(id, new BigDecimal("-1"), "USD", "ACH", "k"), Reason.INVALID))
                .hasMessage("Keyspace 'billing': payment amount must be greater than zero, but was -1.");
        assertThat(refused(() -> new PaymentRequest(id, BigDecimal.ONE, "USD", "", "k"), Reason.INVALID))
                .hasMessage("Keyspace 'billing': payment method must be 1 to 32 characters, but was blank.");
        assertThat(refused(() -> new PaymentRequest(id, BigDecimal.ONE, "USD", "ACH", " "), Reason.INVALID))
                .hasMessage("Keyspace 'billing': idempotency key must be 1 to 128 characters, but was blank.");
        assertThat(refused(() -> new PaymentRequest(id, BigDecimal.ONE, "USD", "ACH", null), Reason.INVALID))
                .hasMessage(
                        "Keyspace 'billing': idempotency key is required, but was null; pass the same key when retrying the same"
                                + " request, e.g. a UUID made once per request.");
        assertThat(refused(() -> new PaymentRequest(null, BigDecimal.ONE, "USD", "ACH", "k"), Reason.INVALID))
                .hasMessage("Keyspace 'billing': invoice id is required, but was null.");
        // Currency codes are case-insensitive: "usd" pays a USD invoice.
        assertThat(billing.recordPayment(
                                new PaymentRequest(id, BigDecimal.ONE, "usd", "ACH", "pmt-" + UUID.randomUUID()))
                        .getCurrency())
                .isEqualTo("USD");
    }

    // ---- voids ----

    @Test
    void voidingAnUnpaidInvoiceReversesItsJournal() {
        InvoiceRecord invoice = invoice("800");
        CLOCK.advance(Duration.ofMinutes(5));

        InvoiceRecord voided = billing.voidInvoice(invoice.getId(), "policy cancelled flat");

        assertThat(voided.getStatus()).isEqualTo("VOID");
        assertThat(voided.getVoidedAt()).isEqualTo(now());
        assertThat(voided.getVoidReason()).isEqualTo("policy cancelled flat");
        assertThat(voided.getVersion()).isEqualTo(1);
        assertThat(billing.findInvoice(invoice.getId()).orElseThrow().intoMap()).isEqualTo(voided.intoMap());
        assertThat(billing.balance(invoice.getId()))
                .isEqualTo(new InvoiceBalance(
                        invoice.getId(), InvoiceStatus.VOID, "USD", money("800"), money("0"), money("0")));

        List<Journal> journals = billing.listJournals(ReferenceType.INVOICE, invoice.getId());
        assertThat(journals)
                .extracting(j -> j.journal().getJournalType())
                .containsExactly("PREMIUM_INVOICE", "INVOICE_VOID");
        assertThat(journals.get(1).entries())
                .extracting(GlEntryRecord::getAccountCode, GlEntryRecord::getDebit, GlEntryRecord::getCredit)
                .containsExactly(
                        tuple(ACCOUNTS_RECEIVABLE, money("0"), money("800")),
                        tuple(UNEARNED_PREMIUM, money("800"), money("0")));
    }

    @Test
    void voidingTwiceIsRefused() {
        InvoiceRecord invoice = invoice("100");
        InvoiceRecord voided = billing.voidInvoice(invoice.getId(), "duplicate");
        assertThat(refused(() -> billing.voidInvoice(invoice.getId(), "again"), Reason.ILLEGAL_TRANSITION))
                .hasMessage("Keyspace 'billing': cannot void invoice " + key(invoice)
                        + ": it is VOID. It was voided at " + voided.getVoidedAt() + " UTC: duplicate");
        assertThat(billing.listJournals(ReferenceType.INVOICE, invoice.getId())).hasSize(2);
    }

    @Test
    void anInvoiceWithPaymentsCannotBeVoided() {
        InvoiceRecord invoice = invoice("100");
        pay(invoice, "10");
        assertThat(refused(() -> billing.voidInvoice(invoice.getId(), "changed our mind"), Reason.ILLEGAL_TRANSITION))
                .hasMessage(
                        "Keyspace 'billing': cannot void invoice " + key(invoice)
                                + ": it is PARTIALLY_PAID. An invoice with payments cannot be voided; refund the payments first.");
    }

    @Test
    void operationsOnAMissingInvoiceAreNotFound() {
        UUID missing = Ids.newId();
        String message = "Keyspace 'billing': invoice " + missing + " does not exist.";
        assertThat(refused(
                        () -> billing.recordPayment(
                                new PaymentRequest(missing, BigDecimal.ONE, "USD", "ACH", "pmt-" + UUID.randomUUID())),
                        Reason.NOT_FOUND))
                .hasMessage(message);
        assertThat(refused(() -> billing.voidInvoice(missing, "x"), Reason.NOT_FOUND))
                .hasMessage(message);
        assertThat(refused(() -> billing.balance(missing), Reason.NOT_FOUND)).hasMessage(message);
    }
}
