package io.openinsure.db.testkit.domains;

import static io.openinsure.db.domains.schema.oi_billing.Tables.GL_JOURNAL;
import static io.openinsure.db.domains.schema.oi_billing.Tables.INVOICE;
import static io.openinsure.db.domains.schema.oi_policies.Tables.POLICY;
import static io.openinsure.db.domains.schema.oi_submissions.Tables.BIND_REQUEST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openinsure.db.core.ConnectionUnavailableException;
import io.openinsure.db.domains.DomainException;
import io.openinsure.db.domains.GlobalDb;
import io.openinsure.db.domains.InsuranceFlows;
import io.openinsure.db.domains.Keyspace;
import io.openinsure.db.domains.OpenInsureDb;
import io.openinsure.db.domains.PoliciesDb.CoverageLine;
import io.openinsure.db.domains.SubmissionsDb;
import io.openinsure.db.domains.schema.oi_global.tables.records.AppUserRecord;
import io.openinsure.db.domains.schema.oi_global.tables.records.OrganizationRecord;
import io.openinsure.db.domains.schema.oi_global.tables.records.ProgramRecord;
import io.openinsure.db.domains.schema.oi_submissions.tables.records.QuoteRecord;
import io.openinsure.db.domains.schema.oi_submissions.tables.records.SubmissionRecord;
import io.openinsure.db.testkit.TestBackend;
import io.openinsure.db.testkit.Topology;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The cross-keyspace flow survives a keyspace failing halfway: a retry with the same key duplicates nothing. */
class InsuranceFlowsTest {

    private static final Topology TOPOLOGY = Topology.of(TestBackend.DEFAULT);

    private record Setup(OrganizationRecord org, AppUserRecord user, QuoteRecord quote) {}

    private static Setup quoted(OpenInsureDb db) {
        String slug = "flows-" + UUID.randomUUID().toString().substring(0, 8);
        OrganizationRecord org = db.global().createOrganization(slug, "Flows MGA");
        ProgramRecord program = db.global()
                .createProgram(
                        new GlobalDb.ProgramRequest(org.getId(), "GL", "GL Texas", "GENERAL_LIABILITY", List.of("TX")));
        AppUserRecord user =
                db.global().createUser(org.getId(), "uw@" + slug + ".example", "Una Writer", GlobalDb.Role.UNDERWRITER);
        SubmissionRecord submission = db.submissions()
                .submit(new SubmissionsDb.SubmissionRequest(
                        org.getId(), program.getId(), "Lone Star Widgets", "TX", "GENERAL_LIABILITY", null));
        QuoteRecord quote =
                db.submissions().quote(submission.getId(), new BigDecimal("2400.00"), "USD", null, Duration.ofDays(30));
        return new Setup(org, user, quote);
    }

    private static InsuranceFlows.BindAndIssue request(Setup s, String key) {
        return new InsuranceFlows.BindAndIssue(
                s.quote().getId(),
                s.user().getId(),
                LocalDate.of(2026, 7, 1),
                LocalDate.of(2027, 7, 1),
                List.of(new CoverageLine(
                        "GL_EACH_OCCURRENCE", new BigDecimal("1000000"), BigDecimal.ZERO, new BigDecimal("2400.00"))),
                LocalDate.of(2026, 7, 31),
                key);
    }

