package io.openinsure.db.core.spi;

import java.util.function.Function;
import org.jooq.Configuration;
import org.jooq.Record;
import org.jooq.Result;
import org.jooq.Table;

/**
 * How a keyspace client runs SQL rendered once and coerced to a table on one of its own contexts. A client installs
 * one on each context it builds ({@link TypedReads#install}); callers go through {@link TypedReads#fetch}.
 * Implementations are thread-safe.
 */
@FunctionalInterface
public interface TypedReadPath {

    /**
     * Runs {@code sql} with {@code binds} and returns its rows as {@code table}'s records: the same rows, limits,
     * statuses and errors as {@code throughJooq.apply(configuration)}, which runs it the ordinary way.
     *
     * @param configuration the configuration the query would run with: the context's own, a transaction's or one
     *                      derived from it (those take jOOQ's path, so that their listeners see the statement)
     * @param sql           the statement, bind values as {@code ?}
     * @param binds         the values bound, as JDBC receives them
     * @param table         the table the rows are coerced to
     * @param throughJooq   runs the statement through jOOQ on the configuration it is given
     */
    <R extends Record> Result<R> fetch(
            Configuration configuration,
            String sql,
            Object[] binds,
            Table<R> table,
            Function<Configuration, Result<R>> throughJooq);
}
