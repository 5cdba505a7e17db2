package io.openinsure.db.core.internal;

import com.github.benmanes.caffeine.cache.AsyncCacheLoader;
import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.openinsure.db.core.CachePolicy;
import io.openinsure.db.core.CacheStats;
import io.openinsure.db.core.CacheStatus;
import io.openinsure.db.core.spi.Secrets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.jooq.ConnectionProvider;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.Result;
import org.jooq.Table;
import org.jooq.tools.jdbc.MockExecuteContext;
import org.jooq.tools.jdbc.MockResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's read cache: materialised results of cacheable statements, keyed by SQL text and bind
 * values, answered through jOOQ's mock statements ({@link RecordingStatement}) so that a hit borrows no connection.
 *
 * <ul>
 *   <li>Caffeine holds the entries: weighed by estimated bytes (each weighs at least
 *       {@code maxBytes / maxEntries}, which bounds the count too), expiring {@code maxAge +
 *       staleWhileRevalidate} after they were loaded, refreshed once (in the background) when read after
 *       {@code maxAge}. Concurrent misses of one key share one database query.</li>
 *   <li>Writes do not scan the cache: each invalidation takes a number from a write clock and records
 *       it per table (or for everything). An entry remembers the clock when its load began and is
 *       ignored once any of its tables was written after that, so a read that raced a write is
 *       never served afterwards.</li>
 *   <li>What the cache did with a statement is counted here and written into the statement's {@link Execution},
 *       which the client's connection hands to {@link #answer} (the same for the entry that answered it, which typed
 *       reads remember their records on). A miss runs under the client's {@link StatementLimits} (timeout, row
 *       cap) like every other read.</li>
 * </ul>
 * Thread-safe.
 */
final class QueryCache {

    private static final Logger LOG = LoggerFactory.getLogger(QueryCache.class);

    /** A materialised result and what is needed to judge it. */
    record CachedResult(
            Result<Record> result,
            long bytes,
            long loadedAt,
            long version,
            Set<String> tables,
            boolean storable,
            AtomicReference<Typed> typed) {}

    /** The rows of an entry coerced to a table, remembered for {@link ClientTypedReads}: never handed out, only copied. */
    record Typed(Table<?> table, Result<?> rows) {}

    private final String binding;
    private final CachePolicy policy;
    private final Ticker ticker;
    private final Executor refreshExecutor;
    private final ConnectionProvider connections;
    /** Sends misses and refreshes of replica contexts to the replica (never when it is not configured). */
    private final ReadRouting routing;

    private final StatementLimits limits;
    private final DSLContext materialiser;
    private final long maxAgeNanos;
    private final int minimumWeight;
    private final AsyncLoadingCache<CacheKey, CachedResult> entries;
    private final LongAdder[] counts = new LongAdder[CacheStatus.values().length];
    private final AtomicLong writeClock = new AtomicLong();
    private final Map<String, Long> tableWrites = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong everythingWrittenAt =
            new java.util.concurrent.atomic.AtomicLong();
    private final java.util.List<java.util.function.Consumer<Set<String>>> writeListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * @param connections     the pool, for misses and refreshes
     * @param routing         the read routing: misses of a replica context (and refreshes, when {@code dsl()} reads the
     *                        replica) borrow through it
     * @param limits          the client's limits: a miss runs under its timeout and row cap
     * @param materialiser    a context without a connection that turns a {@link ResultSet} into a {@link Result}
     * @param ticker          the clock for ages and expiry (tests control it)
     * @param refreshExecutor runs the stale-while-revalidate refreshes
     */
    QueryCache(
            String binding,
            CachePolicy policy,
            ConnectionProvider connections,
            ReadRouting routing,
            StatementLimits limits,
            DSLContext materialiser,
            Ticker ticker,
            Executor refreshExecutor) {
        this.routing = routing;
        this.binding = binding;
        this.limits = limits;
        this.policy = policy;
        this.ticker = ticker;
        this.refreshExecutor = refreshExecutor;
        this.connections = connections;
        this.materialiser = materialiser;
        this.maxAgeNanos = policy.maxAge().toNanos();
        this.minimumWeight =
                (int) Math.min(Integer.MAX_VALUE, (policy.maxBytes() + policy.maxEntries() - 1) / policy.maxEntries());
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
        Caffeine<Object, Object> builder = Caffeine.newBuilder()
                .ticker(ticker)
                .maximumWeight(policy.maxBytes())
                .expireAfterWrite(policy.maxAge().plus(policy.staleWhileRevalidate()));
        if (!policy.staleWhileRevalidate().isZero()) {
            builder.refreshAfterWrite(policy.maxAge());
        }
        this.entries = builder
                // An oversized result is removed right after its loaders got it: weighing it light spares the others.
                .<CacheKey, CachedResult>weigher((key, value) -> value.storable()
                        ? (int) Math.min(Integer.MAX_VALUE, Math.max(value.bytes(), minimumWeight))
                        : minimumWeight)
                .buildAsync(new Refresher());
    }

