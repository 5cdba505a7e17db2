package io.openinsure.db.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.openinsure.db.core.spi.SqlTokens;
import io.openinsure.db.core.spi.SqlTokens.Kind;
import io.openinsure.db.core.spi.SqlTokens.Token;
import io.openinsure.db.testsupport.EmbeddedMariaDbServer;
import io.openinsure.db.testsupport.EmbeddedPostgresServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The lexer's rules where SDK code once read a text two ways (db-core's lexer and the legacy router's), each settled
 * by how the server reads it: the statement runs on the embedded MariaDB (MySQL rules) or PostgreSQL, and its answer
 * shows where the server ends each token. Tokens are shown as written, words and symbols bare, others as
 * {@code kind(text)}.
 */
class SqlLexerServerRulesTest {

    private static Connection mariaDb;
    private static Connection postgres;

    @BeforeAll
    static void connect() throws SQLException {
        mariaDb = EmbeddedMariaDbServer.shared().open("");
        postgres = EmbeddedPostgresServer.shared().open("");
    }

    @AfterAll
    static void disconnect() throws SQLException {
        mariaDb.close();
        postgres.close();
    }

    static Stream<Arguments> mysqlRules() {
        return Stream.of(
                rule(
                        "a # comment inside an executable comment runs to the end of the line, past */",
                        "SELECT 1 /*! + 1 # x */\n + 2 */",
                        "4",
                        "SELECT number(1) + number(1) + number(2)"),
                rule(
                        "so does a -- comment",
                        "SELECT 1 /*! + 1 -- x */\n + 2 */",
                        "4",
                        "SELECT number(1) + number(1) + number(2)"),
                rule(
                        "an executable comment inside an executable comment is code; the first */ ends both",
                        "SELECT 1 /*! + 1 /*! + 2 */ + 4",
                        "8",
                        "SELECT number(1) + number(1) + number(2) + number(4)"),
                rule("/*M! is an executable comment", "SELECT 1 /*M! + 1 */", "2", "SELECT number(1) + number(1)"),
                rule("/*m! (lower-case m) is a plain comment", "SELECT 1 /*m! + 1 */", "1", "SELECT number(1)"),
                rule(
                        "what follows name. is a name, even when it starts with a digit",
                        "SELECT t.5c, t.5 FROM (SELECT 7 AS `5c`, 8 AS `5`) t",
                        "7",
                        "SELECT t . 5c , t . 5 FROM ( SELECT number(7) AS quoted_name(`5c`) , number(8) AS quoted_name(`5`) ) t"),
                rule(
                        "after a quoted name, .5 is a number",
                        "SELECT `t`.5 FROM (SELECT 7 AS `5`) t",
                        "error",
                        "SELECT quoted_name(`t`) number(.5) FROM ( SELECT number(7) AS quoted_name(`5`) ) t"),
                rule(
                        "$ starts a name",
                        "SELECT $x FROM (SELECT 3 AS $x) t",
                        "3",
                        "SELECT $x FROM ( SELECT number(3) AS $x ) t"),
                rule(
                        "non-ASCII characters other than whitespace are name characters",
                        "SELECT a€b, a\u00a0b FROM (SELECT 5 AS a€b, 6 AS a\u00a0b) t",
                        "5",
                        "SELECT a€b , a\u00a0b FROM ( SELECT number(5) AS a€b , number(6) AS a\u00a0b ) t"),
                rule(
                        "a variable ends after its name: @a'x' is @a named x",
                        "SELECT x FROM (SELECT @a'x') t",
                        "null",
                        "SELECT x FROM ( SELECT variable(@a) string('x') ) t"),
                rule(
                        "a sign belongs to a decimal exponent only: 0x1e-1 is 0x1e minus 1",
                        "SELECT 0x1e-1",
                        "29",
                        "SELECT number(0x1e) - number(1)"),
                rule(
                        "a dot after digits belongs to the number, an exponent may follow",
                        "SELECT 1.e3 + 1.",
                        "1001.0",
                        "SELECT number(1.e3) + number(1.)"),
                rule(
                        "a complete number ends before the name characters after it",
                        "SELECT x FROM (SELECT 1e5x) t",
                        "100000.0",
                        "SELECT x FROM ( SELECT number(1e5) x ) t"),
                rule(
                        "name characters that make no number make a name",
                        "SELECT 1_000 + 1ex + 0X1F + 0x1g FROM (SELECT 1 AS `1_000`, 2 AS `1ex`, 3 AS `0X1F`, 4 AS `0x1g`) t",
                        "10",
                        "SELECT 1_000 + 1ex + 0X1F + 0x1g FROM ( SELECT number(1) AS quoted_name(`1_000`) , number(2) AS"
                                + " quoted_name(`1ex`) , number(3) AS quoted_name(`0X1F`) , number(4) AS quoted_name(`0x1g`) ) t"),
                rule(
                        "an @ inside a word continues it, as vtgate reads keyspace@tablet; MariaDB refuses the text",
                        "SELECT a@b FROM (SELECT 1 AS a) t",
                        "error",
                        "SELECT a@b FROM ( SELECT number(1) AS a ) t"));
    }

