package io.openinsure.db.core.internal;

import io.openinsure.db.core.CacheStatus;
import io.openinsure.db.core.OpenInsureDbException;
import io.openinsure.db.core.spi.TypedReadPath;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.Function;
import org.jooq.Configuration;
import org.jooq.ConnectionProvider;
import org.jooq.DSLContext;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.jooq.Record;
import org.jooq.Result;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultExecuteListenerProvider;

/**
 * The client's {@link TypedReadPath}s: how pre-rendered typed queries ({@code Prepared} in db-domains, through
 * {@link io.openinsure.db.core.spi.TypedReads}) run on {@code dsl()} and {@code uncached()}, outside a transaction.
 * <ul>
 *   <li>With the cache on, {@code dsl()} answers a hit above jOOQ (skipping its listeners, whose checks the same text
 *       passed when the entry's rows were first coerced); a miss runs through jOOQ, and the cache entry that answered
 *       it (its {@link Execution} says which) remembers the coerced records.</li>
 *   <li>With the cache off, and through {@code uncached()}, a single deterministic read (the analyser's cacheable
 *       verdict, so the statement guards have nothing to refuse) runs straight on JDBC ({@link #direct}) with the
 *       same borrow, {@link StatementLimits}, {@link ClientMeasurements} and error translation as jOOQ's path.</li>
 *   <li>A transaction, or a context derived from the client's (legacy routing adds listeners that rewrite the SQL),
 *       runs with a configuration that is not the context's own: jOOQ's path, so that every listener sees it.</li>
 * </ul>
 * Thread-safe.
 */
final class ClientTypedReads {

    private final EligibilityAnalyser analyser;
    private final QueryCache cache;
    private final StatementLimits limits;
    private final ConnectionProvider pool;
    private final ClientMeasurements measurements;
    private final ReadRouting routing;

    ClientTypedReads(
            EligibilityAnalyser analyser,
            QueryCache cache,
            StatementLimits limits,
            ConnectionProvider pool,
            ClientMeasurements measurements,
            ReadRouting routing) {
        this.routing = routing;
        this.analyser = analyser;
        this.cache = cache;
        this.limits = limits;
        this.pool = pool;
        this.measurements = measurements;
    }

    /**
     * The read path of the context whose configuration is {@code own}; {@code cacheReads} for {@code dsl()},
     * {@code replicaReads} when its reads may go to the replica.
     */
    TypedReadPath pathFor(Configuration own, boolean cacheReads, boolean replicaReads) {
        DSLContext ownContext = DSL.using(own); // what the direct reads make their records with: not one per read
        return new TypedReadPath() {
            @Override
            public <R extends Record> Result<R> fetch(
                    Configuration configuration,
                    String sql,
                    Object[] binds,
                    Table<R> table,
                    Function<Configuration, Result<R>> throughJooq) {
                if (configuration != own) {
                    return throughJooq.apply(configuration);
                }
                return cacheReads && cache.enabled()
                        ? cached(configuration, sql, binds, table, throughJooq)
                        : direct(configuration, ownContext, sql, binds, table, throughJooq, replicaReads);
            }
        };
    }

    // ---- dsl() with the cache on ----------------------------------------------------------------

    private <R extends Record> Result<R> cached(
            Configuration configuration,
            String sql,
            Object[] binds,
            Table<R> table,
            Function<Configuration, Result<R>> throughJooq) {
        Verdict verdict = analyser.analyse(sql);
        CacheKey key = verdict.cacheable() ? CacheKey.of(sql, verdict, binds, null) : null;
        if (key == null) {
            return throughJooq.apply(configuration);
        }
        Result<?> hit = cache.typedHit(key, table);
        if (hit != null) {
            DirectRows<R> copier = DirectRows.of(table); // records are mutable: every caller gets its own
            return copier == null ? hit.into(table) : copier.copy(hit, configuration);
        }
        ServedBy served = new ServedBy();
        Result<R> rows = throughJooq.apply(configuration.deriveAppending(new DefaultExecuteListenerProvider(served)));
        if (served.entry != null) {
            QueryCache.remember(served.entry, table, rows.into(table));
        }
        return rows;
    }