    /** Whether the policy caches at all. */
    boolean enabled() {
        return policy.enabled();
    }

    /**
     * What answers the executions of one mock statement of a cacheable read.
     *
     * @param execution the statement's execution, told what the cache did; {@code null} for a statement run on the
     *                  connection outside jOOQ
     * @param replica   whether a miss may be read from the replica ({@link ReadRouting})
     */
    RecordingStatement.Answer answer(Verdict verdict, Execution execution, boolean replica) {
        return (context, queryTimeout) ->
                execute(context, verdict, timeout(execution, queryTimeout), execution, replica);
    }

    /**
     * The status of a statement that reaches the database rather than the cache: {@code DISABLED} when the cache is
     * off, {@code TRANSACTION} inside a transaction, {@code BYPASS} for a read it could have answered, else why it
     * could not ({@code verdict}'s status; {@code verdict} may be {@code null} when the cache is off or in a transaction).
     */
    CacheStatus statusOf(Verdict verdict, boolean inTransaction) {
        if (!enabled()) {
            return CacheStatus.DISABLED;
        }
        if (inTransaction) {
            return CacheStatus.TRANSACTION;
        }
        return verdict.cacheable() ? CacheStatus.BYPASS : verdict.status();
    }

    void count(CacheStatus status) {
        counts[status.ordinal()].increment();
    }

    /** Counts {@code status} and tells {@code execution} (if any). */
    private void count(CacheStatus status, Execution execution) {
        count(status);
        if (execution != null) {
            execution.status(status);
        }
    }

    /** The timeout a miss runs under: the execution's (the limits worked it out), else what was set on the statement. */
    private static StatementLimits.Timeout timeout(Execution execution, int queryTimeoutSeconds) {
        if (execution != null && execution.timeout != null) {
            return execution.timeout;
        }
        return queryTimeoutSeconds > 0
                ? new StatementLimits.Timeout(queryTimeoutSeconds * 1000L, StatementLimits.Source.OWN)
                : null;
    }

    // ---- reads ----------------------------------------------------------------------------------

    private MockResult[] execute(
            MockExecuteContext context,
            Verdict verdict,
            StatementLimits.Timeout timeout,
            Execution execution,
            boolean replica)
            throws SQLException {
        if (context.batch()) {
            // A batch of reads is not a query jOOQ issues; answer it from the database, uncached.
            String[] sql = context.batchSQL();
            Object[][] bindings = context.batchBindings();
            MockResult[] results = new MockResult[Math.max(sql.length, bindings.length)];
            for (int i = 0; i < results.length; i++) {
                count(CacheStatus.UNCACHEABLE, execution);
                results[i] = result(load(
                                sql[Math.min(i, sql.length - 1)],
                                bindings.length == 0 ? new Object[0] : bindings[i],
                                verdict.tables(),
                                timeout,
                                execution,
                                replica)
                        .result());
            }
            return results;
        }
        CacheKey key = CacheKey.of(context.sql(), verdict, context.bindings(), timeout);
        if (key == null) {
            count(CacheStatus.UNCACHEABLE, execution); // a LOB, stream or array is bound: no key can stand for it
            return new MockResult[] {
                result(load(context.sql(), context.bindings(), verdict.tables(), timeout, execution, replica)
                        .result())
            };
        }
        return new MockResult[] {result(read(key, execution, replica))};
    }

    private static MockResult result(Result<Record> result) {
        return new MockResult(result.size(), result);
    }

    private Result<Record> read(CacheKey key, Execution execution, boolean replica) throws SQLException {
        for (int attempt = 0; attempt < 3; attempt++) {
            CompletableFuture<CachedResult> present = entries.getIfPresent(key); // may start the one SWR refresh
            if (present == null) {
                CompletableFuture<CachedResult> mine = new CompletableFuture<>();
                if (entries.asMap().putIfAbsent(key, mine) == null) {
                    return loadInto(key, mine, execution, replica);
                }
                continue; // another caller started loading this key a moment ago: wait for it
            }
            CachedResult cached = await(present);
            if (cached != null && valid(cached)) {
                boolean fresh = ticker.read() - cached.loadedAt() < maxAgeNanos;
                count(fresh ? CacheStatus.HIT : CacheStatus.STALE, execution);
                served(execution, cached);
                return cached.result();
            }
            // Written after its load began (or failed): drop it, unless a newer load replaced it already.
            entries.asMap().remove(key, present);
        }
        // Writes keep invalidating this key while we load: answer from the database without storing.
        CachedResult direct = load(key.originalSql(), key, execution, replica);
        count(CacheStatus.MISS, execution);
        return direct.result();
    }

