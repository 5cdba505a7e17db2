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
 * <p>A read whose replica connection is lost while it executes runs once more on the primary ({@link #retryOnPrimary},
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

        // Worked out once: every candidate read is counted under them.
        private final String label = name().toLowerCase(Locale.ROOT);
        private final String target = name().equals("REPLICA") ? "replica" : "primary";

        String label() {
            return label;
        }

        String target() {
            return target;
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

    /** Whether any of {@code tables} (or everything) was written within the window. The clock is read only once a write was recorded. */
    boolean recentlyWritten(Set<String> tables) {
        if (windowNanos == 0) {
            return false;
        }
        long all = everythingWrittenAt.get();
        if (all != Long.MIN_VALUE && System.nanoTime() - all < windowNanos) {
            return true;
        }
        for (String t : tables) {
            Long at = writes.get(t);
            if (at != null && System.nanoTime() - at < windowNanos) {
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

    /**
     * A read failed with {@code failure} on {@code c} (from {@link #acquireRead}, or the primary's). When {@code c} was
     * the replica's (as {@code execution} says) and was lost during the read (SQL state {@code 08…}), the loss is
     * recorded against the replica ({@link #replicaLost}), the execution's row and byte counts are reset, a primary
     * connection is borrowed, {@code c} goes back to its pool, and the primary's connection is returned for the read's
     * second and last attempt. Otherwise {@code failure} is thrown, and {@code c} is still the caller's to release (also
     * when the primary borrow fails). Callers run the read and, on failure, this, without a lambda per read.
     */
    Connection retryOnPrimary(Connection c, SQLException failure, Execution execution) throws SQLException {
        if (execution.endpoint == null
                || execution.endpoint != endpoints.replica()
                || !ClientMeasurements.lostConnection(failure)) {
            throw failure;
        }
        replicaLost(failure, execution);
        execution.rows = 0;
        execution.bytes = 0;
        Connection primary = endpoints.acquire();
        endpoints.release(c);
        return primary;
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
