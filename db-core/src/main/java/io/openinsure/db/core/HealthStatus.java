package io.openinsure.db.core;

/** A keyspace client's health, from its recent queries and connection attempts. */
public enum HealthStatus {
    /** Answering, fast, few errors. */
    HEALTHY,
    /** Answering, but slow (latency over the degraded threshold, 500 ms by default) or with errors (over 5 %). */
    DEGRADED,
    /** Very slow (over 1000 ms), many errors (over 10 %), or unreachable (3 consecutive connection failures: circuit open). */
    UNHEALTHY
}