    static Stream<Arguments> postgresRules() {
        return Stream.of(
                rule(
                        ".5 after a word is a number",
                        "SELECT CASE WHEN true THEN.5 END",
                        "0.5",
                        "SELECT CASE WHEN true THEN number(.5) END"),
                rule(
                        "a number ends before the letters after it",
                        "SELECT ex FROM (SELECT 1ex) t",
                        "1",
                        "SELECT ex FROM ( SELECT number(1) ex ) t"),
                rule(
                        "a dot after digits belongs to the number, an exponent may follow",
                        "SELECT 1.e3 + 1.",
                        "1001",
                        "SELECT number(1.e3) + number(1.)"),
                rule(
                        "non-ASCII characters other than whitespace are name characters, also in a dollar quote's tag",
                        "SELECT a€b || $a€$x$a€$ FROM (SELECT 'y' AS a€b) t",
                        "yx",
                        "SELECT a€b | | string($a€$x$a€$) FROM ( SELECT string('y') AS a€b ) t"));
    }

    @ParameterizedTest(name = "MySQL: {0}")
    @MethodSource("mysqlRules")
    void theLexerReadsMySqlAsMariaDbDoes(String rule, String sql, String answer, String tokens) {
        assertThat(shown(sql, true)).isEqualTo(tokens);
        assertThat(answer(mariaDb, sql)).isEqualTo(answer);
    }

    @ParameterizedTest(name = "PostgreSQL: {0}")
    @MethodSource("postgresRules")
    void theLexerReadsPostgresAsPostgresDoes(String rule, String sql, String answer, String tokens) {
        assertThat(shown(sql, false)).isEqualTo(tokens);
        assertThat(answer(postgres, sql)).isEqualTo(answer);
    }

    private static Arguments rule(String rule, String sql, String answer, String tokens) {
        return Arguments.of(rule, sql, answer, tokens);
    }

    private static String shown(String sql, boolean mysql) {
        return SqlTokens.lex(sql, mysql).tokens().stream()
                .map(t -> show(sql, t))
                .collect(Collectors.joining(" "));
    }

    private static String show(String sql, Token t) {
        String written = sql.substring(t.start(), t.end());
        return t.kind() == Kind.WORD || t.kind() == Kind.SYMBOL
                ? written
                : t.kind().name().toLowerCase(Locale.ROOT) + "(" + written + ")";
    }

    /** The first column of the first row as text, or {@code "error"} when the server refuses the statement. */
    private static String answer(Connection connection, String sql) {
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            assertThat(rs.next()).as(sql).isTrue();
            return String.valueOf(rs.getString(1));
        } catch (SQLException e) {
            return "error";
        }
    }
}
