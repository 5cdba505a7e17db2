package io.openinsure.db.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openinsure.db.core.BindingConfig;
import io.openinsure.db.core.ConfigSource;
import io.openinsure.db.core.ConfigurationException;
import io.openinsure.db.core.KeyspaceClient;
import io.openinsure.db.core.StatementRefusedException;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed statements and limit settings, each with the typed error and the exact text a user reads.
 * Statements run through a real client on the embedded MariaDB, and the table is checked untouched
 * after each. The connection-string and pool side of configuration is covered in db-core
 * ({@code DatabaseUrlTest}, {@code BindingConfigTest}, {@code SettingsTest}, {@code CachePolicyTest}).
 */
@Timeout(120)
class MalformedStatementsAndSettingsTest {

    private static final String FIX_DELETE =
            " is refused on runtime clients (rule delete-without-where); add a WHERE clause, or use "
                    + "Keyset.deleteInChunks, or run it through the admin/migration path.";
    private static final String FIX_UPDATE =
            " is refused on runtime clients (rule update-without-where); add a WHERE clause, or use "
                    + "Keyset.forEachPage to update page by page, or run it through the admin/migration path.";
    private static final String DELETE = "Keyspace 'claims': DELETE without WHERE" + FIX_DELETE;
    private static final String DELETE_TRUE = "Keyspace 'claims': DELETE with a WHERE that is always true" + FIX_DELETE;
    private static final String UPDATE = "Keyspace 'claims': UPDATE without WHERE" + FIX_UPDATE;
    private static final String UPDATE_TRUE = "Keyspace 'claims': UPDATE with a WHERE that is always true" + FIX_UPDATE;
    private static final String TRUNCATE =
            "Keyspace 'claims': TRUNCATE is refused on runtime clients (rule truncate); delete in "
                    + "chunks with Keyset.deleteInChunks, or run it through the admin/migration path.";
    private static final String DROP =
            "Keyspace 'claims': DROP is refused on runtime clients (rule drop); schema changes belong in "
                    + "a migration, run over OI_DB_CLAIMS_ADMIN_URL (Migrator).";
    private static final String USE =
            "Keyspace 'claims': USE is refused on runtime clients (rule use); a client stays on its own "
                    + "keyspace: use the client of the keyspace you want (one client per keyspace).";

    private static KeyspaceClient claims;

    @BeforeAll
    static void open() throws Exception {
        // MySQL's lexical rules ('#' comments, executable comments): the embedded MariaDB.
        claims = GuardsAndLimitsTest.client(GuardsAndLimitsTest.createDatabase(TestServer.MARIADB), b -> b);
    }

    @AfterAll
    static void close() {
        claims.close();
    }

    @AfterEach
    void nothingReachedTheServer() {
        assertThat(claims.uncached().fetchCount(GuardsAndLimitsTest.ROWS)).isEqualTo(baseline);
        assertThat(claims.uncached().fetchCount(GuardsAndLimitsTest.ROWS, GuardsAndLimitsTest.NOTE.eq("changed")))
                .isZero();
    }

    private static int baseline;

