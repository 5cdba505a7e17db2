package io.openinsure.db.examples;

import io.openinsure.db.core.KeyspaceClient;
import io.openinsure.db.domains.BillingDb;
import io.openinsure.db.domains.ClaimsDb;
import io.openinsure.db.domains.GlobalDb;
import io.openinsure.db.domains.InsuranceFlows;
import io.openinsure.db.domains.Migrator;
import io.openinsure.db.domains.OpenInsureDb;
import io.openinsure.db.domains.PoliciesDb;
import io.openinsure.db.domains.SubmissionsDb;
import io.openinsure.db.domains.schema.oi_claims.tables.records.ClaimRecord;
import io.openinsure.db.domains.schema.oi_global.tables.records.AppUserRecord;
import io.openinsure.db.domains.schema.oi_global.tables.records.OrganizationRecord;
import io.openinsure.db.domains.schema.oi_global.tables.records.ProgramRecord;
import io.openinsure.db.domains.schema.oi_submissions.tables.records.QuoteRecord;
import io.openinsure.db.domains.schema.oi_submissions.tables.records.SubmissionRecord;
import io.openinsure.db.testkit.PostgresLayout;
import io.openinsure.db.testkit.TestBackend;
import io.openinsure.db.testkit.Topology;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.jooq.JSON;
import org.jooq.SQLDialect;

/**
 * A whole insurance flow through the six clients, using only the public API: an organization, a
 * user and a program (global); a submission and a quote (submissions); bind and issue (policies);
 * the premium invoiced and paid with balanced GL entries (billing); a claim filed, reserved, paid
 * and closed (claims); then the policy read back through the legacy routed client.
 *
 * <p>With {@code OI_DB_URL}, {@code DATABASE_URL} or {@code OI_DB_<BINDING>_URL} set it uses those
 * (and migrates them); otherwise an embedded server: MariaDB, or PostgreSQL with {@code -Doi.test.backend=postgres}
 * (or {@code OI_TEST_BACKEND=postgres}), see {@link #embedded(TestBackend)}. The first line of the output names the
 * server it ran on. Exits 1 if any step fails.
 *
 * <pre>
 * mvn -q -B -DskipTests -pl examples -am install exec:exec
 * mvn -q -B -DskipTests -pl examples -am install exec:exec -Doi.test.backend=postgres
 * </pre>
 */
public final class InsuranceTour {

    private final OpenInsureDb db;
    private final PrintStream out;
    private int step;

    InsuranceTour(OpenInsureDb db, PrintStream out) {
        this.db = db;
        this.out = out;
    }

    public static void main(String[] args) {
        int status;
        try (OpenInsureDb db = open()) {
            status = new InsuranceTour(db, System.out).run() ? 0 : 1;
        } catch (RuntimeException e) {
            System.out.println("FAILED: " + e);
            status = 1;
        }
        // Exit explicitly: the embedded server's process watcher is a non-daemon thread.
        System.exit(status);
    }

    static OpenInsureDb open() {
        boolean configured = System.getenv().keySet().stream()
                .anyMatch(k -> k.equals("DATABASE_URL") || (k.startsWith("OI_DB_") && k.endsWith("_URL")));
        if (!configured) {
            return embedded(TestBackend.DEFAULT).open();
        }
        OpenInsureDb db = OpenInsureDb.fromEnv();
        db.migrate();
        return db;
    }

    /**
     * The embedded topology the tour runs on without URLs: {@code backend} resolved as the testkit does
     * ({@link TestBackend#DEFAULT}: {@code oi.test.backend} / {@code OI_TEST_BACKEND}, else MariaDB). On PostgreSQL
     * the keyspaces are schemas of one database, the layout the legacy client's routing needs (with URLs of your own
     * in the databases layout the legacy client refuses the tour's last step and says what to configure).
     */
    static Topology embedded(TestBackend backend) {
        return Topology.of(backend, PostgresLayout.SCHEMAS);
    }

    /** Runs every step; returns false (after printing why) if one fails. */
    boolean run() {
        long t0 = System.nanoTime();
        try {
            out.printf(Locale.ROOT, "backend: %s%n%n", server(db.global()));
            tour();
        } catch (RuntimeException e) {
            out.printf(Locale.ROOT, "step %d FAILED: %s%n", step + 1, e.getMessage());
            return false;
        }
        out.printf(Locale.ROOT, "%nall %d steps passed in %d ms%n%n", step, (System.nanoTime() - t0) / 1_000_000);
        printClients();
        return true;
    }

    private void tour() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        GlobalDb global = db.global();
        OrganizationRecord org = global.createOrganization("tour-" + run, "Tour MGA " + run);
        AppUserRecord underwriter =
                global.createUser(org.getId(), "uw-" + run + "@tour.example", "Una Writer", GlobalDb.Role.UNDERWRITER);
        ProgramRecord program = global.createProgram(new GlobalDb.ProgramRequest(
                org.getId(), "GL-TX", "General liability, Texas", "GENERAL_LIABILITY", List.of("TX")));
        say(
                "global",
                "organization %s, underwriter %s, program %s",
                org.getSlug(),
                underwriter.getEmail(),
                program.getCode());

