package io.openinsure.db.examples.spring;

import io.openinsure.db.domains.GlobalDb;
import io.openinsure.db.domains.PoliciesDb;
import io.openinsure.db.domains.SubmissionsDb;
import io.openinsure.db.domains.schema.oi_global.tables.records.AppUserRecord;
import io.openinsure.db.domains.schema.oi_global.tables.records.OrganizationRecord;
import io.openinsure.db.domains.schema.oi_global.tables.records.ProgramRecord;
import io.openinsure.db.domains.schema.oi_submissions.tables.records.QuoteRecord;
import io.openinsure.db.domains.schema.oi_submissions.tables.records.SubmissionRecord;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * Demo data for the flow: an organization with a program and an underwriter (keyspace global), a submission and a
 * quote (keyspace submissions). The only place this example calls the domain clients directly; the clients are
 * injected by type.
 */
@Service
class DemoQuotes {

    /** What {@code POST /api/policies} needs: the quote to bind, who binds it, and coverages for its premium. */
    record DemoQuote(
            UUID quoteId,
            UUID requestedBy,
            UUID organizationId,
            BigDecimal premium,
            String currency,
            List<PoliciesDb.CoverageLine> coverages) {}

    private final GlobalDb global;
    private final SubmissionsDb submissions;

    DemoQuotes(GlobalDb global, SubmissionsDb submissions) {
        this.global = global;
        this.submissions = submissions;
    }

    DemoQuote create(String insuredName, BigDecimal premium) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        OrganizationRecord org = global.createOrganization("demo-" + run, "Demo MGA " + run);
        ProgramRecord program = global.createProgram(
                new GlobalDb.ProgramRequest(org.getId(), "GL", "GL Texas", "GENERAL_LIABILITY", List.of("TX")));
        AppUserRecord underwriter =
                global.createUser(org.getId(), "uw@demo-" + run + ".example", "Una Writer", GlobalDb.Role.UNDERWRITER);
        SubmissionRecord submission = submissions.submit(new SubmissionsDb.SubmissionRequest(
                org.getId(), program.getId(), insuredName, "TX", "GENERAL_LIABILITY", null));
        QuoteRecord quote = submissions.quote(submission.getId(), premium, "USD", null, Duration.ofDays(30));
        List<PoliciesDb.CoverageLine> coverages = List.of(new PoliciesDb.CoverageLine(
                "GL_EACH_OCCURRENCE", new BigDecimal("1000000"), BigDecimal.ZERO, quote.getPremium()));
        return new DemoQuote(
                quote.getId(), underwriter.getId(), org.getId(), quote.getPremium(), quote.getCurrency(), coverages);
    }
}
