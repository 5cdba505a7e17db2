package io.openinsure.db.domains;

import static org.assertj.core.api.Assertions.assertThat;

import io.openinsure.db.domains.schema.DefaultCatalog;
import io.openinsure.db.domains.schema.oi_billing.OiBilling;
import io.openinsure.db.domains.schema.oi_claims.OiClaims;
import io.openinsure.db.domains.schema.oi_global.OiGlobal;
import io.openinsure.db.domains.schema.oi_policies.OiPolicies;
import io.openinsure.db.domains.schema.oi_submissions.OiSubmissions;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jooq.Field;
import org.jooq.JSON;
import org.jooq.Schema;
import org.jooq.Table;
import org.jooq.UniqueKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reads the jOOQ meta model generated at build time from the Flyway migrations (running on an
 * embedded MariaDB) and checks the schema rules of the keyspaces.
 */
class GeneratedSchemaTest {

    private static final Map<Keyspace, Set<String>> TABLES = Map.of(
            Keyspace.GLOBAL,
                    Set.of("organization", "app_user", "program", "line_of_business", "us_state", "coverage_type"),
            Keyspace.SUBMISSIONS, Set.of("submission", "quote", "bind_request"),
            Keyspace.POLICIES, Set.of("policy", "coverage", "endorsement", "policy_event"),
            Keyspace.CLAIMS, Set.of("claim", "reserve", "claim_payment", "claim_event"),
            Keyspace.BILLING,
                    Set.of("billing_account", "invoice", "invoice_line", "payment", "gl_journal", "gl_entry"));

    /** Reference tables keyed by a code, not by a generated id. */
    private static final Set<String> REFERENCE_TABLES = Set.of("line_of_business", "us_state", "coverage_type");

    /** Aggregates that change after insert carry an optimistic-lock version. */
    private static final Set<String> VERSIONED = Set.of(
            "organization",
            "app_user",
            "program",
            "submission",
            "quote",
            "bind_request",
            "policy",
            "claim",
            "billing_account",
            "invoice");

    /** Append-only tables: no version, no updated_at. */
    private static final Set<String> APPEND_ONLY = Set.of("policy_event", "claim_event");

    /** Business keys that must be unique (table -> columns of one unique key). */
    private static final Map<String, List<String>> BUSINESS_KEYS = Map.ofEntries(
            Map.entry("organization", List.of("slug")),
            Map.entry("app_user", List.of("org_id", "email")),
            Map.entry("program", List.of("org_id", "code")),
            Map.entry("submission", List.of("submission_number")),
            Map.entry("quote", List.of("quote_number")),
            Map.entry("policy", List.of("policy_number")),
            Map.entry("claim", List.of("claim_number")),
            Map.entry("billing_account", List.of("account_number")),
            Map.entry("invoice", List.of("invoice_number")),
            Map.entry("invoice_line", List.of("invoice_id", "line_no")),
            Map.entry("endorsement", List.of("policy_id", "endorsement_number")));

    private static final Map<String, List<String>> IDEMPOTENCY_KEYED = Map.of(
            "submission", List.of("idempotency_key"),
            "bind_request", List.of("idempotency_key"),
            "policy", List.of("idempotency_key"),
            "claim_payment", List.of("idempotency_key"),
            "invoice", List.of("idempotency_key"),
            "payment", List.of("idempotency_key"),
            "gl_journal", List.of("idempotency_key"));

    private static final Set<String> JSON_COLUMNS =
            Set.of("program.states", "quote.rating_inputs", "policy_event.payload", "claim_event.payload");

    static Stream<Keyspace> keyspaces() {
        return EnumSet.complementOf(EnumSet.of(Keyspace.LEGACY)).stream();
    }

    static Stream<Table<?>> allTables() {
        return keyspaces().flatMap(k -> schema(k).getTables().stream());
    }

    private static Schema schema(Keyspace keyspace) {
        Schema schema = DefaultCatalog.DEFAULT_CATALOG.getSchema(keyspace.database());
        assertThat(schema).as("generated schema for %s", keyspace.database()).isNotNull();
        return schema;
    }

    private static Table<?> table(String name) {
        return allTables().filter(t -> t.getName().equals(name)).findFirst().orElseThrow();
    }

    private static Set<String> names(List<? extends Field<?>> fields) {
        return fields.stream().map(Field::getName).collect(Collectors.toSet());
    }

