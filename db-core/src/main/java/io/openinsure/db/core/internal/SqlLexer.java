package io.openinsure.db.core.internal;

import io.openinsure.db.core.spi.SqlTokens;
import io.openinsure.db.core.spi.SqlTokens.Kind;
import io.openinsure.db.core.spi.SqlTokens.Token;
import java.util.ArrayList;
import java.util.List;

/**
 * The SDK's one SQL lexer: for the cache key, the textual checks the parser gets wrong, the guards, and (through
 * {@link SqlTokens}) db-domains' legacy router. Its rules are listed on {@link SqlTokens}; where a rule is easy to get
 * wrong, the server's reading is the rule (checked on the real servers by {@code SqlLexerServerRulesTest}). It does not validate: anything it cannot read is left to the parser, which fails
 * closed.
 *
 * <p>Public only so that {@link SqlTokens#lex} can reach it; use that.
 */
public final class SqlLexer {

    /**
     * The lexed statement text.
     *
     * @param tokens            every token, statements separated by {@code ;} symbols
     * @param statements        how many non-empty statements the text holds
     * @param normalised        the text with ordinary comments removed and whitespace runs collapsed (literals
     *                          untouched); empty when lexed {@linkplain #lexAsServer as the server runs it}
     * @param executableComment a MySQL/MariaDB executable comment ({@code /*! … *&#47;}, {@code /*M! … *&#47;}) is present
     * @param optimizerHint     an optimizer hint comment ({@code /*+ … *&#47;}) is present
     * @param parseable         the normalised text with MySQL string literals re-quoted the standard way
     *                          ({@code 'it\\'s'} → {@code 'it''s'}): jOOQ's parser does not read backslash escapes;
     *                          empty when lexed as the server runs it
     * @param problem           why the text cannot be read to its end (see {@link SqlTokens#problem()}), or {@code null}
     */
    record Lexed(
            List<Token> tokens,
            int statements,
            String normalised,
            boolean executableComment,
            boolean optimizerHint,
            String parseable,
            String problem) {

        /** A literal, quoted name or comment runs to the end of the text. */
        boolean unterminated() {
            return problem != null;
        }
    }

    /** The text of one-character symbols, so that a symbol token costs no string of its own. */
    private static final String[] ASCII = new String[128];

    static {
        for (char c = 0; c < ASCII.length; c++) {
            ASCII[c] = String.valueOf(c);
        }
    }

    private final String sql;
    private final int length;
    private final boolean mysql;
    /** Whether the text of MySQL executable comments is lexed as the code it is (for the guards), or kept verbatim. */
    private final boolean executableAsCode;
    /** The cache key texts; {@code null} when lexed as the server runs it (nobody reads them then). */
    private final StringBuilder normalised;

    private final StringBuilder parseable;
    private final List<Token> tokens;
    private boolean inExecutable;
    private boolean executableComment;
    private boolean optimizerHint;
    private String problem;
    private int pos;

    private SqlLexer(String sql, boolean mysql, boolean executableAsCode) {
        this.sql = sql;
        this.length = sql.length();
        this.mysql = mysql;
        this.executableAsCode = executableAsCode;
        this.normalised = executableAsCode ? null : new StringBuilder(length);
        this.parseable = executableAsCode ? null : new StringBuilder(length);
        this.tokens = new ArrayList<>(length / 5 + 8); // about one token in five characters of application SQL
    }

    /** Lexes {@code sql} by MySQL/MariaDB rules ({@code mysql}) or PostgreSQL rules, executable comments kept as written. */
    static Lexed lex(String sql, boolean mysql) {
        return new SqlLexer(sql, mysql, false).run();
    }

    /**
     * Lexes {@code sql} as the server will run it: the text of MySQL/MariaDB executable comments
     * ({@code /*! … *&#47;}, {@code /*!80000 … *&#47;}, {@code /*M! … *&#47;}) is tokenised as code, since the
     * server runs it. For checks that must not be fooled by a comment; {@code normalised} and {@code parseable} of
     * the result are empty.
     */
    static Lexed lexAsServer(String sql, boolean mysql) {
        return new SqlLexer(sql, mysql, true).run();
    }

    /** {@link #lexAsServer}'s tokens, for {@link SqlTokens#lex}. */
    public static SqlTokens tokens(String sql, boolean mysql) {
        Lexed lexed = lexAsServer(sql, mysql);
        return new SqlTokens(lexed.tokens(), lexed.statements(), lexed.problem());
    }

