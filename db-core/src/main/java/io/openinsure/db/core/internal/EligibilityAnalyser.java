package io.openinsure.db.core.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.openinsure.db.core.CacheStatus;
import io.openinsure.db.core.internal.SqlFunctions.Volatility;
import io.openinsure.db.core.internal.SqlLexer.Lexed;
import io.openinsure.db.core.internal.Verdict.Effect;
import io.openinsure.db.core.spi.SqlTokens.Kind;
import io.openinsure.db.core.spi.SqlTokens.Token;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jooq.Clause;
import org.jooq.CommonTableExpression;
import org.jooq.DSLContext;
import org.jooq.Queries;
import org.jooq.Query;
import org.jooq.QueryPart;
import org.jooq.SQLDialect;
import org.jooq.Select;
import org.jooq.Table;
import org.jooq.VisitContext;
import org.jooq.VisitListener;
import org.jooq.conf.ParseUnknownFunctions;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultConfiguration;
import org.jooq.impl.DefaultVisitListenerProvider;
import org.jooq.impl.QOM;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a statement's result may be cached, in Hyperdrive's terms, and what running it may
 * change. Fails closed: whatever it cannot read is not cached.
 *
 * <ol>
 *   <li>A small lexer strips literals and comments; textual checks then catch what jOOQ's parser gets
 *       silently wrong: executable comments and hints (dropped), {@code SQL_NO_CACHE} and other SELECT
 *       modifiers (read as aliases), {@code @}/{@code @@} variables (read as columns), {@code SET} (zero
 *       queries), {@code LOCALTIME} (a column), {@code UNIX_TIMESTAMP()} and {@code LOCK IN SHARE MODE}
 *       (parse errors), multi-statements, locking reads, {@code SELECT … INTO}.</li>
 *   <li>jOOQ's parser ({@code parse()}, unknown functions kept as plain functions) reads the statement,
 *       and rendering it with a {@link VisitListener} collects the tables read or written (by the clause
 *       stack, CTE names excluded) and every function, known by type ({@code QOM.CurrentTimestamp},
 *       {@code QOM.Rand}, …) or by name ({@link SqlFunctions}).</li>
 *   <li>The tables named after {@code FROM}/{@code JOIN} in the text must all be among the parsed ones,
 *       so a misread statement is never cached with the wrong invalidation tables.</li>
 * </ol>
 *
 * <p>Verdicts are cached per SQL text (parsing costs 8–120 µs). Thread-safe.
 */
@SuppressWarnings("deprecation") // org.jooq.Clause is deprecated but is what VisitContext offers in 3.19
final class EligibilityAnalyser {

    private static final Logger LOG = LoggerFactory.getLogger(EligibilityAnalyser.class);

    private static final Set<String> READ_LEADS = Set.of("select", "with", "values", "table");
    /** First words of statements that are not queries (anything else that does not parse is a parse error). */
    private static final Set<String> COMMAND_LEADS = Set.of(
            "insert",
            "replace",
            "update",
            "delete",
            "merge",
            "upsert",
            "call",
            "do",
            "load",
            "handler",
            "create",
            "alter",
            "drop",
            "truncate",
            "rename",
            "grant",
            "revoke",
            "lock",
            "unlock",
            "flush",
            "analyze",
            "optimize",
            "repair",
            "check",
            "checksum",
            "show",
            "explain",
            "describe",
            "desc",
            "help",
            "begin",
            "start",
            "commit",
            "rollback",
            "savepoint",
            "release",
            "xa",
            "prepare",
            "execute",
            "deallocate",
            "copy",
            "vacuum",
            "listen",
            "unlisten",
            "notify",
            "reset",
            "discard",
            "cluster",
            "reindex",
            "refresh",
            "comment",
            "install",
            "uninstall",
            "kill",
            "purge",
            "change",
            "import",
            "backup",
            "restore",
            "signal",
            "resignal",
            "get",
            "declare",
            "close",
            "open",
            "fetch",
            "move",
            "security",
            "reassign",
            "abort",
            "end",
            "checkpoint");