    @Test
    void theGeneratedSchemaClassesAreTheKeyspaceDatabases() {
        assertThat(List.of(
                        OiGlobal.OI_GLOBAL,
                        OiPolicies.OI_POLICIES,
                        OiSubmissions.OI_SUBMISSIONS,
                        OiClaims.OI_CLAIMS,
                        OiBilling.OI_BILLING))
                .extracting(Schema::getName)
                .containsExactlyInAnyOrder(keyspaces().map(Keyspace::database).toArray(String[]::new));
        assertThat(DefaultCatalog.DEFAULT_CATALOG.getSchemas())
                .extracting(Schema::getName)
                .containsExactlyInAnyOrder(keyspaces().map(Keyspace::database).toArray(String[]::new));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keyspaces")
    void everyKeyspaceHasItsTablesAndNoOthers(Keyspace keyspace) {
        assertThat(schema(keyspace).getTables())
                .extracting(Table::getName)
                .containsExactlyInAnyOrderElementsOf(TABLES.get(keyspace))
                .doesNotContain("flyway_schema_history");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allTables")
    void noTableHasAForeignKey(Table<?> table) {
        assertThat(table.getReferences())
                .as("foreign keys of %s", table.getName())
                .isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allTables")
    void idsAreUuidsAndEveryBinaryColumnIsAUuid(Table<?> table) {
        assertThat(table.getPrimaryKey())
                .as("primary key of %s", table.getName())
                .isNotNull();
        if (!REFERENCE_TABLES.contains(table.getName())) {
            assertThat(table.getPrimaryKey().getFields())
                    .extracting(Field::getName)
                    .containsExactly("id");
        }
        for (Field<?> field : table.fields()) {
            String name = table.getName() + "." + field.getName();
            if (field.getName().equals("id") || field.getName().endsWith("_id")) {
                assertThat(field.getType()).as(name).isEqualTo(UUID.class);
            }
            assertThat(field.getType()).as(name + " (no raw binary columns)").isNotEqualTo(byte[].class);
            if (field.getType() == UUID.class) {
                // BINARY(16) on MySQL, native uuid on PostgreSQL: the binding chooses by dialect.
                assertThat(field.getBinding())
                        .as(name)
                        .isInstanceOf(io.openinsure.db.domains.internal.UuidBinding.class);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allTables")
    void moneyIsDecimal19_4AndTimesAreMicrosecondDatetimes(Table<?> table) {
        for (Field<?> field : table.fields()) {
            String name = table.getName() + "." + field.getName();
            if (field.getType() == BigDecimal.class) {
                assertThat(field.getDataType().precision()).as(name).isEqualTo(19);
                assertThat(field.getDataType().scale()).as(name).isEqualTo(4);
            }
            if (field.getType() == LocalDateTime.class) {
                assertThat(field.getDataType().precision()).as(name).isEqualTo(6);
            }
            if (field.getName().endsWith("_date")) {
                assertThat(field.getType()).as(name).isEqualTo(LocalDate.class);
            }
            if (field.getName().equals("currency")) {
                assertThat(field.getDataType().length()).as(name).isEqualTo(3);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allTables")
    void mutableAggregatesAreVersionedAndEventsAreAppendOnly(Table<?> table) {
        Set<String> fields = names(List.of(table.fields()));
        if (VERSIONED.contains(table.getName())) {
            assertThat(fields).as(table.getName()).contains("version", "created_at", "updated_at");
            Field<?> version = table.field("version");
            assertThat(version.getType()).isEqualTo(Integer.class);
            assertThat(version.getDataType().nullable()).isFalse();
            assertThat(version.getDataType().defaulted()).isTrue();
        }
        if (APPEND_ONLY.contains(table.getName())) {
            assertThat(fields)
                    .as(table.getName())
                    .doesNotContain("version", "updated_at")
                    .contains("occurred_at", "event_type", "payload");
        }
    }

    @Test
    void businessKeysAndIdempotencyKeysAreUnique() {
        BUSINESS_KEYS.forEach(GeneratedSchemaTest::assertUnique);
        IDEMPOTENCY_KEYED.forEach(GeneratedSchemaTest::assertUnique);
        // One billing account per policy (billing V2): BillingDb.openAccount relies on it when two calls race.
        assertUnique("billing_account", List.of("policy_id"));
        // Optional idempotency keys are nullable (MySQL and MariaDB allow many NULLs in a unique key).
        assertThat(table("policy").field("idempotency_key").getDataType().nullable())
                .isTrue();
        assertThat(table("payment").field("idempotency_key").getDataType().nullable())
                .isFalse();
    }

    private static void assertUnique(String tableName, List<String> columns) {
        Table<?> table = table(tableName);
        List<List<String>> keys = table.getKeys().stream()
                .map(UniqueKey::getFields)
                .map(fs -> fs.stream().map(Field::getName).collect(Collectors.toList()))
                .collect(Collectors.toList());
        assertThat(keys).as("unique keys of %s", tableName).contains(columns);
    }

    @Test
    void jsonColumnsAreTypedJsonAndNothingElseIs() {
        Set<String> json = allTables()
                .flatMap(t -> Stream.of(t.fields())
                        .filter(f -> f.getType() == JSON.class)
                        .map(f -> t.getName() + "." + f.getName()))
                .collect(Collectors.toSet());
        assertThat(json).containsExactlyInAnyOrderElementsOf(JSON_COLUMNS);
    }

    @Test
    void generatedTablesAreUsableAsTypedConstants() {
        // The names application code will use.
        assertThat(io.openinsure.db.domains.schema.oi_policies.Tables.POLICY.POLICY_NUMBER.getType())
                .isEqualTo(String.class);
        assertThat(io.openinsure.db.domains.schema.oi_policies.Tables.POLICY.ID.getType())
                .isEqualTo(UUID.class);
        assertThat(io.openinsure.db.domains.schema.oi_billing.Tables.GL_ENTRY.DEBIT.getType())
                .isEqualTo(BigDecimal.class);
        assertThat(io.openinsure.db.domains.schema.oi_global.Tables.PROGRAM.STATES.getType())
                .isEqualTo(JSON.class);
        assertThat(io.openinsure.db.domains.schema.oi_claims.Tables.CLAIM.LOSS_DATE.getType())
                .isEqualTo(LocalDate.class);
        assertThat(io.openinsure.db.domains.schema.oi_submissions.Tables.QUOTE.EXPIRES_AT.getType())
                .isEqualTo(LocalDateTime.class);
    }
}
