package io.openinsure.db.core.internal;

import io.openinsure.db.core.BindingConfig;
import io.openinsure.db.core.DatabaseUrl;
import io.openinsure.db.core.DatabaseUrl.TabletType;
import io.openinsure.db.core.StatementRefusedException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jooq.DSLContext;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteType;
import org.jooq.impl.DSL;

/**
 * Refuses, before it reaches the server, any statement that could write when a binding targets a
 * Vitess replica ({@code vitess://host:port/keyspace@replica} or {@code @rdonly}). Replica and rdonly
 * tablets serve reads only; the fix is to run writes through a binding whose URL targets the primary.
 *
 * <p>The decision is conservative. jOOQ's {@link ExecuteContext#type()} refuses typed writes, DDL and
 * routine calls outright; every other statement (typed reads, plain SQL, each statement of a batch)
 * is checked lexically: after comments, every statement must start with a read keyword
 * ({@code SELECT}, {@code WITH}, {@code SHOW}, {@code DESCRIBE}, {@code DESC}, {@code EXPLAIN},
 * {@code TABLE}, {@code VALUES}, or {@code SET} for session settings) and must not be a locking read
 * ({@code FOR UPDATE}, {@code FOR SHARE}, {@code LOCK IN SHARE MODE}), a {@code SET GLOBAL}, or a {@code SELECT … INTO
 * OUTFILE}; a {@code WITH} must lead a read. The text of MySQL executable
 * comments ({@code /*! … *}{@code /}) counts as code, since MySQL runs it. String literals and quoted
 * identifiers are skipped. Anything the check cannot classify is refused.
 *
 * <p>Installed by {@link #install(DSLContext, BindingConfig)} on the binding's jOOQ context; immutable
 * and thread-safe.
 */
public final class ReplicaWriteGuard extends TextCheckingListener {

    private static final long serialVersionUID = 1L;

    /** The {@link StatementRefusedException#rule()} of a refusal. */
    public static final String RULE = "replica-write";

    private static final Set<String> READ_KEYWORDS =
            Set.of("SELECT", "WITH", "SHOW", "DESCRIBE", "DESC", "EXPLAIN", "TABLE", "VALUES", "SET");

    private final String binding;
    private final String keyspace;
    private final TabletType tabletType;

    /**
     * A guard for a binding that targets a replica.
     *
     * @param binding    the binding name for messages ({@code claims})
     * @param keyspace   the Vitess keyspace ({@code oi_claims})
     * @param tabletType {@link TabletType#REPLICA} or {@link TabletType#RDONLY}
     */
    public ReplicaWriteGuard(String binding, String keyspace, TabletType tabletType) {
        this.binding = Objects.requireNonNull(binding, "binding");
        this.keyspace = Objects.requireNonNull(keyspace, "keyspace");
        this.tabletType = Objects.requireNonNull(tabletType, "tabletType");
        if (tabletType == TabletType.PRIMARY) {
            throw new IllegalArgumentException("the primary takes writes; a guard is only for @replica and @rdonly");
        }
    }

    /** The guard a binding needs: present when its URL is {@code vitess://…/keyspace@replica} or {@code @rdonly}. */
    public static Optional<ReplicaWriteGuard> forBinding(BindingConfig config) {
        DatabaseUrl url = config.url();
        if (!url.isVitess()) {
            return Optional.empty();
        }
        return url.tabletType()
                .filter(t -> t != TabletType.PRIMARY)
                .map(t -> new ReplicaWriteGuard(config.name(), url.keyspace().orElse(config.name()), t));
    }

    /** {@code ctx} with the binding's guard appended to its execute listeners, or {@code ctx} itself when none is needed. */
    public static DSLContext install(DSLContext ctx, BindingConfig config) {
        return forBinding(config).map(guard -> DSL.using(ctx.configuration().deriveAppending(guard))).orElse(ctx);
    }

    @Override
    void check(ExecuteContext ctx) {
        ExecuteType type = ctx.type();
        String sql = ctx.sql();
        if (type == ExecuteType.ROUTINE) {
            throw refused("CALL");
        }
        if (type == ExecuteType.WRITE || type == ExecuteType.DDL) {
            String keyword = sql == null ? null : writeKind(sql).orElse(null);
            throw refused(keyword != null ? keyword : type == ExecuteType.DDL ? "DDL" : "write");
        }
        String[] batch = ctx.batchSQL();
        if (type == ExecuteType.BATCH && (batch == null || batch.length == 0 || Arrays.stream(batch).allMatch(Objects::isNull))
                && sql == null) {
            throw refused("batch");
        }
        super.check(ctx);
    }

    @Override
    void check(String sql) {
        writeKind(sql).ifPresent(kind -> {
            throw refused(kind);
        });
    }

    private StatementRefusedException refused(String kind) {
        String tablet = tabletType.name().toLowerCase(Locale.ROOT);
        return new StatementRefusedException(binding, RULE, "Keyspace '" + binding + "': refused this statement (" + kind
                + "): the binding targets " + keyspace + "@" + tablet + " (tablet type " + tabletType
                + "), which serves reads only. Run writes through a binding whose URL targets the primary, e.g. vitess://host:port/"
                + keyspace + "@primary (or no tablet type).", null);
    }