    private static final Set<String> NO_DATA_CHANGE_LEADS = Set.of(
            "show",
            "explain",
            "describe",
            "desc",
            "help",
            "begin",
            "start",
            "savepoint",
            "release",
            "rollback",
            "prepare",
            "deallocate",
            "listen",
            "unlisten",
            "use",
            "handler");
    private static final Set<String> SELECT_MODIFIERS = Set.of(
            "sql_cache",
            "straight_join",
            "high_priority",
            "sql_small_result",
            "sql_big_result",
            "sql_buffer_result",
            "distinctrow");
    private static final Set<String> MODIFIER_PRECEDERS = Set.of(
            "select",
            "all",
            "distinct",
            "sql_no_cache",
            "sql_calc_found_rows",
            "sql_cache",
            "straight_join",
            "high_priority",
            "sql_small_result",
            "sql_big_result",
            "sql_buffer_result",
            "distinctrow");
    private static final Set<String> NOT_TABLES =
            Set.of("select", "lateral", "only", "dual", "values", "with", "unnest", "json_table");
    private static final Set<String> CLOCK_TYPES =
            Set.of("timestamp", "timestamptz", "date", "time", "timetz", "interval");
    /** Words that may stand before "(" without being a function call. */
    private static final Set<String> KEYWORDS_BEFORE_PAREN = Set.of(
            "select",
            "from",
            "where",
            "and",
            "or",
            "not",
            "in",
            "exists",
            "any",
            "all",
            "some",
            "on",
            "using",
            "as",
            "join",
            "values",
            "over",
            "partition",
            "by",
            "when",
            "then",
            "else",
            "case",
            "is",
            "like",
            "between",
            "union",
            "intersect",
            "except",
            "with",
            "recursive",
            "lateral",
            "distinct",
            "having",
            "group",
            "order",
            "limit",
            "offset",
            "into",
            "for",
            "filter",
            "within",
            "escape",
            "mode",
            "share",
            "lock",
            "table",
            "key",
            "char",
            "varchar",
            "decimal",
            "numeric",
            "float",
            "double",
            "int",
            "integer",
            "bigint",
            "smallint",
            "tinyint",
            "datetime",
            "time",
            "timestamp",
            "date",
            "bit",
            "text",
            "json",
            "array",
            "window",
            "rows",
            "range",
            "groups",
            "outer",
            "inner",
            "cross",
            "natural",
            "only",
            "returning",
            "set",
            "unsigned",
            "signed",
            "nchar",
            "varbinary",
            "binary",
            "character",
            "precision",
            "real",
            "boolean",
            "bool",
            "uuid",
            "jsonb",
            "bytea",
            "timestamptz",
            "interval",
            "row");

    private static final Pattern PARSE_POSITION = Pattern.compile("^(.*?): \\[(\\d+):(\\d+)]");

    private final SQLDialect dialect;
    private final boolean mysql;
    private final DSLContext parsing;
    private final Settings renderSettings;
    private final Cache<String, Verdict> verdicts;
    /** PostgreSQL: the server's catalog of function volatility, once read ({@link #useCatalog}); {@code null} before. */
    private volatile FunctionCatalog catalog;
    /** Asked (PostgreSQL) when a statement calls a function the lists do not know and no catalog is in use yet. */
    private volatile Runnable catalogWanted = () -> {};

    /**
     * @param dialect  the SQL dialect family to parse ({@code MYSQL} for MySQL, MariaDB and Vitess; {@code POSTGRES})
     * @param capacity how many verdicts to keep
     */
    EligibilityAnalyser(SQLDialect dialect, int capacity) {
        this.dialect = dialect;
        this.mysql = dialect.family() == SQLDialect.MYSQL || dialect.family() == SQLDialect.MARIADB;
        Settings settings = new Settings()
                .withParseDialect(dialect)
                .withParseUnknownFunctions(ParseUnknownFunctions.IGNORE)
                .withRenderSchema(false)
                .withExecuteLogging(false);
        this.parsing = DSL.using(dialect, settings);
        this.renderSettings = settings;
        this.verdicts = Caffeine.newBuilder().maximumSize(capacity).build();
    }

    /**
     * From now on, classify the functions the lists below do not know by {@code catalog} (PostgreSQL's
     * {@code pg_proc.provolatile}): an IMMUTABLE one no longer blocks caching, a STABLE or VOLATILE one does, and
     * {@link #analyse} says which function and why. Verdicts given before are dropped.
     */
    void useCatalog(FunctionCatalog catalog) {
        this.catalog = catalog;
        verdicts.invalidateAll();
    }

