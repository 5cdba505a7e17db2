package io.openinsure.db.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.openinsure.db.core.ConfigSource;
import io.openinsure.db.domains.ClaimsDb;
import io.openinsure.db.domains.GlobalDb;
import io.openinsure.db.domains.InsuranceFlows;
import io.openinsure.db.domains.Keyspace;
import io.openinsure.db.domains.OpenInsureDb;
import io.openinsure.db.domains.PoliciesDb.CoverageLine;
import io.openinsure.db.domains.SubmissionsDb;
import io.openinsure.db.domains.schema.oi_claims.tables.records.ClaimRecord;
import io.openinsure.db.domains.schema.oi_global.tables.records.AppUserRecord;
import io.openinsure.db.domains.schema.oi_global.tables.records.OrganizationRecord;
import io.openinsure.db.domains.schema.oi_global.tables.records.ProgramRecord;
import io.openinsure.db.domains.schema.oi_submissions.tables.records.QuoteRecord;
import io.openinsure.db.domains.schema.oi_submissions.tables.records.SubmissionRecord;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenInsure clients through a real PgBouncer in transaction mode (as on PlanetScale Postgres's port 6432 or
 * Neon's pooler): runtime URLs to PgBouncer with {@code prepareThreshold=0}, admin URLs (migrations) straight to the
 * server. Skipped, with the reason, where the {@code pgbouncer} binary is not installed.
 */
class PgBouncerTransactionModeTest {

    private static PgBouncer bouncer;
    private static OpenInsureDb db;

    @BeforeEach
    void bouncer() {
        assumeTrue(
                PgBouncer.binary().isPresent(),
                () -> PgBouncer.unavailableReason().orElse(""));
        if (db == null) {
            Topology direct =
                    Topology.of(TestBackend.POSTGRES, PostgresLayout.DATABASES); // created and migrated directly
            bouncer = PgBouncer.start(EmbeddedPostgresDb.shared().port());
            OpenInsureDb.Builder b = OpenInsureDb.builder()
                    .configSource(ConfigSource.empty())
                    .defaults(d -> d.maxPoolSize(4).minIdle(0).user("postgres"));
            for (Keyspace k : Keyspace.values()) {
                b.binding(k, c -> c.url(bouncer.connectionString(k.database())).adminUrl(direct.connectionString(k)));
            }
            db = b.build();
        }
    }

    @AfterAll
    static void close() {
        if (db != null) {
            db.close();
        }
        if (bouncer != null) {
            bouncer.close();
        }
    }

    @Test
    void migrationsOverTheAdminUrlAndTheWholeFlowThroughPgBouncer() {
        assertThat(db.migrate())
                .allSatisfy((k, applied) -> assertThat(applied).isZero()); // the direct path, up to date

        String slug = "bouncer-" + UUID.randomUUID().toString().substring(0, 8);
        OrganizationRecord org = db.global().createOrganization(slug, "Bouncer MGA");
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
        InsuranceFlows.BindAndIssue request = new InsuranceFlows.BindAndIssue(
                quote.getId(),
                user.getId(),
                LocalDate.of(2026, 7, 1),
                LocalDate.of(2027, 7, 1),
                List.of(new CoverageLine(
                        "GL_EACH_OCCURRENCE", new BigDecimal("1000000"), BigDecimal.ZERO, new BigDecimal("2400.00"))),
                LocalDate.of(2026, 7, 31),
                slug);

        InsuranceFlows.Issued issued = db.flows().bindIssueAndInvoice(request);
        assertThat(db.flows().bindIssueAndInvoice(request).policy().getId())
                .isEqualTo(issued.policy().getId()); // idempotent
        ClaimRecord claim = db.claims()
                .fileFirstNotice(new ClaimsDb.FirstNotice(
                        issued.policy().getId(),
                        org.getId(),
                        LocalDate.of(2026, 8, 1),
                        "Water damage",
                        slug + "-fnol"));

        // The same statements many times on several pooled connections: with server-side prepared statements
        // (PgJDBC's default after 5 runs) transaction pooling would hand them to server connections that lack them.
        for (int i = 0; i < 40; i++) {
            assertThat(db.policies()
                            .uncached()
                            .fetchCount(
                                    io.openinsure.db.domains.schema.oi_policies.Tables.POLICY,
                                    io.openinsure.db.domains.schema.oi_policies.Tables.POLICY.ID.eq(
                                            issued.policy().getId())))
                    .isEqualTo(1);
            assertThat(db.claims().findClaim(claim.getId())).isPresent();
        }
    }
}
