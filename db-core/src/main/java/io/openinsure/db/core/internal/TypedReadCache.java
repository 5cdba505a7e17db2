package io.openinsure.db.core.internal;

import java.util.function.Supplier;
import org.jooq.Configuration;
import org.jooq.Record;
import org.jooq.Result;
import org.jooq.Table;

/**
 * Internal seam, not API: the read cache of a keyspace client's {@code dsl()}, as seen by SQL rendered
 * once and coerced to a table (db-domains' {@code Prepared}). Found in the data map of {@code dsl()}'s
 * configuration under {@link #KEY} only while the client's cache is enabled.
 *
 * <p>A hit returns copies of the coerced records remembered on the cache entry, without going through
 * jOOQ; everything else (a miss, a transaction, {@code uncached()}, an uncacheable statement) runs
 * {@code query}, the ordinary path, whose entry then remembers its coerced records. Freshness is the
 * cache's own: the same entry, write versions, maximum age and statistics.
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
