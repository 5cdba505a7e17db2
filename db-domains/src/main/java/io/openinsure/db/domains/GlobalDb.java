package io.openinsure.db.domains;

import static io.openinsure.db.domains.schema.oi_global.Tables.APP_USER;
import static io.openinsure.db.domains.schema.oi_global.Tables.COVERAGE_TYPE;
import static io.openinsure.db.domains.schema.oi_global.Tables.LINE_OF_BUSINESS;
import static io.openinsure.db.domains.schema.oi_global.Tables.ORGANIZATION;
import static io.openinsure.db.domains.schema.oi_global.Tables.PROGRAM;
import static io.openinsure.db.domains.schema.oi_global.Tables.US_STATE;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.openinsure.db.core.ForwardingKeyspaceClient;
import io.openinsure.db.core.KeyspaceClient;
import io.openinsure.db.domains.internal.Prepared;
import io.openinsure.db.domains.internal.Rows;
import io.openinsure.db.domains.schema.oi_global.tables.records.AppUserRecord;
import io.openinsure.db.domains.schema.oi_global.tables.records.CoverageTypeRecord;
import io.openinsure.db.domains.schema.oi_global.tables.records.LineOfBusinessRecord;
import io.openinsure.db.domains.schema.oi_global.tables.records.OrganizationRecord;
import io.openinsure.db.domains.schema.oi_global.tables.records.ProgramRecord;
import io.openinsure.db.domains.schema.oi_global.tables.records.UsStateRecord;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jooq.DSLContext;
import org.jooq.Record;

/**
 * The client for organizations, users, programs and reference data: keyspace {@code global} (database
 * {@code oi_global}). Thread-safe.
 *
 * <p>Every write runs in one transaction of this keyspace. Refusals are {@link DomainException}s:
 * {@code NOT_FOUND} (no such organization), {@code INVALID} (bad input, unknown reference codes),
 * {@code CONFLICT} (a slug, email or program code that is already taken), {@code ILLEGAL_TRANSITION}
 * (the organization is not {@code ACTIVE}). Lookups by id and the existence checks run pre-rendered
 * SQL ({@link Prepared}).
 */
public final class GlobalDb extends ForwardingKeyspaceClient {

    private static final Keyspace K = Keyspace.GLOBAL;

    /** Status of an organization, user or program; this client creates them {@code ACTIVE}. */
    public enum Status {
        /** In use. */
        ACTIVE,
        /** Reserved for an administrative suspension; this client does not set it. */
        SUSPENDED
    }

    /** What a user may do; stored as the name in {@code app_user.role}. */
    public enum Role {
        /** Manages the organization's users and programs. */
        ADMIN,
        /** Quotes, binds and issues. */
        UNDERWRITER,
        /** Submits on behalf of insureds. */
        AGENT,
        /** Handles claims. */
        ADJUSTER,
        /** Reads (the column's default). */
        MEMBER
    }

    private static final Pattern SLUG = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    /**
     * A new program of an organization: one line of business, written in the states listed.
     *
     * @param orgId          the organization
     * @param code           the program's code, unique within the organization: 1–64 letters, digits,
     *                       {@code _ . -}, starting with a letter or digit
     * @param name           1–255 characters
     * @param lineOfBusiness a code of {@link #listLinesOfBusiness()}, e.g. {@code GENERAL_LIABILITY} (upper-cased;
     *                       checked when the program is created)
     * @param states         at least one USPS code of {@link #listStates()}, e.g. {@code CA}; upper-cased,
     *                       de-duplicated and sorted (checked when the program is created)
     * @throws DomainException {@code INVALID} naming the field that breaks a rule
     */
    public record ProgramRequest(UUID orgId, String code, String name, String lineOfBusiness, List<String> states) {
        public ProgramRequest {
            Inputs.required(K, "organization id", orgId);
            code = Inputs.matching(
                    K,
                    "program code",
                    code,
                    CODE,
                    "letters, digits, '_', '.' and '-', starting with a letter or digit (at most 64)");
            name = Inputs.text(K, "program name", name, 255);
            lineOfBusiness =
                    Inputs.text(K, "line of business", lineOfBusiness, 32).toUpperCase(Locale.ROOT);
            Set<String> codes = new TreeSet<>();
            for (String state : Inputs.list(K, "program states", states, 1, Integer.MAX_VALUE)) {
                codes.add(Inputs.text(K, "state code", state, 64).toUpperCase(Locale.ROOT));
            }
            states = List.copyOf(codes);
        }
    }

