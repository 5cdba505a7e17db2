package io.openinsure.db.testkit.domains;

import static io.openinsure.db.domains.schema.oi_global.Tables.APP_USER;
import static io.openinsure.db.domains.schema.oi_global.Tables.ORGANIZATION;
import static io.openinsure.db.testkit.domains.DomainTestSupport.race;
import static io.openinsure.db.testkit.domains.DomainTestSupport.refused;
import static org.assertj.core.api.Assertions.assertThat;

import io.openinsure.db.domains.DomainException;
import io.openinsure.db.domains.DomainException.Reason;
import io.openinsure.db.domains.GlobalDb;
import io.openinsure.db.domains.GlobalDb.ProgramRequest;
import io.openinsure.db.domains.GlobalDb.Role;
import io.openinsure.db.domains.Ids;
import io.openinsure.db.domains.schema.oi_global.tables.records.AppUserRecord;
import io.openinsure.db.domains.schema.oi_global.tables.records.CoverageTypeRecord;
import io.openinsure.db.domains.schema.oi_global.tables.records.LineOfBusinessRecord;
import io.openinsure.db.domains.schema.oi_global.tables.records.OrganizationRecord;
import io.openinsure.db.domains.schema.oi_global.tables.records.ProgramRecord;
import io.openinsure.db.domains.schema.oi_global.tables.records.UsStateRecord;
import io.openinsure.db.testkit.OpenInsureDbTest;
import io.openinsure.db.testkit.TestBackend;
import io.openinsure.db.testkit.domains.DomainTestSupport.Outcome;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@link GlobalDb}: organizations, users, programs, reference data, on the embedded MariaDB. */
@OpenInsureDbTest(backend = TestBackend.DEFAULT)
class GlobalDbTest {

    private static final String K = "Keyspace 'global': ";

    private static String slug() {
        return "org-" + UUID.randomUUID().toString().substring(0, 13);
    }

    @Test
    void createsAnOrganizationAndFindsItByIdAndSlug(GlobalDb global) {
        String slug = slug();
        OrganizationRecord org = global.createOrganization("  " + slug.toUpperCase() + " ", " Acme MGA ");

        assertThat(org.getSlug()).isEqualTo(slug);
        assertThat(org.getName()).isEqualTo("Acme MGA");
        assertThat(org.getStatus()).isEqualTo("ACTIVE");
        assertThat(org.getVersion()).isZero();
        assertThat(global.findOrganization(org.getId())).contains(org);
        assertThat(global.findOrganizationBySlug(slug)).contains(org);
        assertThat(global.organizationExists(org.getId())).isTrue();
        assertThat(global.organizationExists(Ids.newId())).isFalse();
        assertThat(global.findOrganization(Ids.newId())).isEmpty();
    }

    @Test
    void refusesATakenSlugNamingTheHolder(GlobalDb global) {
        OrganizationRecord first = global.createOrganization(slug(), "First");

        refused(
                () -> global.createOrganization(first.getSlug(), "Second"),
                Reason.CONFLICT,
                K + "organization slug '" + first.getSlug() + "' is already taken by organization " + first.getId()
                        + " ('First'); choose another slug.");
        assertThat(global.dsl().fetchCount(ORGANIZATION, ORGANIZATION.SLUG.eq(first.getSlug())))
                .isEqualTo(1);
    }

    @Test
    void refusesMalformedSlugsAndNames(GlobalDb global) {
        refused(
                () -> global.createOrganization("-acme", "Acme"),
                Reason.INVALID,
                K
                        + "organization slug must be lower-case letters, digits and inner hyphens (e.g. 'acme-mga'), but was '-acme'.");
        refused(() -> global.createOrganization("acme corp", "Acme"), Reason.INVALID);
        refused(
                () -> global.createOrganization(slug(), "  "),
                Reason.INVALID,
                K + "organization name must be 1 to 255 characters, but was blank.");
        refused(
                () -> global.createOrganization(null, "Acme"),
                Reason.INVALID,
                K + "organization slug is required, but was null.");
    }

