package io.openinsure.db.testkit.domains;

import static io.openinsure.db.domains.BillingDb.ACCOUNTS_RECEIVABLE;
import static io.openinsure.db.domains.BillingDb.CASH;
import static io.openinsure.db.domains.BillingDb.UNEARNED_PREMIUM;
import static io.openinsure.db.testkit.domains.DomainTestSupport.money;
import static io.openinsure.db.testkit.domains.DomainTestSupport.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.openinsure.db.domains.BillingDb;
import io.openinsure.db.domains.BillingDb.AccountBalance;
import io.openinsure.db.domains.BillingDb.InvoiceRequest;
import io.openinsure.db.domains.BillingDb.Journal;
import io.openinsure.db.domains.BillingDb.JournalEntry;
import io.openinsure.db.domains.BillingDb.JournalRequest;
import io.openinsure.db.domains.BillingDb.JournalType;
import io.openinsure.db.domains.BillingDb.Line;
import io.openinsure.db.domains.BillingDb.ReferenceType;
import io.openinsure.db.domains.BillingDb.TrialBalance;
import io.openinsure.db.domains.DomainException.Reason;
import io.openinsure.db.domains.Ids;
import io.openinsure.db.domains.schema.oi_billing.tables.records.GlEntryRecord;
import io.openinsure.db.domains.schema.oi_billing.tables.records.InvoiceRecord;
import io.openinsure.db.domains.schema.oi_billing.tables.records.PaymentRecord;
import io.openinsure.db.testkit.OpenInsureDbTest;
import io.openinsure.db.testkit.TestBackend;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@link BillingDb#postJournal} and the trial balance: double entry holds through every operation. */
@OpenInsureDbTest(backend = TestBackend.DEFAULT)
class GeneralLedgerTest {

    private static final BigDecimal HUNDRED = new BigDecimal("100");

    private static JournalRequest adjustment(UUID reference, String key, JournalEntry... entries) {
        return new JournalRequest(
                JournalType.ADJUSTMENT, ReferenceType.INVOICE, reference, "USD", List.of(entries), key);
    }

    @Test
    void aBalancedJournalIsPostedWithItsEntries(BillingDb billing) {
        UUID reference = Ids.newId();
        Journal journal = billing.postJournal(adjustment(
                reference,
                null,
                JournalEntry.debit("WRITE_OFF_EXPENSE", new BigDecimal("60")),
                JournalEntry.debit("BAD_DEBT_RESERVE", new BigDecimal("40")),
                JournalEntry.credit(ACCOUNTS_RECEIVABLE, HUNDRED)));

        assertThat(journal.journal().getJournalType()).isEqualTo("ADJUSTMENT");
        assertThat(journal.journal().getReferenceId()).isEqualTo(reference);
        assertThat(journal.entries())
                .extracting(GlEntryRecord::getAccountCode, GlEntryRecord::getDebit, GlEntryRecord::getCredit)
                .containsExactly(
                        tuple("WRITE_OFF_EXPENSE", money("60"), money("0")),
                        tuple("BAD_DEBT_RESERVE", money("40"), money("0")),
                        tuple(ACCOUNTS_RECEIVABLE, money("0"), money("100")));
        List<Journal> stored = billing.listJournals(ReferenceType.INVOICE, reference);
        assertThat(stored).hasSize(1);
        assertThat(stored.get(0).journal().intoMap())
                .isEqualTo(journal.journal().intoMap());
        assertThat(stored.get(0).entries())
                .extracting(GlEntryRecord::intoMap)
                .containsExactlyElementsOf(
                        journal.entries().stream().map(GlEntryRecord::intoMap).toList());
    }

    @Test
    void anUnbalancedJournalIsRefusedBeforeAnythingIsWritten(BillingDb billing) {
        UUID reference = Ids.newId();
        assertThat(refused(
                        () -> adjustment(
                                reference,
                                null,
                                JournalEntry.debit(CASH, HUNDRED),
                                JournalEntry.credit(ACCOUNTS_RECEIVABLE, new BigDecimal("90"))),
                        Reason.INVALID))
                .hasMessage("Keyspace 'billing': journal debits must equal the credits 90.0000, but were 100.0000.");
        assertThat(billing.listJournals(ReferenceType.INVOICE, reference)).isEmpty();
    }