    static Stream<Arguments> statements() {
        return Stream.of(
                Arguments.of("delete from guard_rows", "delete-without-where", DELETE),
                Arguments.of("DELETE FROM guard_rows", "delete-without-where", DELETE),
                Arguments.of("delete from guard_rows order by id limit 10", "delete-without-where", DELETE),
                Arguments.of("delete from guard_rows -- where id = 1", "delete-without-where", DELETE),
                Arguments.of("delete from guard_rows /* where id = 1 */", "delete-without-where", DELETE),
                Arguments.of("delete from guard_rows # where id = 1", "delete-without-where", DELETE),
                Arguments.of(
                        "delete guard_rows from guard_rows join guard_rows g on g.id = guard_rows.id",
                        "delete-without-where",
                        DELETE),
                Arguments.of(
                        "with doomed as (select id from guard_rows where id < 5) delete from guard_rows",
                        "delete-without-where",
                        DELETE),
                Arguments.of("delete from guard_rows where 1 = 1", "delete-without-where", DELETE_TRUE),
                Arguments.of("delete from guard_rows where 1=1 limit 5", "delete-without-where", DELETE_TRUE),
                Arguments.of("delete from guard_rows where true", "delete-without-where", DELETE_TRUE),
                Arguments.of("delete from guard_rows where (1)", "delete-without-where", DELETE_TRUE),
                Arguments.of("delete from guard_rows where 'a' = 'a'", "delete-without-where", DELETE_TRUE),
                Arguments.of("update guard_rows set note = 'changed'", "update-without-where", UPDATE),
                Arguments.of("UPDATE `guard_rows` SET `note` = 'where id = 1'", "update-without-where", UPDATE),
                Arguments.of(
                        "update guard_rows set note = (select 'changed' from dual where 1 = 1)",
                        "update-without-where",
                        UPDATE),
                Arguments.of(
                        "update guard_rows set note = 'changed' order by id limit 5", "update-without-where", UPDATE),
                Arguments.of(
                        "update guard_rows g join guard_rows h on h.id = g.id set g.note = 'changed'",
                        "update-without-where",
                        UPDATE),
                Arguments.of("update guard_rows set note = 'changed' where 1 = 1", "update-without-where", UPDATE_TRUE),
                Arguments.of(
                        "update guard_rows set note = 'changed' where (true)", "update-without-where", UPDATE_TRUE),
                Arguments.of("truncate guard_rows", "truncate", TRUNCATE),
                Arguments.of("TRUNCATE TABLE guard_rows", "truncate", TRUNCATE),
                Arguments.of("/*M! truncate guard_rows */", "truncate", TRUNCATE),
                Arguments.of("drop table guard_rows", "drop", DROP),
                Arguments.of("drop table if exists guard_rows", "drop", DROP),
                Arguments.of("DROP DATABASE oi_guards", "drop", DROP),
                Arguments.of("drop index guard_note on guard_rows", "drop", DROP),
                Arguments.of("alter table guard_rows drop column note", "drop", DROP),
                Arguments.of("/*!40101 drop table guard_rows */", "drop", DROP),
                Arguments.of("use mysql", "use", USE),
                Arguments.of("USE `oi_claims`", "use", USE),
                Arguments.of("select 1; select 2", "multi-statement", multi(2)),
                Arguments.of("select 1; delete from guard_rows where id = 1", "multi-statement", multi(2)),
                Arguments.of(
                        "update guard_rows set note = 'changed' where id = 1; drop table guard_rows",
                        "multi-statement",
                        multi(2)),
                Arguments.of("select 1;; select 2; select 3;", "multi-statement", multi(3)),
                Arguments.of("select '1'; /*!40101 select 2 */", "multi-statement", multi(2)));
    }