    private Lexed run() {
        while (pos < length) {
            char c = sql.charAt(pos);
            int start = pos;
            if (inExecutable && c == '*' && peek(1) == '/') {
                pos += 2;
                inExecutable = false;
                space();
            } else if (Character.isWhitespace(c)) {
                while (pos < length && Character.isWhitespace(sql.charAt(pos))) {
                    pos++;
                }
                space();
            } else if (c == '-' && peek(1) == '-' && (!mysql || isCommentSpace(peek(2)))) {
                skipLine();
            } else if (c == '#' && mysql) {
                skipLine();
            } else if (c == '/' && peek(1) == '*') {
                blockComment();
            } else if (c == '\'') {
                quoted(Kind.STRING, mysql || escapePrefix(start));
            } else if (c == '"') {
                quoted(mysql ? Kind.STRING : Kind.QUOTED_NAME, mysql);
            } else if (c == '`' && mysql) {
                quoted(Kind.QUOTED_NAME, false);
            } else if (c == '$' && !mysql && isDigit(peek(1))) {
                pos++;
                skipDigits();
                add(Kind.PARAM, start);
            } else if (c == '$' && !mysql && dollarQuoted()) {
                // a $tag$…$tag$ string, added
            } else if (c == '?') {
                pos++;
                add(Kind.PARAM, start);
            } else if (c == '@' && mysql && isVariableStart(peek(1))) {
                variable();
            } else if (mysql && isWordPart(c) && afterQualifier(start)) {
                word(start);
            } else if (isDigit(c) || (c == '.' && isDigit(peek(1)) && !(mysql && afterWord(start)))) {
                number();
            } else if (isWordStart(c) || (c == '$' && mysql)) {
                word(start);
            } else if (c == ':' && peek(1) == ':') {
                pos += 2;
                add(Kind.SYMBOL, start);
            } else {
                pos++;
                add(Kind.SYMBOL, start);
            }
        }
        if (inExecutable && problem == null) {
            problem = "an executable comment /*! is not closed";
        }
        List<Token> all = List.copyOf(tokens);
        return new Lexed(
                all,
                countStatements(all),
                normalised == null ? "" : normalised.toString().strip(),
                executableComment,
                optimizerHint,
                parseable == null ? "" : parseable.toString().strip(),
                problem);
    }

    private static int countStatements(List<Token> tokens) {
        int statements = 0;
        boolean content = false;
        for (Token t : tokens) {
            if (t.isSymbol(";")) {
                statements += content ? 1 : 0;
                content = false;
            } else {
                content = true;
            }
        }
        return statements + (content ? 1 : 0);
    }

    private char peek(int ahead) {
        int i = pos + ahead;
        return i < length ? sql.charAt(i) : '\0';
    }

    private void space() {
        if (normalised != null && normalised.length() > 0 && normalised.charAt(normalised.length() - 1) != ' ') {
            normalised.append(' ');
            parseable.append(' ');
        }
    }

    private void add(Kind kind, int start) {
        String text = pos == start + 1 && sql.charAt(start) < ASCII.length
                ? ASCII[sql.charAt(start)]
                : sql.substring(start, pos);
        tokens.add(new Token(kind, start, pos, text, '\0'));
        verbatim(start);
    }

    private void verbatim(int start) {
        if (normalised != null) {
            normalised.append(sql, start, pos);
            parseable.append(sql, start, pos);
        }
    }

    private void unclosed(String what, int start) {
        if (problem == null) {
            problem = what + " at character " + (start + 1) + " is not closed";
        }
    }

    /**
     * A {@code #} or {@code -- } comment: to the end of the line, also inside an executable comment, whose
     * {@code *&#47;} it then hides (MariaDB: {@code SELECT 1 /*! + 1 # x *&#47;↵ + 2 *&#47;} is 4).
     */
    private void skipLine() {
        while (pos < length && sql.charAt(pos) != '\n') {
            pos++;
        }
        space();
    }

