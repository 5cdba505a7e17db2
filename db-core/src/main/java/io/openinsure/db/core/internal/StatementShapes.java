package io.openinsure.db.core.internal;

import io.openinsure.db.core.internal.SqlLexer.Lexed;
import io.openinsure.db.core.spi.SqlTokens.Kind;
import io.openinsure.db.core.spi.SqlTokens.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the guards need to know about a statement text, read with {@link SqlLexer} the way the server
 * will run it (comments and literals skipped, executable comments counted as code): how many
 * statements it holds and, for each, its verb and whether it is bounded by a {@code WHERE}.
 */
final class StatementShapes {

    /** Words that start the statement proper after a {@code WITH} clause. */
    private static final Set<String> MAIN_VERBS =
            Set.of("select", "insert", "replace", "update", "delete", "merge", "values", "table");
    /** Words that end a {@code WHERE} condition at the top level. */
    private static final Set<String> AFTER_WHERE =
            Set.of("order", "limit", "returning", "group", "having", "for", "window");

    /**
     * One statement's shape.
     *
     * @param verb            its main verb in lower case ({@code delete}, {@code select}, …, after any {@code WITH}
     *                        clause), or {@code ""} when it starts with no word
     * @param where           a {@code WHERE} stands at the top level after the verb (not only in a subquery)
     * @param alwaysTrueWhere that {@code WHERE} is a constant that is always true ({@code 1 = 1}, {@code TRUE}, {@code 1})
     * @param drops           the statement drops something ({@code DROP …}, {@code ALTER TABLE … DROP …})
     * @param valueRows       rows of an {@code INSERT}/{@code REPLACE … VALUES (…), (…)} without a query source, else -1
     */
    record Shape(String verb, boolean where, boolean alwaysTrueWhere, boolean drops, int valueRows) {}

    /**
     * The statements in a text.
     *
     * @param shapes       each non-empty statement
     * @param unterminated a literal, quoted name or comment runs to the end of the text
     */
    record Shapes(List<Shape> shapes, boolean unterminated) {}

    /** Shapes per statement text, bounded: application SQL has few distinct shapes (binds are {@code ?}). */
    private static final com.github.benmanes.caffeine.cache.Cache<String, Shapes> MYSQL =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder()
                    .maximumSize(20_000)
                    .build();

    private static final com.github.benmanes.caffeine.cache.Cache<String, Shapes> POSTGRES =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder()
                    .maximumSize(20_000)
                    .build();

    private StatementShapes() {}

    static Shapes of(String sql, boolean mysql) {
        // Every execution is judged (guard, limits) before and after rendering: lex each text once.
        return (mysql ? MYSQL : POSTGRES).get(sql, text -> lex(text, mysql));
    }

    private static Shapes lex(String sql, boolean mysql) {
        Lexed lexed = SqlLexer.lexAsServer(sql, mysql);
        List<Shape> shapes = new ArrayList<>();
        List<Token> statement = new ArrayList<>();
        for (Token t : lexed.tokens()) {
            if (t.isSymbol(";")) {
                if (!statement.isEmpty()) {
                    shapes.add(shape(statement));
                }
                statement = new ArrayList<>();
            } else {
                statement.add(t);
            }
        }
        if (!statement.isEmpty()) {
            shapes.add(shape(statement));
        }
        return new Shapes(List.copyOf(shapes), lexed.unterminated());
    }

