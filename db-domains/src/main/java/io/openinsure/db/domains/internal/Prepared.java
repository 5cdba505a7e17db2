package io.openinsure.db.domains.internal;

import io.openinsure.db.core.spi.TypedReads;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jooq.DSLContext;
import org.jooq.JSON;
import org.jooq.Query;
import org.jooq.Record;
import org.jooq.Result;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.conf.ParamType;

/**
 * A statement shape rendered once per dialect and reused: building and rendering a jOOQ query per
 * call costs ~1.4× a raw JDBC round trip, executing pre-rendered SQL ~1.0–1.15× (FINDINGS.md).
 *
 * <p>The template is an ordinary jOOQ query whose bind values are placeholders (any value of the
 * right type, e.g. {@code DSL.val((UUID) null, POLICY.ID)}); calls pass the real values in the
 * same order. UUIDs are bound as their id columns store them in the context's dialect ({@link UuidBinding}:
 * native {@code uuid} on PostgreSQL, the 16 bytes of a {@code BINARY(16)} elsewhere). Results are
 * coerced to the table's record type, so converters (UUID, JSON) apply. Thread-safe.
 *
 * @param <R> the record type results are coerced to
 */
public final class Prepared<R extends Record> {

    private final Table<R> coerceTo;
    private final Function<DSLContext, ? extends Query> template;
    private final Map<SQLDialect, Rendered> rendered = new ConcurrentHashMap<>();

    private record Rendered(String sql, int binds) {}

    private Prepared(Table<R> coerceTo, Function<DSLContext, ? extends Query> template) {
        this.coerceTo = coerceTo;
        this.template = template;
    }

    /** A query whose rows are coerced to {@code table}'s records. */
    public static <R extends Record> Prepared<R> query(Table<R> table, Function<DSLContext, ? extends Query> template) {
        return new Prepared<>(Objects.requireNonNull(table, "table"), template);
    }

    /** A statement without a result (insert, update, delete). */
    public static Prepared<Record> statement(Function<DSLContext, ? extends Query> template) {
        return new Prepared<>(null, template);
    }

    /** The SQL for this dialect, rendered on first use. */
    public String sql(DSLContext ctx) {
        return render(ctx).sql();
    }

    private Rendered render(DSLContext ctx) {
        return rendered.computeIfAbsent(ctx.dialect(), d -> {
            Query q = template.apply(ctx);
            return new Rendered(
                    ctx.renderContext().paramType(ParamType.INDEXED).render(q),
                    q.getBindValues().size());
        });
    }

    /** Runs the query; zero or one row expected (the first row, if any). */
    public Optional<R> fetchOptional(DSLContext ctx, Object... binds) {
        Result<R> rows = fetch(ctx, binds);
        // not rows.stream().findFirst(): a stream pipeline per lookup was ~4 % of a typed lookup's CPU samples
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    /** Runs the query. */
    public Result<R> fetch(DSLContext ctx, Object... binds) {
        if (coerceTo == null) {
            throw new IllegalStateException("a statement has no result; use execute");
        }
        String sql = render(ctx, binds);
        Object[] jdbc = toJdbc(ctx.dialect(), binds);
        return TypedReads.fetch(ctx, sql, jdbc, coerceTo); // a keyspace client's own read path, or jOOQ's
    }

    /** Runs the statement and returns the affected row count. */
    public int execute(DSLContext ctx, Object... binds) {
        return ctx.execute(render(ctx, binds), toJdbc(ctx.dialect(), binds));
    }

    private String render(DSLContext ctx, Object[] binds) {
        Rendered r = render(ctx);
        if (r.binds() != binds.length) {
            throw new IllegalArgumentException(
                    "statement expects " + r.binds() + " bind values, got " + binds.length + ": " + r.sql());
        }
        return r.sql();
    }

    private static Object[] toJdbc(SQLDialect dialect, Object[] binds) {
        Object[] out = binds.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] instanceof UUID id) {
                out[i] = UuidBinding.jdbcValue(dialect, id);
            } else if (out[i] instanceof JSON json) {
                out[i] = json.data();
            }
        }
        return out;
    }
}
