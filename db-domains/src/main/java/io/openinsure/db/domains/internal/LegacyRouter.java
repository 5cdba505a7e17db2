package io.openinsure.db.domains.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.openinsure.db.core.StatementRefusedException;
import io.openinsure.db.core.spi.SqlTokens;
import io.openinsure.db.core.spi.SqlTokens.Kind;
import io.openinsure.db.core.spi.SqlTokens.Token;
import io.openinsure.db.domains.Keyspace;
import io.openinsure.db.domains.RoutingRules;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.jooq.SQLDialect;

/**
 * Applies Vitess routing rules to SQL text, as vtgate would: every table reference with a rule is
 * replaced by its fully qualified target, and every other byte of the statement stays as written.
 *
 * <p>The text is read with the server's lexical rules ({@link SqlTokens}, db-core's lexer: on MySQL/MariaDB a
 * double-quoted token is a string and backslashes escape, on PostgreSQL double quotes delimit
 * identifiers), so a literal or a comment never changes where a statement goes, and routing never
 * changes what a statement means. Table references are the names after {@code FROM}, {@code JOIN}
 * (and commas between them), {@code UPDATE}, {@code INSERT}/{@code REPLACE [INTO]},
 * {@code DELETE … FROM}/{@code USING}, in subqueries, unions and CTE bodies; CTE names and aliases are
 * never routed, and a column qualified by {@code keyspace.table} follows its table. Results are
 * cached per SQL text. Thread-safe.
 */
public final class LegacyRouter {

    /** A statement after routing: the SQL to run and the keyspaces it touches (empty if none routed). */
    public record Routed(String sql, Set<String> keyspaces) {}

    private final RoutingRules rules;
    private final boolean mysql;
    private final boolean rewrite;
    private final Cache<String, Routed> cache =
            Caffeine.newBuilder().maximumSize(10_000).build();

    /**
     * @param dialect picks the lexical rules: MySQL's for the MySQL and MariaDB families, PostgreSQL's otherwise
     * @param rewrite {@code false} against vtgate, which routes itself: only the touched keyspaces are computed
     */
    public LegacyRouter(RoutingRules rules, SQLDialect dialect, boolean rewrite) {
        this.rules = rules;
        SQLDialect family = dialect.family();
        this.mysql = family == SQLDialect.MYSQL || family == SQLDialect.MARIADB;
        this.rewrite = rewrite;
    }

    /**
     * Routes one statement.
     *
     * @throws StatementRefusedException if the client cannot tell where the statement goes: it is not
     *                                   one statement, a literal, quoted name, comment or parenthesis is not closed, or it names a
     *                                   routed table where the router does not read table references
     */
    public Routed route(String sql) {
        return cache.get(sql, this::routeUncached);
    }

    private Routed routeUncached(String sql) {
        SqlTokens lexed = SqlTokens.lex(sql, mysql);
        if (lexed.problem() != null) {
            throw unroutable(lexed.problem());
        }
        if (lexed.statements() != 1) {
            throw unroutable("expected one statement, found " + lexed.statements());
        }
        Walk walk = new Walk(lexed.tokens());
        walk.statement();
        Set<String> touched = Collections.unmodifiableSet(walk.touched);
        if (!rewrite || walk.replacements.isEmpty()) {
            return new Routed(sql, touched);
        }
        StringBuilder out = new StringBuilder(sql.length() + 16 * walk.replacements.size());
        int at = 0;
        for (Replacement r : walk.replacements) {
            out.append(sql, at, r.start()).append(r.text());
            at = r.end();
        }
        return new Routed(out.append(sql, at, sql.length()).toString(), touched);
    }

    static StatementRefusedException unroutable(String why) {
        return new StatementRefusedException(
                Keyspace.LEGACY.bindingName(),
                "unroutable",
                "Keyspace 'legacy': cannot route this statement (" + why
                        + "). Run it through the keyspace client that owns the table, or qualify the table as keyspace.table.",
                null);
    }

    private record Replacement(int start, int end, String text) {}

