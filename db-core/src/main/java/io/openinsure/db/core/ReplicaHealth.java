package io.openinsure.db.core;

import java.util.Map;

/**
 * The state of a binding's read replica at one moment, part of {@link Health}.
 *
 * @param server                        the replica, {@code host:port/database} (never credentials)
 * @param state                         {@code serving} (eligible reads go to it), {@code down} (its circuit is open:
 *                                      they go to the primary) or {@code lagging} (over {@link Settings#REPLICA_MAX_LAG})
 * @param status                        the health of the statements it ran and of its connections, as for the primary
 * @param circuit                       its circuit breaker's state: {@code closed}, {@code open} or {@code half_open}
 * @param consecutiveConnectionFailures connection attempts to it that failed in a row
 * @param lagMs                         its replication lag at the last check, in milliseconds; {@code null} when unknown
 *                                      (not checked yet, vtgate, no privilege) or when replication is stopped
 * @param lag                           the lag in words ({@code 0 ms behind}, {@code not replicating …}, {@code lag unknown (…)})
 * @param reads                         reads that could go to the replica, by where they went and why: {@code replica},
 *                                      {@code recent_write}, {@code replica_down}, {@code replica_lagging}
 */
public record ReplicaHealth(
        String server,
        String state,
        HealthStatus status,
        String circuit,
        int consecutiveConnectionFailures,
        Long lagMs,
        String lag,
        Map<String, Long> reads) {

    public ReplicaHealth {
        reads = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(reads));
    }

    /** Whether eligible reads go to the replica now. */
    public boolean serving() {
        return "serving".equals(state);
    }
}