    private static Shape shape(List<Token> tokens) {
        int start = 0;
        while (start < tokens.size() && tokens.get(start).isSymbol("(")) {
            start++; // (SELECT …) UNION (SELECT …)
        }
        if (start >= tokens.size() || tokens.get(start).kind() != Kind.WORD) {
            return new Shape("", false, false, false, -1);
        }
        int verbAt = tokens.get(start).isWord("with") ? -1 : start;
        int depth = 0;
        for (int i = start + 1; i < tokens.size() && verbAt < 0; i++) {
            Token t = tokens.get(i);
            depth += t.isSymbol("(") ? 1 : t.isSymbol(")") ? -1 : 0;
            if (depth == 0 && t.kind() == Kind.WORD && MAIN_VERBS.contains(t.name())) {
                verbAt = i; // the statement after WITH c AS (…), …
            }
        }
        if (verbAt < 0) {
            return new Shape("", false, false, false, -1);
        }
        String verb = tokens.get(verbAt).name();
        int whereAt = -1;
        boolean drops = verb.equals("drop");
        depth = 0;
        for (int i = verbAt + 1; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            depth += t.isSymbol("(") ? 1 : t.isSymbol(")") ? -1 : 0;
            if (depth == 0 && t.isWord("where") && whereAt < 0) {
                whereAt = i;
            }
            if (depth == 0 && verb.equals("alter") && t.isWord("drop")) {
                drops = true;
            }
        }
        boolean alwaysTrue = whereAt >= 0 && alwaysTrue(condition(tokens, whereAt + 1));
        return new Shape(verb, whereAt >= 0, alwaysTrue, drops, valueRows(tokens, verbAt, verb));
    }

    /** The tokens of a top-level {@code WHERE} condition, up to {@code ORDER BY}, {@code LIMIT}, … or the end. */
    private static List<Token> condition(List<Token> tokens, int from) {
        int depth = 0;
        int i = from;
        for (; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            depth += t.isSymbol("(") ? 1 : t.isSymbol(")") ? -1 : 0;
            if (depth == 0 && t.kind() == Kind.WORD && AFTER_WHERE.contains(t.name())) {
                break;
            }
        }
        return tokens.subList(from, i);
    }

    /** {@code 1}, {@code TRUE}, {@code 1 = 1}, {@code 'a' = 'a'}, each possibly in parentheses. */
    private static boolean alwaysTrue(List<Token> condition) {
        List<Token> c = condition;
        while (c.size() >= 2 && c.get(0).isSymbol("(") && c.get(c.size() - 1).isSymbol(")")) {
            c = c.subList(1, c.size() - 1);
        }
        if (c.size() == 1) {
            Token t = c.get(0);
            return t.isWord("true") || (t.kind() == Kind.NUMBER && isNonZero(t.text()));
        }
        if (c.size() == 3 && c.get(1).isSymbol("=")) {
            Token a = c.get(0);
            Token b = c.get(2);
            return (a.kind() == Kind.NUMBER || a.kind() == Kind.STRING || a.isWord("true"))
                    && a.kind() == b.kind()
                    && a.text().equalsIgnoreCase(b.text());
        }
        return false;
    }

    private static boolean isNonZero(String number) {
        try {
            return new java.math.BigDecimal(number).signum() != 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Rows of {@code INSERT … VALUES (…), (…)}: top-level parenthesised groups after {@code VALUES}; -1 when it has a query source. */
    private static int valueRows(List<Token> tokens, int verbAt, String verb) {
        if (!verb.equals("insert") && !verb.equals("replace")) {
            return -1;
        }
        int depth = 0;
        int rows = -1;
        for (int i = verbAt + 1; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.isWord("select") || t.isWord("table") || t.isWord("with")) {
                return -1; // INSERT … SELECT: as many rows as the query returns
            }
            if (depth == 0 && (t.isWord("values") || t.isWord("value"))) {
                rows = 0;
            } else if (depth == 0 && rows >= 0 && t.isSymbol("(")) {
                rows++;
            } else if (depth == 0 && rows >= 0 && t.isWord("on")) {
                break; // ON DUPLICATE KEY UPDATE / ON CONFLICT
            }
            depth += t.isSymbol("(") ? 1 : t.isSymbol(")") ? -1 : 0;
        }
        return rows;
    }

    /** The verb as written in messages: {@code DELETE}. */
    static String display(String verb) {
        return verb.toUpperCase(Locale.ROOT);
    }
}