    private static final Prepared<OrganizationRecord> ORG_BY_ID = Rows.selectWhere(ORGANIZATION, ORGANIZATION.ID);
    private static final Prepared<OrganizationRecord> ORG_BY_SLUG = Rows.selectWhere(ORGANIZATION, ORGANIZATION.SLUG);
    private static final Prepared<AppUserRecord> USER_BY_ID = Rows.selectWhere(APP_USER, APP_USER.ID);
    private static final Prepared<AppUserRecord> USER_BY_EMAIL =
            Rows.selectWhere(APP_USER, APP_USER.ORG_ID, APP_USER.EMAIL);
    private static final Prepared<ProgramRecord> PROGRAM_BY_ID = Rows.selectWhere(PROGRAM, PROGRAM.ID);
    private static final Prepared<ProgramRecord> PROGRAM_BY_ORG_AND_ID =
            Rows.selectWhere(PROGRAM, PROGRAM.ID, PROGRAM.ORG_ID);
    private static final Prepared<ProgramRecord> PROGRAM_BY_CODE =
            Rows.selectWhere(PROGRAM, PROGRAM.ORG_ID, PROGRAM.CODE);
    private static final Prepared<Record> INSERT_ORG = Rows.insertRow(ORGANIZATION);
    private static final Prepared<Record> INSERT_USER = Rows.insertRow(APP_USER);
    private static final Prepared<Record> INSERT_PROGRAM = Rows.insertRow(PROGRAM);

    private final Clock clock;

    GlobalDb(KeyspaceClient client, Clock clock) {
        super(client);
        this.clock = clock;
    }

    /** The clock operations use for "now" (UTC). */
    Clock clock() {
        return clock;
    }

    // ---------------------------------------------------------------- organizations

    /**
     * Creates an {@code ACTIVE} organization.
     *
     * @param slug its URL name: lower-case letters, digits and inner hyphens, 1–63 characters
     *             (upper case is lowered), unique across organizations
     * @param name its display name, 1–255 characters
     * @return the new row
     * @throws DomainException {@code INVALID} for a malformed slug or a missing name; {@code CONFLICT}
     *                         when the slug is taken (the message names the organization holding it)
     */
    public OrganizationRecord createOrganization(String slug, String name) {
        String s = Inputs.text(K, "organization slug", slug, 63).toLowerCase(Locale.ROOT);
        if (!SLUG.matcher(s).matches()) {
            throw Inputs.invalid(
                    K,
                    "organization slug",
                    "must be lower-case letters, digits and inner hyphens (e.g. 'acme-mga')",
                    "was '" + slug + "'");
        }
        String n = Inputs.text(K, "organization name", name, 255);
        LocalDateTime now = Utc.now(clock);
        OrganizationRecord org = new OrganizationRecord(Ids.newId(), s, n, Status.ACTIVE.name(), 0, now, now);
        return Statements.writeOnce(
                this,
                tx -> ORG_BY_SLUG.fetchOptional(tx, s).map(taken -> {
                    throw slugTaken(taken);
                }),
                tx -> {
                    INSERT_ORG.execute(tx, org.intoArray());
                    return org;
                });
    }

    private static DomainException slugTaken(OrganizationRecord holder) {
        return DomainException.conflict(
                K,
                "organization slug '" + holder.getSlug() + "' is already taken by organization " + holder.getId()
                        + " ('" + holder.getName() + "'); choose another slug.");
    }

    /** The organization with this id, if any. A single pre-rendered lookup (eligible for the read cache). */
    public Optional<OrganizationRecord> findOrganization(UUID orgId) {
        return ORG_BY_ID.fetchOptional(dsl(), Inputs.required(K, "organization id", orgId));
    }

    /** The organization with this slug (compared case-insensitively), if any. A single pre-rendered lookup. */
    public Optional<OrganizationRecord> findOrganizationBySlug(String slug) {
        return ORG_BY_SLUG.fetchOptional(
                dsl(), Inputs.required(K, "organization slug", slug).strip());
    }

    /**
     * Whether an organization with this id exists (in any status). Cross-keyspace flows call it
     * before writing a row that points at the organization (keyspaces have no foreign keys).
     */
    public boolean organizationExists(UUID orgId) {
        return findOrganization(orgId).isPresent();
    }

    // ---------------------------------------------------------------- users