        SubmissionRecord submission = db.submissions()
                .submit(new SubmissionsDb.SubmissionRequest(
                        org.getId(),
                        program.getId(),
                        "Lone Star Widgets LLC",
                        "TX",
                        "GENERAL_LIABILITY",
                        "tour-" + run + ":submit"));
        QuoteRecord quote = db.submissions()
                .quote(
                        submission.getId(),
                        new BigDecimal("2400.00"),
                        "USD",
                        JSON.json("{\"revenue\": 1200000, \"employees\": 14}"),
                        Duration.ofDays(30));
        say(
                "submissions",
                "submission %s quoted %s: %s %s",
                submission.getSubmissionNumber(),
                quote.getQuoteNumber(),
                quote.getPremium().toPlainString(),
                quote.getCurrency());

        InsuranceFlows.Issued issued = db.flows()
                .bindIssueAndInvoice(new InsuranceFlows.BindAndIssue(
                        quote.getId(),
                        underwriter.getId(),
                        LocalDate.of(2026, 7, 1),
                        LocalDate.of(2027, 7, 1),
                        List.of(new PoliciesDb.CoverageLine(
                                "GL_EACH_OCCURRENCE",
                                new BigDecimal("1000000"),
                                new BigDecimal("1000"),
                                new BigDecimal("2400.00"))),
                        LocalDate.of(2026, 7, 31),
                        "tour-" + run + ":issue"));
        say(
                "policies",
                "bound and issued policy %s (%s to %s)",
                issued.policy().getPolicyNumber(),
                issued.policy().getEffectiveDate(),
                issued.policy().getExpirationDate());
        say(
                "billing",
                "invoice %s for %s %s",
                issued.invoice().getInvoiceNumber(),
                issued.invoice().getAmount().toPlainString(),
                issued.invoice().getCurrency());

        BillingDb billing = db.billing();
        billing.recordPayment(new BillingDb.PaymentRequest(
                issued.invoice().getId(), new BigDecimal("2400.00"), "USD", "ACH", "tour-" + run + ":payment"));
        BillingDb.InvoiceBalance balance = billing.balance(issued.invoice().getId());
        check(balance.open().signum() == 0, "invoice fully paid");
        check(billing.trialBalance().isBalanced(), "general ledger balances");
        say(
                "billing",
                "payment recorded: invoice %s, open %s; trial balance nets to zero",
                balance.status(),
                balance.open().toPlainString());

        ClaimsDb claims = db.claims();
        ClaimRecord claim = claims.fileFirstNotice(new ClaimsDb.FirstNotice(
                issued.policy().getId(),
                org.getId(),
                LocalDate.of(2026, 9, 14),
                "Customer slipped on a wet floor at the warehouse",
                "tour-" + run + ":fnol"));
        claims.setReserve(claim.getId(), new BigDecimal("15000.00"), "USD", "initial reserve");
        claims.pay(new ClaimsDb.ClaimPaymentRequest(
                claim.getId(), new BigDecimal("12500.00"), "USD", "Dr. Ada Bone", "tour-" + run + ":claim-payment"));
        claims.closeClaim(claim.getId(), "settled");
        ClaimsDb.ClaimTotals totals = claims.totals(claim.getId());
        check(
                ClaimsDb.ClaimStatus.CLOSED
                        .name()
                        .equals(claims.findClaim(claim.getId()).orElseThrow().getStatus()),
                "claim closed");
        say(
                "claims",
                "claim %s: reserve %s, paid %s, outstanding %s, CLOSED",
                claim.getClaimNumber(),
                totals.reserve().toPlainString(),
                totals.paid().toPlainString(),
                totals.outstanding().toPlainString());

        Object viaLegacy = db.legacy()
                .dsl()
                .fetchValue(
                        "select policy_number from policy where policy_number = ?",
                        issued.policy().getPolicyNumber());
        check(issued.policy().getPolicyNumber().equals(viaLegacy), "legacy client reads the policy");
        say(
                "legacy",
                "read %s back through the routed monolith (%s)",
                viaLegacy,
                db.legacy().routesServerSide() ? "vtgate routes" : "client-side routing");
    }

    /** E.g. {@code PostgreSQL 14.22 at 127.0.0.1:5432/oi_one}, {@code MariaDB 11.4.5-MariaDB at …}. */
    private static String server(KeyspaceClient client) {
        SQLDialect family = client.dsl().dialect().family();
        return (family == SQLDialect.POSTGRES ? "PostgreSQL" : family.getName()) + " " + client.serverVersion() + " at "
                + client.config().url().describe();
    }

    private void printClients() {
        String row = "%-12s %-7s %-44s %s%n";
        out.printf(Locale.ROOT, row, "binding", "mode", "server", "pool");
        for (KeyspaceClient c : db.clients()) {
            String schema = c.config().url().parameters().get(Migrator.POSTGRES_SCHEMA_PARAMETER);
            String where = c.config().url().describe() + (schema == null ? "" : " schema " + schema);
            out.printf(Locale.ROOT, row, c.name(), c.mode().label(), where, c.poolStats());
        }
    }

    private void say(String keyspace, String format, Object... args) {
        step++;
        out.printf(Locale.ROOT, "%2d. [%-11s] %s%n", step, keyspace, String.format(Locale.ROOT, format, args));
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("check failed: " + what);
        }
    }
}
