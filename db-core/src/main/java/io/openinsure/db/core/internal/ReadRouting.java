package io.openinsure.db.core.internal;

import io.openinsure.db.core.CacheStatus;
import io.openinsure.db.core.ConnectionUnavailableException;
import io.openinsure.db.core.ReplicaReads;
import io.openinsure.db.core.ReplicaSettings;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Which of a client's reads go to its read replica, and read-your-writes.
 *
 * <p>A read is a candidate when it runs outside a transaction on a context that sends reads to the replica
 * ({@code dsl()} with {@code REPLICA_READS=reads}, {@code replica()} unless {@code off}), was not answered by the cache,
 * and the analyser read it as a single side-effect-free {@code SELECT} with known tables ({@link #eligible}: cacheable
 * or volatile; locking reads, variables, unparsable text and everything else stay on the primary). A candidate then
 * goes to the primary instead when one of its tables was written within {@code READ_YOUR_WRITES_WINDOW} (through this
 * client, or another client of the same {@code OpenInsureDb}: {@link #wrote}), when the replica's circuit is open or a
 * borrow from it fails, or while its last lag check found it over {@code REPLICA_MAX_LAG}. Each candidate is counted
 * by where it went and why ({@link Reason}); the meter {@code openinsure.db.reads} carries the same.
 *
 * <p>A read whose replica connection is lost while it executes runs once more on the primary ({@link #read},
 * {@link ReplicaReadStatement}); it is then counted under {@code replica} and {@code replica_down}.
 *
 * <p>Writes are recorded after they ran and again when their transaction commits, so the window starts at the commit.
 * Thread-safe.
 */
final class ReadRouting {

    /** Where a candidate read went, and why. */
    enum Reason {
        /** To the replica. */
        REPLICA,
        /** To the primary: one of its tables was written within the window. */
        RECENT_WRITE,
        /** To the primary: the replica's circuit is open, or borrowing from it failed. */
        REPLICA_DOWN,
        /** To the primary: the replica is behind by more than its maximum lag. */
        REPLICA_LAGGING;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        String target() {
            return this == REPLICA ? "replica" : "primary";
        }
    }

    private final ReplicaSettings settings;
    private final EndpointFailover endpoints;
    private final ClientMetrics metrics;
    private final long windowNanos;
    /** Per table (lower case, unqualified): when it was last written, {@link System#nanoTime()}. */
    private final Map<String, Long> writes = new ConcurrentHashMap<>();
    /** When a write whose tables could not be told last ran; {@link Long#MIN_VALUE} for never. */
    private final AtomicLong everythingWrittenAt = new AtomicLong(Long.MIN_VALUE);

    private final Map<Reason, LongAdder> counts = new EnumMap<>(Reason.class);

    ReadRouting(ReplicaSettings settings, EndpointFailover endpoints, ClientMetrics metrics) {
        this.settings = settings;
        this.endpoints = endpoints;
        this.metrics = metrics;
        this.windowNanos = settings.readYourWritesWindow().toNanos();
        for (Reason r : Reason.values()) {
            counts.put(r, new LongAdder());
        }
    }

    /** Whether any read can go to the replica: one is configured and reads are not {@code off}. */
    boolean active() {
        return settings.enabled();
    }

    /** Whether {@code dsl()} sends its candidate reads to the replica ({@code REPLICA_READS=reads}). */
    boolean dslReadsReplica() {
        return active() && settings.reads() == ReplicaReads.READS;
    }

    /** Whether {@code replica()} is a context of its own ({@code explicit}); otherwise it is {@code dsl()}. */
    boolean explicitOnly() {
        return active() && settings.reads() == ReplicaReads.EXPLICIT;
    }

    /** Whether a statement with this verdict may be read from a replica: a single {@code SELECT} without side effects, tables known. */
    static boolean eligible(Verdict verdict) {
        return verdict != null
                && verdict.effect() == Verdict.Effect.READ
                && (verdict.status() == CacheStatus.MISS || verdict.status() == CacheStatus.VOLATILE);
    }

    // ---- read-your-writes -------------------------------------------------------------------------

    /** Tables written now (through this client, or another client of the same {@code OpenInsureDb}); empty: unknown, so all. */
    void wrote(Set<String> tables) {
        if (!active() || windowNanos == 0) {
            return;
        }
        long now = System.nanoTime();
        if (tables.isEmpty()) {
            everythingWrittenAt.accumulateAndGet(now, Math::max);
            return;
        }
        for (String t : tables) {
            String n = t.toLowerCase(Locale.ROOT);
            writes.merge(n.substring(n.lastIndexOf('.') + 1), now, Math::max);
        }
    }

    /** Whether any of {@code tables} (or everything) was written within the window. */
    boolean recentlyWritten(Set<String> tables) {
        if (windowNanos == 0) {
            return false;
        }
        long now = System.nanoTime();
        long all = everythingWrittenAt.get();
        if (all != Long.MIN_VALUE && now - all < windowNanos) {
            return true;
        }
        for (String t : tables) {
            Long at = writes.get(t);
            if (at != null && now - at < windowNanos) {
                return true;
            }
        }
        return false;
    }

    // ---- borrowing --------------------------------------------------------------------------------

    /**
     * A connection for a candidate read of {@code tables}: the replica's unless the read must or cannot go there, then
     * the primary's. {@code execution} (may be {@code null}) learns which endpoint served it.
     */
    Connection acquireRead(Set<String> tables, Execution execution) {
        Reason reason;
        if (recentlyWritten(tables)) {
            reason = Reason.RECENT_WRITE;
        } else if (endpoints.replicaDown()) {
            reason = Reason.REPLICA_DOWN;
        } else if (endpoints.replicaLagging()) {
            reason = Reason.REPLICA_LAGGING;
        } else {
            try {
                Connection c = endpoints.acquireReplica();
                if (execution != null) {
                    execution.endpoint = endpoints.replica();
                }
                count(Reason.REPLICA);
                return c;
            } catch (ConnectionUnavailableException e) {
                reason = Reason.REPLICA_DOWN; // recorded against the replica's breaker; the read goes to the primary
            }
        }
        count(reason);
        return endpoints.acquire();
    }

    /** Work on a borrowed connection, which may run twice (once more on the primary). */
    @FunctionalInterface
    interface Work<T> {
        T on(Connection connection) throws SQLException;
    }

    /**
     * Runs a candidate read on the connection {@link #acquireRead} gives and releases it. When that was the replica's
     * and it was lost during the read (SQL state {@code 08…}), the loss is recorded against the replica
     * ({@link #replicaLost}) and {@code work} runs once more on the primary, with the execution's row and byte counts
     * reset.
     */
    <T> T read(Set<String> tables, Execution execution, Work<T> work) throws SQLException {
        Execution e = execution != null ? execution : Execution.direct(null);
        Connection c = acquireRead(tables, e);
        try {
            return work.on(c);
        } catch (SQLException lost) {
            if (e.endpoint == null || e.endpoint != endpoints.replica() || !ClientMeasurements.lostConnection(lost)) {
                throw lost;
            }
            endpoints.release(c);
            c = null;
            replicaLost(lost, e);
            e.rows = 0;
            e.bytes = 0;
            c = endpoints.acquire();
            return work.on(c);
        } finally {
            if (c != null) {
                endpoints.release(c);
            }
        }
    }

    /**
     * The replica's connection was lost while a read ran on it: a connection failure of the replica (its breaker and
     * health; never the primary's), counted as {@code replica_down}; {@code execution} (may be {@code null}) now runs
     * on the primary.
     */
    void replicaLost(SQLException lost, Execution execution) {
        endpoints.connectionLost(endpoints.replica(), lost);
        if (execution != null) {
            execution.endpoint = null;
        }
        count(Reason.REPLICA_DOWN);
    }

    private void count(Reason reason) {
        counts.get(reason).increment();
        metrics.read(reason.target(), reason.label());
    }

    /** The replica's endpoint; {@code null} without one. */
    Endpoint replicaEndpoint() {
        return endpoints.replica();
    }

    /** Candidate reads so far per reason. */
    Map<Reason, Long> counts() {
        Map<Reason, Long> out = new EnumMap<>(Reason.class);
        counts.forEach((r, n) -> out.put(r, n.sum()));
        return out;
    }
}