    private Result<Record> loadInto(
            CacheKey key, CompletableFuture<CachedResult> mine, Execution execution, boolean replica)
            throws SQLException {
        CachedResult loaded;
        try {
            loaded = load(key.originalSql(), key, execution, replica);
        } catch (SQLException | RuntimeException | Error e) {
            mine.completeExceptionally(e); // waiters get the same failure; Caffeine drops failed futures
            entries.asMap().remove(key, mine);
            throw e;
        }
        mine.complete(loaded);
        if (!loaded.storable()) {
            entries.asMap().remove(key, mine);
            count(CacheStatus.OVERSIZEDRESULT, execution);
        } else {
            count(CacheStatus.MISS, execution);
            served(execution, loaded);
        }
        return loaded.result();
    }

    private static CachedResult await(CompletableFuture<CachedResult> future) throws SQLException {
        try {
            return future.join();
        } catch (CompletionException | CancellationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof SQLException sql) {
                throw sql;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new SQLException(cause);
        }
    }

    private CachedResult load(String sql, CacheKey key, Execution execution, boolean replica) throws SQLException {
        return load(sql, key, key.verdict().tables(), key.timeout(), execution, replica);
    }

    /**
     * Runs a read on a pooled connection under the client's limits: {@code timeout} ({@code null}: none) carried to
     * the server where it enforces it, else the driver's; at most {@code MAX_ROWS + 1} rows, which bounds memory (the
     * caller's limit check still sees the excess row). With {@code replica}, the read borrows through {@link ReadRouting}
     * (the replica unless its tables were just written or it is down or behind), which tells {@code execution} (may be
     * {@code null}) where it ran.
     */
    private CachedResult load(
            String sql,
            Object binds,
            Set<String> tables,
            StatementLimits.Timeout timeout,
            Execution execution,
            boolean replica)
            throws SQLException {
        long version = writeClock.get(); // before the query: a write after this point makes the result suspect
        Execution e = execution != null ? execution : Execution.direct(null); // a refresh's: where it ran
        Connection connection = replica && routing.active() ? routing.acquireRead(tables, e) : connections.acquire();
        try {
            return loadOn(connection, sql, binds, tables, timeout, version);
        } catch (SQLException failure) {
            connection = routing.retryOnPrimary(connection, failure, e);
            return loadOn(connection, sql, binds, tables, timeout, version);
        } finally {
            connections.release(connection);
        }
    }

    private CachedResult loadOn(
            Connection connection,
            String sql,
            Object binds,
            Set<String> tables,
            StatementLimits.Timeout timeout,
            long version)
            throws SQLException {
        boolean serverTimed = timeout != null
                && limits.serverTimeouts().appliesTo(sql); // asked after the borrow, which may have switched endpoints
        try (PreparedStatement ps = limits.prepareRead(connection, sql, timeout, serverTimed)) {
            if (binds instanceof CacheKey key) {
                key.bind(ps);
            } else {
                CacheKey.bind(ps, Arrays.asList((Object[]) binds));
            }
            Result<Record> result;
            try (ResultSet rs = limits.executeRead(ps, serverTimed)) {
                result = rs == null ? materialiser.newResult() : materialiser.fetch(rs);
            }
            long bytes = ResultSizes.estimate(result);
            return new CachedResult(
                    result,
                    bytes,
                    ticker.read(),
                    version,
                    tables,
                    bytes <= policy.maxResultBytes(),
                    new AtomicReference<>());
        }
    }

    private boolean valid(CachedResult cached) {
        if (everythingWrittenAt.get() > cached.version()) {
            return false;
        }
        for (String table : cached.tables()) {
            Long written = tableWrites.get(table);
            if (written != null && written > cached.version()) {
                return false;
            }
        }
        return true;
    }

    // ---- typed reads (ClientTypedReads) ---------------------------------------------------------

    /**
     * The coerced rows remembered on {@code key}'s entry for {@code table}, if the entry is valid and
     * younger than maxAge (counted as a hit); otherwise null (nothing counted: the ordinary path counts).
     */
    Result<?> typedHit(CacheKey key, Table<?> table) {
        CompletableFuture<CachedResult> present = entries.getIfPresent(key);
        if (present == null || !present.isDone() || present.isCompletedExceptionally()) {
            return null;
        }
        CachedResult cached = present.join();
        Typed typed = cached == null ? null : cached.typed().get();
        if (typed == null
                || typed.table() != table
                || !valid(cached)
                || ticker.read() - cached.loadedAt() >= maxAgeNanos) {
            return null;
        }
        count(CacheStatus.HIT);
        return typed.rows();
    }

