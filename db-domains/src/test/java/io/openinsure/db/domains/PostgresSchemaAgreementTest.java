package io.openinsure.db.domains;

import static org.assertj.core.api.Assertions.assertThat;

import io.openinsure.db.core.DatabaseUrl;
import io.openinsure.db.domains.schema.DefaultCatalog;
import io.openinsure.db.testsupport.EmbeddedPostgresServer;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.jooq.Field;
import org.jooq.Index;
import org.jooq.JSON;
import org.jooq.Schema;
import org.jooq.Table;
import org.jooq.UniqueKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The build's check that the PostgreSQL migrations ({@code db/postgresql/<keyspace>}) and the MySQL ones
 * ({@code db/migration/<keyspace>}) describe the same schema. The typed jOOQ tables are generated once, from the
 * MySQL migrations on a live MariaDB; here the PostgreSQL migrations run on an embedded PostgreSQL (each keyspace
 * a schema named like the generated one) and every table is compared with its generated class: the same tables,
 * columns, nullability, Java types (uuid ↔ BINARY(16) → UUID, text ↔ VARCHAR/CHAR/TEXT → String, numeric(p,s) ↔
 * DECIMAL(p,s) → BigDecimal, UTC timestamp(6) ↔ DATETIME(6) → LocalDateTime, jsonb ↔ JSON → JSON, …), unique keys
 * by name and columns, and secondary indexes by name. Any difference fails {@code mvn verify} with a list.
 */
class PostgresSchemaAgreementTest {

    private static final String AGREEING = "oi_agreement";
    private static final String BROKEN = "oi_agreement_broken";

    @BeforeAll
    static void migrate() throws SQLException {
        EmbeddedPostgresServer server = EmbeddedPostgresServer.shared();
        try (Connection c = server.open(null);
                Statement st = c.createStatement()) {
            for (String db : List.of(AGREEING, BROKEN)) {
                st.execute("DROP DATABASE IF EXISTS " + db);
                st.execute("CREATE DATABASE " + db);
            }
        }
        for (String db : List.of(AGREEING, BROKEN)) {
            for (Keyspace k : Keyspace.values()) {
                if (k == Keyspace.LEGACY) {
                    continue;
                }
                DatabaseUrl admin = DatabaseUrl.parse(server.connectionString(db) + "?currentSchema=" + k.database());
                Flyway.configure(PostgresSchemaAgreementTest.class.getClassLoader())
                        .dataSource(server.jdbcUrl(db), "postgres", "")
                        .schemas(k.database())
                        .createSchemas(true)
                        .locations(Migrator.location(k, admin))
                        .load()
                        .migrate();
            }
        }
        try (Connection c = server.open(BROKEN);
                Statement st = c.createStatement()) {
            st.execute("ALTER TABLE oi_policies.policy ALTER COLUMN insured_name DROP NOT NULL");
            st.execute("ALTER TABLE oi_policies.policy ALTER COLUMN version TYPE bigint");
            st.execute("ALTER TABLE oi_billing.invoice RENAME CONSTRAINT uk_invoice_number TO uk_invoice_no");
            st.execute("ALTER TABLE oi_claims.claim_event DROP COLUMN payload");
        }
    }

    @Test
    void thePostgresMigrationsDescribeTheGeneratedTables() throws SQLException {
        assertThat(disagreements(AGREEING)).isEmpty();
    }

    @Test
    void aDifferenceIsNamed() throws SQLException {
        assertThat(disagreements(BROKEN))
                .containsExactlyInAnyOrder(
                        "oi_billing.invoice: unique key uk_invoice_number(invoice_number) is missing on PostgreSQL",
                        "oi_billing.invoice: unique key uk_invoice_no(invoice_number) is not in the MySQL migrations",
                        "oi_claims.claim_event.payload: missing on PostgreSQL",
                        "oi_policies.policy.insured_name: NOT NULL on MySQL, nullable on PostgreSQL",
                        "oi_policies.policy.version: java.lang.Integer on MySQL, bigint (java.lang.Long) on PostgreSQL");
    }

    /** Every difference between the generated tables and the PostgreSQL schemas of {@code database}, one line each. */
    static List<String> disagreements(String database) throws SQLException {
        List<String> problems = new ArrayList<>();
        try (Connection c = EmbeddedPostgresServer.shared().open(database)) {
            Map<String, Map<String, PgColumn>> columns = columns(c);
            Map<String, Map<String, String>> uniques = uniqueKeys(c);
            Map<String, TreeSet<String>> indexes = indexes(c);
            TreeSet<String> generatedTables = new TreeSet<>();
            for (Schema schema : DefaultCatalog.DEFAULT_CATALOG.getSchemas()) {
                for (Table<?> table : schema.getTables()) {
                    String name = schema.getName() + "." + table.getName();
                    generatedTables.add(name);
                    Map<String, PgColumn> pg = columns.get(name);
                    if (pg == null) {
                        problems.add(name + ": table missing on PostgreSQL");
                        continue;
                    }
                    compareColumns(name, table, pg, problems);
                    compareUniqueKeys(name, table, uniques.getOrDefault(name, Map.of()), problems);
                    TreeSet<String> mysqlIndexes = table.getIndexes().stream()
                            .map(Index::getName)
                            .filter(n -> n.startsWith("ix_"))
                            .collect(Collectors.toCollection(TreeSet::new));
                    TreeSet<String> pgIndexes = indexes.getOrDefault(name, new TreeSet<>());
                    if (!mysqlIndexes.equals(pgIndexes)) {
                        problems.add(name + ": indexes " + mysqlIndexes + " on MySQL, " + pgIndexes + " on PostgreSQL");
                    }
                }
            }
            for (String pgTable : columns.keySet()) {
                if (!generatedTables.contains(pgTable)) {
                    problems.add(pgTable + ": table only on PostgreSQL");
                }
            }
        }
        return problems;
    }

