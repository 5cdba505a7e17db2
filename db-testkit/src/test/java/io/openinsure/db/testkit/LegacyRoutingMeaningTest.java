package io.openinsure.db.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openinsure.db.core.StatementRefusedException;
import io.openinsure.db.domains.OpenInsureDb;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Legacy routing changes where a statement goes, never what it means: each statement of a corpus of
 * legacy SQL (literals of every quoting style naming tables, backslash escapes, identifiers sharing a
 * prefix with a routed table, comments, executable comments, hints, unions, subqueries, CTEs, joins,
 * writes) gives the same rows, or has the same effect, through the legacy client as through the
 * keyspace client that owns the tables, on the real embedded MariaDB in its default SQL mode
 * (double quotes delimit strings, backslashes escape).
 *
 * <p>Every statement is a template: {@code {t}} stands for a tag unique to the run, so rows of other
 * runs and other tests never take part. A case has the legacy text and, where the two must differ
 * (qualified with the legacy keyspace {@code openinsure}), the text for the keyspace client.
 */
@OpenInsureDbTest(backend = TestBackend.MARIADB)
class LegacyRoutingMeaningTest {

    private static final String LIKE_TAG = "policy_number LIKE '{t}-%'";

    static Stream<Arguments> reads() {
        List<Arguments> cases = new ArrayList<>();
        read(
                cases,
                "a double-quoted string naming the table",
                "SELECT \"policy\" AS s, policy_number FROM policy WHERE " + LIKE_TAG + " ORDER BY policy_number");
        read(
                cases,
                "double-quoted strings compare as strings",
                "SELECT policy_number FROM policy WHERE 'policy' = \"policy\" AND status IN ('ACTIVE', \"CANCELLED\") AND "
                        + LIKE_TAG + " ORDER BY 1");
        read(
                cases,
                "single-quoted strings holding SQL",
                "SELECT 'policy' AS s, 'from policy join claim' AS sql_text, ' FROM claim ' AS f FROM policy WHERE policy_number = '{t}-1'");
        read(
                cases,
                "backtick identifiers",
                "SELECT `policy_number`, `policy`.`status` FROM `policy` WHERE `policy_number` LIKE '{t}-%' ORDER BY 1");
        read(
                cases,
                "an escaped quote in a string",
                "SELECT 'a\\'b' AS s, policy_number FROM policy WHERE insured_name = 'a\\'b' AND " + LIKE_TAG);
        read(
                cases,
                "an escaped backslash in a string",
                "SELECT 'C:\\\\x' AS s, policy_number FROM policy WHERE insured_name = 'C:\\\\x' AND " + LIKE_TAG);
        read(
                cases,
                "a backslash before a quote and a backslash",
                "SELECT policy_number FROM policy WHERE insured_name = 'O\\'Brien \\\\ Sons' AND " + LIKE_TAG);
        read(
                cases,
                "escaped double quotes in a double-quoted string",
                "SELECT policy_number, \"say \\\"policy\\\"\" AS s FROM policy WHERE insured_name = \"\\\"policy\\\"\" AND "
                        + LIKE_TAG);
        read(
                cases,
                "doubled quotes",
                "SELECT 'it''s', \"say \"\"policy\"\"\" AS q FROM policy WHERE policy_number = '{t}-1'");
        read(
                cases,
                "introducers and hex literals",
                "SELECT _utf8mb4'policy' AS a, N'claim' AS b, CAST(X'706F6C696379' AS CHAR) AS c, 0x636C61696D AS d FROM policy WHERE policy_number = '{t}-2'");
        read(
                cases,
                "an alias and a column alias sharing a prefix with the table",
                "SELECT policy_x.policy_number AS policyholder FROM policy policy_x WHERE policy_x.policy_number LIKE '{t}-%' ORDER BY policyholder");
        read(
                cases,
                "columns qualified by the table's name",
                "SELECT policy.policy_number, policy.premium FROM policy WHERE policy." + LIKE_TAG + " ORDER BY 1");
        read(
                cases,
                "a routed table sharing a prefix with another",
                "SELECT p.policy_number, e.event_type FROM policy p JOIN policy_event e ON e.policy_id = p.id WHERE p."
                        + LIKE_TAG + " ORDER BY 1");
        read(
                cases,
                "comments mentioning tables",
                "SELECT policy_number /* FROM claim */ FROM policy -- JOIN claim ON 1\nWHERE " + LIKE_TAG
                        + " # FROM invoice\nORDER BY 1");
        read(
                cases,
                "executable comments (run as code by the server)",
                "SELECT /*!32312 SQL_NO_CACHE */ policy_number /*M!100000 , insured_name */ FROM /*! policy */ WHERE "
                        + LIKE_TAG + " ORDER BY 1");
        read(
                cases,
                "a join inside an executable comment",
                "SELECT count(*) AS n FROM policy p /*! JOIN coverage c ON c.policy_id = p.id */ WHERE p." + LIKE_TAG);
        read(
                cases,
                "a line comment inside an executable comment, hiding its */",
                "SELECT p.policy_number /*! , p.status # */ JOIN claim c ON c.policy_id = p.id\n */ FROM policy p WHERE p."
                        + LIKE_TAG + " ORDER BY 1");
        read(
                cases,
                "optimizer hints naming the table",
                "SELECT /*+ NO_INDEX(policy uk_policy_number) MAX_EXECUTION_TIME(1000) */ policy_number FROM policy WHERE "
                        + LIKE_TAG + " ORDER BY 1");
        read(
                cases,
                "a union across tables of the keyspace",
                "SELECT policy_number AS v FROM policy WHERE " + LIKE_TAG
                        + " UNION ALL SELECT c.coverage_type FROM coverage c JOIN policy p "
                        + "ON p.id = c.policy_id WHERE p." + LIKE_TAG + " ORDER BY v");
        read(
                cases,
                "parenthesised union members",
                "(SELECT policy_number FROM policy WHERE policy_number = '{t}-1') UNION (SELECT policy_number FROM `policy` WHERE policy_number = '{t}-2') ORDER BY 1");
        read(
                cases,
                "scalar, IN and EXISTS subqueries",
                "SELECT policy_number, (SELECT count(*) FROM coverage c WHERE c.policy_id = policy.id) AS n FROM policy WHERE id IN "
                        + "(SELECT policy_id FROM coverage) AND EXISTS (SELECT 1 FROM endorsement e WHERE e.policy_id = policy.id) AND "
                        + LIKE_TAG);
        read(
                cases,
                "a derived table aliased like a table",
                "SELECT policy_x.policy_number FROM (SELECT policy_number, premium FROM policy WHERE " + LIKE_TAG
                        + ") AS policy_x " + "WHERE policy_x.premium > 100 ORDER BY 1");
        read(
                cases,
                "a CTE named like a routed table is not routed",
                "WITH coverage AS (SELECT policy_number FROM policy WHERE " + LIKE_TAG
                        + ") SELECT policy_number FROM coverage ORDER BY 1");
        read(
                cases,
                "a recursive CTE joined to a table",
                "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3) "
                        + "SELECT p.policy_number, n.i FROM n JOIN policy p ON p.policy_number = concat('{t}-', n.i) ORDER BY 2");
        read(
                cases,
                "comma-joined tables",
                "SELECT p.policy_number, c.coverage_type FROM policy p, coverage c WHERE c.policy_id = p.id AND p."
                        + LIKE_TAG + " ORDER BY 1, 2");
        read(
                cases,
                "a parenthesised join",
                "SELECT p.policy_number, c.coverage_type FROM (policy p JOIN coverage c ON c.policy_id = p.id) WHERE p."
                        + LIKE_TAG + " ORDER BY 1, 2");
        read(
                cases,
                "FROM inside functions",
                "SELECT EXTRACT(YEAR FROM effective_date) AS y, TRIM(LEADING '{t}' FROM policy_number) AS n, "
                        + "SUBSTRING(insured_name FROM 1 FOR 3) AS s FROM policy WHERE " + LIKE_TAG + " ORDER BY 2");
        read(
                cases,
                "index hints",
                "SELECT p.policy_number FROM policy p USE INDEX (uk_policy_number) JOIN coverage c FORCE INDEX FOR JOIN (uk_coverage_policy_type) "
                        + "ON c.policy_id = p.id WHERE p." + LIKE_TAG + " ORDER BY 1");
        read(
                cases,
                "a locking read",
                "SELECT policy_number FROM policy WHERE " + LIKE_TAG + " ORDER BY 1 LOCK IN SHARE MODE");
        read(
                cases,
                "a user variable named like the table",
                "SELECT @policy AS v, @`claim` AS w, policy_number FROM policy WHERE " + LIKE_TAG + " ORDER BY 3");
        read(
                cases,
                "a LIKE pattern with an escaped quote",
                "SELECT policy_number FROM policy WHERE insured_name LIKE 'O\\'%' AND " + LIKE_TAG);
        read(
                cases,
                "the legacy keyspace as qualifier",
                "SELECT policy_number FROM openinsure.policy WHERE " + LIKE_TAG + " ORDER BY 1",
                "SELECT policy_number FROM policy WHERE " + LIKE_TAG + " ORDER BY 1");
        read(
                cases,
                "the legacy keyspace as quoted qualifier",
                "SELECT p.policy_number FROM `openinsure`.`policy` AS p JOIN openinsure.coverage c ON c.policy_id = p.id WHERE p."
                        + LIKE_TAG + " ORDER BY 1",
                "SELECT p.policy_number FROM `policy` AS p JOIN coverage c ON c.policy_id = p.id WHERE p." + LIKE_TAG
                        + " ORDER BY 1");
        read(
                cases,
                "a replica target as qualifier",
                "SELECT policy_number FROM `openinsure@replica`.policy WHERE " + LIKE_TAG + " ORDER BY 1",
                "SELECT policy_number FROM policy WHERE " + LIKE_TAG + " ORDER BY 1");
        read(
                cases,
                "a replica target on the table",
                "SELECT p.policy_number FROM policy@replica p JOIN openinsure.coverage@replica c ON c.policy_id = p.id WHERE p."
                        + LIKE_TAG + " ORDER BY 1",
                "SELECT p.policy_number FROM policy p JOIN coverage c ON c.policy_id = p.id WHERE p." + LIKE_TAG
                        + " ORDER BY 1");
        read(
                cases,
                "columns qualified by keyspace and table",
                "SELECT openinsure.policy.policy_number FROM openinsure.policy WHERE openinsure.policy." + LIKE_TAG
                        + " ORDER BY 1",
                "SELECT oi_policies.policy.policy_number FROM policy WHERE oi_policies.policy." + LIKE_TAG
                        + " ORDER BY 1");
        return cases.stream();
    }

