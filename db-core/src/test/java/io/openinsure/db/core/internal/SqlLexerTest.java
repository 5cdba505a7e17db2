package io.openinsure.db.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.openinsure.db.core.internal.SqlLexer.Lexed;
import io.openinsure.db.core.spi.SqlTokens.Kind;
import io.openinsure.db.core.spi.SqlTokens.Token;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SqlLexerTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            select 1                                      | 1
            select 1;                                     | 1
            select 1; select 2                            | 2
            select ';' from t                             | 1
            select 1 -- ; select 2                        | 1
            select 1 /* ; select 2 */                     | 1
            select 1 # ; select 2                         | 1
            select "a;b"                                  | 1
            select `a;b` from t                           | 1
            ;;                                            | 0
            ~~                                            | 0
            """)
    void countsStatementsOutsideLiteralsAndComments(String sql, int statements) {
        assertThat(SqlLexer.lex(sql == null ? "" : sql, true).statements()).isEqualTo(statements);
    }

    @Test
    void postgresDollarQuotesEscapeStringsAndNestedComments() {
        assertThat(SqlLexer.lex("select $$a;b$$, $tag$ ; $$ $tag$", false).statements())
                .isEqualTo(1);
        assertThat(SqlLexer.lex("select e'it\\'s; fine'", false).statements()).isEqualTo(1);
        assertThat(SqlLexer.lex("select 1 /* outer /* inner */ ; still comment */", false)
                        .statements())
                .isEqualTo(1);
        assertThat(SqlLexer.lex("select $1, $2", false).tokens())
                .extracting(Token::kind)
                .containsExactly(Kind.WORD, Kind.PARAM, Kind.SYMBOL, Kind.PARAM);
        assertThat(SqlLexer.lex("select 1 # 2", false).tokens())
                .extracting(Token::text)
                .containsExactly("select", "1", "#", "2");
        assertThat(SqlLexer.lex("select tags @> '{a}'", false).tokens())
                .extracting(Token::kind)
                .doesNotContain(Kind.VARIABLE);
    }

    @Test
    void mysqlDashDashNeedsASpaceToStartAComment() {
        assertThat(SqlLexer.lex("select 1--1", true).tokens())
                .extracting(Token::text)
                .containsExactly("select", "1", "-", "-", "1");
        assertThat(SqlLexer.lex("select 1-- 1", true).tokens())
                .extracting(Token::text)
                .containsExactly("select", "1");
        assertThat(SqlLexer.lex("select 1--1", false).tokens())
                .extracting(Token::text)
                .containsExactly("select", "1");
    }

    @Test
    void findsVariablesExecutableCommentsAndHints() {
        assertThat(SqlLexer.lex("select @a, @@session.sql_mode, @`q v`", true).tokens())
                .filteredOn(t -> t.kind() == Kind.VARIABLE)
                .extracting(Token::text)
                .containsExactly("@a", "@@session.sql_mode", "@`q v`");
        Lexed executable = SqlLexer.lex("select /*!40001 SQL_NO_CACHE */ 1", true);
        assertThat(executable.executableComment()).isTrue();
        assertThat(executable.normalised()).isEqualTo("select /*!40001 SQL_NO_CACHE */ 1");
        assertThat(SqlLexer.lex("select /*M!100000 1 */ 2", true).executableComment())
                .isTrue();
        assertThat(SqlLexer.lex("select /*+ BKA(t) */ 1", true).optimizerHint()).isTrue();
        assertThat(SqlLexer.lex("select /* plain */ 1", true).executableComment())
                .isFalse();
    }

    @Test
    void flagsWhatIsNotClosed() {
        assertThat(SqlLexer.lex("select 'abc", true).unterminated()).isTrue();
        assertThat(SqlLexer.lex("select `abc", true).unterminated()).isTrue();
        assertThat(SqlLexer.lex("select 1 /* abc", true).unterminated()).isTrue();
        assertThat(SqlLexer.lex("select $x$ abc", false).unterminated()).isTrue();
        assertThat(SqlLexer.lex("select 'a''b', `c`, \"d\" /* e */", true).unterminated())
                .isFalse();
        assertThat(SqlLexer.lex("select $$ is a name in MySQL", true).unterminated())
                .isFalse();
    }

    @Test
    void normalisesCommentsAndWhitespaceButNeverLiterals() {
        Lexed lexed = SqlLexer.lex(
                "  select note /* list */ from\n\t policy -- by id\n where note = 'a  /* b */  c'  ", true);
        assertThat(lexed.normalised()).isEqualTo("select note from policy where note = 'a  /* b */  c'");
        assertThat(SqlLexer.lex("select 'it\\'s' from t", true).parseable()).isEqualTo("select 'it''s' from t");
        assertThat(SqlLexer.lex("select \"x\" from t", true).parseable()).isEqualTo("select 'x' from t");
    }
}
