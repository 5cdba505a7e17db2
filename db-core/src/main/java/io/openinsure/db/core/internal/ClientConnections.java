package io.openinsure.db.core.internal;

import java.sql.Connection;
import org.jooq.ConnectionProvider;

/**
 * The connection provider of a client's jOOQ contexts: hands out {@link CacheAwareConnection}s, which borrow a
 * pooled connection only when a statement needs one (a cache hit needs none).
 *
 * <p>jOOQ asks its provider for a connection per statement outside a transaction; {@link ExecutionListener} replaces
 * the provider of each such statement with {@link #forExecution}, so the connection knows the statement's
 * {@link Execution} from the start. A transaction (and {@code DSLContext.connection(…)}) gets a connection from
 * {@link #acquire()}, which serves several statements and knows none of them.
 */
final class ClientConnections implements ConnectionProvider {

    private final CacheAwareConnection.Wiring wiring;
    private final boolean cacheReads;
    private final boolean replicaReads;
    private final Runnable requireOpen;
    /** The statement every connection of this provider is for; {@code null} for the contexts' own provider. */
    private final Execution execution;

    /**
     * @param cacheReads  whether cacheable reads are answered from the cache ({@code dsl()}) or not ({@code uncached()},
     *                    transactions)
     * @param replicaReads whether eligible reads outside a transaction go to the replica ({@link ReadRouting})
     * @param requireOpen throws when the client is closed
     */
    ClientConnections(
            CacheAwareConnection.Wiring wiring, boolean cacheReads, boolean replicaReads, Runnable requireOpen) {
        this(wiring, cacheReads, replicaReads, requireOpen, null);
    }

    private ClientConnections(
            CacheAwareConnection.Wiring wiring,
            boolean cacheReads,
            boolean replicaReads,
            Runnable requireOpen,
            Execution execution) {
        this.wiring = wiring;
        this.cacheReads = cacheReads;
        this.replicaReads = replicaReads;
        this.requireOpen = requireOpen;
        this.execution = execution;
    }

    @Override
    public Connection acquire() {
        requireOpen.run();
        return new CacheAwareConnection(wiring, cacheReads, replicaReads, execution);
    }

    @Override
    public void release(Connection connection) {
        ((CacheAwareConnection) connection).release();
    }

    /** The provider of one statement's connection: it carries {@code execution}. */
    ConnectionProvider forExecution(Execution execution) {
        return new ClientConnections(wiring, cacheReads, replicaReads, requireOpen, execution);
    }
}
