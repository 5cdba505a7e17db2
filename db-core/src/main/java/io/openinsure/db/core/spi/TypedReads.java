package io.openinsure.db.core.spi;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.jooq.Configuration;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.Result;
import org.jooq.Table;

/**
 * Typed reads of SQL rendered once per statement shape (db-domains' pre-rendered queries), run the way the context
 * they are given runs them:
 * <ul>
 *   <li>on a keyspace client's caching {@code dsl()}, outside a transaction: a hit is answered with copies of the
 *       records remembered on the cache entry, without going through jOOQ; a miss runs through jOOQ and its entry then
 *       remembers its records. Freshness is the cache's own (same entry, write versions, maximum age, statistics);</li>
 *   <li>on {@code uncached()}, or {@code dsl()} with the cache off: a single deterministic read runs straight on JDBC
 *       with the client's limits, timing, statuses and errors, and maps its rows per table;</li>
 *   <li>anywhere else (a transaction, a context derived from a client's, a plain jOOQ context):
 *       {@code ctx.resultQuery(sql, binds).coerce(table).fetch()}.</li>
 * </ul>
 * Thread-safe.
 */
public final class TypedReads {

    /** The key of a context's read path in its configuration's data: an object only this class knows. */
    private static final Object KEY = new Object();

    private TypedReads() {}

    /**
     * Runs {@code sql} on {@code ctx} and returns its rows as {@code table}'s records.
     *
     * @param sql   the statement, bind values as {@code ?}
     * @param binds the values bound, as JDBC receives them
     */
    public static <R extends Record> Result<R> fetch(DSLContext ctx, String sql, Object[] binds, Table<R> table) {
        Function<Configuration, Result<R>> throughJooq =
                c -> c.dsl().resultQuery(sql, binds).coerce(table).fetch();
        Configuration configuration = ctx.configuration();
        if (configuration.data(KEY) instanceof TypedReadPath path) {
            return path.fetch(configuration, sql, binds, table, throughJooq);
        }
        return throughJooq.apply(configuration);
    }

    /**
     * Installs {@code path} on {@code configuration} (a client does so on the contexts it builds, before handing them
     * out). jOOQ copies a configuration's data into the configurations derived from it, transactions' included, so a
     * path is asked with the configuration a query runs with and must tell its own from derived ones.
     */
    public static void install(Configuration configuration, TypedReadPath path) {
        configuration.data(KEY, Objects.requireNonNull(path, "path"));
    }

    /** The path installed on {@code configuration} (or on the one it was derived from), if any. */
    public static Optional<TypedReadPath> installed(Configuration configuration) {
        return configuration.data(KEY) instanceof TypedReadPath path ? Optional.of(path) : Optional.empty();
    }
}