    private static void compareColumns(
            String table, Table<?> generated, Map<String, PgColumn> pg, List<String> problems) {
        for (Field<?> f : generated.fields()) {
            String name = table + "." + f.getName();
            PgColumn column = pg.get(f.getName());
            if (column == null) {
                problems.add(name + ": missing on PostgreSQL");
                continue;
            }
            if (f.getDataType().nullable() != column.nullable()) {
                problems.add(name + ": " + (f.getDataType().nullable() ? "nullable" : "NOT NULL") + " on MySQL, "
                        + (column.nullable() ? "nullable" : "NOT NULL") + " on PostgreSQL");
            }
            Class<?> pgType = column.javaType();
            if (pgType != f.getType()) {
                problems.add(name + ": " + f.getType().getName() + " on MySQL, " + column.type() + " ("
                        + (pgType == null ? "no Java type" : pgType.getName()) + ") on PostgreSQL");
            } else if (pgType == BigDecimal.class
                    && (f.getDataType().precision() != column.precision()
                            || f.getDataType().scale() != column.scale())) {
                problems.add(name + ": decimal(" + f.getDataType().precision() + ","
                        + f.getDataType().scale() + ") on MySQL, numeric(" + column.precision() + "," + column.scale()
                        + ") on PostgreSQL");
            }
        }
        for (String pgColumn : pg.keySet()) {
            if (generated.field(pgColumn) == null) {
                problems.add(table + "." + pgColumn + ": only on PostgreSQL");
            }
        }
    }

    private static void compareUniqueKeys(
            String table, Table<?> generated, Map<String, String> pg, List<String> problems) {
        Map<String, String> mysql = new TreeMap<>();
        for (UniqueKey<?> k : generated.getUniqueKeys()) {
            // jOOQ names a generated key KEY_<table>_<key name on the server>.
            String name = k.getName().replaceFirst("^KEY_" + generated.getName() + "_", "");
            mysql.put(name, k.getFields().stream().map(Field::getName).collect(Collectors.joining(",")));
        }
        mysql.forEach((name, cols) -> {
            if (!cols.equals(pg.get(name))) {
                problems.add(table + ": unique key " + name + "(" + cols + ") is "
                        + (pg.containsKey(name) ? "on (" + pg.get(name) + ")" : "missing") + " on PostgreSQL");
            }
        });
        pg.forEach((name, cols) -> {
            if (!mysql.containsKey(name)) {
                problems.add(table + ": unique key " + name + "(" + cols + ") is not in the MySQL migrations");
            }
        });
    }

    record PgColumn(String type, boolean nullable, int precision, int scale) {

        /** The Java type jOOQ gives this PostgreSQL type, as the generated tables would hold it. */
        Class<?> javaType() {
            return switch (type) {
                case "uuid" -> UUID.class;
                case "text" -> String.class;
                case "integer" -> Integer.class;
                case "bigint" -> Long.class;
                case "numeric" -> BigDecimal.class;
                case "date" -> LocalDate.class;
                case "timestamp without time zone" -> LocalDateTime.class;
                case "jsonb" ->
                    JSON.class; // jOOQ's JSONB; the tables are generated with JSON and jOOQ writes it as json, cast to
                // jsonb on assignment
                default -> null;
            };
        }
    }

    private static Map<String, Map<String, PgColumn>> columns(Connection c) throws SQLException {
        Map<String, Map<String, PgColumn>> out = new TreeMap<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("""
                SELECT table_schema, table_name, column_name, is_nullable, data_type, numeric_precision, numeric_scale
                FROM information_schema.columns
                WHERE table_schema LIKE 'oi\\_%' AND table_name <> 'flyway_schema_history'""")) {
            while (rs.next()) {
                out.computeIfAbsent(rs.getString(1) + "." + rs.getString(2), t -> new TreeMap<>())
                        .put(
                                rs.getString(3),
                                new PgColumn(
                                        rs.getString(5), "YES".equals(rs.getString(4)), rs.getInt(6), rs.getInt(7)));
            }
        }
        return out;
    }

    /** Unique constraints (not primary keys) per table: name → columns in key order. */
    private static Map<String, Map<String, String>> uniqueKeys(Connection c) throws SQLException {
        Map<String, Map<String, String>> out = new TreeMap<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("""
                SELECT n.nspname, t.relname, k.conname,
                       (SELECT string_agg(a.attname, ',' ORDER BY u.ord)
                        FROM unnest(k.conkey) WITH ORDINALITY AS u(attnum, ord)
                        JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum)
                FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
                WHERE k.contype = 'u' AND n.nspname LIKE 'oi\\_%'""")) {
            while (rs.next()) {
                out.computeIfAbsent(rs.getString(1) + "." + rs.getString(2), t -> new TreeMap<>())
                        .put(rs.getString(3), rs.getString(4));
            }
        }
        return out;
    }

    /** Secondary (non-unique) indexes per table. */
    private static Map<String, TreeSet<String>> indexes(Connection c) throws SQLException {
        Map<String, TreeSet<String>> out = new TreeMap<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("""
                SELECT n.nspname, t.relname, i.relname
                FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
                JOIN pg_namespace n ON n.oid = t.relnamespace
                WHERE NOT x.indisunique AND n.nspname LIKE 'oi\\_%'""")) {
            while (rs.next()) {
                out.computeIfAbsent(rs.getString(1) + "." + rs.getString(2), t -> new TreeSet<>())
                        .add(rs.getString(3));
            }
        }
        return out;
    }
}