    /**
     * The kind of a statement that may write ({@code UPDATE}, {@code locking read}, …), or empty when
     * every statement in {@code sql} is a plain read. Conservative: unclassifiable text counts as a write.
     */
    public static Optional<String> writeKind(String sql) {
        String code = Lexer.code(sql);
        for (String statement : code.split(";", -1)) {
            String s = statement.strip();
            if (s.isEmpty()) {
                continue;
            }
            int i = 0;
            while (i < s.length() && s.charAt(i) == '(') {
                i++;
            }
            int start = i;
            while (i < s.length() && Character.isLetter(s.charAt(i))) {
                i++;
            }
            String keyword = s.substring(start, i).toUpperCase(Locale.ROOT);
            if (keyword.isEmpty()) {
                return Optional.of("unrecognised");
            }
            if (!READ_KEYWORDS.contains(keyword)) {
                return Optional.of(keyword);
            }
            String words = " " + s.toUpperCase(Locale.ROOT).replaceAll("\\s+", " ") + " ";
            if (keyword.equals("SET") && (words.startsWith(" SET GLOBAL ") || words.startsWith(" SET PERSIST")
                    || words.startsWith(" SET PASSWORD ") || words.startsWith(" SET ROLE ") || words.startsWith(" SET DEFAULT ROLE ")
                    || words.contains("@@GLOBAL.") || words.contains("@@PERSIST"))) {
                return Optional.of("global SET");
            }
            if (words.contains(" FOR UPDATE ") || words.contains(" FOR SHARE ") || words.contains(" LOCK IN SHARE MODE ")) {
                return Optional.of("locking read");
            }
            if (keyword.equals("SELECT") || keyword.equals("WITH") || keyword.equals("TABLE") || keyword.equals("VALUES")) {
                if (words.contains(" INTO OUTFILE ") || words.contains(" INTO DUMPFILE ")) {
                    return Optional.of("SELECT INTO file");
                }
                // A WITH clause may lead a DELETE/UPDATE in MySQL 8: WITH c AS (...) DELETE ... / UPDATE ...
                if (keyword.equals("WITH") && leadsWrite(words)) {
                    return Optional.of("WITH … write");
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Whether a statement that starts with {@code WITH} goes on with something other than a read after
     * its common table expressions ({@code WITH c AS (…) DELETE …}). Unclassifiable text counts as a write.
     */
    private static boolean leadsWrite(String words) {
        int i = skipSpaces(words, words.indexOf("WITH") + 4);
        if (words.startsWith("RECURSIVE", i)) {
            i = skipSpaces(words, i + 9);
        }
        while (true) {
            int nameEnd = i;
            while (nameEnd < words.length() && (Character.isLetterOrDigit(words.charAt(nameEnd)) || words.charAt(nameEnd) == '_'
                    || words.charAt(nameEnd) == '$')) {
                nameEnd++;
            }
            if (nameEnd == i) {
                return true;
            }
            i = skipSpaces(words, nameEnd);
            if (i < words.length() && words.charAt(i) == '(') {
                i = skipSpaces(words, skipParentheses(words, i));
            }
            if (!words.startsWith("AS", i)) {
                return true;
            }
            i = skipSpaces(words, i + 2);
            if (i >= words.length() || words.charAt(i) != '(') {
                return true;
            }
            i = skipSpaces(words, skipParentheses(words, i));
            if (i < words.length() && words.charAt(i) == ',') {
                i = skipSpaces(words, i + 1);
                continue;
            }
            String rest = words.substring(Math.min(i, words.length()));
            return !(rest.startsWith("SELECT") || rest.startsWith("(") || rest.startsWith("TABLE") || rest.startsWith("VALUES"));
        }
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && s.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    /** The index after the parenthesis that closes the one at {@code open}, or the end of the text. */
    private static int skipParentheses(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i + 1;
            }
        }
        return s.length();
    }

    /** Removes comments, string literals and quoted identifiers; keeps the text of executable comments. */
    static final class Lexer {
        private Lexer() {
        }

        static String code(String sql) {
            StringBuilder out = new StringBuilder(sql.length());
            int n = sql.length();
            int i = 0;
            boolean inExecutable = false;
            while (i < n) {
                char c = sql.charAt(i);
                char next = i + 1 < n ? sql.charAt(i + 1) : '\0';
                if (inExecutable && c == '*' && next == '/') {
                    inExecutable = false;
                    out.append(' ');
                    i += 2;
                } else if (c == '/' && next == '*') {
                    if (i + 2 < n && sql.charAt(i + 2) == '!') {
                        // MySQL runs /*! … */ (optionally /*!80000 … */): keep its text as code.
                        inExecutable = true;
                        i += 3;
                        while (i < n && Character.isDigit(sql.charAt(i))) {
                            i++;
                        }
                        out.append(' ');
                    } else {
                        int end = sql.indexOf("*/", i + 2);
                        i = end < 0 ? n : end + 2;
                        out.append(' ');
                    }
                } else if (c == '#' || (c == '-' && next == '-' && (i + 2 >= n || Character.isWhitespace(sql.charAt(i + 2))))) {
                    int end = sql.indexOf('\n', i);
                    i = end < 0 ? n : end + 1;
                    out.append(' ');
                } else if (c == '\'' || c == '"' || c == '`') {
                    i = skipQuoted(sql, i, c);
                    out.append(c == '`' ? " _ident_ " : " _literal_ ");
                } else {
                    out.append(c);
                    i++;
                }
            }
            return out.toString();
        }

        private static int skipQuoted(String sql, int start, char quote) {
            int i = start + 1;
            int n = sql.length();
            while (i < n) {
                char c = sql.charAt(i);
                if (c == '\\' && quote != '`') {
                    i += 2;
                } else if (c == quote) {
                    if (i + 1 < n && sql.charAt(i + 1) == quote) {
                        i += 2;
                    } else {
                        return i + 1;
                    }
                } else {
                    i++;
                }
            }
            return n;
        }
    }

    @Override
    public String toString() {
        return "ReplicaWriteGuard[" + binding + " -> " + keyspace + "@" + tabletType.name().toLowerCase(Locale.ROOT) + "]";
    }
}
