package io.openinsure.db.testkit;

import io.openinsure.db.core.KeyspaceClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Fault injection: holds connections of a client's pool, each in an open transaction on a thread of
 * its own, until released. For tests of what happens when a pool is exhausted.
 *
 * <pre>{@code
 * try (HeldConnections held = HeldConnections.hold(client, client.poolStats().maximum())) {
 *     // every connection is lent out: a query that needs one fails with ConnectionUnavailableException
 * }
 * }</pre>
 */
public final class HeldConnections implements AutoCloseable {

    private static final long WAIT_SECONDS = 30;

    private final CountDownLatch release = new CountDownLatch(1);
    private final ExecutorService holders;
    private final List<Future<?>> held = new ArrayList<>();

    private HeldConnections(int connections) {
        this.holders = Executors.newFixedThreadPool(connections, r -> {
            Thread t = new Thread(r, "oi-test-connection-holder");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Borrows {@code connections} connections of {@code client} and returns once all are held.
     *
     * @throws IllegalStateException if they are not all borrowed within 10 s
     */
    public static HeldConnections hold(KeyspaceClient client, int connections) {
        HeldConnections h = new HeldConnections(connections);
        CountDownLatch holding = new CountDownLatch(connections);
        for (int i = 0; i < connections; i++) {
            h.held.add(h.holders.submit(() -> client.transaction(tx -> {
                holding.countDown();
                h.release.await(WAIT_SECONDS, TimeUnit.SECONDS);
            })));
        }
        try {
            if (!holding.await(10, TimeUnit.SECONDS)) {
                h.close();
                throw new IllegalStateException("Could not borrow " + connections + " connections of '" + client.name()
                        + "' within 10 s; " + "pool: " + client.poolStats());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            h.close();
            throw new IllegalStateException("interrupted while borrowing connections", e);
        }
        return h;
    }

    /**
     * Ends the transactions and waits until the connections are back in the pool.
     *
     * @throws IllegalStateException if a holding transaction failed or did not end within 10 s
     */
    public void release() {
        release.countDown();
        try {
            for (Future<?> f : held) {
                f.get(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while returning held connections", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("a held connection did not come back cleanly: " + e, e);
        } finally {
            holders.shutdownNow();
        }
    }

    /** Releases the connections without waiting. Idempotent. */
    @Override
    public void close() {
        release.countDown();
        holders.shutdownNow();
    }
}
