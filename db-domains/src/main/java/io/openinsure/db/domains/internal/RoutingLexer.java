package io.openinsure.db.domains.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits SQL text into tokens by the server's lexical rules, keeping where each token starts and
 * ends, so that the router can replace a table name and leave every other byte as written.
 *
 * <p>MySQL/MariaDB (default SQL mode): {@code '…'} and {@code "…"} are strings with backslash
 * escapes and doubled quotes, {@code `…`} is an identifier, comments are {@code #…}, {@code -- …}
 * (a space or control character after the dashes) and {@code /* … *&#47;}; the text of an executable
 * comment ({@code /*! … *&#47;}, {@code /*!50001 … *&#47;}, {@code /*M! … *&#47;}) is code the server runs and
 * is tokenised as such, while an optimizer hint ({@code /*+ … *&#47;}) stays a comment. PostgreSQL:
 * {@code '…'} strings (backslash escapes only in {@code E'…'}), {@code "…"} identifiers,
 * {@code $tag$…$tag$} strings, {@code --} and nested {@code /* *&#47;} comments.
 *
 * <p>Comments and whitespace produce no tokens. Not thread-safe; one instance per text.
 */
final class RoutingLexer {

    enum Kind {
        /** An unquoted word: keyword or identifier. */
        WORD,
        /** A quoted identifier ({@code `…`}; {@code "…"} on PostgreSQL). */
        QUOTED_NAME,
        /** A string literal ({@code '…'}; {@code "…"} on MySQL). */
        STRING,
        NUMBER,
        /** A MySQL user or system variable ({@code @a}, {@code @'a b'}, {@code @@session.x}). */
        VARIABLE,
        /** A bind parameter ({@code ?}, {@code $1}). */
        PARAM,
        /** Any other single character. */
        SYMBOL
    }

    /**
     * One token: {@code text} is the content of a quoted name or string (quotes removed, escapes
     * resolved) and the text as written otherwise; {@code quote} the opening quote character, or 0.
     */
    record Token(Kind kind, int start, int end, String text, char quote) {

        boolean isWord(String lowerCase) {
            return kind == Kind.WORD && text.equalsIgnoreCase(lowerCase);
        }

        boolean isSymbol(char c) {
            return kind == Kind.SYMBOL && text.charAt(0) == c;
        }

        boolean isName() {
            return kind == Kind.WORD || kind == Kind.QUOTED_NAME;
        }

        /** The word in lower case, or {@code null} if this is not an unquoted word. */
        String keyword() {
            return kind == Kind.WORD ? text.toLowerCase(Locale.ROOT) : null;
        }
    }

    /** The tokens, or why the text cannot be read ({@code problem} is then not {@code null}). */
    record Lexed(List<Token> tokens, String problem) {}

    private final String sql;
    private final boolean mysql;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;
    private boolean inExecutableComment;
    private String problem;

    private RoutingLexer(String sql, boolean mysql) {
        this.sql = sql;
        this.mysql = mysql;
    }

    /** Lexes {@code sql} by MySQL/MariaDB rules ({@code mysql}) or PostgreSQL rules. */
    static Lexed lex(String sql, boolean mysql) {
        RoutingLexer lexer = new RoutingLexer(sql, mysql);
        lexer.run();
        return new Lexed(List.copyOf(lexer.tokens), lexer.problem);
    }

    private void run() {
        int n = sql.length();
        while (pos < n && problem == null) {
            char c = sql.charAt(pos);
            int start = pos;
            if (inExecutableComment && c == '*' && peek(1) == '/') {
                pos += 2;
                inExecutableComment = false;
            } else if (Character.isWhitespace(c)) {
                pos++;
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
            } else if (c == '$' && !mysql && Character.isDigit(peek(1))) {
                pos++;
                while (pos < n && Character.isDigit(sql.charAt(pos))) {
                    pos++;
                }
                add(Kind.PARAM, start);
            } else if (c == '$' && !mysql && dollarQuoted()) {
                // a $tag$…$tag$ string, added
            } else if (c == '?') {
                pos++;
                add(Kind.PARAM, start);
            } else if (c == '@' && mysql && isVariablePart(peek(1))) {
                variable();
            } else if (Character.isDigit(c) || (c == '.' && Character.isDigit(peek(1)) && !afterName())) {
                number();
            } else if (isWordStart(c)) {
                word();
            } else {
                pos++;
                add(Kind.SYMBOL, start);
            }
        }
        if (problem == null && inExecutableComment) {
            problem = "an executable comment /*! is not closed";
        }
    }

    private char peek(int ahead) {
        int i = pos + ahead;
        return i < sql.length() ? sql.charAt(i) : '\0';
    }

    private static boolean isCommentSpace(char c) {
        return c == '\0' || Character.isWhitespace(c) || Character.isISOControl(c);
    }

    private void add(Kind kind, int start) {
        tokens.add(new Token(kind, start, pos, sql.substring(start, pos), '\0'));
    }

    private void skipLine() {
        while (pos < sql.length() && sql.charAt(pos) != '\n') {
            if (inExecutableComment && sql.startsWith("*/", pos)) {
                return; // the executable comment ends the line comment inside it
            }
            pos++;
        }
    }

    private void blockComment() {
        int start = pos;
        boolean executable = mysql
                && !inExecutableComment
                && (peek(2) == '!' || ((peek(2) == 'M' || peek(2) == 'm') && peek(3) == '!'));
        if (executable) {
            pos += peek(2) == '!' ? 3 : 4;
            while (pos < sql.length() && Character.isDigit(sql.charAt(pos))) {
                pos++;
            }
            inExecutableComment = true;
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
        if (depth > 0) {
            problem = "the comment at character " + (start + 1) + " is not closed";
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

    private void quoted(Kind kind, boolean backslashEscapes) {
        int start = pos;
        char quote = sql.charAt(pos++);
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
                tokens.add(new Token(kind, start, pos, content.toString(), quote));
                return;
            } else {
                content.append(c);
                pos++;
            }
        }
        problem = (kind == Kind.STRING ? "the string" : "the quoted name") + " at character " + (start + 1)
                + " is not closed";
    }

    private boolean dollarQuoted() {
        int start = pos;
        int end = pos + 1;
        while (end < sql.length() && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_')) {
            end++;
        }
        if (end >= sql.length() || sql.charAt(end) != '$') {
            return false;
        }
        String tag = sql.substring(pos, end + 1);
        int close = sql.indexOf(tag, end + 1);
        if (close < 0) {
            problem = "the string at character " + (start + 1) + " is not closed";
            pos = sql.length();
            return true;
        }
        pos = close + tag.length();
        tokens.add(new Token(Kind.STRING, start, pos, sql.substring(end + 1, close), '$'));
        return true;
    }

    private void variable() {
        int start = pos;
        pos++;
        if (peek(0) == '@') {
            pos++;
        }
        char c = peek(0);
        if (c == '\'' || c == '"' || c == '`') {
            int before = tokens.size();
            quoted(Kind.STRING, c != '`');
            if (tokens.size() > before) {
                tokens.remove(tokens.size() - 1);
            }
        } else {
            while (pos < sql.length() && (isWordPart(sql.charAt(pos)) || sql.charAt(pos) == '.')) {
                pos++;
            }
        }
        add(Kind.VARIABLE, start);
    }

    private void number() {
        int start = pos;
        while (pos < sql.length()) {
            char c = sql.charAt(pos);
            if (isWordPart(c) || (c == '.' && Character.isDigit(peek(1)))) {
                pos++;
            } else if ((c == '+' || c == '-')
                    && (sql.charAt(pos - 1) == 'e' || sql.charAt(pos - 1) == 'E')
                    && Character.isDigit(peek(1))
                    && isDecimal(start, pos - 1)) {
                pos++;
            } else {
                break;
            }
        }
        add(Kind.NUMBER, start);
    }

    /** Whether {@code sql[start, end)} is a decimal number (digits and at most one dot), so that an exponent may follow. */
    private boolean isDecimal(int start, int end) {
        for (int i = start; i < end; i++) {
            char c = sql.charAt(i);
            if (!Character.isDigit(c) && c != '.') {
                return false;
            }
        }
        return true;
    }

    /** Whether a name ends right here, so that a {@code .} continues a qualified name ({@code t.5col} is no number). */
    private boolean afterName() {
        if (tokens.isEmpty()) {
            return false;
        }
        Token last = tokens.get(tokens.size() - 1);
        return last.end() == pos && last.isName();
    }

    /**
     * A word. On MySQL an {@code @} right inside a word continues it, as in Vitess's
     * {@code keyspace@tablet} qualifiers ({@code openinsure@replica.policy}).
     */
    private void word() {
        int start = pos;
        while (pos < sql.length()) {
            char c = sql.charAt(pos);
            if (isWordPart(c) || (mysql && c == '@' && pos > start && isWordStart(peek(1)))) {
                pos++;
            } else {
                break;
            }
        }
        add(Kind.WORD, start);
    }

    private static boolean isWordStart(char c) {
        return Character.isLetter(c) || c == '_' || c >= 0x80 && !Character.isWhitespace(c);
    }

    private boolean isWordPart(char c) {
        return isWordStart(c) || Character.isDigit(c) || c == '$';
    }

    private boolean isVariablePart(char c) {
        return c == '@' || c == '\'' || c == '"' || c == '`' || isWordPart(c);
    }
}
