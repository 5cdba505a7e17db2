package io.openinsure.db.core;

import io.openinsure.db.core.internal.HikariKeyspaceClient;
import org.jooq.DSLContext;

/**
 * A client for one keyspace: its own connection pool, credentials and jOOQ {@link DSLContext}.
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
        return new HikariKeyspaceClient(config);
    }

    /** The binding's name, e.g. {@code policies}. */
    String name();

    /** The configuration this client was built from. */
    BindingConfig config();

    /** The mode the client is running in ({@code pooled} or {@code direct}). */
    ConnectionMode mode();

    /**
     * A jOOQ context on this client's pool. Each query borrows a connection and returns it.
     * The dialect follows the server (MySQL, MariaDB, or PostgreSQL); the first call asks the server.
     *
     * @throws ConnectionUnavailableException if the first call cannot reach the server in time
     */
    DSLContext dsl();

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

    /** The pool's current state. */
    PoolStats poolStats();

    /** Closes the pool. Idempotent. Later calls fail with an {@link OpenInsureDbException}. */
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
