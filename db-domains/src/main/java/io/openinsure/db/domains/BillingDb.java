package io.openinsure.db.domains;

import static io.openinsure.db.domains.internal.Rows.param;
import static io.openinsure.db.domains.schema.oi_billing.Tables.BILLING_ACCOUNT;
import static io.openinsure.db.domains.schema.oi_billing.Tables.GL_ENTRY;
import static io.openinsure.db.domains.schema.oi_billing.Tables.GL_JOURNAL;
import static io.openinsure.db.domains.schema.oi_billing.Tables.INVOICE;
import static io.openinsure.db.domains.schema.oi_billing.Tables.INVOICE_LINE;
import static io.openinsure.db.domains.schema.oi_billing.Tables.PAYMENT;

import io.openinsure.db.core.ForwardingKeyspaceClient;
import io.openinsure.db.core.KeyspaceClient;
import io.openinsure.db.domains.Inputs.Sign;
import io.openinsure.db.domains.internal.BusinessNumbers;
import io.openinsure.db.domains.internal.Prepared;
import io.openinsure.db.domains.internal.Rows;
import io.openinsure.db.domains.schema.oi_billing.tables.records.BillingAccountRecord;
import io.openinsure.db.domains.schema.oi_billing.tables.records.GlEntryRecord;
import io.openinsure.db.domains.schema.oi_billing.tables.records.GlJournalRecord;
import io.openinsure.db.domains.schema.oi_billing.tables.records.InvoiceLineRecord;
import io.openinsure.db.domains.schema.oi_billing.tables.records.InvoiceRecord;
import io.openinsure.db.domains.schema.oi_billing.tables.records.PaymentRecord;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Record1;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * The client for invoices, payments and the general ledger: keyspace {@code billing} (database
 * {@code oi_billing}).
 *
 * <p>Each policy has one billing account ({@link #openAccount}). An invoice moves through:
 *
 * <pre>
 *   invoicePremium ──► ISSUED ──recordPayment──► PARTIALLY_PAID ──recordPayment──► PAID
 *                        │  └───────────recordPayment (whole open balance)──────────►┘
 *                        └──voidInvoice (no payments yet)──► VOID
 * </pre>
 *
 * <p>The general ledger is double entry: every journal's debits equal its credits, so the
 * {@link #trialBalance() trial balance} nets to zero per currency. Invoicing posts
 * debit {@value #ACCOUNTS_RECEIVABLE} / credit {@value #UNEARNED_PREMIUM}; a payment posts debit
 * {@value #CASH} / credit {@value #ACCOUNTS_RECEIVABLE}; voiding posts the invoice's journal
 * reversed. These postings happen in the same transaction as the invoice or payment they record.
 *
 * <p>Every operation is one transaction in this keyspace and either completes or writes nothing.
 * Writes with an idempotency key return the row written first when retried, also when two
 * retries race; a key reused for a different request is refused with
 * {@link DomainException.Reason#CONFLICT}. Lifecycle writes use the invoice's {@code version} (optimistic locking) and report
 * a concurrent change as {@link DomainException.Reason#CONFLICT}. Amounts are DECIMAL(19,4); times
 * are UTC from the client's clock. Hot operations run SQL rendered once ({@link Prepared}).
 * Thread-safe.
 */
public final class BillingDb extends ForwardingKeyspaceClient {

    private static final Keyspace KS = Keyspace.BILLING;
    private static final int TEXT_MAX = 255;
    private static final int CODE_MAX = 32;

    /** GL account debited when premium is invoiced and credited when it is paid. */
    public static final String ACCOUNTS_RECEIVABLE = "ACCOUNTS_RECEIVABLE";
    /** GL account credited with written premium when it is invoiced (a liability until earned). */
    public static final String UNEARNED_PREMIUM = "UNEARNED_PREMIUM";
    /** GL account debited when a payment is received. */
    public static final String CASH = "CASH";

    /** A billing account's status, as stored in {@code billing_account.status}. */
    public enum AccountStatus {
        /** Open: invoices are issued to it. This client opens accounts ACTIVE and does not change them. */
        ACTIVE
    }

    /** An invoice's status, as stored in {@code invoice.status}. */
    public enum InvoiceStatus {
        /** Issued, nothing paid. */
        ISSUED,
        /** Some, not all, of the amount paid. */
        PARTIALLY_PAID,
        /** Paid in full; takes no more payments. */
        PAID,
        /** Voided before any payment; takes no payments. */
        VOID
    }

    /** What a journal records, as stored in {@code gl_journal.journal_type}. */
    public enum JournalType {
        /** Premium invoiced ({@link #invoicePremium}): debit {@value #ACCOUNTS_RECEIVABLE}, credit {@value #UNEARNED_PREMIUM}. */
        PREMIUM_INVOICE,
        /** A payment received ({@link #recordPayment}): debit {@value #CASH}, credit {@value #ACCOUNTS_RECEIVABLE}. */
        PAYMENT,
        /** A voided invoice ({@link #voidInvoice}): its premium journal reversed. */
        INVOICE_VOID,
        /** A correction posted by application code with {@link #postJournal}, e.g. a write-off or a bank fee. */
        ADJUSTMENT
    }

    /** What a journal's {@code reference_id} names, as stored in {@code gl_journal.reference_type}. */
    public enum ReferenceType {
        /** An invoice of this keyspace. */
        INVOICE,
        /** A payment of this keyspace. */
        PAYMENT
    }

    /**
     * One line of an invoice request.
     *
     * @param description what is billed, 1–255 characters
     * @param amount      in the invoice's currency; not zero (a negative line is a discount or credit)
     * @throws DomainException {@code INVALID} naming the field
     */
    public record Line(String description, BigDecimal amount) {
        public Line {
            description = Inputs.text(KS, "invoice line description", description, TEXT_MAX);
            amount = Inputs.money(KS, "invoice line amount", amount, Sign.NOT_ZERO);
        }
    }

    /**
     * A request to invoice premium for a policy.
     *
     * @param policyId       the policy billed (keyspace {@code policies}; not checked here)
     * @param orgId          the organization billed; the policy's billing account must belong to it
     * @param amount         greater than zero; the sum of the lines
     * @param currency       ISO 4217 code (upper-cased)
     * @param dueDate        when payment is due
     * @param lines          at least one; they must sum to {@code amount}
     * @param idempotencyKey makes a retried request return the first invoice; {@code null} for none, else 1–128 characters
     * @throws DomainException {@code INVALID}, e.g. "invoice lines must add up to the invoice amount 100.0000, but add up to 90.0000."
     */
    public record InvoiceRequest(
            UUID policyId,
            UUID orgId,
            BigDecimal amount,
            String currency,
            LocalDate dueDate,
            List<Line> lines,
            String idempotencyKey) {
        public InvoiceRequest {
            Inputs.required(KS, "policy id", policyId);
            Inputs.required(KS, "organization id", orgId);
            amount = Inputs.money(KS, "invoice amount", amount, Sign.POSITIVE);
            currency = Inputs.currency(KS, "invoice currency", currency);
            Inputs.required(KS, "due date", dueDate);
            lines = Inputs.list(KS, "invoice lines", lines, 1, Integer.MAX_VALUE);
            BigDecimal sum = lines.stream().map(Line::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
            if (sum.compareTo(amount) != 0) {
                throw Inputs.invalid(
                        KS,
                        "invoice lines",
                        "must add up to the invoice amount " + Inputs.show(amount),
                        "add up to " + Inputs.show(sum));
            }
            idempotencyKey = Inputs.optionalIdempotencyKey(KS, idempotencyKey);
        }
    }

    /**
     * A payment received against an invoice.
     *
     * @param invoiceId      the invoice paid
     * @param amount         greater than zero and at most the open balance
     * @param currency       the invoice's currency, ISO 4217 (upper-cased)
     * @param method         how it was paid (e.g. {@code ACH}, {@code CARD}), 1–32 characters
     * @param idempotencyKey required, 1–128 characters: recording again with the same key returns the first payment
     * @throws DomainException {@code INVALID} naming the field
     */
    public record PaymentRequest(
            UUID invoiceId, BigDecimal amount, String currency, String method, String idempotencyKey) {
        public PaymentRequest {
            Inputs.required(KS, "invoice id", invoiceId);
            amount = Inputs.money(KS, "payment amount", amount, Sign.POSITIVE);
            currency = Inputs.currency(KS, "payment currency", currency);
            method = Inputs.text(KS, "payment method", method, CODE_MAX);
            idempotencyKey = Inputs.idempotencyKey(KS, idempotencyKey);
        }
    }

    /**
     * One line of a journal: a debit or a credit to one account.
     *
     * @param accountCode the GL account, 1–32 characters (e.g. {@link #CASH}, or an account of your own chart)
     * @param debit       zero or more ({@code null} means zero)
     * @param credit      zero or more ({@code null} means zero); exactly one of the two is greater than zero
     * @throws DomainException {@code INVALID} naming the field
     */
    public record JournalEntry(String accountCode, BigDecimal debit, BigDecimal credit) {
        public JournalEntry {
            accountCode = Inputs.text(KS, "journal entry account code", accountCode, CODE_MAX);
            debit = Inputs.money(
                    KS,
                    "journal entry debit for account " + accountCode,
                    debit == null ? BigDecimal.ZERO : debit,
                    Sign.NOT_NEGATIVE);
            credit = Inputs.money(
                    KS,
                    "journal entry credit for account " + accountCode,
                    credit == null ? BigDecimal.ZERO : credit,
                    Sign.NOT_NEGATIVE);
            if ((debit.signum() > 0) == (credit.signum() > 0)) {
                throw Inputs.invalid(
                        KS,
                        "journal entry for account " + accountCode,
                        "must have exactly one of debit and credit greater than zero",
                        "had debit " + Inputs.show(debit) + " and credit " + Inputs.show(credit));
            }
        }

        /** A debit of {@code amount} to {@code accountCode}. */
        public static JournalEntry debit(String accountCode, BigDecimal amount) {
            return new JournalEntry(accountCode, amount, BigDecimal.ZERO);
        }

        /** A credit of {@code amount} to {@code accountCode}. */
        public static JournalEntry credit(String accountCode, BigDecimal amount) {
            return new JournalEntry(accountCode, BigDecimal.ZERO, amount);
        }
    }

    /**
     * A double-entry journal to post.
     *
     * @param type           what kind of posting (application code posts {@link JournalType#ADJUSTMENT})
     * @param referenceType  what {@code referenceId} names
     * @param referenceId    the business row the journal records
     * @param currency       ISO 4217 code of every entry (upper-cased)
     * @param entries        at least two, whose debits sum to their credits
     * @param idempotencyKey makes a retried posting return the first journal; {@code null} for none, else 1–128 characters
     * @throws DomainException {@code INVALID}, e.g. "journal debits must equal the credits 90.0000, but were 100.0000."
     */
    public record JournalRequest(
            JournalType type,
            ReferenceType referenceType,
            UUID referenceId,
            String currency,
            List<JournalEntry> entries,
            String idempotencyKey) {
        public JournalRequest {
            Inputs.required(KS, "journal type", type);
            Inputs.required(KS, "journal reference type", referenceType);
            Inputs.required(KS, "journal reference id", referenceId);
            currency = Inputs.currency(KS, "journal currency", currency);
            entries = Inputs.list(KS, "journal entries", entries, 2, Integer.MAX_VALUE);
            BigDecimal debits = entries.stream().map(JournalEntry::debit).reduce(BigDecimal.ZERO, BigDecimal::add);
            BigDecimal credits = entries.stream().map(JournalEntry::credit).reduce(BigDecimal.ZERO, BigDecimal::add);
            if (debits.compareTo(credits) != 0) {
                throw Inputs.invalid(
                        KS,
                        "journal debits",
                        "must equal the credits " + Inputs.show(credits),
                        "were " + Inputs.show(debits));
            }
            idempotencyKey = Inputs.optionalIdempotencyKey(KS, idempotencyKey);
        }
    }

    /**
     * A posted journal and its entries (in the order given).
     *
     * @param journal the {@code gl_journal} row
     * @param entries its {@code gl_entry} rows
     */
    public record Journal(GlJournalRecord journal, List<GlEntryRecord> entries) {
        public Journal {
            entries = List.copyOf(entries);
        }
    }

    /**
     * What is owed on an invoice.
     *
     * @param invoiceId the invoice
     * @param status    its status
     * @param currency  its currency
     * @param amount    the invoiced amount
     * @param paid      the sum of its payments
     * @param open      what is still due: {@code amount - paid}, zero for a VOID invoice
     */
    public record InvoiceBalance(
            UUID invoiceId,
            InvoiceStatus status,
            String currency,
            BigDecimal amount,
            BigDecimal paid,
            BigDecimal open) {}

    /**
     * The GL totals of one account in one currency.
     *
     * @param currency    ISO 4217 code
     * @param accountCode the account
     * @param debits      sum of its debits
     * @param credits     sum of its credits
     */
    public record AccountBalance(String currency, String accountCode, BigDecimal debits, BigDecimal credits) {
        /** {@code debits - credits}. */
        public BigDecimal net() {
            return debits.subtract(credits);
        }
    }

    /**
     * Debit and credit totals per currency and account over the whole ledger.
     *
     * @param accounts by currency, then account code
     */
    public record TrialBalance(List<AccountBalance> accounts) {
        public TrialBalance {
            accounts = List.copyOf(accounts);
        }

        /** The totals of one account, if it has entries in that currency. */
        public Optional<AccountBalance> account(String currency, String accountCode) {
            return accounts.stream()
                    .filter(a ->
                            a.currency().equals(currency) && a.accountCode().equals(accountCode))
                    .findFirst();
        }

        /** Sum of all debits in a currency. */
        public BigDecimal debits(String currency) {
            return accounts.stream()
                    .filter(a -> a.currency().equals(currency))
                    .map(AccountBalance::debits)
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
        }

        /** Sum of all credits in a currency. */
        public BigDecimal credits(String currency) {
            return accounts.stream()
                    .filter(a -> a.currency().equals(currency))
                    .map(AccountBalance::credits)
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
        }

        /** Whether debits equal credits in every currency, as double entry guarantees. */
        public boolean isBalanced() {
            return accounts.stream()
                    .map(AccountBalance::currency)
                    .distinct()
                    .allMatch(c -> debits(c).compareTo(credits(c)) == 0);
        }
    }

    // Hot statements, rendered once per dialect.
    private static final Prepared<BillingAccountRecord> ACCOUNT_BY_POLICY =
            Rows.selectWhere(BILLING_ACCOUNT, BILLING_ACCOUNT.POLICY_ID);
    private static final Prepared<InvoiceRecord> INVOICE_BY_ID = Rows.selectWhere(INVOICE, INVOICE.ID);
    private static final Prepared<InvoiceRecord> INVOICE_BY_NUMBER = Rows.selectWhere(INVOICE, INVOICE.INVOICE_NUMBER);
    private static final Prepared<InvoiceRecord> INVOICE_BY_KEY = Rows.selectWhere(INVOICE, INVOICE.IDEMPOTENCY_KEY);
    private static final Prepared<PaymentRecord> PAYMENT_BY_KEY = Rows.selectWhere(PAYMENT, PAYMENT.IDEMPOTENCY_KEY);
    private static final Prepared<GlJournalRecord> JOURNAL_BY_KEY =
            Rows.selectWhere(GL_JOURNAL, GL_JOURNAL.IDEMPOTENCY_KEY);
    private static final Field<BigDecimal> PAID = DSL.field(DSL.name("paid"), PAYMENT.AMOUNT.getDataType());
    private static final Table<Record1<BigDecimal>> PAID_SHAPE =
            DSL.select(PAID).asTable("invoice_paid");
    /** The sum of an invoice's payments. Binds: invoice id. */
    private static final Prepared<Record1<BigDecimal>> PAID_ON_INVOICE = Prepared.query(
            PAID_SHAPE,
            ctx -> ctx.select(DSL.coalesce(DSL.sum(PAYMENT.AMOUNT), DSL.inline(BigDecimal.ZERO))
                            .as(PAID))
                    .from(PAYMENT)
                    .where(PAYMENT.INVOICE_ID.eq(param(PAYMENT.INVOICE_ID))));

    private static final Prepared<Record> INSERT_ACCOUNT = Rows.insertRow(BILLING_ACCOUNT);
    private static final Prepared<Record> INSERT_INVOICE = Rows.insertRow(INVOICE);
    private static final Prepared<Record> INSERT_LINE = Rows.insertRow(INVOICE_LINE);
    private static final Prepared<Record> INSERT_PAYMENT = Rows.insertRow(PAYMENT);
    private static final Prepared<Record> INSERT_JOURNAL = Rows.insertRow(GL_JOURNAL);
    private static final Prepared<Record> INSERT_ENTRY = Rows.insertRow(GL_ENTRY);
    /** Binds: status, updated_at, id, version. */
    private static final Prepared<Record> UPDATE_STATUS =
            Rows.versionedUpdate(INVOICE, INVOICE.ID, INVOICE.VERSION, INVOICE.STATUS, INVOICE.UPDATED_AT);
    /** Binds: voided_at, void_reason, updated_at, id, version. */
    private static final Prepared<Record> UPDATE_VOID = Prepared.statement(ctx -> ctx.update(INVOICE)
            .set(INVOICE.STATUS, DSL.inline(InvoiceStatus.VOID.name()))
            .set(INVOICE.VOIDED_AT, param(INVOICE.VOIDED_AT))
            .set(INVOICE.VOID_REASON, param(INVOICE.VOID_REASON))
            .set(INVOICE.UPDATED_AT, param(INVOICE.UPDATED_AT))
            .set(INVOICE.VERSION, INVOICE.VERSION.plus(DSL.inline(1)))
            .where(INVOICE.ID.eq(param(INVOICE.ID)))
            .and(INVOICE.VERSION.eq(param(INVOICE.VERSION))));

    private final Clock clock;

    BillingDb(KeyspaceClient client, Clock clock) {
        super(client);
        this.clock = clock;
    }

    /** The clock operations use for "now" (UTC). */
    Clock clock() {
        return clock;
    }

    /**
     * Opens the billing account of a policy (number {@code BA-<year>-<10 chars>}, status
     * {@link AccountStatus#ACTIVE}), or returns the one it has: a policy has at most one, also when two calls race.
     *
     * @return the policy's account
     * @throws DomainException {@code INVALID} if the policy's account belongs to another organization
     */
    public BillingAccountRecord openAccount(UUID orgId, UUID policyId) {
        Inputs.required(KS, "organization id", orgId);
        Inputs.required(KS, "policy id", policyId);
        return Statements.writeOnce(
                this,
                tx -> existingAccount(tx, orgId, policyId),
                tx -> newAccount(tx, orgId, policyId),
                "uk_billing_account_number");
    }

    private BillingAccountRecord account(DSLContext tx, UUID orgId, UUID policyId) {
        return existingAccount(tx, orgId, policyId).orElseGet(() -> newAccount(tx, orgId, policyId));
    }

    private BillingAccountRecord newAccount(DSLContext tx, UUID orgId, UUID policyId) {
        LocalDateTime now = Utc.now(clock);
        return Statements.insert(
                tx,
                INSERT_ACCOUNT,
                new BillingAccountRecord(
                        Ids.newId(),
                        orgId,
                        policyId,
                        BusinessNumbers.next("BA", now.toLocalDate()),
                        AccountStatus.ACTIVE.name(),
                        0,
                        now,
                        now));
    }

    private static Optional<BillingAccountRecord> existingAccount(DSLContext tx, UUID orgId, UUID policyId) {
        Optional<BillingAccountRecord> account = ACCOUNT_BY_POLICY.fetchOptional(tx, policyId);
        account.ifPresent(a -> {
            if (!a.getOrgId().equals(orgId)) {
                throw DomainException.invalid(
                        KS,
                        "policy " + policyId + " is billed to organization " + a.getOrgId() + " (account "
                                + a.getAccountNumber() + "), not organization " + orgId + ".");
            }
        });
        return account;
    }

    /**
     * Invoices premium: an {@link InvoiceStatus#ISSUED} invoice numbered
     * {@code INV-<year>-<10 chars>} with its lines, and a {@link JournalType#PREMIUM_INVOICE} journal
     * (debit {@value #ACCOUNTS_RECEIVABLE}, credit {@value #UNEARNED_PREMIUM}) in the same
     * transaction. Opens the policy's billing account if it has none. With an idempotency key, a
     * retry returns the invoice issued first (also when two retries race).
     *
     * @return the invoice (version 0), or the one issued earlier with the same key
     * @throws DomainException {@code CONFLICT} if the key was used for another invoice; {@code INVALID}
     *                         if the policy's account belongs to another organization
     */
    public InvoiceRecord invoicePremium(InvoiceRequest request) {
        Inputs.required(KS, "invoice request", request);
        // A racing openAccount (or invoice) for the same policy may create the account first: then run again and use
        // it.
        return Statements.writeOnce(
                this,
                tx -> invoicedBefore(tx, request),
                tx -> invoiceIn(tx, request),
                "uk_billing_account_number",
                "uk_invoice_number",
                "uk_billing_account_policy");
    }

    private static Optional<InvoiceRecord> invoicedBefore(DSLContext tx, InvoiceRequest request) {
        if (request.idempotencyKey() == null) {
            return Optional.empty();
        }
        return Statements.sameRequest(
                KS,
                request.idempotencyKey(),
                INVOICE_BY_KEY.fetchOptional(tx, request.idempotencyKey()),
                i -> i.getPolicyId().equals(request.policyId())
                        && i.getAmount().compareTo(request.amount()) == 0
                        && i.getCurrency().equals(request.currency()),
                i -> "invoice " + key(i) + " of " + Inputs.show(i.getAmount()) + " " + i.getCurrency() + " on policy "
                        + i.getPolicyId(),
                Inputs.show(request.amount()) + " " + request.currency() + " on policy " + request.policyId(),
                "invoice");
    }

    private InvoiceRecord invoiceIn(DSLContext tx, InvoiceRequest request) {
        LocalDateTime now = Utc.now(clock);
        BillingAccountRecord account = account(tx, request.orgId(), request.policyId());
        InvoiceRecord invoice = Statements.insert(
                tx,
                INSERT_INVOICE,
                new InvoiceRecord(
                        Ids.newId(),
                        BusinessNumbers.next("INV", now.toLocalDate()),
                        account.getId(),
                        request.policyId(),
                        request.amount(),
                        request.currency(),
                        InvoiceStatus.ISSUED.name(),
                        request.dueDate(),
                        now,
                        null,
                        null,
                        request.idempotencyKey(),
                        0,
                        now,
                        now));
        int lineNo = 0;
        for (Line line : request.lines()) {
            Statements.insert(
                    tx,
                    INSERT_LINE,
                    new InvoiceLineRecord(Ids.newId(), invoice.getId(), ++lineNo, line.description(), line.amount()));
        }
        post(
                tx,
                new JournalRequest(
                        JournalType.PREMIUM_INVOICE,
                        ReferenceType.INVOICE,
                        invoice.getId(),
                        request.currency(),
                        List.of(
                                JournalEntry.debit(ACCOUNTS_RECEIVABLE, request.amount()),
                                JournalEntry.credit(UNEARNED_PREMIUM, request.amount())),
                        null),
                now);
        return invoice;
    }

    /**
     * Records a payment against an invoice: a {@code payment} row, a {@link JournalType#PAYMENT}
     * journal (debit {@value #CASH}, credit {@value #ACCOUNTS_RECEIVABLE}), and the invoice's new
     * status from the sum of its payments ({@link InvoiceStatus#PARTIALLY_PAID} or
     * {@link InvoiceStatus#PAID}). Recording again with the same idempotency key returns the first
     * payment (also when two payments race, and when the invoice has since been paid).
     *
     * @param request the invoice, amount, currency, method and idempotency key (checked when it was built)
     * @return the payment
     * @throws DomainException {@code NOT_FOUND}; {@code ILLEGAL_TRANSITION} for a VOID or PAID
     *                         invoice; {@code INVALID} for more than the open balance (the message
     *                         shows amount, paid and open) or another currency; {@code CONFLICT} if
     *                         the key was used for a different payment or the invoice changed concurrently
     */
    public PaymentRecord recordPayment(PaymentRequest request) {
        Inputs.required(KS, "payment request", request);
        return Statements.writeOnce(this, tx -> paidBefore(tx, request), tx -> recordPaymentIn(tx, request));
    }

    private static Optional<PaymentRecord> paidBefore(DSLContext tx, PaymentRequest request) {
        return Statements.sameRequest(
                KS,
                request.idempotencyKey(),
                PAYMENT_BY_KEY.fetchOptional(tx, request.idempotencyKey()),
                p -> p.getInvoiceId().equals(request.invoiceId())
                        && p.getAmount().compareTo(request.amount()) == 0
                        && p.getCurrency().equals(request.currency()),
                p -> "payment " + p.getId() + " of " + Inputs.show(p.getAmount()) + " " + p.getCurrency()
                        + " on invoice " + p.getInvoiceId(),
                Inputs.show(request.amount()) + " " + request.currency() + " on invoice " + request.invoiceId(),
                "payment");
    }

    private PaymentRecord recordPaymentIn(DSLContext tx, PaymentRequest request) {
        LocalDateTime now = Utc.now(clock);
        InvoiceRecord invoice = require(tx, request.invoiceId());
        String status = invoice.getStatus();
        if (InvoiceStatus.VOID.name().equals(status)) {
            throw DomainException.illegalTransition(
                    KS,
                    "invoice",
                    key(invoice),
                    status,
                    "record a payment on",
                    "A void invoice takes no payments; invoice the premium again if it is still due.");
        }
        if (InvoiceStatus.PAID.name().equals(status)) {
            throw DomainException.illegalTransition(
                    KS, "invoice", key(invoice), status, "record a payment on", "Nothing is due on it.");
        }
        BigDecimal amount = request.amount();
        String currency = request.currency();
        if (!invoice.getCurrency().equals(currency)) {
            throw DomainException.invalid(
                    KS,
                    "payment currency " + currency + " differs from the currency " + invoice.getCurrency()
                            + " of invoice " + key(invoice) + ".");
        }
        BigDecimal paid = paid(tx, invoice.getId());
        BigDecimal open = invoice.getAmount().subtract(paid);
        if (amount.compareTo(open) > 0) {
            throw DomainException.invalid(
                    KS,
                    "payment of " + Inputs.show(amount) + " " + currency + " on invoice " + key(invoice)
                            + " exceeds its open balance: amount " + Inputs.show(invoice.getAmount()) + ", paid "
                            + Inputs.show(paid)
                            + ", open " + Inputs.show(open) + ".");
        }
        PaymentRecord payment = Statements.insert(
                tx,
                INSERT_PAYMENT,
                new PaymentRecord(
                        Ids.newId(),
                        invoice.getId(),
                        amount,
                        currency,
                        request.method(),
                        now,
                        request.idempotencyKey(),
                        now));
        post(
                tx,
                new JournalRequest(
                        JournalType.PAYMENT,
                        ReferenceType.PAYMENT,
                        payment.getId(),
                        currency,
                        List.of(JournalEntry.debit(CASH, amount), JournalEntry.credit(ACCOUNTS_RECEIVABLE, amount)),
                        null),
                now);
        InvoiceStatus next = amount.compareTo(open) == 0 ? InvoiceStatus.PAID : InvoiceStatus.PARTIALLY_PAID;
        Statements.versioned(
                KS,
                "invoice",
                key(invoice),
                invoice.getVersion(),
                tx,
                UPDATE_STATUS,
                next.name(),
                now,
                invoice.getId(),
                invoice.getVersion());
        return payment;
    }

    /**
     * Voids an ISSUED invoice that has no payments: status {@link InvoiceStatus#VOID}, when and
     * why, and a {@link JournalType#INVOICE_VOID} journal that reverses the invoice's journal.
     *
     * @param reason why, 1–255 characters
     * @return the invoice as voided
     * @throws DomainException {@code NOT_FOUND}; {@code ILLEGAL_TRANSITION} if it is VOID already
     *                         or has payments; {@code CONFLICT} if the invoice changed concurrently
     */
    public InvoiceRecord voidInvoice(UUID invoiceId, String reason) {
        Inputs.required(KS, "invoice id", invoiceId);
        String why = Inputs.text(KS, "void reason", reason, TEXT_MAX);
        return transactionResult(tx -> {
            LocalDateTime now = Utc.now(clock);
            InvoiceRecord invoice = require(tx, invoiceId);
            String status = invoice.getStatus();
            if (InvoiceStatus.VOID.name().equals(status)) {
                throw DomainException.illegalTransition(
                        KS,
                        "invoice",
                        key(invoice),
                        status,
                        "void",
                        "It was voided at " + invoice.getVoidedAt() + " UTC: " + invoice.getVoidReason());
            }
            if (!InvoiceStatus.ISSUED.name().equals(status)) {
                throw DomainException.illegalTransition(
                        KS,
                        "invoice",
                        key(invoice),
                        status,
                        "void",
                        "An invoice with payments cannot be voided; refund the payments first.");
            }
            List<JournalEntry> reversal = journals(tx, ReferenceType.INVOICE, invoiceId).stream()
                    .filter(j -> j.journal().getJournalType().equals(JournalType.PREMIUM_INVOICE.name()))
                    .flatMap(j -> j.entries().stream())
                    .map(e -> new JournalEntry(e.getAccountCode(), e.getCredit(), e.getDebit()))
                    .toList();
            if (reversal.isEmpty()) { // an invoice written by other code without its journal
                reversal = List.of(
                        JournalEntry.debit(UNEARNED_PREMIUM, invoice.getAmount()),
                        JournalEntry.credit(ACCOUNTS_RECEIVABLE, invoice.getAmount()));
            }
            post(
                    tx,
                    new JournalRequest(
                            JournalType.INVOICE_VOID,
                            ReferenceType.INVOICE,
                            invoiceId,
                            invoice.getCurrency(),
                            reversal,
                            null),
                    now);
            Statements.versioned(
                    KS,
                    "invoice",
                    key(invoice),
                    invoice.getVersion(),
                    tx,
                    UPDATE_VOID,
                    now,
                    why,
                    now,
                    invoiceId,
                    invoice.getVersion());
            invoice.setStatus(InvoiceStatus.VOID.name());
            invoice.setVoidedAt(now);
            invoice.setVoidReason(why);
            invoice.setUpdatedAt(now);
            invoice.setVersion(invoice.getVersion() + 1);
            invoice.changed(false);
            return invoice;
        });
    }

    /**
     * Posts a balanced journal (the request checks the balance when it is built). With an
     * idempotency key, a retry returns the journal posted first (also when two retries race).
     *
     * @return the journal and its entries
     * @throws DomainException {@code CONFLICT} if the key was used for a journal with another
     *                         type, reference or currency
     */
    public Journal postJournal(JournalRequest request) {
        Inputs.required(KS, "journal request", request);
        return Statements.writeOnce(this, tx -> postedBefore(tx, request), tx -> post(tx, request, Utc.now(clock)));
    }

    private static Optional<Journal> postedBefore(DSLContext tx, JournalRequest request) {
        if (request.idempotencyKey() == null) {
            return Optional.empty();
        }
        return Statements.sameRequest(
                        KS,
                        request.idempotencyKey(),
                        JOURNAL_BY_KEY.fetchOptional(tx, request.idempotencyKey()),
                        j -> j.getJournalType().equals(request.type().name())
                                && j.getReferenceType()
                                        .equals(request.referenceType().name())
                                && j.getReferenceId().equals(request.referenceId())
                                && j.getCurrency().equals(request.currency()),
                        j -> "journal " + j.getId() + " (" + j.getJournalType() + " for " + j.getReferenceType() + " "
                                + j.getReferenceId() + " in " + j.getCurrency() + ")",
                        request.type() + " for " + request.referenceType() + " " + request.referenceId() + " in "
                                + request.currency(),
                        "journal")
                .map(j -> new Journal(j, entries(tx, List.of(j.getId())).getOrDefault(j.getId(), List.of())));
    }

    private static Journal post(DSLContext tx, JournalRequest request, LocalDateTime now) {
        GlJournalRecord journal = Statements.insert(
                tx,
                INSERT_JOURNAL,
                new GlJournalRecord(
                        Ids.newId(),
                        request.type().name(),
                        request.referenceType().name(),
                        request.referenceId(),
                        request.currency(),
                        now,
                        request.idempotencyKey()));
        List<GlEntryRecord> entries = new ArrayList<>(request.entries().size());
        for (JournalEntry e : request.entries()) {
            entries.add(Statements.insert(
                    tx,
                    INSERT_ENTRY,
                    new GlEntryRecord(Ids.newId(), journal.getId(), e.accountCode(), e.debit(), e.credit())));
        }
        return new Journal(journal, entries);
    }

    /** The billing account of a policy, if it has one. A single pre-rendered lookup (eligible for the read cache). */
    public Optional<BillingAccountRecord> findAccountByPolicy(UUID policyId) {
        return ACCOUNT_BY_POLICY.fetchOptional(dsl(), Inputs.required(KS, "policy id", policyId));
    }

    /** The invoice with this id, if any. A single pre-rendered lookup (eligible for the read cache). */
    public Optional<InvoiceRecord> findInvoice(UUID invoiceId) {
        return INVOICE_BY_ID.fetchOptional(dsl(), Inputs.required(KS, "invoice id", invoiceId));
    }

    /** The invoice with this number ({@code INV-…}), if any. A single pre-rendered lookup. */
    public Optional<InvoiceRecord> findInvoiceByNumber(String invoiceNumber) {
        return INVOICE_BY_NUMBER.fetchOptional(dsl(), Inputs.required(KS, "invoice number", invoiceNumber));
    }

    /** The invoices of a policy, oldest first; empty if there are none. */
    public List<InvoiceRecord> listInvoices(UUID policyId) {
        Inputs.required(KS, "policy id", policyId);
        return dsl().selectFrom(INVOICE)
                .where(INVOICE.POLICY_ID.eq(policyId))
                .orderBy(INVOICE.CREATED_AT, INVOICE.ID)
                .fetch();
    }

    /** The lines of an invoice, by line number; empty if there is no such invoice. */
    public List<InvoiceLineRecord> listInvoiceLines(UUID invoiceId) {
        Inputs.required(KS, "invoice id", invoiceId);
        return dsl().selectFrom(INVOICE_LINE)
                .where(INVOICE_LINE.INVOICE_ID.eq(invoiceId))
                .orderBy(INVOICE_LINE.LINE_NO)
                .fetch();
    }

    /** The payments of an invoice, oldest first; empty if there are none. */
    public List<PaymentRecord> listPayments(UUID invoiceId) {
        Inputs.required(KS, "invoice id", invoiceId);
        return dsl().selectFrom(PAYMENT)
                .where(PAYMENT.INVOICE_ID.eq(invoiceId))
                .orderBy(PAYMENT.RECEIVED_AT, PAYMENT.ID)
                .fetch();
    }

    /**
     * The journals that name a business row, oldest first, each with its entries; read in one
     * transaction. E.g. {@code listJournals(ReferenceType.INVOICE, invoiceId)}.
     */
    public List<Journal> listJournals(ReferenceType referenceType, UUID referenceId) {
        Inputs.required(KS, "reference type", referenceType);
        Inputs.required(KS, "reference id", referenceId);
        return transactionResult(tx -> journals(tx, referenceType, referenceId));
    }

    private static List<Journal> journals(DSLContext tx, ReferenceType referenceType, UUID referenceId) {
        List<GlJournalRecord> journals = tx.selectFrom(GL_JOURNAL)
                .where(GL_JOURNAL.REFERENCE_TYPE.eq(referenceType.name()))
                .and(GL_JOURNAL.REFERENCE_ID.eq(referenceId))
                .orderBy(GL_JOURNAL.POSTED_AT, GL_JOURNAL.ID)
                .fetch();
        if (journals.isEmpty()) {
            return List.of();
        }
        Map<UUID, List<GlEntryRecord>> entries =
                entries(tx, journals.stream().map(GlJournalRecord::getId).toList());
        return journals.stream()
                .map(j -> new Journal(j, entries.getOrDefault(j.getId(), List.of())))
                .toList();
    }

    private static Map<UUID, List<GlEntryRecord>> entries(DSLContext tx, List<UUID> journalIds) {
        return tx.selectFrom(GL_ENTRY).where(GL_ENTRY.JOURNAL_ID.in(journalIds)).orderBy(GL_ENTRY.ID).fetch().stream()
                .collect(Collectors.groupingBy(GlEntryRecord::getJournalId, LinkedHashMap::new, Collectors.toList()));
    }

    /**
     * What is owed on an invoice, read in one transaction.
     *
     * @throws DomainException {@code NOT_FOUND} if there is no such invoice
     */
    public InvoiceBalance balance(UUID invoiceId) {
        Inputs.required(KS, "invoice id", invoiceId);
        return transactionResult(tx -> {
            InvoiceRecord invoice = require(tx, invoiceId);
            BigDecimal paid = paid(tx, invoiceId);
            InvoiceStatus status = InvoiceStatus.valueOf(invoice.getStatus());
            BigDecimal open = status == InvoiceStatus.VOID
                    ? BigDecimal.ZERO.setScale(Inputs.MONEY_SCALE)
                    : invoice.getAmount().subtract(paid);
            return new InvoiceBalance(invoiceId, status, invoice.getCurrency(), invoice.getAmount(), paid, open);
        });
    }

    /**
     * Sums debits and credits per currency and account over the whole ledger (one aggregate
     * query, never answered from the read cache). Double entry makes it net to zero per currency:
     * {@link TrialBalance#isBalanced()}.
     */
    public TrialBalance trialBalance() {
        return transactionResult(tx -> new TrialBalance(
                tx.select(GL_JOURNAL.CURRENCY, GL_ENTRY.ACCOUNT_CODE, DSL.sum(GL_ENTRY.DEBIT), DSL.sum(GL_ENTRY.CREDIT))
                        .from(GL_ENTRY)
                        .join(GL_JOURNAL)
                        .on(GL_JOURNAL.ID.eq(GL_ENTRY.JOURNAL_ID))
                        .groupBy(GL_JOURNAL.CURRENCY, GL_ENTRY.ACCOUNT_CODE)
                        .orderBy(GL_JOURNAL.CURRENCY, GL_ENTRY.ACCOUNT_CODE)
                        .fetch(r -> new AccountBalance(r.value1(), r.value2(), r.value3(), r.value4()))));
    }

    private static BigDecimal paid(DSLContext tx, UUID invoiceId) {
        return PAID_ON_INVOICE.fetch(tx, invoiceId).get(0).value1().setScale(Inputs.MONEY_SCALE);
    }

    private static InvoiceRecord require(DSLContext tx, UUID invoiceId) {
        return INVOICE_BY_ID
                .fetchOptional(tx, invoiceId)
                .orElseThrow(() -> DomainException.notFound(KS, "invoice", invoiceId));
    }

    /** How messages name an invoice: its number and id. */
    private static String key(InvoiceRecord invoice) {
        return invoice.getInvoiceNumber() + " (" + invoice.getId() + ")";
    }
}
