package io.openinsure.db.core.internal;

import io.openinsure.db.core.CacheStatus;
import io.openinsure.db.core.ConnectionUnavailableException;
import io.openinsure.db.core.ReplicaReads;
import io.openinsure.db.core.ReplicaSettings;
import java.sql.Connection;
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
        return verdict != null && verdict.effect() == Verdict.Effect.READ
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

    private void count(Reason reason) {
        counts.get(reason).increment();
        metrics.read(reason.target(), reason.label());
    }

    /** Candidate reads so far per reason. */
    Map<Reason, Long> counts() {
        Map<Reason, Long> out = new EnumMap<>(Reason.class);
        counts.forEach((r, n) -> out.put(r, n.sum()));
        return out;
    }
}