    /**
     * {@code /* … *&#47;}. An executable comment is {@code /*!} or {@code /*M!} (an upper-case M only: MariaDB reads
     * {@code /*m! … *&#47;} as a plain comment); inside one, another {@code /*!} is code again and the first
     * {@code *&#47;} ends both (MariaDB: {@code SELECT 1 /*! + 1 /*! + 2 *&#47; + 4} is 8).
     */
    private void blockComment() {
        int start = pos;
        boolean executable = mysql && (peek(2) == '!' || (peek(2) == 'M' && peek(3) == '!'));
        boolean hint = peek(2) == '+';
        if (executable && executableAsCode) {
            executableComment = true;
            inExecutable = true;
            pos += peek(2) == '!' ? 3 : 4;
            skipDigits();
            space();
            return;
        }
        pos += 2;
        int depth = 1;
        while (pos < length && depth > 0) {
            if (sql.startsWith("*/", pos)) {
                depth--;
                pos += 2;
            } else if (!mysql && sql.startsWith("/*", pos)) {
                depth++;
                pos += 2;
            } else {
                pos++;
            }
        }
        if (depth > 0) {
            unclosed("the comment", start);
        }
        if (executable || hint) {
            // They change what runs: keep them, so two statements differing only in them never share a cache key.
            executableComment |= executable;
            optimizerHint |= hint;
            verbatim(start);
        } else {
            space();
        }
    }

    /** PostgreSQL {@code E'…'}: the word {@code E} right before the quote. */
    private boolean escapePrefix(int quoteAt) {
        if (tokens.isEmpty()) {
            return false;
        }
        Token last = tokens.get(tokens.size() - 1);
        return last.end() == quoteAt && last.kind() == Kind.WORD && last.text().equalsIgnoreCase("e");
    }

    /** A string or quoted name from the opening quote at {@code pos}; its token carries the content, escapes resolved. */
    private void quoted(Kind kind, boolean backslashEscapes) {
        int start = pos;
        char quote = sql.charAt(pos);
        String content = readQuoted(quote, backslashEscapes);
        if (content == null) {
            unclosed(kind == Kind.STRING ? "the string" : "the quoted name", start);
            content = sql.substring(start + 1);
        }
        tokens.add(new Token(kind, start, pos, content, quote));
        if (normalised != null) {
            normalised.append(sql, start, pos);
            if (mysql && kind == Kind.STRING) {
                parseable.append('\'').append(content.replace("'", "''")).append('\'');
            } else {
                parseable.append(sql, start, pos);
            }
        }
    }

    /**
     * Reads from the opening quote at {@code pos} past the closing one and returns the content, escapes and doubled
     * quotes resolved (a substring of the text when there are none); {@code null}, with {@code pos} at the end, when
     * the quote is not closed.
     */
    private String readQuoted(char quote, boolean backslashEscapes) {
        int from = ++pos;
        StringBuilder resolved = null;
        while (pos < length) {
            char c = sql.charAt(pos);
            if ((backslashEscapes && c == '\\' && pos + 1 < length) || (c == quote && peek(1) == quote)) {
                resolved = (resolved == null ? new StringBuilder() : resolved)
                        .append(sql, from, pos)
                        .append(sql.charAt(pos + 1));
                pos += 2;
                from = pos;
            } else if (c == quote) {
                String content = resolved == null
                        ? sql.substring(from, pos)
                        : resolved.append(sql, from, pos).toString();
                pos++;
                return content;
            } else {
                pos++;
            }
        }
        return null;
    }

    /** PostgreSQL {@code $$…$$} or {@code $tag$…$tag$}; returns false when {@code $} does not start one. */
    private boolean dollarQuoted() {
        int start = pos;
        int end = pos + 1;
        while (end < length && isWordPart(sql.charAt(end)) && sql.charAt(end) != '$') {
            end++;
        }
        if (end >= length || sql.charAt(end) != '$') {
            return false;
        }
        int tagLength = end + 1 - start;
        int close = end + 1;
        while ((close = sql.indexOf('$', close)) >= 0 && !sql.regionMatches(close, sql, start, tagLength)) {
            close++;
        }
        if (close < 0) {
            unclosed("the string", start);
            pos = length;
            tokens.add(new Token(Kind.STRING, start, pos, sql.substring(end + 1), '$'));
        } else {
            pos = close + tagLength;
            tokens.add(new Token(Kind.STRING, start, pos, sql.substring(end + 1, close), '$'));
        }
        verbatim(start);
        return true;
    }

    /**
     * A MySQL variable: {@code @} or {@code @@}, then a name with dots ({@code @@session.sql_mode}) or one quoted name
     * ({@code @'a b'}). What follows is a token of its own: {@code @a'x'} is {@code @a} named {@code 'x'}.
     */
    private void variable() {
        int start = pos;
        pos++;
        if (peek(0) == '@') {
            pos++;
        }
        char c = peek(0);
        if (c == '\'' || c == '"' || c == '`') {
            int quoteAt = pos;
            if (readQuoted(c, c != '`') == null) {
                unclosed(c == '`' ? "the quoted name" : "the string", quoteAt);
            }
        } else {
            while (pos < length && (isWordPart(sql.charAt(pos)) || sql.charAt(pos) == '.')) {
                pos++;
            }
        }
        add(Kind.VARIABLE, start);
    }

