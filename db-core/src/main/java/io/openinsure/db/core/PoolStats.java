package io.openinsure.db.core;

/**
 * A snapshot of one keyspace's connection pool.
 *
 * @param total   connections open (active + idle)
 * @param active  connections lent out
 * @param idle    connections ready in the pool
 * @param waiting threads waiting for a connection
 * @param maximum the pool's maximum size
 */
public record PoolStats(int total, int active, int idle, int waiting, int maximum) {

    @Override
    public String toString() {
        return "total=" + total + ", active=" + active + ", idle=" + idle + ", waiting=" + waiting + ", max=" + maximum;
    }
}
