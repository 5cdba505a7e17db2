package io.openinsure.db.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.Result;
import org.jooq.Table;
import org.jooq.TableField;
import org.jooq.impl.DSL;

/**
 * Helpers for tables larger than one query may return (PlanetScale: 100,000 rows per query;
 * vanilla Vitess: 10,000 non-streaming rows) or one write may touch (100,000 rows per statement).
 *
 * <p>Reads walk the table by a unique, ordered key, one page per query
 * ({@code WHERE key > :last ORDER BY key LIMIT :page}), so every query stays small and no page is
 * read twice or skipped, however rows are inserted meanwhile. Writes are split into chunks, each
 * its own statement. Stateless and thread-safe.
 */
public final class Keyset {

    private Keyset() {}

    /**
     * Calls {@code onPage} with each page of {@code table}'s rows matching {@code where}, in key order.
     *
     * @param key      a unique, non-null, ordered column (the primary key)
     * @param pageSize rows per query, 1–100,000
     * @return the number of rows visited
     */
    public static <R extends Record, K extends Comparable<? super K>> long forEachPage(
            DSLContext dsl,
            Table<R> table,
            TableField<R, K> key,
            Condition where,
            int pageSize,
            Consumer<Result<R>> onPage) {
        checkSize("pageSize", pageSize);
        Objects.requireNonNull(onPage, "onPage");
        Condition filter = where == null ? DSL.noCondition() : where;
        K last = null;
        long rows = 0;
        while (true) {
            Result<R> page = dsl.selectFrom(table)
                    .where(filter)
                    .and(last == null ? DSL.noCondition() : key.gt(last))
                    .orderBy(key)
                    .limit(pageSize)
                    .fetch();
            if (page.isEmpty()) {
                return rows;
            }
            onPage.accept(page);
            rows += page.size();
            last = page.get(page.size() - 1).get(key);
            if (page.size() < pageSize) {
                return rows;
            }
        }
    }

    /**
     * Inserts records in chunks of at most {@code chunkSize}, one batch statement per chunk.
     * Not atomic across chunks: call it inside {@code transaction(…)} if all or nothing is needed
     * (and keep the transaction under the 20 s limit).
     *
     * @return the number of rows inserted
     */
    public static int insertInChunks(DSLContext dsl, List<? extends org.jooq.TableRecord<?>> records, int chunkSize) {
        checkSize("chunkSize", chunkSize);
        int inserted = 0;
        for (int from = 0; from < records.size(); from += chunkSize) {
            List<? extends org.jooq.TableRecord<?>> chunk =
                    records.subList(from, Math.min(records.size(), from + chunkSize));
            for (int n : dsl.batchInsert(chunk).execute()) {
                // Connector/J with rewriteBatchedStatements reports SUCCESS_NO_INFO (-2) per row
                inserted += n < 0 ? 1 : n;
            }
        }
        return inserted;
    }

    /**
     * Deletes the rows matching {@code where} in chunks of at most {@code chunkSize}: each round
     * selects the next keys and deletes exactly those.
     *
     * @return the number of rows deleted
     */
    public static <R extends Record, K extends Comparable<? super K>> long deleteInChunks(
            DSLContext dsl, Table<R> table, TableField<R, K> key, Condition where, int chunkSize) {
        checkSize("chunkSize", chunkSize);
        Objects.requireNonNull(
                where, "where: a chunked delete needs a condition; use DSL.trueCondition() to empty the table");
        long deleted = 0;
        while (true) {
            List<K> keys = new ArrayList<>(dsl.select(key)
                    .from(table)
                    .where(where)
                    .orderBy(key)
                    .limit(chunkSize)
                    .fetch(key));
            if (keys.isEmpty()) {
                return deleted;
            }
            deleted += dsl.deleteFrom(table).where(key.in(keys)).execute();
        }
    }

    private static void checkSize(String name, int size) {
        if (size < 1 || size > 100_000) {
            throw new IllegalArgumentException(name + " must be between 1 and 100000 but was " + size);
        }
    }
}
