package io.openinsure.db.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small SQL lexer for the textual checks the parser gets wrong, and for the cache key.
 *
 * <p>It knows where string literals, quoted identifiers and comments start and end (MySQL: {@code '…'}
 * and {@code "…"} with backslash escapes, {@code `…`}, {@code #} and {@code -- } comments; PostgreSQL:
 * {@code '…'}, {@code E'…'}, {@code $tag$…$tag$}, {@code "…"} identifiers, nested block comments), so
 * that a function name inside a literal or a comment never changes an answer. It does not validate:
 * anything it cannot read is left to the parser, which fails closed.
 */
final class SqlLexer {

    /** Token kinds. Literal and identifier tokens carry their content without quotes. */
    enum Kind {
        WORD,
        QUOTED,
        STRING,
        NUMBER,
        VARIABLE,
        PARAM,
        SYMBOL
    }

    /** One token. {@code text} is the word, symbol or content as written. */
    record Token(Kind kind, String text) {
        boolean isWord(String word) {
            return kind == Kind.WORD && text.equalsIgnoreCase(word);
        }

        boolean isSymbol(String symbol) {
            return kind == Kind.SYMBOL && text.equals(symbol);
        }

        /** Lower-case name of a word or quoted identifier, else {@code null}. */
        String name() {
            return kind == Kind.WORD || kind == Kind.QUOTED ? text.toLowerCase(Locale.ROOT) : null;
        }
    }

    /**
     * The lexed statement text.
     *
     * @param tokens            every token, statements separated by {@code ;} symbols
     * @param statements        how many non-empty statements the text holds
     * @param normalised        the text with ordinary comments removed and whitespace runs collapsed (literals untouched)
     * @param executableComment a MySQL/MariaDB executable comment ({@code /*! … *&#47;}, {@code /*M! … *&#47;}) is present
     * @param optimizerHint     an optimizer hint comment ({@code /*+ … *&#47;}) is present
     * @param parseable         the normalised text with MySQL string literals re-quoted the standard way
     *                          ({@code 'it\\'s'} → {@code 'it''s'}): jOOQ's parser does not read backslash escapes
     * @param unterminated      a literal, quoted identifier or comment runs to the end of the text
     */
    record Lexed(
            List<Token> tokens,
            int statements,
            String normalised,
            boolean executableComment,
            boolean optimizerHint,
            String parseable,
            boolean unterminated) {}

    private final String sql;
    private final boolean mysql;
    /** Whether the text of MySQL executable comments is lexed as the code it is (for the guards), or kept verbatim. */
    private final boolean executableAsCode;

    private boolean inExecutable;
    private final List<Token> tokens = new ArrayList<>();
    private final StringBuilder normalised = new StringBuilder();
    private final StringBuilder parseable = new StringBuilder();
    private boolean executableComment;
    private boolean optimizerHint;
    private boolean unterminated;
    private int pos;

    private SqlLexer(String sql, boolean mysql, boolean executableAsCode) {
        this.sql = sql;
        this.mysql = mysql;
        this.executableAsCode = executableAsCode;
    }

    /** Lexes {@code sql} by MySQL/MariaDB rules ({@code mysql}) or PostgreSQL rules. */
    static Lexed lex(String sql, boolean mysql) {
        return new SqlLexer(sql, mysql, false).run();
    }

    /**
     * Lexes {@code sql} as the server will run it: the text of MySQL/MariaDB executable comments
     * ({@code /*! … *&#47;}, {@code /*!80000 … *&#47;}, {@code /*M! … *&#47;}) is tokenised as code, since the
     * server runs it. For checks that must not be fooled by a comment; {@code normalised} and
     * {@code parseable} of the result are not meant for cache keys.
     */
    static Lexed lexAsServer(String sql, boolean mysql) {
        return new SqlLexer(sql, mysql, true).run();
    }

    private Lexed run() {
        int n = sql.length();
        while (pos < n) {
            char c = sql.charAt(pos);
            int start = pos;
            if (inExecutable && c == '*' && peek(1) == '/') {
                pos += 2;
                inExecutable = false;
                space();
            } else if (Character.isWhitespace(c)) {
                while (pos < n && Character.isWhitespace(sql.charAt(pos))) {
                    pos++;
                }
                space();
            } else if (c == '-'
                    && peek(1) == '-'
                    && (!mysql
                            || pos + 2 >= n
                            || Character.isWhitespace(sql.charAt(pos + 2))
                            || Character.isISOControl(sql.charAt(pos + 2)))) {
                skipLine();
            } else if (c == '#' && mysql) {
                skipLine();
            } else if (c == '/' && peek(1) == '*') {
                blockComment();
            } else if (c == '\'') {
                boolean escapes = mysql || precededByEscapePrefix();
                string('\'', escapes, Kind.STRING, start);
            } else if (c == '"') {
                string('"', mysql, mysql ? Kind.STRING : Kind.QUOTED, start);
            } else if (c == '`' && mysql) {
                string('`', false, Kind.QUOTED, start);
            } else if (c == '$' && !mysql && dollarQuote(start)) {
                // handled
            } else if (c == '$' && !mysql && Character.isDigit(peek(1))) {
                pos++;
                while (pos < n && Character.isDigit(sql.charAt(pos))) {
                    pos++;
                }
                add(Kind.PARAM, start);
            } else if (c == '?') {
                pos++;
                add(Kind.PARAM, start);
            } else if (c == '@' && mysql && isVariableStart(peek(1))) {
                variable(start);
            } else if (isWordStart(c) || (c == '$' && mysql)) {
                while (pos < n && isWordPart(sql.charAt(pos))) {
                    pos++;
                }
                add(Kind.WORD, start);
            } else if (Character.isDigit(c) || (c == '.' && Character.isDigit(peek(1)))) {
                number(start);
            } else if (c == ':' && peek(1) == ':') {
                pos += 2;
                add(Kind.SYMBOL, start);
            } else {
                pos++;
                add(Kind.SYMBOL, start);
            }
        }
        unterminated |= inExecutable;
        return new Lexed(
                List.copyOf(tokens),
                countStatements(),
                normalised.toString().strip(),
                executableComment,
                optimizerHint,
                parseable.toString().strip(),
                unterminated);
    }

    private int countStatements() {
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
        return i < sql.length() ? sql.charAt(i) : '\0';
    }

    private void space() {
        if (normalised.length() > 0 && normalised.charAt(normalised.length() - 1) != ' ') {
            normalised.append(' ');
            parseable.append(' ');
        }
    }

    private void add(Kind kind, int start) {
        tokens.add(new Token(kind, sql.substring(start, pos)));
        verbatim(start);
    }

    private void verbatim(int start) {
        normalised.append(sql, start, pos);
        parseable.append(sql, start, pos);
    }

    private void skipLine() {
        while (pos < sql.length() && sql.charAt(pos) != '\n') {
            pos++;
        }
        space();
    }

    private void blockComment() {
        int start = pos;
        boolean executable = mysql && (peek(2) == '!' || (Character.toUpperCase(peek(2)) == 'M' && peek(3) == '!'));
        boolean hint = peek(2) == '+';
        if (executable && executableAsCode) {
            executableComment = true;
            inExecutable = true;
            pos += peek(2) == '!' ? 3 : 4;
            while (pos < sql.length() && Character.isDigit(sql.charAt(pos))) {
                pos++;
            }
            space();
            return;
        }
        pos += 2;
        int depth = 1;
        while (pos < sql.length() && depth > 0) {
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
        unterminated |= depth > 0;
        if (executable || hint) {
            // They change what runs: keep them, so two statements differing only in them never share a cache key.
            executableComment |= executable;
            optimizerHint |= hint;
            verbatim(start);
        } else {
            space();
        }
    }

    private boolean precededByEscapePrefix() {
        if (tokens.isEmpty() || pos == 0) {
            return false;
        }
        Token last = tokens.get(tokens.size() - 1);
        char before = sql.charAt(pos - 1);
        return last.kind() == Kind.WORD && last.text().equalsIgnoreCase("e") && (before == 'e' || before == 'E');
    }

    private void string(char quote, boolean backslashEscapes, Kind kind, int start) {
        String content = readQuoted(quote, backslashEscapes);
        tokens.add(new Token(kind, content));
        normalised.append(sql, start, pos);
        if (mysql && kind == Kind.STRING) {
            parseable.append('\'').append(content.replace("'", "''")).append('\'');
        } else {
            parseable.append(sql, start, pos);
        }
    }

    /** Reads from the opening quote at {@code pos} past the closing one; returns the content, escapes resolved. */
    private String readQuoted(char quote, boolean backslashEscapes) {
        pos++;
        StringBuilder content = new StringBuilder();
        while (pos < sql.length()) {
            char c = sql.charAt(pos);
            if (backslashEscapes && c == '\\' && pos + 1 < sql.length()) {
                content.append(sql.charAt(pos + 1));
                pos += 2;
            } else if (c == quote && peek(1) == quote) {
                content.append(quote);
                pos += 2;
            } else if (c == quote) {
                pos++;
                return content.toString();
            } else {
                content.append(c);
                pos++;
            }
        }
        unterminated = true;
        return content.toString();
    }

    /** PostgreSQL {@code $$…$$} or {@code $tag$…$tag$}; returns false when {@code $} does not start one. */
    private boolean dollarQuote(int start) {
        int end = pos + 1;
        while (end < sql.length() && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_')) {
            end++;
        }
        if (end >= sql.length()
                || sql.charAt(end) != '$'
                || (end > pos + 1 && Character.isDigit(sql.charAt(pos + 1)))) {
            return false;
        }
        String tag = sql.substring(pos, end + 1);
        int close = sql.indexOf(tag, end + 1);
        int stop = close < 0 ? sql.length() : close;
        unterminated |= close < 0;
        pos = close < 0 ? sql.length() : close + tag.length();
        tokens.add(new Token(Kind.STRING, sql.substring(end + 1, stop)));
        verbatim(start);
        return true;
    }

    private void variable(int start) {
        pos++;
        if (peek(0) == '@') {
            pos++;
        }
        while (pos < sql.length()) {
            char c = sql.charAt(pos);
            if (c == '\'' || c == '"' || c == '`') {
                readQuoted(c, c != '`');
            } else if (isWordPart(c) || c == '.') {
                pos++;
            } else {
                break;
            }
        }
        add(Kind.VARIABLE, start);
    }

    private void number(int start) {
        while (pos < sql.length()
                && (Character.isLetterOrDigit(sql.charAt(pos))
                        || sql.charAt(pos) == '.'
                        || ((sql.charAt(pos) == '+' || sql.charAt(pos) == '-')
                                && Character.toLowerCase(sql.charAt(pos - 1)) == 'e'))) {
            pos++;
        }
        add(Kind.NUMBER, start);
    }

    private static boolean isVariableStart(char c) {
        return c == '@' || c == '\'' || c == '"' || c == '`' || isWordPart(c);
    }

    private static boolean isWordStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    private static boolean isWordPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }
}