    /**
     * Adds an {@code ACTIVE} user to an organization.
     *
     * @param orgId       the organization
     * @param email       the sign-in email, unique within the organization; stored trimmed and in lower case
     * @param displayName 1–255 characters
     * @param role        what the user may do
     * @return the new row
     * @throws DomainException {@code NOT_FOUND} when the organization does not exist;
     *                         {@code ILLEGAL_TRANSITION} when it is not {@code ACTIVE}; {@code INVALID}
     *                         for a malformed email or missing name/role; {@code CONFLICT} when the
     *                         organization already has a user with that email (the message names that user)
     */
    public AppUserRecord createUser(UUID orgId, String email, String displayName, Role role) {
        Inputs.required(K, "organization id", orgId);
        String e = Inputs.text(K, "email", email, 320).toLowerCase(Locale.ROOT);
        if (!EMAIL.matcher(e).matches()) {
            throw Inputs.invalid(K, "email", "must be an address like name@domain.tld", "was '" + email + "'");
        }
        String n = Inputs.text(K, "display name", displayName, 255);
        Inputs.required(K, "role", role);
        LocalDateTime now = Utc.now(clock);
        AppUserRecord user =
                new AppUserRecord(Ids.newId(), orgId, e, n, role.name(), Status.ACTIVE.name(), 0, now, now);
        return Statements.writeOnce(
                this,
                tx -> {
                    OrganizationRecord org = activeOrganization(tx, orgId, "add a user to");
                    return USER_BY_EMAIL.fetchOptional(tx, orgId, e).map(holder -> {
                        throw emailTaken(org, holder);
                    });
                },
                tx -> {
                    INSERT_USER.execute(tx, user.intoArray());
                    return user;
                });
    }

    private static DomainException emailTaken(OrganizationRecord org, AppUserRecord holder) {
        return DomainException.conflict(
                K,
                "user with email '" + holder.getEmail() + "' already exists in organization "
                        + org.getSlug() + " (" + org.getId() + "): user " + holder.getId() + " ('"
                        + holder.getDisplayName()
                        + "'); use that user or another email.");
    }

    /** The user with this id, if any. A single pre-rendered lookup (eligible for the read cache). */
    public Optional<AppUserRecord> findUser(UUID userId) {
        return USER_BY_ID.fetchOptional(dsl(), Inputs.required(K, "user id", userId));
    }

    /**
     * The user of this organization with this email (compared case-insensitively), if any. A single pre-rendered lookup.
     * Emails are stored in lower case, so the lookup lower-cases too: PostgreSQL compares text case-sensitively,
     * unlike the MySQL tables' collation.
     */
    public Optional<AppUserRecord> findUserByEmail(UUID orgId, String email) {
        return USER_BY_EMAIL.fetchOptional(
                dsl(),
                Inputs.required(K, "organization id", orgId),
                Inputs.required(K, "email", email).strip().toLowerCase(Locale.ROOT));
    }

    // ---------------------------------------------------------------- programs

    /**
     * Creates an {@code ACTIVE} program of an organization: one line of business, written in the
     * states listed; the states are stored as a sorted JSON array.
     *
     * @param request the organization, code, name, line of business and states (checked when it was built)
     * @return the new row
     * @throws DomainException {@code NOT_FOUND} when the organization does not exist;
     *                         {@code ILLEGAL_TRANSITION} when it is not {@code ACTIVE}; {@code INVALID} for
     *                         an unknown line of business or state codes (all unknown codes are listed);
     *                         {@code CONFLICT} when the organization already has a program with that code
     */
    public ProgramRecord createProgram(ProgramRequest request) {
        Inputs.required(K, "program request", request);
        UUID orgId = request.orgId();
        String c = request.code();
        LocalDateTime now = Utc.now(clock);
        ProgramRecord program = new ProgramRecord(
                Ids.newId(),
                orgId,
                c,
                request.name(),
                request.lineOfBusiness(),
                Json.of(request.states()),
                Status.ACTIVE.name(),
                0,
                now,
                now);
        return Statements.writeOnce(
                this,
                tx -> {
                    OrganizationRecord org = activeOrganization(tx, orgId, "add a program to");
                    checkReferenceCodes(tx, c, request.lineOfBusiness(), request.states());
                    return PROGRAM_BY_CODE.fetchOptional(tx, orgId, c).map(holder -> {
                        throw codeTaken(org, holder);
                    });
                },
                tx -> {
                    INSERT_PROGRAM.execute(tx, program.intoArray());
                    // Read back: the server rewrites the JSON text of states (e.g. MariaDB's json_extract adds spaces).
                    return PROGRAM_BY_ID.fetchOptional(tx, program.getId()).orElseThrow();
                });
    }

    private static void checkReferenceCodes(DSLContext tx, String program, String lob, List<String> states) {
        List<String> problems = new ArrayList<>();
        if (!tx.fetchExists(LINE_OF_BUSINESS, LINE_OF_BUSINESS.CODE.eq(lob))) {
            problems.add(unknownLineOfBusiness(tx, lob));
        }
        Set<String> unknown = new TreeSet<>(states);
        unknown.removeAll(tx.select(US_STATE.CODE)
                .from(US_STATE)
                .where(US_STATE.CODE.in(states))
                .fetch(US_STATE.CODE));
        if (!unknown.isEmpty()) {
            problems.add(
                    "states must be USPS codes of GlobalDb.listStates() such as CA or NY, but " + unknown + " are not");
        }
        if (!problems.isEmpty()) {
            throw DomainException.invalid(K, "program '" + program + "': " + String.join("; ", problems) + ".");
        }
    }