    /** A possibly qualified name as written: its parts (tokens) and whether {@code .*} follows. */
    private record Name(List<Token> parts, boolean star) {
        Token first() {
            return parts.get(0);
        }

        Token last() {
            return parts.get(parts.size() - 1);
        }
    }

    /** What the next token of a frame means. */
    private enum Mode {
        /** a statement or query may start here (frame start, after UNION, after a CTE list) */
        START,
        /** an expression, a select list, a SET list …: names are columns */
        EXPR,
        /** a statement the router does not model, before any query in it: names of routed tables are refused */
        FOREIGN,
        /** a table factor is expected (after FROM, JOIN, a comma between tables, UPDATE, USING) */
        TABLE,
        /** after a table factor: alias, index hints, joins, the end of the table list */
        AFTER_TABLE,
        /** a join condition (ON …, USING (…)): names are columns, but a JOIN or a comma goes on with the tables */
        CONDITION,
        /** after INSERT or REPLACE: the one table written to */
        INSERT_TABLE,
        /** WITH: a CTE name is expected */
        CTE_NAME,
        /** after a CTE name: its column list, AS, its body */
        CTE_BODY,
        /** after a CTE body: a comma and another CTE, or the statement */
        CTE_NEXT
    }

    /** Words that end a table list in the frame where they appear (a join condition included). */
    private static final Set<String> CLAUSES = Set.of(
            "where",
            "group",
            "having",
            "order",
            "limit",
            "offset",
            "fetch",
            "window",
            "lock",
            "into",
            "set",
            "values",
            "select",
            "returning",
            "procedure",
            "union",
            "except",
            "intersect",
            "for");

    /** Of {@link #CLAUSES}, the words MySQL/MariaDB do not reserve: there they may be columns of a join condition or tables. */
    private static final Set<String> MYSQL_UNRESERVED = Set.of("offset", "window", "returning");

    /** Words after a table factor that are never its alias. */
    private static final Set<String> NOT_ALIAS = Set.of(
            "join",
            "straight_join",
            "inner",
            "cross",
            "left",
            "right",
            "full",
            "outer",
            "natural",
            "on",
            "using",
            "as",
            "use",
            "force",
            "ignore",
            "partition",
            "from",
            "tablesample");

    /** Words in table position that are modifiers, not tables. */
    private static final Set<String> TABLE_MODIFIERS = Set.of("lateral", "only", "low_priority", "quick", "ignore");

    /** Scope of one parenthesised part of the statement (or the statement itself). */
    private static final class Frame {
        final Frame parent;
        final boolean foreign;
        Mode mode;
        /** whether FROM here introduces tables */
        boolean query;
        /** a DELETE's target list: tables or aliases, known only once the statement's aliases are */
        boolean deleteTargets;

        final List<Name> deferred = new ArrayList<>();
        final Set<String> aliases = new HashSet<>();
        final Set<String> ctes = new HashSet<>();
        /** WITH RECURSIVE: a CTE is visible in its own body; else only after it */
        boolean recursiveWith;

        String pendingCte;
        boolean aliasExpected;

        Frame(Frame parent, Mode mode) {
            this.parent = parent;
            this.foreign = parent != null && parent.mode == Mode.FOREIGN;
            this.mode = mode;
        }

