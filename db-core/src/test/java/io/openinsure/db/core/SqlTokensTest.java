package io.openinsure.db.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.openinsure.db.core.spi.SqlTokens;
import io.openinsure.db.core.spi.SqlTokens.Kind;
import io.openinsure.db.core.spi.SqlTokens.Token;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The lexer as modules built on db-core see it: where each token stands, what a quoted token holds, what is not closed. */
class SqlTokensTest {

    @Test
    void eachTokenKnowsWhereItStandsSoThatEveryOtherByteCanStayAsWritten() {
        String sql = "SELECT `po``licy`.a, 'it\\'s' FROM /* x */ policy";
        SqlTokens lexed = SqlTokens.lex(sql, true);

        assertThat(lexed.tokens())
                .extracting(t -> sql.substring(t.start(), t.end()))
                .containsExactly("SELECT", "`po``licy`", ".", "a", ",", "'it\\'s'", "FROM", "policy");
        assertThat(lexed.tokens().get(1)).isEqualTo(new Token(Kind.QUOTED_NAME, 7, 17, "po`licy", '`'));
        assertThat(lexed.tokens().get(5)).isEqualTo(new Token(Kind.STRING, 21, 28, "it's", '\''));
        assertThat(lexed.tokens().get(7)).isEqualTo(new Token(Kind.WORD, 42, 48, "policy", '\0'));
        assertThat(lexed.statements()).isEqualTo(1);
        assertThat(lexed.problem()).isNull();
    }

    @Test
    void quotedTokensHoldTheirContentByEachServersRules() {
        assertThat(SqlTokens.lex("SELECT \"a\\\"b\", \"c\"\"d\"", true).tokens())
                .filteredOn(t -> t.kind() == Kind.STRING)
                .extracting(Token::text, Token::quote)
                .containsExactly(tuple("a\"b", '"'), tuple("c\"d", '"'));
        assertThat(SqlTokens.lex("SELECT \"a\"\"b\".x, 'C:\\', E'it\\'s', $q$ ' $q$ FROM t", false)
                        .tokens())
                .filteredOn(t -> t.quote() != '\0')
                .extracting(Token::kind, Token::text, Token::quote)
                .containsExactly(
                        tuple(Kind.QUOTED_NAME, "a\"b", '"'),
                        tuple(Kind.STRING, "C:\\", '\''),
                        tuple(Kind.STRING, "it's", '\''),
                        tuple(Kind.STRING, " ' ", '$'));
    }

    @Test
    void theTextOfExecutableCommentsIsCodeAndHintsAreComments() {
        assertThat(SqlTokens.lex("SELECT /*!32312 SQL_NO_CACHE */ a FROM /*! policy */ /*+ INDEX(t ix) */", true)
                        .tokens())
                .extracting(Token::text)
                .containsExactly("SELECT", "SQL_NO_CACHE", "a", "FROM", "policy");
    }

    @Test
    void namesAndWordsAnswerInLowerCase() {
        SqlTokens lexed = SqlTokens.lex("SELECT `Policy`, Claim, 'Quote'", true);
        assertThat(lexed.tokens())
                .extracting(Token::name)
                .containsExactly("select", "policy", null, "claim", null, null);
        assertThat(lexed.tokens())
                .extracting(Token::keyword)
                .containsExactly("select", null, null, "claim", null, null);
        assertThat(lexed.tokens().get(0).isWord("select")).isTrue();
        assertThat(lexed.tokens().get(2).isSymbol(",")).isTrue();
    }

    @Test
    void statementsAreCountedOutsideLiteralsAndComments() {
        assertThat(SqlTokens.lex("select ';'; select 2 -- ; select 3\n;;", true).statements())
                .isEqualTo(2);
        assertThat(SqlTokens.lex("", false).statements()).isZero();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            true  | select * from policy where a = 'x    | the string at character 32 is not closed
            true  | select * from `policy                | the quoted name at character 15 is not closed
            true  | select * from policy /* x            | the comment at character 22 is not closed
            true  | select * from policy /*! x           | an executable comment /*! is not closed
            true  | select @'a                           | the string at character 9 is not closed
            true  | select 1 /*! + 1 # */ + 2            | an executable comment /*! is not closed
            false | select $x$ a                         | the string at character 8 is not closed
            false | select "a                            | the quoted name at character 8 is not closed
            false | select /* a /* b */                  | the comment at character 8 is not closed
            """)
    void whatIsNotClosedIsNamedWithWhereItStarts(boolean mysql, String sql, String problem) {
        assertThat(SqlTokens.lex(sql, mysql).problem()).isEqualTo(problem);
    }

    @Test
    void theTokenListCannotBeChanged() {
        SqlTokens lexed = SqlTokens.lex("select 1", true);
        assertThatThrownBy(() -> lexed.tokens().clear()).isInstanceOf(UnsupportedOperationException.class);
    }
}