    @Test
    void journalEntriesAreEachADebitOrACredit() {
        UUID reference = Ids.newId();
        assertThat(refused(() -> new JournalEntry(CASH, HUNDRED, HUNDRED), Reason.INVALID))
                .hasMessage(
                        "Keyspace 'billing': journal entry for account CASH"
                                + " must have exactly one of debit and credit greater than zero, but had debit 100.0000 and credit 100.0000.");
        assertThat(refused(() -> new JournalEntry(CASH, null, BigDecimal.ZERO), Reason.INVALID))
                .hasMessage(
                        "Keyspace 'billing': journal entry for account CASH"
                                + " must have exactly one of debit and credit greater than zero, but had debit 0.0000 and credit 0.0000.");
        assertThat(refused(() -> JournalEntry.debit(CASH, new BigDecimal("-5")), Reason.INVALID))
                .hasMessage(
                        "Keyspace 'billing': journal entry debit for account CASH must be zero or more, but was -5.");
        assertThat(refused(() -> JournalEntry.credit(" ", HUNDRED), Reason.INVALID))
                .hasMessage(
                        "Keyspace 'billing': journal entry account code must be 1 to 32 characters, but was blank.");
        assertThat(refused(() -> adjustment(reference, null, JournalEntry.debit(CASH, HUNDRED)), Reason.INVALID))
                .hasMessage("Keyspace 'billing': journal entries must have at least 2, but had 1.");
        assertThat(refused(
                        () -> new JournalRequest(
                                JournalType.ADJUSTMENT,
                                ReferenceType.INVOICE,
                                reference,
                                "USD",
                                Arrays.asList(JournalEntry.debit(CASH, HUNDRED), null),
                                null),
                        Reason.INVALID))
                .hasMessage("Keyspace 'billing': journal entries must not contain null, but number 2 was null.");
        assertThat(refused(
                        () -> new JournalRequest(
                                JournalType.ADJUSTMENT, ReferenceType.INVOICE, reference, "US", List.of(), null),
                        Reason.INVALID))
                .hasMessage(
                        "Keyspace 'billing': journal currency must be an ISO 4217 code such as USD or EUR, but was 'US'.");
        assertThat(refused(
                        () -> new JournalRequest(null, ReferenceType.INVOICE, reference, "USD", List.of(), null),
                        Reason.INVALID))
                .hasMessage("Keyspace 'billing': journal type is required, but was null.");
    }

    @Test
    void aRetriedJournalReturnsTheFirstOne(BillingDb billing) {
        UUID reference = Ids.newId();
        String key = "jrnl-" + UUID.randomUUID();
        JournalRequest request = adjustment(
                reference, key, JournalEntry.debit(CASH, HUNDRED), JournalEntry.credit(ACCOUNTS_RECEIVABLE, HUNDRED));
        Journal first = billing.postJournal(request);
        Journal retried = billing.postJournal(request);

        assertThat(retried.journal().intoMap()).isEqualTo(first.journal().intoMap());
        assertThat(retried.entries())
                .extracting(GlEntryRecord::getId)
                .containsExactlyElementsOf(
                        first.entries().stream().map(GlEntryRecord::getId).toList());
        assertThat(billing.listJournals(ReferenceType.INVOICE, reference)).hasSize(1);

        UUID other = Ids.newId();
        assertThat(refused(
                        () -> billing.postJournal(adjustment(
                                other,
                                key,
                                JournalEntry.debit(CASH, HUNDRED),
                                JournalEntry.credit(ACCOUNTS_RECEIVABLE, HUNDRED))),
                        Reason.CONFLICT))
                .hasMessage("Keyspace 'billing': idempotency key '" + key + "' was already used for journal "
                        + first.journal().getId()
                        + " (ADJUSTMENT for INVOICE " + reference + " in USD), not ADJUSTMENT for INVOICE " + other
                        + " in USD; use a new key for a new journal.");
    }