    /** {@code request} runs (and should start reading the catalog, without blocking) when a verdict would need it. */
    void onCatalogWanted(Runnable request) {
        this.catalogWanted = request;
    }

    /** Whether the server's function catalog is in use (PostgreSQL, once read). */
    boolean hasCatalog() {
        return catalog != null;
    }

    /** The verdict for {@code sql}, from the cache when this text was analysed before. Never throws for any text. */
    Verdict analyse(String sql) {
        return verdicts.get(sql, this::decideSafely);
    }

    private Verdict decideSafely(String sql) {
        try {
            return decide(sql);
        } catch (RuntimeException e) {
            // A bug or a jOOQ limitation in the analysis must never fail the statement itself: run it uncached.
            LOG.debug("openinsure-db: could not analyse a statement for caching: {}", e.toString());
            return new Verdict(
                    CacheStatus.PARSEERROR,
                    "uncacheable: the statement could not be analysed ("
                            + e.getClass().getSimpleName() + "), so it is not cached (fail closed)",
                    "",
                    Set.of(),
                    Effect.UNKNOWN,
                    sql.strip());
        }
    }

    SQLDialect dialect() {
        return dialect;
    }

    // ---------------------------------------------------------------------------------------------

    private Verdict decide(String sql) {
        Lexed lexed = SqlLexer.lex(sql, mysql);
        List<Token> tokens = withoutSeparators(lexed.tokens());
        String normalised = lexed.normalised();
        if (lexed.statements() == 0) {
            return new Verdict(
                    CacheStatus.NOTAQUERY, "uncacheable: there is no statement", "", Set.of(), Effect.READ, normalised);
        }
        if (lexed.statements() > 1) {
            return new Verdict(
                    CacheStatus.MULTIPLESTATEMENTS,
                    "uncacheable: " + lexed.statements() + " statements in one string",
                    "send one statement per call",
                    Set.of(),
                    Effect.UNKNOWN,
                    normalised);
        }
        if (lexed.unterminated()) {
            return new Verdict(
                    CacheStatus.PARSEERROR,
                    "uncacheable: a literal, quoted name or comment is not closed, so the "
                            + "statement is not cached (fail closed)",
                    "close it",
                    Set.of(),
                    Effect.UNKNOWN,
                    normalised);
        }
        String lead = leadingKeyword(tokens);
        if (lead.equals("use")) {
            return new Verdict(
                    CacheStatus.NOTAQUERY,
                    "uncacheable: USE switches the connection's database; it is not a query",
                    "use the client of the keyspace you want (one client per keyspace) instead of USE",
                    Set.of(),
                    Effect.READ,
                    normalised);
        }
        if (lead.equals("set")) {
            return new Verdict(
                    CacheStatus.NOTAQUERY,
                    "uncacheable: SET changes session state; it is not a query",
                    "bind values as parameters instead of session variables",
                    Set.of(),
                    Effect.UNKNOWN,
                    normalised);
        }
        boolean readLead = READ_LEADS.contains(lead);
        if (mysql && readLead && hasWord(tokens, "into")) {
            // jOOQ reads SELECT … INTO @v as CREATE TABLE `@v`; MySQL stores into variables or a file, never a table.
            return selectInto(Set.of(), textuallyReadOnly(tokens) ? Effect.READ : Effect.UNKNOWN, normalised);
        }
        Parsed parsed = parse(lexed.parseable());
        Walk walk = parsed.query == null ? null : walk(parsed.query);
        if (parsed.query != null && walk == null) {
            parsed = new Parsed(null, "the parsed statement could not be rendered");
        }

        // ---- not a read ----
        if (walk != null && (!(parsed.query instanceof Select) || walk.writeVerb != null)) {
            Set<String> tables = new LinkedHashSet<>(walk.tables);
            tables.addAll(textualTables(tokens, true));
            tables.removeAll(walk.ctes);
            boolean unknown = tables.isEmpty() || !walk.unknownFunctions.isEmpty() || lexed.executableComment();
            String verb = walk.writeVerb != null ? walk.writeVerb : lead.toUpperCase(Locale.ROOT);
            if (lead.equals("select") && hasWord(tokens, "into")) {
                verb = "SELECT … INTO"; // PostgreSQL: creates a table (jOOQ reads it as CREATE TABLE … AS SELECT)
            }
            return notAQuery(
                    verb,
                    unknown || NO_DATA_CHANGE_LEADS.contains(lead) ? Set.of() : tables,
                    NO_DATA_CHANGE_LEADS.contains(lead) ? Effect.READ : unknown ? Effect.UNKNOWN : Effect.WRITE,
                    normalised);
        }
        if (walk == null && COMMAND_LEADS.contains(lead)) {
            Effect effect = NO_DATA_CHANGE_LEADS.contains(lead) ? Effect.READ : Effect.UNKNOWN;
            return notAQuery(
                    lead.isEmpty() ? "the statement" : lead.toUpperCase(Locale.ROOT), Set.of(), effect, normalised);
        }

        // ---- a read, or what may be one but did not parse ----
        Effect effect;
        if (lexed.executableComment()) {
            effect = Effect.UNKNOWN;
        } else if (walk != null) {
            effect = walk.unknownFunctions.isEmpty() ? Effect.READ : Effect.UNKNOWN;
        } else {
            effect = readLead && textuallyReadOnly(tokens) ? Effect.READ : Effect.UNKNOWN;
        }
        Set<String> tables = walk == null ? Set.of() : minus(walk.tables, walk.ctes);
        if (hasWord(tokens, "into")) {
            return selectInto(tables, effect, normalised);
        }
        if (lexed.executableComment()) {
            return uncacheable(
                    "the statement has a MySQL executable comment (/*! … */), which the server runs but the analyser "
                            + "cannot check",
                    "write the SQL without /*! … */",
                    tables,
                    effect,
                    normalised);
        }
        if (lexed.optimizerHint()) {
            return uncacheable(
                    "the statement has an optimizer hint (/*+ … */), which the analyser cannot check",
                    "drop the hint to make the read cacheable, or read with uncached() to keep it",
                    tables,
                    effect,
                    normalised);
        }
        if (mysql) {
            Verdict modifier = selectModifier(tokens, tables, effect, normalised);
            if (modifier != null) {
                return modifier;
            }
            for (Token t : tokens) {
                if (t.kind() == Kind.VARIABLE) {
                    String kind = t.text().startsWith("@@") ? "a system variable" : "a user variable";
                    return uncacheable(
                            t.text() + " is " + kind + ", which belongs to the session",
                            "bind the value as a parameter instead",
                            tables,
                            effect,
                            normalised);
                }
            }
        }
        String locking = lockingClause(tokens);
        if (locking != null) {
            return uncacheable(
                    locking + " is a locking read, which must see the latest committed rows",
                    "run locking reads in client.transaction(…), where they always reach the database",
                    tables,
                    effect,
                    normalised);
        }
        Verdict volatileVerdict = volatileFunction(tokens, walk, tables, effect, normalised);
        if (volatileVerdict != null) {
            return volatileVerdict;
        }
        FunctionCatalog serverCatalog = catalog;
        if (walk != null && !walk.unknownFunctions.isEmpty() && serverCatalog == null && !mysql) {
            catalogWanted.run(); // this verdict fails closed; the verdicts are dropped once the catalog is read
        }
        if (walk != null && !walk.unknownFunctions.isEmpty() && serverCatalog != null) {
            Set<String> stillUnknown = new LinkedHashSet<>();
            for (String f : walk.unknownFunctions) {
                FunctionCatalog.Declared declared = serverCatalog.declared(
                        f.substring(f.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT));
                if (declared == FunctionCatalog.Declared.STABLE || declared == FunctionCatalog.Declared.VOLATILE) {
                    String name = f.toUpperCase(Locale.ROOT) + "()";
                    return new Verdict(
                            CacheStatus.VOLATILE,
                            "uncacheable: " + name + " is " + declared + " in the server's catalog"
                                    + " (pg_proc.provolatile = '" + declared.letter() + "'): "
                                    + (declared == FunctionCatalog.Declared.STABLE
                                            ? "its result may change between statements without a write (it reads settings, the clock or the catalog)"
                                            : "its result may change on every call"),
                            "compute " + name
                                    + "'s result in the application and bind it, or declare the function IMMUTABLE if its"
                                    + " result depends only on its arguments",
                            tables,
                            effect,
                            normalised);
                }
                if (declared == null) {
                    stillUnknown.add(f);
                }
            }
            walk.unknownFunctions.retainAll(stillUnknown); // IMMUTABLE in the catalog: deterministic
            if (walk.unknownFunctions.isEmpty()) {
                effect = Effect.READ;
            }
        }
        if (walk != null && !walk.unknownFunctions.isEmpty()) {
            String f = walk.unknownFunctions.iterator().next().toUpperCase(Locale.ROOT) + "()";
            return uncacheable(
                    f + " is not known to be deterministic (a user-defined or unrecognised function)",
                    "compute " + f
                            + "'s result in the application, or call only built-in deterministic functions in cached reads",
                    tables,
                    effect,
                    normalised);
        }
        if (walk == null) {
            return new Verdict(
                    CacheStatus.PARSEERROR,
                    "uncacheable: the statement could not be parsed (" + parsed.error
                            + "), so it is not cached (fail closed)",
                    "if the SQL is valid, write it in standard syntax to make it cacheable",
                    Set.of(),
                    effect,
                    normalised);
        }
        for (String named : textualTables(tokens, false)) {
            if (!tables.contains(named) && !walk.ctes.contains(named)) {
                return new Verdict(
                        CacheStatus.PARSEERROR,
                        "uncacheable: the parser read the statement differently from its text " + "(table " + named
                                + " is missing), so it is not cached (fail closed)",
                        "write the SQL in standard syntax to make it cacheable",
                        tables,
                        effect,
                        normalised);
            }
        }
        String reads = tables.isEmpty() ? "" : "; it reads " + String.join(", ", tables);
        return new Verdict(
                CacheStatus.MISS,
                "cacheable: a single read-only SELECT whose functions are all deterministic" + reads,
                "",
                tables,
                Effect.READ,
                normalised);
    }