    /** Learns, when a statement ends, which stored cache entry answered it. One per typed miss. */
    private static final class ServedBy implements ExecuteListener {
        private static final long serialVersionUID = 1L;
        private transient QueryCache.CachedResult entry;

        @Override
        public void end(ExecuteContext ctx) {
            Execution execution = Execution.of(ctx);
            entry = execution == null ? null : execution.served();
        }
    }

    // ---- uncached(), or the cache off: straight on JDBC -----------------------------------------

    /**
     * Runs a read on a pooled connection and maps its rows per table ({@link DirectRows}): what jOOQ's path does for
     * it (borrow through the breaker, the limits' timeout and row cap, health and meter timing, a lost connection or
     * a timeout turned into the client's exceptions), without jOOQ's render, execute context and cursor, which cost
     * ~20 % of a primary-key lookup. A result whose columns are not the table's fields (worked out once per SQL
     * text), or a read that is not a single deterministic one, takes jOOQ's path.
     */
    private <R extends Record> Result<R> direct(
            Configuration configuration,
            DSLContext ctx,
            String sql,
            Object[] binds,
            Table<R> table,
            Function<Configuration, Result<R>> throughJooq,
            boolean replicaReads) {
        Verdict verdict = analyser.analyse(sql);
        DirectRows<R> rows = verdict.cacheable() && DirectRows.bindable(binds) ? DirectRows.of(table) : null;
        if (rows == null) {
            return throughJooq.apply(configuration);
        }
        CacheStatus status = cache.statusOf(verdict, false);
        cache.count(status);
        Execution execution = Execution.direct(status);
        execution.timeout = limits.timeout(0, null);
        Result<R> result;
        try {
            // A failed borrow is recorded there, not as a statement; a cacheable read is eligible for the replica, and
            // runs once more on the primary if the replica's connection is lost during it.
            Connection c = replicaReads && routing.active()
                    ? routing.acquireRead(verdict.tables(), execution)
                    : pool.acquire();
            try {
                result = readRows(c, ctx, sql, binds, rows, execution);
            } catch (SQLException failure) {
                c = routing.retryOnPrimary(c, failure, execution);
                result = readRows(c, ctx, sql, binds, rows, execution);
            } finally {
                pool.release(c);
            }
        } catch (SQLException e) {
            if (ClientMeasurements.lostConnection(e)) {
                throw measurements.connectionLost(execution, e);
            }
            measurements.failed(execution);
            throw limits.failed(execution, e);
        } catch (OpenInsureDbException e) {
            measurements.refused();
            throw e;
        }
        if (result == null) {
            return throughJooq.apply(configuration);
        }
        measurements.succeeded(execution);
        return result;
    }

    /** Executes the read on {@code c} and maps its rows; {@code null} when its columns are not the table's. */
    private <R extends Record> Result<R> readRows(
            Connection c, DSLContext ctx, String sql, Object[] binds, DirectRows<R> rows, Execution execution)
            throws SQLException {
        boolean serverTimed = limits.serverTimeouts().appliesTo(sql); // learnt when c was borrowed
        try (PreparedStatement ps = limits.prepareRead(c, sql, execution.timeout, serverTimed)) {
            for (int i = 0; i < binds.length; i++) {
                if (binds[i] instanceof byte[] bytes) {
                    // what setObject does with a byte[] (and jOOQ's binding), without Connector/J's per-call type
                    // lookup
                    ps.setBytes(i + 1, bytes);
                } else {
                    ps.setObject(i + 1, binds[i]);
                }
            }
            try (ResultSet rs = limits.executeRead(ps, serverTimed)) {
                int[] layout = rs == null ? null : rows.layout(sql, rs.getMetaData());
                if (layout == null) {
                    return null;
                }
                Result<R> result = ctx.newResult(rows.table());
                while (rs.next()) {
                    R record = rows.read(rs, layout, ctx);
                    limits.row(execution, record);
                    result.add(record);
                }
                return result;
            }
        }
    }
}