    /**
     * A series of operations in a currency of its own moves each account by exactly the expected
     * amounts, and the whole ledger still nets to zero. Other tests post to the same ledger, so
     * the check is on the difference.
     */
    @Test
    void theTrialBalanceNetsToZeroAfterASeriesOfOperations(BillingDb billing) {
        String nzd = "NZD";
        TrialBalance before = billing.trialBalance();
        assertThat(before.isBalanced()).isTrue();

        UUID policy = Ids.newId();
        UUID org = Ids.newId();
        InvoiceRecord annual = billing.invoicePremium(new InvoiceRequest(
                policy,
                org,
                new BigDecimal("1200"),
                nzd,
                LocalDate.of(2026, 4, 1),
                List.of(new Line("Annual premium", new BigDecimal("1200"))),
                null));
        InvoiceRecord endorsement = billing.invoicePremium(new InvoiceRequest(
                policy,
                org,
                new BigDecimal("300.5"),
                nzd,
                LocalDate.of(2026, 4, 1),
                List.of(new Line("Endorsement premium", new BigDecimal("300.5"))),
                null));
        PaymentRecord first = billing.recordPayment(new BillingDb.PaymentRequest(
                annual.getId(), new BigDecimal("500"), nzd, "ACH", "pmt-" + UUID.randomUUID()));
        billing.recordPayment(new BillingDb.PaymentRequest(
                annual.getId(), new BigDecimal("700"), nzd, "ACH", "pmt-" + UUID.randomUUID()));
        billing.voidInvoice(endorsement.getId(), "endorsement withdrawn");
        billing.postJournal(new JournalRequest(
                JournalType.ADJUSTMENT,
                ReferenceType.PAYMENT,
                first.getId(),
                nzd,
                List.of(
                        JournalEntry.debit("BANK_FEES", new BigDecimal("2.25")),
                        JournalEntry.credit(CASH, new BigDecimal("2.25"))),
                null));
        // Refused operations post nothing.
        refused(
                () -> billing.recordPayment(new BillingDb.PaymentRequest(
                        annual.getId(), BigDecimal.ONE, nzd, "ACH", "pmt-" + UUID.randomUUID())),
                Reason.ILLEGAL_TRANSITION);
        refused(
                () -> billing.recordPayment(new BillingDb.PaymentRequest(
                        endorsement.getId(), BigDecimal.ONE, nzd, "ACH", "pmt-" + UUID.randomUUID())),
                Reason.ILLEGAL_TRANSITION);

        TrialBalance after = billing.trialBalance();
        assertThat(after.isBalanced()).isTrue();
        assertThat(after.debits(nzd)).isEqualByComparingTo(after.credits(nzd));
        for (String currency : after.accounts().stream()
                .map(AccountBalance::currency)
                .distinct()
                .toList()) {
            assertThat(after.debits(currency)).as(currency).isEqualByComparingTo(after.credits(currency));
        }

        Map<String, BigDecimal> delta = netDelta(before, after, nzd);
        assertThat(delta).containsOnlyKeys(ACCOUNTS_RECEIVABLE, UNEARNED_PREMIUM, CASH, "BANK_FEES");
        assertThat(delta.get(ACCOUNTS_RECEIVABLE))
                .isEqualByComparingTo("0"); // 1200 + 300.5 invoiced, 1200 paid, 300.5 voided
        assertThat(delta.get(UNEARNED_PREMIUM)).isEqualByComparingTo("-1200"); // credit balance: the annual premium
        assertThat(delta.get(CASH)).isEqualByComparingTo("1197.75");
        assertThat(delta.get("BANK_FEES")).isEqualByComparingTo("2.25");
        assertThat(delta.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add))
                .isEqualByComparingTo("0");
        assertThat(after.account(nzd, ACCOUNTS_RECEIVABLE)
                        .orElseThrow()
                        .debits()
                        .subtract(before.account(nzd, ACCOUNTS_RECEIVABLE)
                                .map(AccountBalance::debits)
                                .orElse(BigDecimal.ZERO)))
                .isEqualByComparingTo("1500.5");
    }

    /** Net (debits - credits) moved per account that had entries posted, in {@code currency} between two trial balances. */
    private static Map<String, BigDecimal> netDelta(TrialBalance before, TrialBalance after, String currency) {
        Map<String, BigDecimal> delta = new HashMap<>();
        for (AccountBalance a : after.accounts()) {
            if (a.currency().equals(currency)) {
                AccountBalance was = before.account(currency, a.accountCode())
                        .orElse(new AccountBalance(currency, a.accountCode(), BigDecimal.ZERO, BigDecimal.ZERO));
                if (a.debits().compareTo(was.debits()) != 0 || a.credits().compareTo(was.credits()) != 0) {
                    delta.put(a.accountCode(), a.net().subtract(was.net()));
                }
            }
        }
        return delta;
    }
}