    @Test
    void createsUsersWithEmailsUniquePerOrganization(GlobalDb global) {
        OrganizationRecord org = global.createOrganization(slug(), "Users Inc");
        OrganizationRecord other = global.createOrganization(slug(), "Other Inc");

        AppUserRecord ann = global.createUser(org.getId(), " Ann.Smith@Example.com ", "Ann Smith", Role.UNDERWRITER);
        assertThat(ann.getEmail()).isEqualTo("ann.smith@example.com");
        assertThat(ann.getRole()).isEqualTo("UNDERWRITER");
        assertThat(ann.getStatus()).isEqualTo("ACTIVE");
        assertThat(ann.getOrgId()).isEqualTo(org.getId());
        assertThat(global.findUser(ann.getId())).contains(ann);
        assertThat(global.findUserByEmail(org.getId(), "ANN.SMITH@example.com")).contains(ann);

        String taken = K + "user with email 'ann.smith@example.com' already exists in organization " + org.getSlug()
                + " (" + org.getId() + "): user " + ann.getId() + " ('Ann Smith'); use that user or another email.";
        refused(
                () -> global.createUser(org.getId(), "ann.smith@example.com", "Ann Again", Role.MEMBER),
                Reason.CONFLICT,
                taken);
        refused(
                () -> global.createUser(org.getId(), "ANN.SMITH@EXAMPLE.COM", "Ann Shouting", Role.MEMBER),
                Reason.CONFLICT,
                taken);

        AppUserRecord elsewhere = global.createUser(other.getId(), "ann.smith@example.com", "Ann Smith", Role.ADMIN);
        assertThat(elsewhere.getId()).isNotEqualTo(ann.getId());
        assertThat(global.dsl().fetchCount(APP_USER, APP_USER.ORG_ID.eq(org.getId())))
                .isEqualTo(1);
    }

    @Test
    void concurrentUsersWithOneEmailLeaveOneRowAndClearConflicts(GlobalDb global) throws InterruptedException {
        OrganizationRecord org = global.createOrganization(slug(), "Race Inc");

        List<Outcome<AppUserRecord>> outcomes =
                race(4, () -> global.createUser(org.getId(), "race@example.com", "Racer", Role.AGENT));

        assertThat(outcomes.stream().filter(o -> o.failure() == null)).hasSize(1);
        AppUserRecord winner = outcomes.stream()
                .filter(o -> o.failure() == null)
                .findFirst()
                .orElseThrow()
                .value();
        assertThat(outcomes.stream().filter(o -> o.failure() != null).map(o -> String.valueOf(o.failure())))
                .hasSize(3)
                .allSatisfy(m -> assertThat(m)
                        .startsWith(DomainException.class.getName() + ": " + K
                                + "user with email 'race@example.com' already exists")
                        .contains("user " + winner.getId()));
        assertThat(global.dsl().fetchCount(APP_USER, APP_USER.ORG_ID.eq(org.getId())))
                .isEqualTo(1);
    }

    @Test
    void refusesUsersOfMissingOrInactiveOrganizationsAndMalformedInput(GlobalDb global) {
        UUID missing = Ids.newId();
        refused(
                () -> global.createUser(missing, "a@example.com", "A", Role.MEMBER),
                Reason.NOT_FOUND,
                K + "organization " + missing
                        + " does not exist. Create it first (GlobalDb.createOrganization) or check the id.");

        OrganizationRecord org = global.createOrganization(slug(), "Suspended Inc");
        refused(
                () -> global.createUser(org.getId(), "not-an-email", "A", Role.MEMBER),
                Reason.INVALID,
                K + "email must be an address like name@domain.tld, but was 'not-an-email'.");
        refused(
                () -> global.createUser(org.getId(), "a@example.com", "A", null),
                Reason.INVALID,
                K + "role is required, but was null.");

        global.dsl()
                .update(ORGANIZATION)
                .set(ORGANIZATION.STATUS, "SUSPENDED")
                .where(ORGANIZATION.ID.eq(org.getId()))
                .execute();
        refused(
                () -> global.createUser(org.getId(), "a@example.com", "A", Role.MEMBER),
                Reason.ILLEGAL_TRANSITION,
                K + "cannot add a user to organization " + org.getSlug() + " (" + org.getId() + "): it is SUSPENDED. "
                        + "Only ACTIVE organizations get new users and programs; reactivate it first.");
        refused(
                () -> global.createProgram(
                        new ProgramRequest(org.getId(), "GL", "GL", "GENERAL_LIABILITY", List.of("CA"))),
                Reason.ILLEGAL_TRANSITION);
    }

    @Test
    void createsProgramsWithCheckedReferenceCodes(GlobalDb global) {
        OrganizationRecord org = global.createOrganization(slug(), "Programs Inc");
        OrganizationRecord other = global.createOrganization(slug(), "Other Inc");

        ProgramRecord gl = global.createProgram(new ProgramRequest(
                org.getId(),
                "GL-WEST",
                "General Liability West",
                "general_liability",
                List.of("ca", "OR", "WA", "CA")));
        ProgramRecord auto = global.createProgram(
                new ProgramRequest(org.getId(), "AUTO", "Fleet Auto", "COMMERCIAL_AUTO", List.of("TX")));

        assertThat(gl.getLineOfBusiness()).isEqualTo("GENERAL_LIABILITY");
        assertThat(GlobalDb.programStates(gl)).containsExactly("CA", "OR", "WA");
        assertThat(gl.getStatus()).isEqualTo("ACTIVE");
        assertThat(global.findProgram(gl.getId())).contains(gl);
        assertThat(global.listPrograms(org.getId())).containsExactly(auto, gl);
        assertThat(global.listPrograms(other.getId())).isEmpty();
        assertThat(global.programExists(org.getId(), gl.getId())).isTrue();
        assertThat(global.programExists(other.getId(), gl.getId()))
                .as("another organization's program")
                .isFalse();
        assertThat(global.programExists(org.getId(), Ids.newId())).isFalse();
    }