    /** Remembers {@code rows}, coerced to {@code table}, on {@code entry}: the stored entry the query was answered from. */
    static void remember(CachedResult entry, Table<?> table, Result<?> rows) {
        entry.typed().set(new Typed(table, rows));
    }

    /** Tells {@code execution} (if any) which stored entry answered it. */
    private static void served(Execution execution, CachedResult entry) {
        if (execution != null) {
            execution.served(entry);
        }
    }

    // ---- writes ---------------------------------------------------------------------------------

    /** Invalidates what running a statement with this verdict may have changed. */
    void written(Verdict verdict) {
        switch (verdict.effect()) {
            case WRITE -> {
                invalidate(verdict.tables());
                notifyWrite(verdict.tables());
            }
            case UNKNOWN -> {
                invalidateAll();
                notifyWrite(Set.of());
            }
            default -> {}
        }
    }

    /** Called with the tables (empty: unknown, so all) after every write through this client. */
    void onWrite(java.util.function.Consumer<Set<String>> listener) {
        writeListeners.add(java.util.Objects.requireNonNull(listener, "listener"));
    }

    private void notifyWrite(Set<String> tables) {
        for (java.util.function.Consumer<Set<String>> l : writeListeners) {
            try {
                l.accept(tables);
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(QueryCache.class)
                        .warn("openinsure-db [{}] write listener failed: {}", binding, e.toString());
            }
        }
    }

    /** Invalidates reads of tables written elsewhere (another client, another process); empty = all. Does not notify. */
    void invalidateFromElsewhere(java.util.Collection<String> tables) {
        if (tables.isEmpty()) {
            invalidateAll();
            return;
        }
        Set<String> names = new java.util.HashSet<>();
        for (String t : tables) {
            String n = t.toLowerCase(java.util.Locale.ROOT);
            names.add(n.substring(n.lastIndexOf('.') + 1)); // tables are tracked by unqualified name
        }
        invalidate(names);
    }

    private void invalidate(Set<String> tables) {
        long at = writeClock.incrementAndGet();
        for (String table : tables) {
            tableWrites.merge(table, at, Math::max);
        }
    }

    /** Invalidates every entry: a write whose tables cannot be told. */
    void invalidateAll() {
        // max, not set: two concurrent calls must never move the mark backwards
        everythingWrittenAt.accumulateAndGet(writeClock.incrementAndGet(), Math::max);
        entries.synchronous().invalidateAll();
    }

    // ---- stats ----------------------------------------------------------------------------------

    CacheStats stats() {
        Map<CacheStatus, Long> byStatus = new EnumMap<>(CacheStatus.class);
        for (CacheStatus s : CacheStatus.values()) {
            byStatus.put(s, counts[s.ordinal()].sum());
        }
        long bytes = 0;
        long held = 0;
        for (CompletableFuture<CachedResult> f : entries.asMap().values()) {
            if (f.isDone() && !f.isCompletedExceptionally()) {
                bytes += f.join().bytes();
                held++;
            }
        }
        return new CacheStats(byStatus, held, bytes);
    }

    /** Loads for Caffeine's refresh-after-write: on the refresh executor, never on a reader's thread. */
    private final class Refresher implements AsyncCacheLoader<CacheKey, CachedResult> {
        @Override
        public CompletableFuture<CachedResult> asyncLoad(CacheKey key, Executor executor) {
            return asyncReload(key, null, executor);
        }

        @Override
        public CompletableFuture<CachedResult> asyncReload(CacheKey key, CachedResult old, Executor executor) {
            try {
                return refresh(key);
            } catch (RejectedExecutionException e) {
                // Too many refreshes queued (or the client is closing): keep serving stale; a later read tries again.
                return CompletableFuture.failedFuture(new CancellationException("refresh skipped"));
            }
        }

        private CompletableFuture<CachedResult> refresh(CacheKey key) {
            return CompletableFuture.supplyAsync(
                    () -> {
                        try {
                            CachedResult fresh = load(key.originalSql(), key, null, routing.dslReadsReplica());
                            return fresh.storable() ? fresh : null; // null removes the entry
                        } catch (SQLException | RuntimeException e) {
                            // Keep serving the stale entry until it expires; the next stale read tries again.
                            LOG.debug(
                                    "openinsure-db [{}] cache refresh failed: {}",
                                    binding,
                                    Secrets.mask(e.getMessage()));
                            throw new CancellationException(
                                    "refresh failed"); // Caffeine logs other failures at WARNING
                        }
                    },
                    refreshExecutor);
        }
    }
}