    private static String multi(int n) {
        return "Keyspace 'claims': " + n
                + " statements in one string are refused on runtime clients (rule multi-statement); send "
                + "one statement per call (values as bind parameters).";
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("statements")
    void malformedStatementsAreRefusedWithTheirRule(String sql, String rule, String message) {
        baseline = claims.uncached().fetchCount(GuardsAndLimitsTest.ROWS);
        for (var dsl : new org.jooq.DSLContext[] {claims.dsl(), claims.uncached()}) {
            assertThatThrownBy(() -> dsl.execute(sql))
                    .isInstanceOf(StatementRefusedException.class)
                    .hasMessage(message)
                    .satisfies(e ->
                            assertThat(((StatementRefusedException) e).rule()).isEqualTo(rule));
        }
        assertThatThrownBy(() -> claims.transaction(tx -> tx.execute(sql)))
                .isInstanceOf(StatementRefusedException.class)
                .hasMessage(message);
    }

    static Stream<Arguments> settings() {
        return Stream.of(
                Arguments.of("MAX_ROWS", "0", "max rows must be between 1 and 10000000 but was 0."),
                Arguments.of("MAX_ROWS", "-1", "max rows must be between 1 and 10000000 but was -1."),
                Arguments.of("MAX_ROWS", "10000001", "max rows must be between 1 and 10000000 but was 10000001."),
                Arguments.of("MAX_ROWS", "many", "expected integer 1–10000000 but was 'many'."),
                Arguments.of("MAX_ROWS", "1e5", "expected integer 1–10000000 but was '1e5'."),
                Arguments.of("MAX_ROWS", "100 000", "expected integer 1–10000000 but was '100 000'."),
                Arguments.of("MAX_ROWS", "100k", "expected integer 1–10000000 but was '100k'."),
                Arguments.of("MAX_WRITE_ROWS", "0", "max write rows must be between 1 and 10000000 but was 0."),
                Arguments.of("MAX_WRITE_ROWS", "ten", "expected integer 1–10000000 but was 'ten'."),
                Arguments.of(
                        "MAX_WRITE_ROWS",
                        "20000000",
                        "max write rows must be between 1 and 10000000 but was 20000000."),
                Arguments.of("MAX_RESULT_BYTES", "0", "max result bytes must be between 1KB and 1GB but was 0B."),
                Arguments.of("MAX_RESULT_BYTES", "512", "max result bytes must be between 1KB and 1GB but was 512B."),
                Arguments.of("MAX_RESULT_BYTES", "2GB", "max result bytes must be between 1KB and 1GB but was 2GB."),
                Arguments.of("MAX_RESULT_BYTES", "64 MiB", "expected size 1KB–1GB but was '64 MiB'."),
                Arguments.of("MAX_RESULT_BYTES", "lots", "expected size 1KB–1GB but was 'lots'."),
                Arguments.of("MAX_RESULT_BYTES", "-1MB", "expected size 1KB–1GB but was '-1MB'."),
                Arguments.of(
                        "TRANSACTION_TIMEOUT",
                        "0s",
                        "transaction timeout must be a whole number of seconds between 1s and 1h but was 0ms."),
                Arguments.of(
                        "TRANSACTION_TIMEOUT",
                        "1500ms",
                        "transaction timeout must be a whole number of seconds between 1s and 1h but was 1500ms."),
                Arguments.of(
                        "TRANSACTION_TIMEOUT",
                        "2h",
                        "transaction timeout must be a whole number of seconds between 1s and 1h but was 2h."),
                Arguments.of("TRANSACTION_TIMEOUT", "soon", "expected duration 1s–1h, whole seconds but was 'soon'."),
                Arguments.of("TRANSACTION_TIMEOUT", "20", "expected duration 1s–1h, whole seconds but was '20'."),
                Arguments.of(
                        "STATEMENT_TIMEOUT",
                        "25h",
                        "statement timeout must be a whole number of seconds between 1s and 24h but was 25h."),
                Arguments.of(
                        "STATEMENT_TIMEOUT",
                        "0ms",
                        "statement timeout must be a whole number of seconds between 1s and 24h but was 0ms."),
                Arguments.of("STATEMENT_TIMEOUT", "900", "expected duration 1s–24h, whole seconds but was '900'."),
                Arguments.of(
                        "QUERY_TIMEOUT",
                        "500ms",
                        "query timeout must be a whole number of seconds between 1s and 24h but was 500ms."),
                Arguments.of(
                        "QUERY_TIMEOUT",
                        "0s",
                        "query timeout must be a whole number of seconds between 1s and 24h but was 0ms."),
                Arguments.of("QUERY_TIMEOUT", "forever", "expected duration 1s–24h, whole seconds but was 'forever'."),
                Arguments.of(
                        "QUERY_TIMEOUT",
                        "PT0.5S",
                        "query timeout must be a whole number of seconds between 1s and 24h but was 500ms."));
    }

    @ParameterizedTest(name = "[{index}] OI_DB_CLAIMS_{0}={1}")
    @MethodSource("settings")
    void malformedLimitSettingsNameTheirKey(String suffix, String raw, String problem) {
        baseline = claims.uncached().fetchCount(GuardsAndLimitsTest.ROWS);
        String key = "OI_DB_CLAIMS_" + suffix;
        assertThatThrownBy(() -> BindingConfig.builder("claims")
                        .build(ConfigSource.of(
                                Map.of("OI_DB_CLAIMS_URL", "mysql://root@127.0.0.1/oi_claims", key, raw))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Keyspace 'claims': " + key + ": " + problem)
                .satisfies(
                        e -> assertThat(((ConfigurationException) e).setting()).contains(key));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("crossChecks")
    void limitSettingsAreCheckedAgainstEachOther(String description, Map<String, String> values, String message) {
        baseline = claims.uncached().fetchCount(GuardsAndLimitsTest.ROWS);
        assertThatThrownBy(() -> BindingConfig.builder("claims")
                        .url("mysql://root@127.0.0.1/oi_claims")
                        .build(ConfigSource.of(values)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage(message);
    }

    static Stream<Arguments> crossChecks() {
        String message =
                "Keyspace 'claims': OI_DB_CLAIMS_QUERY_TIMEOUT (%s) must not exceed OI_DB_CLAIMS_STATEMENT_TIMEOUT (%s).";
        return Stream.of(
                Arguments.of(
                        "query timeout over the statement ceiling",
                        Map.of("OI_DB_CLAIMS_QUERY_TIMEOUT", "60s", "OI_DB_CLAIMS_STATEMENT_TIMEOUT", "30s"),
                        String.format(message, "1m", "30s")),
                Arguments.of(
                        "default query timeout over a low ceiling",
                        Map.of("OI_DB_CLAIMS_STATEMENT_TIMEOUT", "10s"),
                        String.format(message, "30s", "10s")));
    }
}
