package io.openinsure.db.core.internal;

import com.zaxxer.hikari.HikariConfig;
import io.openinsure.db.core.CacheStats;
import io.openinsure.db.core.CacheStatus;
import java.util.function.Supplier;

/**
 * The seam between a client and its meters. {@link #NONE} when no registry is given, so no Micrometer
 * class is ever loaded then (Micrometer is an optional dependency); {@link MicrometerClientMetrics}
 * otherwise, referenced only from {@link #create}.
 */
interface ClientMetrics {

    /** Publishes nothing. */
    ClientMetrics NONE = new ClientMetrics() {};

    /**
     * Meters for one client on {@code registry} (a {@code io.micrometer.core.instrument.MeterRegistry}), or
     * {@link #NONE} when it is {@code null}.
     */
    static ClientMetrics create(Object registry, String keyspace, Supplier<CacheStats> cacheStats) {
        return registry == null ? NONE : MicrometerClientMetrics.create(registry, keyspace, cacheStats);
    }

    /** A statement ran for {@code nanos}; {@code status} is what the cache did with it ({@code null} if unknown). */
    default void statement(long nanos, boolean failed, CacheStatus status) {}

    /** A call failed; {@code type} is {@code sql}, {@code connection}, {@code circuit_open}, {@code pool_exhausted} or {@code refused}. */
    default void error(String type) {}

    /**
     * A read that could have gone to the replica went to {@code target} ({@code replica} or {@code primary}) for
     * {@code reason} ({@code replica}, {@code recent_write}, {@code replica_down}, {@code replica_lagging}).
     */
    default void read(String target, String reason) {}

    /** Lets HikariCP publish its pool meters ({@code hikaricp.connections.*}). */
    default void instrument(HikariConfig pool) {}

    /** Removes this client's meters from the registry. */
    default void close() {}
}
