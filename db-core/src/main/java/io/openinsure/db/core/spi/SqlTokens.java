package io.openinsure.db.core.spi;

import io.openinsure.db.core.internal.SqlLexer;
import java.util.List;
import java.util.Locale;

/**
 * A SQL text split into tokens by the server's lexical rules, with where each token starts and ends, so that a module
 * built on db-core (db-domains' legacy router) can rewrite some tokens and leave every other byte as written. It is
 * the lexer db-core's own guards and read-query cache use, so that the SDK reads a statement one way everywhere.
 *
 * <p>MySQL/MariaDB rules (default SQL mode): {@code '…'} and {@code "…"} are strings with backslash escapes and
 * doubled quotes, {@code `…`} names; comments are {@code #…}, {@code -- …} (a space or control character after the
 * dashes) and {@code /* … *&#47;}; the text of an executable comment ({@code /*! … *&#47;}, {@code /*!50001 … *&#47;},
 * {@code /*M! … *&#47;}) is code the server runs and is tokenised as such, while an optimizer hint
 * ({@code /*+ … *&#47;}) stays a comment. PostgreSQL rules: {@code '…'} strings (backslash escapes only in
 * {@code E'…'}), {@code "…"} names, {@code $tag$…$tag$} strings, {@code --} and nested {@code /* *&#47;} comments.
 * Comments and whitespace produce no tokens. It does not validate: a text the server would refuse is still split
 * into tokens; only a literal, quoted name or comment left open is reported, as {@link #problem()}.
 *
 * @param tokens     every token in order, statements separated by {@code ;} symbols; immutable
 * @param statements how many non-empty statements the text holds
 * @param problem    why the text cannot be read to its end (a literal, quoted name or comment is not closed), naming
 *                   where, e.g. {@code "the string at character 32 is not closed"}; {@code null} when it can
 */
public record SqlTokens(List<Token> tokens, int statements, String problem) {

    public SqlTokens {
        tokens = List.copyOf(tokens);
    }

    /**
     * Splits {@code sql} by MySQL/MariaDB rules ({@code mysql}) or PostgreSQL rules, as the server runs it. Never
     * throws for any text. Thread-safe.
     */
    public static SqlTokens lex(String sql, boolean mysql) {
        return SqlLexer.tokens(sql, mysql);
    }

    /** What a token is. */
    public enum Kind {
        /** An unquoted word: keyword or name; on MySQL also a name that starts with digits ({@code 1_000}, {@code 5c}). */
        WORD,
        /** A quoted name ({@code `…`}; {@code "…"} on PostgreSQL). */
        QUOTED_NAME,
        /** A string literal ({@code '…'}; {@code "…"} on MySQL; {@code $tag$…$tag$} on PostgreSQL). */
        STRING,
        /** A number ({@code 1}, {@code .5}, {@code 1.e3}, {@code 2E-3}; {@code 0x1F} and {@code 0b101} on MySQL). */
        NUMBER,
        /** A MySQL user or system variable ({@code @a}, {@code @'a b'}, {@code @@session.x}). */
        VARIABLE,
        /** A bind parameter ({@code ?}, {@code $1}). */
        PARAM,
        /** Any other character; PostgreSQL's cast {@code ::} is one symbol. */
        SYMBOL
    }

    /**
     * One token.
     *
     * @param kind  what it is
     * @param start where it starts in the text (a char index, the opening quote of a quoted token included)
     * @param end   where it ends: the index after its last char (the closing quote included)
     * @param text  the content of a string or quoted name (quotes removed, escapes and doubled quotes resolved), the
     *              text as written otherwise
     * @param quote the opening quote of a string or quoted name ({@code '}, {@code "}, {@code `}, {@code $}), else
     *              {@code '\0'}
     */
    public record Token(Kind kind, int start, int end, String text, char quote) {

        /** Whether this is the unquoted word {@code word}, in any case. */
        public boolean isWord(String word) {
            return kind == Kind.WORD && text.equalsIgnoreCase(word);
        }

        /** Whether this is the symbol {@code symbol}. */
        public boolean isSymbol(String symbol) {
            return kind == Kind.SYMBOL && text.equals(symbol);
        }

        /** Whether this is a name: an unquoted word or a quoted name. */
        public boolean isName() {
            return kind == Kind.WORD || kind == Kind.QUOTED_NAME;
        }

        /** The name in lower case if this is a {@link #isName() name}, else {@code null}. */
        public String name() {
            return isName() ? text.toLowerCase(Locale.ROOT) : null;
        }

        /** The word in lower case if this is an unquoted word, else {@code null}. */
        public String keyword() {
            return kind == Kind.WORD ? text.toLowerCase(Locale.ROOT) : null;
        }
    }
}