    /** "line of business must be one of A, B, C, but was 'X'" (no final period). */
    private static String unknownLineOfBusiness(DSLContext ctx, String lob) {
        return "line of business must be one of "
                + String.join(
                        ", ",
                        ctx.select(LINE_OF_BUSINESS.CODE)
                                .from(LINE_OF_BUSINESS)
                                .orderBy(LINE_OF_BUSINESS.CODE)
                                .fetch(LINE_OF_BUSINESS.CODE))
                + ", but was '" + lob + "'";
    }

    private static DomainException codeTaken(OrganizationRecord org, ProgramRecord holder) {
        return DomainException.conflict(
                K,
                "program code '" + holder.getCode() + "' already exists in organization "
                        + org.getSlug() + " (" + org.getId() + "): program " + holder.getId() + " ('" + holder.getName()
                        + "'); choose another code.");
    }

    private static OrganizationRecord activeOrganization(DSLContext tx, UUID orgId, String action) {
        OrganizationRecord org = ORG_BY_ID
                .fetchOptional(tx, orgId)
                .orElseThrow(() -> DomainException.notFound(
                        K, "organization", orgId, "Create it first (GlobalDb.createOrganization) or check the id."));
        if (!Status.ACTIVE.name().equals(org.getStatus())) {
            throw DomainException.illegalTransition(
                    K,
                    "organization",
                    org.getSlug() + " (" + orgId + ")",
                    org.getStatus(),
                    action,
                    "Only ACTIVE organizations get new users and programs; reactivate it first.");
        }
        return org;
    }

    /** The program with this id, if any. A single pre-rendered lookup (eligible for the read cache). */
    public Optional<ProgramRecord> findProgram(UUID programId) {
        return PROGRAM_BY_ID.fetchOptional(dsl(), Inputs.required(K, "program id", programId));
    }

    /**
     * Whether the program exists and belongs to the organization (in any status). Cross-keyspace flows
     * call it before a submission or policy points at the program.
     */
    public boolean programExists(UUID orgId, UUID programId) {
        return PROGRAM_BY_ORG_AND_ID
                .fetchOptional(
                        dsl(),
                        Inputs.required(K, "program id", programId),
                        Inputs.required(K, "organization id", orgId))
                .isPresent();
    }

    /** The organization's programs, ordered by code; empty when it has none (or does not exist). */
    public List<ProgramRecord> listPrograms(UUID orgId) {
        Inputs.required(K, "organization id", orgId);
        return dsl().selectFrom(PROGRAM)
                .where(PROGRAM.ORG_ID.eq(orgId))
                .orderBy(PROGRAM.CODE)
                .fetch();
    }

    /**
     * The USPS state codes of a program's {@code states} column.
     *
     * @param program a program read through this client
     * @return its states, e.g. {@code [CA, NY]}
     */
    public static List<String> programStates(ProgramRecord program) {
        try {
            return Json.MAPPER.readValue(program.getStates().data(), new TypeReference<List<String>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "program " + program.getId() + " has malformed states: " + program.getStates(), e);
        }
    }

    // ---------------------------------------------------------------- reference data

    /** All lines of business, ordered by code. */
    public List<LineOfBusinessRecord> listLinesOfBusiness() {
        return dsl().selectFrom(LINE_OF_BUSINESS).orderBy(LINE_OF_BUSINESS.CODE).fetch();
    }

    /** All US states and DC, ordered by USPS code. */
    public List<UsStateRecord> listStates() {
        return dsl().selectFrom(US_STATE).orderBy(US_STATE.CODE).fetch();
    }

    /**
     * The coverage types of a line of business, ordered by code.
     *
     * @param lineOfBusiness a code of {@link #listLinesOfBusiness()}, case-insensitive
     * @return its coverage types
     * @throws DomainException {@code INVALID} when the line of business is unknown (the message lists the known ones)
     */
    public List<CoverageTypeRecord> listCoverageTypes(String lineOfBusiness) {
        String lob = Inputs.text(K, "line of business", lineOfBusiness, 32).toUpperCase(Locale.ROOT);
        List<CoverageTypeRecord> types = dsl().selectFrom(COVERAGE_TYPE)
                .where(COVERAGE_TYPE.LINE_OF_BUSINESS.eq(lob))
                .orderBy(COVERAGE_TYPE.CODE)
                .fetch();
        if (types.isEmpty()) {
            if (!dsl().fetchExists(LINE_OF_BUSINESS, LINE_OF_BUSINESS.CODE.eq(lob))) {
                throw DomainException.invalid(K, unknownLineOfBusiness(dsl(), lob) + ".");
            }
        }
        return types;
    }
}
