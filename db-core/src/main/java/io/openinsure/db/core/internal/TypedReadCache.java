package io.openinsure.db.core.internal;

import java.util.function.Supplier;
import org.jooq.Configuration;
import org.jooq.Record;
import org.jooq.Result;
import org.jooq.Table;

/**
 * Internal seam, not API: how a keyspace client runs SQL rendered once and coerced to a table (db-domains'
 * {@code Prepared}). Found in the data map of the configurations of {@code dsl()} and {@code uncached()}
 * under {@link #KEY} (jOOQ copies it into their transactions).
 *
 * <p>Through a caching {@code dsl()}, a hit returns copies of the coerced records remembered on the cache
 * entry, without going through jOOQ; a miss runs {@code query}, the ordinary path, whose entry then remembers
 * its coerced records. Freshness is the cache's own: the same entry, write versions, maximum age and
 * statistics. With the cache off, and through {@code uncached()}, a single deterministic read runs straight
 * on JDBC with the client's limits and accounting. In a transaction, and for anything else, {@code query} runs.
 */
public interface TypedReadCache {

    /** The data key. */
    String KEY = "io.openinsure.db.core.internal.TypedReadCache";

    /**
     * @param configuration the configuration the query would run with (tells a transaction from {@code dsl()})
     * @param sql           the statement, bind values as {@code ?}
     * @param binds         the values bound, as JDBC receives them
     * @param table         the table the rows are coerced to
     * @param query         runs the statement the ordinary way
     */
    <R extends Record> Result<R> fetch(Configuration configuration, String sql, Object[] binds, Table<R> table,
                                       Supplier<Result<R>> query);
}