    private static Verdict notAQuery(String verb, Set<String> tables, Effect effect, String normalised) {
        String consequence = switch (effect) {
            case READ -> "";
            case WRITE -> "; running it invalidates the cached reads of " + String.join(", ", tables);
            case UNKNOWN ->
                "; the tables it changes cannot be told, so running it invalidates the client's whole cache";
        };
        return new Verdict(
                CacheStatus.NOTAQUERY,
                "uncacheable: " + verb + " is not a query" + consequence,
                "",
                tables,
                effect,
                normalised);
    }

    private static Verdict selectInto(Set<String> tables, Effect effect, String normalised) {
        return new Verdict(
                CacheStatus.NOTAQUERY,
                "uncacheable: SELECT … INTO stores the result instead of returning it",
                "return the rows (drop INTO) to make the read cacheable",
                tables,
                effect,
                normalised);
    }

    private static Verdict uncacheable(String why, String fix, Set<String> tables, Effect effect, String normalised) {
        return new Verdict(CacheStatus.UNCACHEABLE, "uncacheable: " + why, fix, tables, effect, normalised);
    }

    private Verdict selectModifier(List<Token> tokens, Set<String> tables, Effect effect, String normalised) {
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.isWord("sql_no_cache")) {
                return uncacheable(
                        "SQL_NO_CACHE asks for the result not to be cached",
                        "remove SQL_NO_CACHE to let the client cache it",
                        tables,
                        effect,
                        normalised);
            }
            if (t.isWord("sql_calc_found_rows")) {
                return uncacheable(
                        "SQL_CALC_FOUND_ROWS keeps a row count in the session for FOUND_ROWS()",
                        "count with a separate SELECT COUNT(*) instead",
                        tables,
                        effect,
                        normalised);
            }
            String name = t.name();
            if (t.kind() == Kind.WORD
                    && SELECT_MODIFIERS.contains(name)
                    && i > 0
                    && MODIFIER_PRECEDERS.contains(tokens.get(i - 1).name())) {
                return uncacheable(
                        "the SELECT modifier " + t.text().toUpperCase(Locale.ROOT)
                                + " is not understood by the analyser",
                        "remove " + t.text().toUpperCase(Locale.ROOT) + " to make the read cacheable",
                        tables,
                        effect,
                        normalised);
            }
        }
        return null;
    }

    private static String lockingClause(List<Token> tokens) {
        for (int i = 0; i < tokens.size() - 1; i++) {
            Token t = tokens.get(i);
            if (t.isWord("for")) {
                Token next = tokens.get(i + 1);
                if (next.isWord("update") || next.isWord("share")) {
                    return "FOR " + next.text().toUpperCase(Locale.ROOT);
                }
                if (i + 3 < tokens.size()
                        && next.isWord("no")
                        && tokens.get(i + 2).isWord("key")
                        && tokens.get(i + 3).isWord("update")) {
                    return "FOR NO KEY UPDATE";
                }
                if (i + 2 < tokens.size()
                        && next.isWord("key")
                        && tokens.get(i + 2).isWord("share")) {
                    return "FOR KEY SHARE";
                }
            }
            if (t.isWord("lock")
                    && i + 3 < tokens.size()
                    && tokens.get(i + 1).isWord("in")
                    && tokens.get(i + 2).isWord("share")
                    && tokens.get(i + 3).isWord("mode")) {
                return "LOCK IN SHARE MODE";
            }
        }
        return null;
    }

    /** The first volatile function, found by the parser or in the text (which names it as written). */
    private Verdict volatileFunction(
            List<Token> tokens, Walk walk, Set<String> tables, Effect effect, String normalised) {
        List<Found> textual = textualVolatiles(tokens);
        Found found = null;
        if (walk != null && !walk.volatiles.isEmpty()) {
            Found parsed = walk.volatiles.get(0);
            found = textual.stream()
                    .filter(f -> f.volatility == parsed.volatility)
                    .findFirst()
                    .map(f -> new Found(f.volatility, f.display, parsed.inCondition))
                    .orElse(parsed);
        } else if (!textual.isEmpty()) {
            // The parser reads LOCALTIME as a column and fails on UNIX_TIMESTAMP(): trust the text.
            found = textual.get(0);
        }
        if (found == null) {
            return null;
        }
        String fn = found.display;
        String why;
        String fix;
        switch (found.volatility) {
            case TIME -> {
                why = fn + " is volatile";
                fix = found.inCondition
                        ? "compute the cutoff in the application and bind it as a parameter"
                        : "compute the time in the application and bind it as a parameter";
            }
            case RANDOM -> {
                why = fn + " is volatile";
                fix = "generate the value in the application and bind it as a parameter, or read with uncached()";
            }
            case SESSION -> {
                why = fn + " depends on the connection or session";
                fix = fn.startsWith("LAST_INSERT_ID") || fn.startsWith("LASTVAL") || fn.startsWith("CURRVAL")
                        ? "use the key the insert returns (jOOQ returning(), or getGeneratedKeys()) instead"
                        : "read it once with uncached(), or inside the transaction that needs it";
            }
            case SEQUENCE -> {
                why = fn + " advances a sequence";
                fix = "run it with uncached() or inside a transaction";
            }
            default -> {
                why = fn + " has side effects on the server";
                fix = "run it with uncached()";
            }
        }
        return new Verdict(CacheStatus.VOLATILE, "uncacheable: " + why, fix, tables, effect, normalised);
    }

    private List<Found> textualVolatiles(List<Token> tokens) {
        List<Found> found = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            boolean qualified = i > 0 && tokens.get(i - 1).isSymbol(".");
            if (t.kind() == Kind.WORD && !qualified) {
                String name = t.name();
                boolean call = i + 1 < tokens.size() && tokens.get(i + 1).isSymbol("(");
                if (call) {
                    boolean noArguments =
                            i + 2 < tokens.size() && tokens.get(i + 2).isSymbol(")");
                    Volatility v = SqlFunctions.volatility(name, noArguments ? 0 : countArguments(tokens, i + 1));
                    if (v != null) {
                        found.add(new Found(v, t.text().toUpperCase(Locale.ROOT) + "()", false));
                    }
                } else if (SqlFunctions.NILADIC.contains(name) || (!mysql && name.equals("user"))) {
                    found.add(new Found(
                            SqlFunctions.volatility(name, -1), t.text().toUpperCase(Locale.ROOT), false));
                }
            } else if (t.kind() == Kind.STRING
                    && !mysql
                    && SqlFunctions.CLOCK_LITERALS.contains(t.text().strip().toLowerCase(Locale.ROOT))
                    && castToClockType(tokens, i)) {
                found.add(new Found(Volatility.TIME, "'" + t.text().strip() + "'", false));
            }
        }
        return found;
    }

    private static int countArguments(List<Token> tokens, int open) {
        int depth = 0;
        int commas = 0;
        for (int i = open; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.isSymbol("(")) {
                depth++;
            } else if (t.isSymbol(")")) {
                if (--depth == 0) {
                    return commas + 1;
                }
            } else if (t.isSymbol(",") && depth == 1) {
                commas++;
            }
        }
        return commas + 1;
    }

    /** {@code 'now'::timestamp}, {@code timestamp 'now'}, {@code CAST('now' AS date)}. */
    private static boolean castToClockType(List<Token> tokens, int i) {
        Token before = i > 0 ? tokens.get(i - 1) : null;
        Token after = i + 1 < tokens.size() ? tokens.get(i + 1) : null;
        return (after != null && (after.isSymbol("::") || after.isWord("as")))
                || (before != null && before.kind() == Kind.WORD && CLOCK_TYPES.contains(before.name()));
    }

    /** Names after FROM and JOIN (and, for writes, after UPDATE, INTO and TABLE), as the text spells them. */
    private static Set<String> textualTables(List<Token> tokens, boolean writes) {
        Set<String> names = new LinkedHashSet<>();
        // FROM inside a function call's parentheses (EXTRACT(YEAR FROM x), TRIM(… FROM x)) names no table.
        Deque<Boolean> calls = new ArrayDeque<>();
        for (int i = 0; i < tokens.size() - 1; i++) {
            Token t = tokens.get(i);
            if (t.isSymbol("(")) {
                Token before = i > 0 ? tokens.get(i - 1) : null;
                calls.push(
                        before != null && before.kind() == Kind.WORD && !KEYWORDS_BEFORE_PAREN.contains(before.name()));
            } else if (t.isSymbol(")") && !calls.isEmpty()) {
                calls.pop();
            }
            if (!calls.isEmpty() && calls.peek()) {
                continue;
            }
            boolean introducer = t.isWord("from")
                    || t.isWord("join")
                    || (writes && (t.isWord("update") || t.isWord("into") || t.isWord("table")));
            if (!introducer) {
                continue;
            }
            int j = i + 1;
            String name = tokens.get(j).name();
            if (name == null || (tokens.get(j).kind() == Kind.WORD && NOT_TABLES.contains(name))) {
                continue;
            }
            while (j + 2 < tokens.size()
                    && tokens.get(j + 1).isSymbol(".")
                    && tokens.get(j + 2).name() != null) {
                j += 2;
                name = tokens.get(j).name();
            }
            if (j + 1 < tokens.size() && tokens.get(j + 1).isSymbol("(")) {
                continue; // a table function: unnest(…), generate_series(…)
            }
            names.add(name);
        }
        return names;
    }

    /** True when every call in the text is to a known function: nothing in it can write a table. */
    private static boolean textuallyReadOnly(List<Token> tokens) {
        for (int i = 0; i < tokens.size() - 1; i++) {
            Token t = tokens.get(i);
            if (t.kind() == Kind.WORD && tokens.get(i + 1).isSymbol("(")) {
                String name = t.name();
                boolean qualified = i > 0 && tokens.get(i - 1).isSymbol(".");
                if (qualified
                        || !(SqlFunctions.deterministic(name)
                                || SqlFunctions.knownVolatile(name)
                                || KEYWORDS_BEFORE_PAREN.contains(name))) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean hasWord(List<Token> tokens, String word) {
        return tokens.stream().anyMatch(t -> t.isWord(word));
    }

    private static String leadingKeyword(List<Token> tokens) {
        for (Token t : tokens) {
            if (t.kind() == Kind.WORD) {
                return t.name();
            }
            if (!t.isSymbol("(")) {
                return "";
            }
        }
        return "";
    }

    private static List<Token> withoutSeparators(List<Token> tokens) {
        return tokens.stream().filter(t -> !t.isSymbol(";")).toList();
    }

    private static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> r = new LinkedHashSet<>(a);
        r.removeAll(b);
        return r;
    }

    // ---- the parser ------------------------------------------------------------------------------

    private record Parsed(Query query, String error) {}

    private Parsed parse(String sql) {
        try {
            Queries queries = parsing.parser().parse(sql);
            Query[] all = queries.queries();
            if (all.length != 1) {
                return new Parsed(null, all.length == 0 ? "no statement found" : all.length + " statements found");
            }
            return new Parsed(all[0], null);
        } catch (RuntimeException e) {
            return new Parsed(null, describe(e.getMessage()));
        }
    }

    /** "Identifier expected: [1:64] …" → "Identifier expected at line 1, column 64": the position, not the SQL. */
    private static String describe(String message) {
        if (message == null) {
            return "no message";
        }
        String first = message.lines().findFirst().orElse(message);
        Matcher m = PARSE_POSITION.matcher(first);
        return m.find() ? m.group(1) + " at line " + m.group(2) + ", column " + m.group(3) : first;
    }

    private record Found(Volatility volatility, String display, boolean inCondition) {}

    /** Renders the parsed statement to collect what it reads, writes and calls; {@code null} when jOOQ cannot render it. */
    private Walk walk(Query query) {
        Walk walk = new Walk();
        try {
            DSL.using(new DefaultConfiguration()
                            .set(dialect)
                            .set(renderSettings)
                            .set(new DefaultVisitListenerProvider(walk)))
                    .render(query);
        } catch (RuntimeException e) {
            return null;
        }
        return walk;
    }

    /** Collects tables, CTE names, writes and functions while jOOQ renders the parsed statement. */
    private static final class Walk implements VisitListener {
        final Set<String> tables = new LinkedHashSet<>();
        final Set<String> ctes = new LinkedHashSet<>();
        final Set<String> unknownFunctions = new LinkedHashSet<>();
        final List<Found> volatiles = new ArrayList<>();
        String writeVerb;

        @Override
        public void visitStart(VisitContext context) {
            Clause[] clauses = context.clauses();
            if (writeVerb == null) {
                for (Clause c : clauses) {
                    String verb = writeVerb(c);
                    if (verb != null) {
                        writeVerb = verb;
                        break;
                    }
                }
            }
            Clause last = clauses.length == 0 ? null : clauses[clauses.length - 1];
            QueryPart part = context.queryPart();
            if (part instanceof CommonTableExpression<?> cte) {
                ctes.add(cte.getName().toLowerCase(Locale.ROOT));
            } else if (part instanceof Table<?> table && last == Clause.TABLE_REFERENCE) {
                tables.add(table.getName().toLowerCase(Locale.ROOT));
            } else if (last == Clause.SEQUENCE_REFERENCE) {
                volatiles.add(new Found(Volatility.SEQUENCE, "the sequence function", false));
            } else if (part instanceof QOM.CurrentTimestamp<?>
                    || part instanceof QOM.CurrentDate<?>
                    || part instanceof QOM.CurrentTime<?>) {
                volatiles.add(new Found(Volatility.TIME, "CURRENT_TIMESTAMP", inCondition(clauses)));
            } else if (part instanceof QOM.Rand || part instanceof QOM.Uuid) {
                volatiles.add(new Found(Volatility.RANDOM, part instanceof QOM.Rand ? "RAND()" : "UUID()", false));
            } else if (part instanceof QOM.CurrentUser
                    || part instanceof QOM.CurrentSchema
                    || part instanceof QOM.CurrentCatalog) {
                volatiles.add(new Found(Volatility.SESSION, "CURRENT_USER", false));
            } else if (part instanceof QOM.Function<?> function) {
                String name = function.$name().last().toLowerCase(Locale.ROOT);
                Volatility v = function.$name().qualified()
                        ? null
                        : SqlFunctions.volatility(name, function.$args().size());
                if (v != null) {
                    volatiles.add(new Found(v, name.toUpperCase(Locale.ROOT) + "()", inCondition(clauses)));
                } else if (function.$name().qualified() || !SqlFunctions.deterministic(name)) {
                    unknownFunctions.add(
                            function.$name().qualified() ? function.$name().toString() : name);
                }
            }
        }

        private static boolean inCondition(Clause[] clauses) {
            for (Clause c : clauses) {
                if (c.name().startsWith("CONDITION") || c == Clause.SELECT_WHERE || c == Clause.SELECT_HAVING) {
                    return true;
                }
            }
            return false;
        }

        private static String writeVerb(Clause c) {
            String n = c.name();
            for (String verb : new String[] {"INSERT", "UPDATE", "DELETE", "MERGE", "TRUNCATE", "GRANT", "REVOKE"}) {
                if (n.startsWith(verb)) {
                    return verb;
                }
            }
            for (String verb : new String[] {"CREATE", "ALTER", "DROP"}) {
                if (n.startsWith(verb + "_")) {
                    return verb;
                }
            }
            return c == Clause.SELECT_INTO ? "SELECT … INTO" : null;
        }
    }
}
