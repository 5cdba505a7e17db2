package io.openinsure.db.testkit.domains;

import static io.openinsure.db.domains.schema.oi_policies.Tables.POLICY;
import static io.openinsure.db.domains.schema.oi_submissions.Tables.BIND_REQUEST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openinsure.db.domains.GlobalDb;
import io.openinsure.db.domains.PoliciesDb;
import io.openinsure.db.domains.PoliciesDb.CoverageLine;
import io.openinsure.db.domains.PoliciesDb.IssueRequest;
import io.openinsure.db.domains.SubmissionsDb;
import io.openinsure.db.domains.schema.oi_global.tables.records.AppUserRecord;
import io.openinsure.db.domains.schema.oi_global.tables.records.OrganizationRecord;
import io.openinsure.db.domains.schema.oi_global.tables.records.ProgramRecord;
import io.openinsure.db.domains.schema.oi_policies.tables.records.PolicyRecord;
import io.openinsure.db.domains.schema.oi_submissions.tables.records.BindRequestRecord;
import io.openinsure.db.domains.schema.oi_submissions.tables.records.QuoteRecord;
import io.openinsure.db.domains.schema.oi_submissions.tables.records.SubmissionRecord;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The three clients together the way application code drives them: each step is one transaction in one
 * keyspace, cross-keyspace references are checked with the {@code exists} calls, and a retry of the whole
 * flow with the same idempotency keys (as after a crash between steps) duplicates nothing.
 */
class FlowTest extends ClockedDbTest {

    /** Submit → quote → bind → issue; every step keyed by {@code requestId} so a retry returns the same rows. */
    private PolicyRecord flow(UUID orgId, UUID programId, UUID userId, String requestId, boolean failBeforeIssue) {
        GlobalDb global = db.global();
        SubmissionsDb submissions = db.submissions();
        PoliciesDb policies = db.policies();
        if (!global.programExists(orgId, programId)) {
            throw new IllegalArgumentException("no program " + programId + " in organization " + orgId);
        }
        SubmissionRecord s = submissions.submit(new SubmissionsDb.SubmissionRequest(
                orgId, programId, "Acme Widgets LLC", "CA", "GENERAL_LIABILITY", requestId + ":submit"));
        QuoteRecord q = submissions.listQuotes(s.getId()).stream()
                .filter(x -> !"SUPERSEDED".equals(x.getStatus()))
                .findFirst()
                .orElseGet(
                        () -> submissions.quote(s.getId(), new BigDecimal("1200"), "USD", null, Duration.ofDays(30)));
        BindRequestRecord b = submissions.bind(q.getId(), userId, requestId + ":bind");
        if (failBeforeIssue) {
            throw new IllegalStateException("crashed after binding " + b.getId());
        }
        return policies.issueFromQuote(new IssueRequest(
                q.getId(),
                s.getId(),
                orgId,
                programId,
                s.getInsuredName(),
                LocalDate.of(2026, 4, 1),
                LocalDate.of(2027, 4, 1),
                q.getPremium(),
                q.getCurrency(),
                List.of(new CoverageLine(
                        "GL_EACH_OCCURRENCE", new BigDecimal("1000000"), BigDecimal.ZERO, q.getPremium())),
                requestId + ":issue"));
    }

    @Test
    void aRetriedFlowAfterAFailureBetweenKeyspacesDuplicatesNothing() {
        OrganizationRecord org = db.global()
                .createOrganization("flow-" + UUID.randomUUID().toString().substring(0, 8), "Flow MGA");
        ProgramRecord program = db.global()
                .createProgram(new GlobalDb.ProgramRequest(
                        org.getId(), "GL", "GL California", "GENERAL_LIABILITY", List.of("CA")));
        AppUserRecord underwriter =
                db.global().createUser(org.getId(), "uw@flow.example", "Una Writer", GlobalDb.Role.UNDERWRITER);
        String requestId = UUID.randomUUID().toString();

        assertThatThrownBy(() -> flow(org.getId(), program.getId(), underwriter.getId(), requestId, true))
                .isInstanceOf(IllegalStateException.class);
        PolicyRecord policy = flow(org.getId(), program.getId(), underwriter.getId(), requestId, false);
        PolicyRecord again = flow(org.getId(), program.getId(), underwriter.getId(), requestId, false);

        assertThat(again).isEqualTo(policy);
        assertThat(db.policies().listPolicies(org.getId(), null)).containsExactly(policy);
        assertThat(db.submissions().dsl().fetchCount(BIND_REQUEST, BIND_REQUEST.QUOTE_ID.eq(policy.getQuoteId())))
                .isEqualTo(1);
        assertThat(db.submissions().listQuotes(policy.getSubmissionId())).hasSize(1);
        assertThat(db.submissions()
                        .findSubmission(policy.getSubmissionId())
                        .orElseThrow()
                        .getStatus())
                .isEqualTo("BOUND");
        assertThat(db.policies().dsl().fetchCount(POLICY, POLICY.ORG_ID.eq(org.getId())))
                .isEqualTo(1);
        assertThatThrownBy(() -> flow(org.getId(), UUID.randomUUID(), underwriter.getId(), requestId, false))
                .hasMessageContaining("no program");
    }
}