        boolean isCte(String name) {
            for (Frame f = this; f != null; f = f.parent) {
                if (f.ctes.contains(name)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** One pass over a statement's tokens, collecting replacements and the keyspaces they route to. */
    private final class Walk {
        private final List<Token> t;
        private final int n;
        private int i;
        final List<Replacement> replacements = new ArrayList<>();
        final Set<String> touched = new LinkedHashSet<>();

        Walk(List<Token> tokens) {
            this.t = tokens;
            this.n = tokens.size();
        }

        void statement() {
            frame(new Frame(null, Mode.START));
            if (i < n) {
                throw unroutable(
                        "a closing parenthesis at character " + (t.get(i).start() + 1) + " closes nothing");
            }
            replacements.sort((a, b) -> Integer.compare(a.start(), b.start()));
        }

        private Token at(int k) {
            return k >= 0 && k < n ? t.get(k) : null;
        }

        private boolean word(int k, String lowerCase) {
            Token tok = at(k);
            return tok != null && tok.isWord(lowerCase);
        }

        private boolean symbol(int k, String symbol) {
            Token tok = at(k);
            return tok != null && tok.isSymbol(symbol);
        }

        /** Runs a frame up to its closing parenthesis (left for the caller) or the end of the text. */
        private void frame(Frame f) {
            while (i < n) {
                Token tok = t.get(i);
                if (tok.isSymbol(")")) {
                    break;
                }
                if (tok.isSymbol(";")) {
                    i++;
                    continue;
                }
                switch (f.mode) {
                    case START -> start(f, tok);
                    case TABLE -> table(f, tok);
                    case AFTER_TABLE, CONDITION -> afterTable(f, tok);
                    case INSERT_TABLE -> insertTable(f, tok);
                    case CTE_NAME -> cteName(f, tok);
                    case CTE_BODY -> cteBody(f, tok);
                    case CTE_NEXT -> cteNext(f, tok);
                    default -> expression(f, tok);
                }
            }
            for (Name target : f.deferred) {
                if (target.parts().size() > 1 || !f.aliases.contains(lower(target.first()))) {
                    table(f, target);
                }
            }
        }

        /** A child frame from the '(' at {@code i} to its ')'. */
        private void child(Frame parent, Mode mode) {
            Token open = t.get(i++);
            Frame child = new Frame(parent, mode);
            frame(child);
            if (i >= n) {
                throw unroutable("the parenthesis at character " + (open.start() + 1) + " is not closed");
            }
            i++;
        }

        private void start(Frame f, Token tok) {
            String w = tok.keyword();
            if (w == null) {
                if (tok.isSymbol("(")) {
                    child(f, Mode.START);
                    f.mode = Mode.EXPR;
                } else {
                    f.mode = other(f);
                }
                return;
            }
            switch (w) {
                case "select" -> select(f);
                case "with" -> with(f);
                case "insert", "replace" -> {
                    f.mode = Mode.INSERT_TABLE;
                    i++;
                }
                case "update" -> {
                    f.query = true;
                    f.mode = Mode.TABLE;
                    i++;
                }
                case "delete" -> {
                    f.query = true;
                    f.deleteTargets = true;
                    f.mode = Mode.TABLE;
                    i++;
                }
                case "table" -> {
                    f.mode = Mode.TABLE;
                    i++;
                }
                case "values" -> {
                    f.mode = Mode.EXPR;
                    i++;
                }
                case "explain", "describe", "desc", "analyze" -> {
                    // EXPLAIN [options] <statement> is routed as that statement; EXPLAIN <table> is not modelled.
                    f.mode = other(f);
                    i++;
                }
                default -> f.mode = other(f);
            }
        }

        /** The mode for a frame that starts with no statement: a statement the router does not model, or an expression. */
        private Mode other(Frame f) {
            return f.parent == null || f.foreign ? Mode.FOREIGN : Mode.EXPR;
        }

        private void select(Frame f) {
            f.query = true;
            f.mode = Mode.EXPR;
            i++;
        }

        private void with(Frame f) {
            f.recursiveWith = word(i + 1, "recursive");
            f.mode = Mode.CTE_NAME;
            i += f.recursiveWith ? 2 : 1;
        }

        /** Expressions (and statements the router does not model): only subqueries and qualified columns matter. */
        private void expression(Frame f, Token tok) {
            String w = tok.keyword();
            if (tok.isSymbol("(")) {
                child(f, Mode.START);
                return;
            }
            if (w != null) {
                switch (w) {
                    case "select" -> {
                        select(f);
                        return;
                    }
                    case "from" -> {
                        if (f.query && !distinctFrom()) {
                            f.mode = Mode.TABLE;
                        }
                        i++;
                        return;
                    }
                    case "union", "except", "intersect", "minus" -> {
                        f.mode = Mode.START;
                        i++;
                        if (word(i, "all") || word(i, "distinct")) {
                            i++;
                        }
                        return;
                    }
                    case "with" -> {
                        if (startsCte(i)) {
                            with(f);
                            return;
                        }
                    }
                    case "insert", "replace", "update", "delete" -> {
                        if (f.mode == Mode.FOREIGN && explained()) {
                            f.mode = Mode.START;
                            return;
                        }
                    }
                    default -> {
                        // a column, function or keyword
                    }
                }
            }
            if (tok.isName()) {
                Name name = name();
                if (!qualifiedColumn(name) && f.mode == Mode.FOREIGN && !f.query) {
                    refuseIfRouted(name);
                }
                return;
            }
            i++;
        }

        /** Whether the statement so far is {@code EXPLAIN}/{@code DESCRIBE}/{@code ANALYZE} and options. */
        private boolean explained() {
            return word(0, "explain") || word(0, "describe") || word(0, "desc") || word(0, "analyze");
        }

        /** {@code IS [NOT] DISTINCT FROM} compares; it has no tables. */
        private boolean distinctFrom() {
            return word(i - 1, "distinct") && (word(i - 2, "is") || (word(i - 2, "not") && word(i - 3, "is")));
        }

        /** Whether the WITH at {@code k} starts a CTE list ({@code WITH [RECURSIVE] name [(…)] AS}), not WITH ROLLUP and the like. */
        private boolean startsCte(int k) {
            int j = k + 1;
            if (word(j, "recursive")) {
                return true;
            }
            if (at(j) == null || !at(j).isName()) {
                return false;
            }
            j++;
            if (symbol(j, "(")) {
                int depth = 0;
                for (; j < n; j++) {
                    if (symbol(j, "(")) {
                        depth++;
                    } else if (symbol(j, ")") && --depth == 0) {
                        break;
                    }
                }
                j++;
            }
            return word(j, "as");
        }

        private void table(Frame f, Token tok) {
            String w = tok.keyword();
            if (w != null && TABLE_MODIFIERS.contains(w) && !(word(i + 1, "index") || word(i + 1, "key"))) {
                i++;
                return;
            }
            if (w != null && (clause(w, true) || NOT_ALIAS.contains(w))) {
                afterTable(f, tok);
                return;
            }
            if (w != null && w.equals("with") && startsCte(i)) {
                with(f); // FROM (WITH … SELECT …) AS d
                return;
            }
            f.mode = Mode.AFTER_TABLE;
            f.aliasExpected = true;
            if (tok.isSymbol("(")) {
                child(f, Mode.TABLE);
                return;
            }
            if (tok.isName()) {
                Name name = name();
                if (symbol(i, "(")) {
                    return; // a table function (JSON_TABLE, generate_series …), not a table
                }
                if (f.deleteTargets) {
                    f.deferred.add(name);
                } else {
                    table(f, name);
                }
                return;
            }
            refuseIfDoubleQuoted(tok);
            i++;
        }

        /** On MySQL {@code "policy"} is a string, unless the server runs with ANSI_QUOTES: which, the client cannot tell. */
        private void refuseIfDoubleQuoted(Token tok) {
            if (tok.kind() == Kind.STRING
                    && tok.quote() == '"'
                    && mysql
                    && route(List.of(tok)).isPresent()) {
                throw unroutable("\"" + tok.text()
                        + "\" stands where a table belongs, but is a string in MySQL's default SQL mode; "
                        + "quote table names with backticks");
            }
        }

        /** Whether {@code w} ends a table list; where a name may stand, only if the server reserves it. */
        private boolean clause(String w, boolean mayBeName) {
            return CLAUSES.contains(w) && !(mysql && MYSQL_UNRESERVED.contains(w) && mayBeName);
        }

        private void afterTable(Frame f, Token tok) {
            String w = tok.keyword();
            boolean aliasExpected = f.aliasExpected;
            f.aliasExpected = false;
            if (tok.isSymbol(",")) {
                f.mode = Mode.TABLE;
                i++;
                return;
            }
            if (tok.isSymbol("(")) {
                child(f, Mode.START);
                return;
            }
            if (w == null) {
                if (tok.isName() && f.mode == Mode.CONDITION) {
                    qualifiedColumn(name());
                    return;
                }
                if (tok.isName() && aliasExpected) {
                    f.aliases.add(lower(tok));
                }
                i++;
                return;
            }
            switch (w) {
                case "join", "straight_join" -> {
                    f.mode = Mode.TABLE;
                    i++;
                }
                case "inner", "cross", "left", "right", "full", "outer", "natural" -> i++;
                case "on" -> {
                    i++;
                    if (word(i, "duplicate") || word(i, "conflict")) {
                        endTables(f);
                    } else {
                        f.mode = Mode.CONDITION;
                    }
                }
                case "using" -> {
                    i++;
                    if (symbol(i, "(")) {
                        f.mode = Mode.CONDITION;
                    } else {
                        f.deleteTargets = false;
                        f.mode = Mode.TABLE;
                    }
                }
                case "from" -> {
                    i++;
                    if (f.deleteTargets) {
                        f.deleteTargets =
                                f.deferred.isEmpty(); // DELETE FROM t …: t is a target; DELETE t FROM …: tables follow
                        f.mode = Mode.TABLE;
                    }
                }
                case "as" -> {
                    i++;
                    Token alias = at(i);
                    if (alias != null && alias.isName()) {
                        f.aliases.add(lower(alias));
                        i++;
                    }
                }
                case "use", "force", "ignore" -> {
                    i++;
                    if (word(i, "index") || word(i, "key")) {
                        i++;
                        if (word(i, "for")) {
                            i += word(i + 1, "join") ? 2 : 3; // FOR JOIN, FOR ORDER BY, FOR GROUP BY
                        }
                    }
                }
                case "for" -> {
                    if (word(i + 1, "system_time") || word(i + 1, "portion")) {
                        i += 2; // MariaDB system-versioned and application-time tables
                    } else {
                        endTables(f);
                    }
                }
                default -> {
                    if (clause(w, f.mode == Mode.CONDITION)) {
                        endTables(f);
                    } else if (f.mode == Mode.CONDITION) {
                        expression(f, tok);
                    } else {
                        if (aliasExpected && !NOT_ALIAS.contains(w)) {
                            f.aliases.add(w);
                        }
                        i++;
                    }
                }
            }
        }

        /** The table list is over; the current token is read again as part of an expression. */
        private void endTables(Frame f) {
            f.deleteTargets = false;
            f.mode = Mode.EXPR;
        }

        private void insertTable(Frame f, Token tok) {
            String w = tok.keyword();
            if (w != null
                    && Set.of("low_priority", "delayed", "high_priority", "ignore", "into")
                            .contains(w)) {
                i++;
                return;
            }
            f.mode = Mode.EXPR;
            if (tok.isName()) {
                table(f, name());
            } else {
                refuseIfDoubleQuoted(tok);
            }
        }

        private void cteName(Frame f, Token tok) {
            if (tok.isName()) {
                if (f.recursiveWith) {
                    f.ctes.add(lower(tok));
                } else {
                    f.pendingCte = lower(tok);
                }
                f.mode = Mode.CTE_BODY;
            }
            i++;
        }

        private void cteBody(Frame f, Token tok) {
            if (tok.isSymbol("(")) {
                boolean body = word(i - 1, "as") || word(i - 1, "materialized");
                child(f, body ? Mode.START : Mode.EXPR);
                if (body) {
                    if (f.pendingCte != null) {
                        f.ctes.add(f.pendingCte);
                        f.pendingCte = null;
                    }
                    f.mode = Mode.CTE_NEXT;
                }
                return;
            }
            i++;
        }

        private void cteNext(Frame f, Token tok) {
            if (tok.isSymbol(",")) {
                f.mode = Mode.CTE_NAME;
                i++;
                return;
            }
            String w = tok.keyword();
            if (tok.isSymbol("(")
                    || (w != null
                            && Set.of("select", "insert", "replace", "update", "delete", "values", "table", "with")
                                    .contains(w))) {
                f.mode = Mode.START;
                return;
            }
            i++; // PostgreSQL SEARCH / CYCLE clauses
        }

        /** Reads {@code part[.part…][.*]} from {@code i}; leaves {@code i} after the last part. */
        private Name name() {
            List<Token> parts = new ArrayList<>(3);
            parts.add(t.get(i++));
            while (symbol(i, ".") && at(i + 1) != null && at(i + 1).isName()) {
                parts.add(t.get(i + 1));
                i += 2;
            }
            return new Name(parts, symbol(i, ".") && symbol(i + 1, "*"));
        }

        /** A table reference: routed by its rule unless it names a CTE. */
        private void table(Frame f, Name name) {
            if (name.parts().size() > 2 || (name.parts().size() == 1 && f.isCte(lower(name.first())))) {
                return;
            }
            route(name.parts()).ifPresent(target -> replace(name.first(), name.last(), target));
        }

        /** {@code keyspace.table.column} and {@code keyspace.table.*} follow their table; returns whether the name is one. */
        private boolean qualifiedColumn(Name name) {
            if (name.parts().size() == 3 || (name.parts().size() == 2 && name.star())) {
                List<Token> table = name.parts().subList(0, 2);
                route(table).ifPresent(target -> replace(table.get(0), table.get(1), target));
                return true;
            }
            return false;
        }

        private void refuseIfRouted(Name name) {
            if (name.parts().size() <= 2 && route(name.parts()).isPresent()) {
                throw unroutable(
                        "it names the routed table " + display(name)
                                + " where the router does not read table references; it routes SELECT, INSERT, REPLACE, UPDATE and DELETE");
            }
        }

        private void replace(Token first, Token last, RoutingRules.Target target) {
            touched.add(target.keyspace());
            char quote = last.kind() == Kind.QUOTED_NAME ? last.quote() : '\0';
            replacements.add(new Replacement(
                    first.start(),
                    last.end(),
                    quoteName(target.keyspace(), quote) + "." + quoteName(target.table(), quote)));
        }
    }

    /**
     * Where {@code [schema[@tablet].]table} goes, by the rules. A bare {@code table@tablet} is looked
     * up as vtgate does for a session on the legacy keyspace: as {@code openinsure.table@tablet}.
     */
    private Optional<RoutingRules.Target> route(List<Token> parts) {
        String table = parts.get(parts.size() - 1).text();
        if (parts.size() == 1) {
            return rules.route(table.indexOf('@') > 0 ? Keyspace.LEGACY.database() : null, table, null);
        }
        String schema = parts.get(0).text();
        String tablet = null;
        int at = schema.indexOf('@');
        if (at > 0) {
            tablet = schema.substring(at + 1);
            schema = schema.substring(0, at);
        }
        return rules.route(schema, table, tablet);
    }

    /** A target name: quoted with {@code quote} when the user quoted the table, else only if it needs quotes. */
    private String quoteName(String name, char quote) {
        char q = quote != '\0' ? quote : plain(name) ? '\0' : mysql ? '`' : '"';
        if (q == '\0') {
            return name;
        }
        String doubled = String.valueOf(q) + q;
        return q + name.replace(String.valueOf(q), doubled) + q;
    }

    private boolean plain(String name) {
        if (name.isEmpty() || Character.isDigit(name.charAt(0))) {
            return false;
        }
        for (int k = 0; k < name.length(); k++) {
            char c = name.charAt(k);
            boolean letter = mysql ? (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') : c >= 'a' && c <= 'z';
            if (!letter && !Character.isDigit(c) && c != '_') {
                return false;
            }
        }
        return true;
    }

    private static String lower(Token tok) {
        return tok.text().toLowerCase(Locale.ROOT);
    }

    private static String display(Name name) {
        StringBuilder sb = new StringBuilder();
        for (Token part : name.parts()) {
            sb.append(sb.length() == 0 ? "" : ".").append(part.text());
        }
        return sb.toString();
    }
}