    private static int deadPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void aFailedSecondStepIsRetriedWithoutDuplicatingAnything() throws Exception {
        String key = "flow-" + UUID.randomUUID();
        Setup setup;
        int port = deadPort();
        try (OpenInsureDb broken = TOPOLOGY.builder()
                .binding(Keyspace.POLICIES, b -> b.url("mysql://root@127.0.0.1:" + port + "/oi_policies"))
                .build()) {
            setup = quoted(broken);
            assertThatThrownBy(() -> new InsuranceFlows(broken).bindIssueAndInvoice(request(setup, key)))
                    .as("policies is down: the flow stops after the bind")
                    .isInstanceOf(ConnectionUnavailableException.class)
                    .hasMessageStartingWith("Keyspace 'policies': no connection available");
            assertThat(broken.submissions()
                            .findQuote(setup.quote().getId())
                            .orElseThrow()
                            .getStatus())
                    .isEqualTo("BOUND");
        }

        try (OpenInsureDb db = TOPOLOGY.open()) {
            InsuranceFlows flows = new InsuranceFlows(db);
            InsuranceFlows.Issued first = flows.bindIssueAndInvoice(request(setup, key));
            InsuranceFlows.Issued again = flows.bindIssueAndInvoice(request(setup, key));

            assertThat(again.bind().getId()).isEqualTo(first.bind().getId());
            assertThat(again.policy().getId()).isEqualTo(first.policy().getId());
            assertThat(again.invoice().getId()).isEqualTo(first.invoice().getId());
            assertThat(db.submissions()
                            .dsl()
                            .fetchCount(
                                    BIND_REQUEST,
                                    BIND_REQUEST.QUOTE_ID.eq(setup.quote().getId())))
                    .isEqualTo(1);
            assertThat(db.policies()
                            .dsl()
                            .fetchCount(POLICY, POLICY.QUOTE_ID.eq(setup.quote().getId())))
                    .isEqualTo(1);
            assertThat(db.billing()
                            .dsl()
                            .fetchCount(
                                    INVOICE, INVOICE.POLICY_ID.eq(first.policy().getId())))
                    .isEqualTo(1);
            assertThat(db.billing()
                            .dsl()
                            .fetchCount(
                                    GL_JOURNAL,
                                    GL_JOURNAL.REFERENCE_ID.eq(first.invoice().getId())))
                    .isEqualTo(1);
            assertThat(first.invoice().getAmount()).isEqualByComparingTo("2400.00");
            assertThat(first.policy().getOrgId()).isEqualTo(setup.org().getId());
        }
    }

    @Test
    void aFailedThirdStepIsRetriedWithoutASecondPolicy() throws Exception {
        String key = "flow-" + UUID.randomUUID();
        Setup setup;
        int port = deadPort();
        try (OpenInsureDb broken = TOPOLOGY.builder()
                .binding(Keyspace.BILLING, b -> b.url("mysql://root@127.0.0.1:" + port + "/oi_billing"))
                .build()) {
            setup = quoted(broken);
            assertThatThrownBy(() -> new InsuranceFlows(broken).bindIssueAndInvoice(request(setup, key)))
                    .isInstanceOf(ConnectionUnavailableException.class)
                    .hasMessageStartingWith("Keyspace 'billing': no connection available");
        }
        try (OpenInsureDb db = TOPOLOGY.open()) {
            InsuranceFlows.Issued issued = new InsuranceFlows(db).bindIssueAndInvoice(request(setup, key));
            assertThat(db.policies()
                            .dsl()
                            .fetchCount(POLICY, POLICY.QUOTE_ID.eq(setup.quote().getId())))
                    .isEqualTo(1);
            assertThat(db.billing().listInvoices(issued.policy().getId())).hasSize(1);
        }
    }

    @Test
    void missingCrossKeyspaceReferencesAreRefusedBeforeAnyWrite() {
        try (OpenInsureDb db = TOPOLOGY.open()) {
            Setup setup = quoted(db);
            InsuranceFlows.BindAndIssue strangerBinds = new InsuranceFlows.BindAndIssue(
                    setup.quote().getId(),
                    UUID.randomUUID(),
                    LocalDate.of(2026, 7, 1),
                    LocalDate.of(2027, 7, 1),
                    List.of(new CoverageLine(
                            "GL_EACH_OCCURRENCE",
                            new BigDecimal("1000000"),
                            BigDecimal.ZERO,
                            new BigDecimal("2400.00"))),
                    LocalDate.of(2026, 7, 31),
                    "k-" + UUID.randomUUID());
            assertThatThrownBy(() -> new InsuranceFlows(db).bindIssueAndInvoice(strangerBinds))
                    .isInstanceOf(DomainException.class)
                    .hasMessageContaining("does not exist in organization")
                    .satisfies(e -> assertThat(((DomainException) e).reason())
                            .isEqualTo(DomainException.Reason.MISSING_REFERENCE));
            assertThat(db.submissions()
                            .findQuote(setup.quote().getId())
                            .orElseThrow()
                            .getStatus())
                    .isEqualTo("ACTIVE");
        }
    }
}