    @Test
    void refusesUnknownStatesAndLinesOfBusinessListingEveryUnknownCode(GlobalDb global) {
        OrganizationRecord org = global.createOrganization(slug(), "Codes Inc");

        refused(
                () -> global.createProgram(new ProgramRequest(
                        org.getId(), "GL", "GL", "GENERAL_LIABILITY", List.of("CA", "ZZ", "XX", "NY"))),
                Reason.INVALID,
                K
                        + "program 'GL': states must be USPS codes of GlobalDb.listStates() such as CA or NY, but [XX, ZZ] are not.");
        refused(
                () -> global.createProgram(
                        new ProgramRequest(org.getId(), "PET", "Pets", "PET_INSURANCE", List.of("CA", "QQ"))),
                Reason.INVALID,
                K
                        + "program 'PET': line of business must be one of COMMERCIAL_AUTO, GENERAL_LIABILITY, PROFESSIONAL_LIABILITY, "
                        + "PROPERTY, UMBRELLA, WORKERS_COMP, but was 'PET_INSURANCE'; states must be USPS codes of GlobalDb.listStates() "
                        + "such as CA or NY, but [QQ] are not.");
        refused(
                () -> global.createProgram(new ProgramRequest(org.getId(), "GL", "GL", "GENERAL_LIABILITY", List.of())),
                Reason.INVALID,
                K + "program states must have at least 1, but had 0.");
        refused(
                () -> new ProgramRequest(org.getId(), "G L", "GL", "GENERAL_LIABILITY", List.of("CA")),
                Reason.INVALID,
                K
                        + "program code must be letters, digits, '_', '.' and '-', starting with a letter or digit (at most 64), but was 'G L'.");
        refused(
                () -> global.createProgram(
                        new ProgramRequest(org.getId(), "GL", "GL", "GENERAL_LIABILITY", List.of("CAL"))),
                Reason.INVALID,
                K
                        + "program 'GL': states must be USPS codes of GlobalDb.listStates() such as CA or NY, but [CAL] are not.");
        assertThat(global.listPrograms(org.getId())).isEmpty();
    }

    @Test
    void refusesADuplicateProgramCodeInOneOrganization(GlobalDb global) {
        OrganizationRecord org = global.createOrganization(slug(), "Dup Inc");
        ProgramRecord first =
                global.createProgram(new ProgramRequest(org.getId(), "WC", "Comp", "WORKERS_COMP", List.of("NY")));

        refused(
                () -> global.createProgram(
                        new ProgramRequest(org.getId(), "WC", "Comp again", "WORKERS_COMP", List.of("NJ"))),
                Reason.CONFLICT,
                K + "program code 'WC' already exists in organization " + org.getSlug() + " (" + org.getId()
                        + "): program " + first.getId() + " ('Comp'); choose another code.");
        UUID missing = Ids.newId();
        refused(
                () -> global.createProgram(new ProgramRequest(missing, "WC", "Comp", "WORKERS_COMP", List.of("NY"))),
                Reason.NOT_FOUND);
    }

    @Test
    void answersReferenceData(GlobalDb global) {
        assertThat(global.listLinesOfBusiness())
                .extracting(LineOfBusinessRecord::getCode)
                .containsExactly(
                        "COMMERCIAL_AUTO",
                        "GENERAL_LIABILITY",
                        "PROFESSIONAL_LIABILITY",
                        "PROPERTY",
                        "UMBRELLA",
                        "WORKERS_COMP");
        assertThat(global.listStates())
                .hasSize(51)
                .extracting(UsStateRecord::getCode)
                .contains("CA", "DC", "WY")
                .isSorted();
        assertThat(global.listCoverageTypes("workers_comp"))
                .extracting(CoverageTypeRecord::getCode)
                .containsExactly("WC_EMPLOYERS_LIABILITY", "WC_STATUTORY");
        assertThat(global.listCoverageTypes("GENERAL_LIABILITY"))
                .hasSize(5)
                .allSatisfy(t -> assertThat(t.getLineOfBusiness()).isEqualTo("GENERAL_LIABILITY"));
        refused(
                () -> global.listCoverageTypes("MARINE"),
                Reason.INVALID,
                K + "line of business must be one of "
                        + "COMMERCIAL_AUTO, GENERAL_LIABILITY, PROFESSIONAL_LIABILITY, PROPERTY, UMBRELLA, WORKERS_COMP, but was 'MARINE'.");
    }
}
