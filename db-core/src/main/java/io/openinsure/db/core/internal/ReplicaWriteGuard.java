package io.openinsure.db.core.internal;

import io.openinsure.db.core.BindingConfig;
import io.openinsure.db.core.DatabaseUrl;
import io.openinsure.db.core.DatabaseUrl.TabletType;
import io.openinsure.db.core.StatementRefusedException;
import io.openinsure.db.core.spi.SqlTokens.Kind;
import io.openinsure.db.core.spi.SqlTokens.Token;
import java.util.Arrays;
import java.util.List;
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
 * identifiers are skipped. Anything the check cannot classify is refused. The text is read by the one
 * {@link SqlLexer} of the client (the statement guard and the cache read it too).
 *
 * <p>Installed by {@link #install(DSLContext, BindingConfig)} on the binding's jOOQ context; immutable
 * and thread-safe.
 */
final class ReplicaWriteGuard extends TextCheckingListener {

    private static final long serialVersionUID = 1L;

    /** The {@link StatementRefusedException#rule()} of a refusal. */
    static final String RULE = "replica-write";

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
    ReplicaWriteGuard(String binding, String keyspace, TabletType tabletType) {
        this.binding = Objects.requireNonNull(binding, "binding");
        this.keyspace = Objects.requireNonNull(keyspace, "keyspace");
        this.tabletType = Objects.requireNonNull(tabletType, "tabletType");
        if (tabletType == TabletType.PRIMARY) {
            throw new IllegalArgumentException("the primary takes writes; a guard is only for @replica and @rdonly");
        }
    }

    /** The guard a binding needs: present when its URL is {@code vitess://…/keyspace@replica} or {@code @rdonly}. */
    static Optional<ReplicaWriteGuard> forBinding(BindingConfig config) {
        DatabaseUrl url = config.url();
        if (!url.isVitess()) {
            return Optional.empty();
        }
        return url.tabletType()
                .filter(t -> t != TabletType.PRIMARY)
                .map(t -> new ReplicaWriteGuard(config.name(), url.keyspace().orElse(config.name()), t));
    }

    /** {@code ctx} with the binding's guard appended to its execute listeners, or {@code ctx} itself when none is needed. */
    static DSLContext install(DSLContext ctx, BindingConfig config) {
        return forBinding(config)
                .map(guard -> DSL.using(ctx.configuration().deriveAppending(guard)))
                .orElse(ctx);
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
        if (type == ExecuteType.BATCH
                && (batch == null || batch.length == 0 || Arrays.stream(batch).allMatch(Objects::isNull))
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
        return new StatementRefusedException(
                binding,
                RULE,
                "Keyspace '" + binding + "': refused this statement (" + kind
                        + "): the binding targets " + keyspace + "@" + tablet + " (tablet type " + tabletType
                        + "), which serves reads only. Run writes through a binding whose URL targets the primary, e.g. vitess://host:port/"
                        + keyspace + "@primary (or no tablet type).",
                null);
    }

    /**
     * The kind of a statement that may write ({@code UPDATE}, {@code locking read}, …), or empty when
     * every statement in {@code sql} is a plain read. Conservative: unclassifiable text counts as a write.
     * Read with {@link SqlLexer} as the server runs it (MySQL rules; executable comments are code).
     */
    static Optional<String> writeKind(String sql) {
        List<Token> tokens = SqlLexer.lexAsServer(sql, true).tokens();
        int start = 0;
        for (int i = 0; i <= tokens.size(); i++) {
            if (i == tokens.size() || tokens.get(i).isSymbol(";")) {
                Optional<String> kind = statementKind(tokens.subList(start, i));
                if (kind.isPresent()) {
                    return kind;
                }
                start = i + 1;
            }
        }
        return Optional.empty();
    }

    /** The write kind of one statement's tokens; empty for a plain read (or no statement). */
    private static Optional<String> statementKind(List<Token> statement) {
        if (statement.isEmpty()) {
            return Optional.empty();
        }
        int i = 0;
        while (i < statement.size() && statement.get(i).isSymbol("(")) {
            i++;
        }
        if (i == statement.size() || statement.get(i).kind() != Kind.WORD) {
            return Optional.of("unrecognised");
        }
        String keyword = statement.get(i).text().toUpperCase(Locale.ROOT);
        if (!READ_KEYWORDS.contains(keyword)) {
            return Optional.of(keyword);
        }
        if (keyword.equals("SET") && globalSet(statement, i + 1)) {
            return Optional.of("global SET");
        }
        if (words(statement, "FOR", "UPDATE")
                || words(statement, "FOR", "SHARE")
                || words(statement, "LOCK", "IN", "SHARE", "MODE")) {
            return Optional.of("locking read");
        }
        if (keyword.equals("SELECT") || keyword.equals("WITH") || keyword.equals("TABLE") || keyword.equals("VALUES")) {
            if (words(statement, "INTO", "OUTFILE") || words(statement, "INTO", "DUMPFILE")) {
                return Optional.of("SELECT INTO file");
            }
            // A WITH clause may lead a DELETE/UPDATE in MySQL 8: WITH c AS (...) DELETE ... / UPDATE ...
            if (keyword.equals("WITH") && leadsWrite(statement, i + 1)) {
                return Optional.of("WITH … write");
            }
        }
        return Optional.empty();
    }

    /** {@code SET GLOBAL|PERSIST…|PASSWORD|ROLE|DEFAULT ROLE …}, or any {@code @@global.}/{@code @@persist} variable. */
    private static boolean globalSet(List<Token> statement, int afterSet) {
        Token next = afterSet < statement.size() ? statement.get(afterSet) : null;
        if (next != null && next.kind() == Kind.WORD) {
            String word = next.text().toUpperCase(Locale.ROOT);
            if (word.equals("GLOBAL")
                    || word.startsWith("PERSIST")
                    || word.equals("PASSWORD")
                    || word.equals("ROLE")
                    || (word.equals("DEFAULT")
                            && afterSet + 1 < statement.size()
                            && statement.get(afterSet + 1).isWord("ROLE"))) {
                return true;
            }
        }
        for (Token t : statement) {
            String text = t.text().toUpperCase(Locale.ROOT);
            if (t.kind() == Kind.VARIABLE && (text.startsWith("@@GLOBAL.") || text.startsWith("@@PERSIST"))) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code words} occur one after the other in {@code statement}. */
    private static boolean words(List<Token> statement, String... words) {
        for (int i = 0; i + words.length <= statement.size(); i++) {
            int j = 0;
            while (j < words.length && statement.get(i + j).isWord(words[j])) {
                j++;
            }
            if (j == words.length) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a statement that starts with {@code WITH} goes on with something other than a read after
     * its common table expressions ({@code WITH c AS (…) DELETE …}). Unclassifiable text counts as a write.
     */
    private static boolean leadsWrite(List<Token> s, int afterWith) {
        int i = afterWith;
        if (i < s.size() && s.get(i).isWord("RECURSIVE")) {
            i++;
        }
        while (true) {
            if (i >= s.size() || s.get(i).name() == null) {
                return true;
            }
            i++;
            if (i < s.size() && s.get(i).isSymbol("(")) {
                i = skipParentheses(s, i);
            }
            if (i >= s.size() || !s.get(i).isWord("AS")) {
                return true;
            }
            i++;
            if (i >= s.size() || !s.get(i).isSymbol("(")) {
                return true;
            }
            i = skipParentheses(s, i);
            if (i < s.size() && s.get(i).isSymbol(",")) {
                i++;
                continue;
            }
            return !(i < s.size()
                    && (s.get(i).isWord("SELECT")
                            || s.get(i).isSymbol("(")
                            || s.get(i).isWord("TABLE")
                            || s.get(i).isWord("VALUES")));
        }
    }

    /** The index after the parenthesis that closes the one at {@code open}, or the end of the statement. */
    private static int skipParentheses(List<Token> s, int open) {
        int depth = 0;
        for (int i = open; i < s.size(); i++) {
            if (s.get(i).isSymbol("(")) {
                depth++;
            } else if (s.get(i).isSymbol(")") && --depth == 0) {
                return i + 1;
            }
        }
        return s.size();
    }

    @Override
    public String toString() {
        return "ReplicaWriteGuard[" + binding + " -> " + keyspace + "@"
                + tabletType.name().toLowerCase(Locale.ROOT) + "]";
    }
}
