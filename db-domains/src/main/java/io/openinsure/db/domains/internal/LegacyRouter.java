package io.openinsure.db.domains.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.openinsure.db.core.StatementRefusedException;
import io.openinsure.db.domains.Keyspace;
import io.openinsure.db.domains.RoutingRules;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jooq.DSLContext;
import org.jooq.Name;
import org.jooq.Queries;
import org.jooq.Query;
import org.jooq.QueryPart;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.VisitContext;
import org.jooq.VisitListener;
import org.jooq.conf.ParamType;
import org.jooq.conf.ParseUnknownFunctions;
import org.jooq.conf.RenderNameCase;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultVisitListenerProvider;
import org.jooq.impl.QOM;

/**
 * Applies Vitess routing rules to SQL text, as vtgate would: every table reference with a rule is
 * replaced by its fully qualified target. Parses with jOOQ's parser and re-renders; results are
 * cached per SQL text. Thread-safe.
 */
public final class LegacyRouter {

    /** A statement after routing: the SQL to run and the keyspaces it touches (empty if none routed). */
    public record Routed(String sql, Set<String> keyspaces) {
    }

    private final RoutingRules rules;
    private final SQLDialect dialect;
    private final boolean rewrite;
    private final Cache<String, Routed> cache = Caffeine.newBuilder().maximumSize(10_000).build();

    /**
     * @param rewrite {@code false} against vtgate, which routes itself: only the touched keyspaces are computed
     */
    public LegacyRouter(RoutingRules rules, SQLDialect dialect, boolean rewrite) {
        this.rules = rules;
        this.dialect = dialect;
        this.rewrite = rewrite;
    }

    /**
     * Routes one statement.
     *
     * @throws StatementRefusedException if the statement cannot be parsed (the client cannot tell where it goes)
     */
    public Routed route(String sql) {
        return cache.get(sql, this::routeUncached);
    }

    private Routed routeUncached(String sql) {
        Settings settings = new Settings()
                .withParseDialect(dialect)
                .withParseUnknownFunctions(ParseUnknownFunctions.IGNORE)
                .withRenderQuotedNames(RenderQuotedNames.EXPLICIT_DEFAULT_UNQUOTED)
                .withRenderNameCase(RenderNameCase.AS_IS)
                .withRenderSchema(true);
        Query query;
        try {
            Queries parsed = DSL.using(dialect, settings).parser().parse(sql);
            List<Query> queries = List.of(parsed.queries());
            if (queries.size() != 1) {
                throw new IllegalArgumentException("expected one statement, found " + queries.size());
            }
            query = queries.get(0);
        } catch (RuntimeException e) {
            throw new StatementRefusedException(Keyspace.LEGACY.bindingName(), "unroutable",
                    "Keyspace 'legacy': cannot route this statement (" + firstLine(e.getMessage())
                            + "). Run it through the keyspace client that owns the table, or qualify the table as keyspace.table.", e);
        }
        Set<String> touched = new LinkedHashSet<>();
        Replacer replacer = new Replacer(touched);
        DSLContext renderer = DSL.using(dialect, settings.withParamType(ParamType.INDEXED));
        renderer.configuration().set(new DefaultVisitListenerProvider(replacer));
        String rendered = renderer.render(query);
        return new Routed(rewrite && !touched.isEmpty() ? rendered : sql, Set.copyOf(touched));
    }

    private final class Replacer implements VisitListener {
        private final Set<String> touched;

        Replacer(Set<String> touched) {
            this.touched = touched;
        }

        @Override
        public void visitStart(VisitContext ctx) {
            QueryPart part = ctx.queryPart();
            if (!(part instanceof Table<?> table) || part instanceof QOM.TableAlias<?>) {
                return;
            }
            Name name = table.getQualifiedName();
            String[] parts = name.getName();
            if (parts.length == 0 || parts.length > 2) {
                return;
            }
            String schema = parts.length == 2 ? parts[0] : null;
            String tableName = parts[parts.length - 1];
            String tablet = null;
            if (schema != null && schema.indexOf('@') > 0) {
                tablet = schema.substring(schema.indexOf('@') + 1);
                schema = schema.substring(0, schema.indexOf('@'));
            }
            rules.route(schema, tableName, tablet).ifPresent(target -> {
                touched.add(target.keyspace());
                ctx.queryPart(DSL.table(DSL.name(target.keyspace(), target.table())));
            });
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "no message";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