    private static void read(List<Arguments> cases, String name, String sql) {
        read(cases, name, sql, sql);
    }

    private static void read(List<Arguments> cases, String name, String legacySql, String keyspaceSql) {
        cases.add(Arguments.of(name, legacySql, keyspaceSql));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reads")
    void aReadGivesTheSameRowsThroughTheLegacyClient(
            String name, String legacySql, String keyspaceSql, OpenInsureDb db) {
        String tag = seed(db);
        List<Map<String, Object>> viaKeyspace = rows(db.policies().uncached().fetch(keyspaceSql.replace("{t}", tag)));
        List<Map<String, Object>> viaLegacy = rows(db.legacy().uncached().fetch(legacySql.replace("{t}", tag)));
        List<Map<String, Object>> viaLegacyCached = rows(db.legacy().dsl().fetch(legacySql.replace("{t}", tag)));

        assertThat(viaKeyspace).as("the case reads rows").isNotEmpty();
        assertThat(viaLegacy).isEqualTo(viaKeyspace);
        assertThat(viaLegacyCached).isEqualTo(viaKeyspace);
    }

    @Test
    void theDefectsTheProbeFoundAreGone(OpenInsureDb db) {
        String tag = seed(db);
        assertThat(db.legacy()
                        .dsl()
                        .fetchValue("SELECT \"policy\" AS s FROM policy WHERE policy_number = '" + tag + "-1'"))
                .isEqualTo("policy");
        assertThat(db.legacy().dsl().fetchValue("SELECT 'a\\'b' FROM policy WHERE policy_number = '" + tag + "-1'"))
                .isEqualTo("a'b");
        assertThat(db.legacy().dsl().fetchValue("SELECT 'C:\\\\x' FROM policy WHERE policy_number = '" + tag + "-1'"))
                .isEqualTo("C:\\x");
    }

    static Stream<Arguments> writes() {
        return Stream.of(
                Arguments.of(
                        "an update with escapes in both quoting styles",
                        "UPDATE policy SET insured_name = \"say \\\"policy\\\" \\\\ 'x'\", status = 'it''s' WHERE policy_number = '{t}-1'"),
                Arguments.of(
                        "a multi-table update joining two tables",
                        "UPDATE policy p JOIN coverage c ON c.policy_id = p.id SET c.premium = c.premium + 1, p.status = 'from claim' "
                                + "WHERE p." + LIKE_TAG),
                Arguments.of(
                        "INSERT … SELECT with literals naming tables",
                        "INSERT INTO coverage (id, policy_id, coverage_type, limit_amount, premium) "
                                + "SELECT unhex(md5(concat(policy_number, '-x'))), id, 'A\\'B \"policy\"', 10, 1 FROM policy "
                                + "WHERE " + LIKE_TAG + " AND insured_name <> \"policy\""),
                Arguments.of(
                        "INSERT … VALUES with a subquery and JSON holding backslashes",
                        "INSERT INTO policy_event (id, policy_id, event_type, payload, occurred_at) VALUES (unhex(md5('{t}-ev')), "
                                + "(SELECT id FROM policy WHERE policy_number = '{t}-2'), \"policy\", "
                                + "'{\"table\": \"policy\", \"path\": \"C:\\\\\\\\x\"}', '2026-01-01 00:00:00')"),
                Arguments.of(
                        "INSERT without INTO, SET form",
                        "INSERT policy_event SET id = unhex(md5('{t}-e2')), policy_id = (SELECT id FROM policy WHERE policy_number = '{t}-1'), "
                                + "event_type = 'claim', occurred_at = '2026-01-02'"),
                Arguments.of(
                        "INSERT … ON DUPLICATE KEY UPDATE",
                        "INSERT INTO coverage (id, policy_id, coverage_type, limit_amount, premium) "
                                + "VALUES (unhex(md5('{t}-1-GL')), unhex(md5('{t}-1-p')), 'GL', 1, 1) "
                                + "ON DUPLICATE KEY UPDATE premium = 77, limit_amount = VALUES(limit_amount)"),
                Arguments.of(
                        "REPLACE INTO",
                        "REPLACE INTO coverage (id, policy_id, coverage_type, limit_amount, premium) "
                                + "VALUES (unhex(md5('{t}-2-GL')), unhex(md5('{t}-2-p')), 'GL', 5, 5)"),
                Arguments.of(
                        "a DELETE with a subquery and a comment naming a table",
                        "DELETE FROM endorsement WHERE policy_id IN (SELECT id FROM policy WHERE policy_number = '{t}-1') -- DELETE FROM policy"),
                Arguments.of(
                        "a multi-table DELETE naming an alias",
                        "DELETE c FROM coverage c JOIN policy p ON p.id = c.policy_id WHERE p.policy_number = '{t}-2'"),
                Arguments.of(
                        "a multi-table DELETE naming the table",
                        "DELETE coverage FROM coverage JOIN policy ON policy.id = coverage.policy_id WHERE policy.policy_number = '{t}-1'"),
                Arguments.of(
                        "a multi-table DELETE … USING",
                        "DELETE FROM c USING coverage AS c JOIN policy AS p ON p.id = c.policy_id WHERE p.policy_number = '{t}-1'"),
                Arguments.of(
                        "a DELETE with a backslash in the WHERE",
                        "DELETE FROM policy WHERE insured_name = 'C:\\\\x' AND " + LIKE_TAG));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("writes")
    void aWriteHasTheSameEffectThroughTheLegacyClient(String name, String sql, OpenInsureDb db) {
        String viaKeyspace = seed(db);
        String viaLegacy = seed(db);
        List<Map<String, Object>> before = state(db, viaKeyspace);

        int keyspaceCount = db.policies().dsl().execute(sql.replace("{t}", viaKeyspace));
        int legacyCount = db.legacy().dsl().execute(sql.replace("{t}", viaLegacy));

        assertThat(state(db, viaKeyspace)).as("the write changes something").isNotEqualTo(before);
        assertThat(legacyCount).isEqualTo(keyspaceCount);
        assertThat(state(db, viaLegacy)).isEqualTo(state(db, viaKeyspace));
    }

    @Test
    void aStatementThatCannotBePlacedIsStillRefused(OpenInsureDb db) {
        assertThatThrownBy(() -> db.legacy().dsl().fetch("SELECT * FROM \"policy\""))
                .isInstanceOf(StatementRefusedException.class)
                .hasMessage(
                        "Keyspace 'legacy': cannot route this statement (\"policy\" stands where a table belongs, but is a string in "
                                + "MySQL's default SQL mode; quote table names with backticks). Run it through the keyspace client that owns the "
                                + "table, or qualify the table as keyspace.table.");
        assertThatThrownBy(() -> db.legacy().dsl().execute("ALTER TABLE policy COMMENT 'x'"))
                .isInstanceOf(StatementRefusedException.class)
                .hasMessage(
                        "Keyspace 'legacy': cannot route this statement (it names the routed table policy where the router does not "
                                + "read table references; it routes SELECT, INSERT, REPLACE, UPDATE and DELETE). Run it through the keyspace "
                                + "client that owns the table, or qualify the table as keyspace.table.");
    }

    /** Inserts five policies (numbers {@code <tag>-1} … {@code -5}) with coverages, an endorsement and an event; returns the tag. */
    private static String seed(OpenInsureDb db) {
        String tag = "LRM" + UUID.randomUUID().toString().substring(0, 8);
        DSLContext dsl = db.policies().uncached();
        String[][] policies = {
            {"1", "O'Brien \\ Sons", "ACTIVE", "100"},
            {"2", "policy", "ACTIVE", "200"},
            {"3", "\"policy\"", "CANCELLED", "300"},
            {"4", "C:\\x", "ACTIVE", "400"},
            {"5", "a'b", "LAPSED", "500"},
        };
        for (String[] p : policies) {
            String number = tag + "-" + p[0];
            dsl.execute(
                    "INSERT INTO policy (id, policy_number, org_id, program_id, insured_name, status, effective_date, expiration_date, "
                            + "premium, currency) VALUES (unhex(md5(?)), ?, unhex(md5('org')), unhex(md5('program')), ?, ?, '2026-01-01', "
                            + "'2027-01-01', ?, 'USD')",
                    number + "-p",
                    number,
                    p[1],
                    p[2],
                    p[3]);
        }
        for (String[] c : new String[][] {{"1", "GL"}, {"1", "PROPERTY"}, {"2", "GL"}}) {
            String number = tag + "-" + c[0];
            dsl.execute(
                    "INSERT INTO coverage (id, policy_id, coverage_type, limit_amount, premium) VALUES (unhex(md5(?)), unhex(md5(?)), ?, 1000, 10)",
                    number + "-" + c[1],
                    number + "-p",
                    c[1]);
        }
        dsl.execute(
                "INSERT INTO endorsement (id, policy_id, endorsement_number, effective_date, description) "
                        + "VALUES (unhex(md5(?)), unhex(md5(?)), 1, '2026-06-01', 'raise the limit')",
                tag + "-1-e1",
                tag + "-1-p");
        dsl.execute(
                "INSERT INTO policy_event (id, policy_id, event_type, occurred_at) VALUES (unhex(md5(?)), unhex(md5(?)), 'ISSUED', '2026-01-01')",
                tag + "-2-ev0",
                tag + "-2-p");
        return tag;
    }

    /** Everything a write may change under {@code tag}, with the tag taken out so two tags compare. */
    private static List<Map<String, Object>> state(OpenInsureDb db, String tag) {
        DSLContext dsl = db.policies().uncached();
        List<Map<String, Object>> all = new ArrayList<>();
        all.addAll(rows(dsl.fetch(
                "SELECT 'policy' AS t, policy_number AS k, insured_name, status, premium FROM policy "
                        + "WHERE policy_number LIKE ? ORDER BY 2",
                tag + "-%")));
        all.addAll(rows(dsl.fetch(
                "SELECT 'coverage' AS t, p.policy_number AS k, c.coverage_type, c.limit_amount, c.premium "
                        + "FROM coverage c JOIN policy p ON p.id = c.policy_id WHERE p.policy_number LIKE ? ORDER BY 2, 3",
                tag + "-%")));
        all.addAll(rows(dsl.fetch(
                "SELECT 'endorsement' AS t, p.policy_number AS k, e.description FROM endorsement e "
                        + "JOIN policy p ON p.id = e.policy_id WHERE p.policy_number LIKE ? ORDER BY 2",
                tag + "-%")));
        all.addAll(rows(dsl.fetch(
                "SELECT 'event' AS t, p.policy_number AS k, e.event_type, CAST(e.payload AS CHAR) AS payload "
                        + "FROM policy_event e JOIN policy p ON p.id = e.policy_id WHERE p.policy_number LIKE ? ORDER BY 2, 3",
                tag + "-%")));
        all.replaceAll(row -> {
            Map<String, Object> untagged = new LinkedHashMap<>();
            row.forEach((k, v) -> untagged.put(k, v instanceof String s ? s.replace(tag, "{t}") : v));
            return untagged;
        });
        return all;
    }

    /** Rows as maps, binary values as hex so that equal rows compare equal. */
    private static List<Map<String, Object>> rows(Result<Record> result) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map<String, Object> row : result.intoMaps()) {
            Map<String, Object> copy = new LinkedHashMap<>();
            row.forEach((k, v) ->
                    copy.put(k, v instanceof byte[] b ? HexFormat.of().formatHex(b) : v));
            rows.add(copy);
        }
        return rows;
    }
}