    /**
     * A number from a digit, or from {@code .} before a digit. Its extent is the server's: {@code 1.e3} is one number,
     * {@code 0x1e-1} is {@code 0x1e} minus 1 (a sign belongs to a decimal exponent followed by a digit), and what
     * follows a complete number starts a new token ({@code 1e5x} is {@code 1e5} named {@code x}). On MySQL a run of
     * name characters that is no number is a name ({@code 1_000}, {@code 1ex}, {@code 0x1g}, {@code 0X1F}).
     */
    private void number() {
        int start = pos;
        if (mysql && sql.charAt(pos) == '0' && (peek(1) == 'x' || peek(1) == 'b')) {
            boolean hex = peek(1) == 'x';
            int end = pos + 2;
            while (end < length && (hex ? isHexDigit(sql.charAt(end)) : isBinaryDigit(sql.charAt(end)))) {
                end++;
            }
            if (end > pos + 2 && (end == length || !isWordPart(sql.charAt(end)))) {
                pos = end;
                add(Kind.NUMBER, start);
            } else {
                word(start);
            }
            return;
        }
        skipDigits();
        if (peek(0) == '.' && !(!mysql && peek(1) == '.')) {
            pos++;
            skipDigits();
        } else if (mysql && pos < length && isWordPart(sql.charAt(pos)) && !isExponent()) {
            word(start);
            return;
        }
        if (isExponent()) {
            pos += isDigit(peek(1)) ? 1 : 2;
            skipDigits();
        }
        add(Kind.NUMBER, start);
    }

    /** Whether an exponent starts at {@code pos}: {@code e} or {@code E}, a sign or none, a digit. */
    private boolean isExponent() {
        char c = peek(0);
        char next = peek(1);
        return (c == 'e' || c == 'E') && (isDigit(next) || ((next == '+' || next == '-') && isDigit(peek(2))));
    }

    /**
     * A word from {@code start}: name characters up to the first other one. On MySQL an {@code @} right inside a word
     * continues it, as in Vitess's {@code keyspace@tablet} qualifiers ({@code openinsure@replica.policy}); MariaDB
     * refuses {@code a@b} anyway.
     */
    private void word(int start) {
        pos = start + 1;
        while (pos < length) {
            char c = sql.charAt(pos);
            if (isWordPart(c) || (mysql && c == '@' && isWordStart(peek(1)))) {
                pos++;
            } else {
                break;
            }
        }
        add(Kind.WORD, start);
    }

    /** Whether an unquoted word ends right before {@code at}. */
    private boolean afterWord(int at) {
        Token last = tokens.isEmpty() ? null : tokens.get(tokens.size() - 1);
        return last != null && last.end() == at && last.kind() == Kind.WORD;
    }

    /**
     * MySQL: whether {@code name.} ends right before {@code at}; what follows is a name then, even {@code 5} or
     * {@code 5c} ({@code t.5} is column {@code 5} of {@code t}), where PostgreSQL reads a number ({@code THEN.5}).
     */
    private boolean afterQualifier(int at) {
        int n = tokens.size();
        return n >= 2
                && tokens.get(n - 1).end() == at
                && tokens.get(n - 1).isSymbol(".")
                && tokens.get(n - 2).end() == at - 1
                && tokens.get(n - 2).kind() == Kind.WORD;
    }

    private void skipDigits() {
        while (pos < length && isDigit(sql.charAt(pos))) {
            pos++;
        }
    }

    private static boolean isCommentSpace(char c) {
        return c == '\0' || Character.isWhitespace(c) || Character.isISOControl(c);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHexDigit(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean isBinaryDigit(char c) {
        return c == '0' || c == '1';
    }

    private static boolean isVariableStart(char c) {
        return c == '@' || c == '\'' || c == '"' || c == '`' || isWordPart(c);
    }

    /** Both servers read every non-ASCII character but whitespace as part of a name ({@code a€b}, {@code $a€$}). */
    private static boolean isWordStart(char c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || c == '_'
                || (c >= 0x80 && !Character.isWhitespace(c));
    }

    private static boolean isWordPart(char c) {
        return isWordStart(c) || isDigit(c) || c == '$';
    }
}
