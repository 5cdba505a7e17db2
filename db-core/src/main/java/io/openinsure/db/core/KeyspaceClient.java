package io.openinsure.db.core;

import io.micrometer.core.instrument.MeterRegistry;
import io.openinsure.db.core.internal.HikariKeyspaceClient;
import java.util.Objects;
import org.jooq.DSLContext;

/**
 * A client for one keyspace: its own connection pool, credentials, jOOQ {@link DSLContext} and
 * read-query cache ({@link CachePolicy}).
 *
 * <p>Clients are isolated from each other: exhausting one keyspace's pool, or losing its server,
 * leaves the other clients answering. Instances are thread-safe; close them (or the
 * {@code OpenInsureDb} that owns them) when done.
 */
public interface KeyspaceClient extends AutoCloseable {

    /**
     * Opens a client for a binding: creates its pool (named {@code oi-<binding>}) and logs the
     * binding's mode, host and database once. No connection is opened yet: an unreachable server
     * fails the first query (within the acquisition timeout), not the start.
     *
     * @throws ConfigurationException if the URL's driver is missing from the classpath
     */
    static KeyspaceClient open(BindingConfig config) {
        return HikariKeyspaceClient.open(config);
    }

    /**
     * Opens a client like {@link #open(BindingConfig)} that publishes its meters to {@code meterRegistry}:
     * {@code openinsure.db.query} (timer, tags {@code keyspace}, {@code outcome}, {@code cache}),
     * {@code openinsure.db.errors} (tags {@code keyspace}, {@code type}), {@code openinsure.db.cache}
     * (tags {@code keyspace}, {@code status}) and HikariCP's {@code hikaricp.connections.*} (tag
     * {@code pool=oi-<binding>}). Micrometer is an optional dependency: only this method needs it.
     */
    static KeyspaceClient open(BindingConfig config, MeterRegistry meterRegistry) {
        return HikariKeyspaceClient.open(config, Objects.requireNonNull(meterRegistry, "meterRegistry"));
    }

    /** The binding's name, e.g. {@code policies}. */
    String name();

    /** The configuration this client was built from. */
    BindingConfig config();

    /** The mode the client is running in ({@code pooled} or {@code direct}). */
    ConnectionMode mode();

    /**
     * A jOOQ context on this client's pool, with its read-query cache. The dialect follows the server
     * (MySQL, MariaDB, or PostgreSQL); the first call asks the server.
     *
     * <p>A cacheable read (a single read-only {@code SELECT} whose functions are all deterministic, see
     * {@link #explain(String)}) is answered from the cache while fresh, without borrowing a connection
     * ({@link CacheStatus#HIT}); otherwise it borrows a connection, runs, and is stored
     * ({@link CacheStatus#MISS}). Every other statement borrows a connection and runs as usual. A write
     * through this client (here, in {@link #uncached()} or in a transaction) invalidates the cached reads
     * of the tables it touches, or the whole cache when they cannot be told, so the caller reads its own
     * writes. Writes made elsewhere (other clients, processes, triggers, cascades) are seen once
     * the entries expire ({@link CachePolicy#maxAge()}). Transactions ({@link DSLContext#transaction}
     * here, or {@link #transaction(TransactionAction)}) never use the cache.
     *
     * @throws ConnectionUnavailableException if the first call cannot reach the server in time
     */
    DSLContext dsl();

    /**
     * A jOOQ context like {@link #dsl()} whose reads always go to the database: nothing is served from
     * or stored in the cache ({@link CacheStatus#BYPASS}). Writes made through it still invalidate the
     * cache. For reads that must be fresh.
     *
     * @throws ConnectionUnavailableException if the first call cannot reach the server in time
     */
    DSLContext uncached();

    /**
     * A jOOQ context like {@link #dsl()} whose eligible reads go to the binding's read replica
     * ({@link Settings#REPLICA_URL}): single {@code SELECT}s outside a transaction that the cache does not answer,
     * unless one of their tables was written within {@link Settings#READ_YOUR_WRITES_WINDOW} or the replica is down or
     * lagging (then the primary). Writes and transactions through it go to the primary. With
     * {@link Settings#REPLICA_READS} {@code reads}, {@code dsl()} already does this and this is {@code dsl()}; with
     * {@code off} (or without a replica) it is {@code dsl()}, reading the primary, so code can ask for replica reads
     * before a replica exists.
     */
    default DSLContext replica() {
        return dsl();
    }

    /**
     * Would {@code sql} be cached by this client, and if not, why, and how to fix it. Analyses the text
     * only: nothing runs and no connection is borrowed. The answer is the one {@link #dsl()} acts on
     * outside a transaction, e.g. for {@code SELECT * FROM policy WHERE created_at > NOW() - INTERVAL 1 HOUR}:
     * {@code uncacheable: NOW() is volatile; compute the cutoff in the application and bind it as a parameter}.
     */
    CacheDecision explain(String sql);

    /**
     * Drops this client's cached reads of {@code tables} (names as in SQL, case-insensitive, optionally
     * qualified; empty means every table), e.g. after writes made outside this client. Nothing else is
     * affected; the next read of those tables goes to the database.
     */
    void invalidateCachedReads(java.util.Collection<String> tables);

    /**
     * Calls {@code listener} with the tables each write through this client touched (empty when they
     * cannot be told) right after the write, and again after a transaction commits. {@code OpenInsureDb}
     * uses it so that a write through one client (e.g. the legacy one) invalidates the others' cached reads.
     * Listeners run on the writing thread and must be quick; their failures are logged, not thrown.
     */
    void onWrite(java.util.function.Consumer<java.util.Set<String>> listener);

    /** How many statements got each {@link CacheStatus} since the client started, and what the cache holds. */
    CacheStats cacheStats();

    /**
     * Runs {@code work} in one transaction on one connection of this keyspace and returns its result.
     * Commits when {@code work} returns, rolls back when it throws. Runtime exceptions propagate
     * unchanged; checked ones are wrapped in jOOQ's {@code DataAccessException}.
     */
    <T> T transactionResult(TransactionWork<T> work);

    /** Runs {@code work} in one transaction; see {@link #transactionResult(TransactionWork)}. */
    void transaction(TransactionAction work);

    /** The server's version string, e.g. {@code 11.4.5-MariaDB} or {@code 8.0.40-Vitess}; asks the server once. */
    String serverVersion();

    /**
     * Whether the server is vtgate (Vitess, PlanetScale): from its advertised version ({@code 8.0.40-Vitess}) or,
     * when that does not say ({@code --mysql-server-version} set to something else), because it answers
     * {@code SHOW VITESS_TARGET}, which MySQL and MariaDB refuse. Learnt on the first connection borrowed from the
     * endpoint in use (borrowing one if none was yet).
     */
    boolean servedByVtgate();

    /** The current pool's state (the direct fallback's while the client runs on it). */
    PoolStats poolStats();

    /**
     * The client's health now, from its recent statements ({@link HealthThresholds#window()}) and its run of
     * connection failures: {@code HEALTHY}; {@code DEGRADED} when the mean latency is over 500 ms or the
     * error rate over 5 %; {@code UNHEALTHY} over 1000 ms, over 10 %, or after 3 consecutive connection
     * failures (the circuit is open then). Thresholds: {@link BindingConfig#healthThresholds()}. Cheap; runs
     * nothing on the server. Statements that failed to get a connection count as connection failures, not in
     * the error rate; statements refused client-side count in neither.
     */
    Health health();

    /**
     * This client's part of a {@link DatabaseReport}: pool, latency percentiles, error rate, throughput,
     * cache, health and recommendations. Measures a round trip ({@code SELECT 1}, borrow included) unless the
     * circuit is open; never fails because the server is down.
     */
    DatabaseReport.ClientReport report();

    /** Closes the pool and empties the cache. Idempotent. Later calls fail with an {@link OpenInsureDbException}. */
    @Override
    void close();

    /** Work that returns a value inside a transaction. */
    @FunctionalInterface
    interface TransactionWork<T> {
        T apply(DSLContext tx) throws Exception;
    }

    /** Work without a result inside a transaction. */
    @FunctionalInterface
    interface TransactionAction {
        void accept(DSLContext tx) throws Exception;
    }
}
