package io.openinsure.db.core;

import java.time.Duration;

/**
 * The pool settings of one binding, validated. See {@link Settings} for defaults and bounds.
 *
 * @param maxSize           {@link Settings#POOL_MAX_SIZE}
 * @param minIdle           {@link Settings#POOL_MIN_IDLE}
 * @param connectionTimeout {@link Settings#POOL_CONNECTION_TIMEOUT}
 * @param maxLifetime       {@link Settings#POOL_MAX_LIFETIME}
 * @param keepaliveTime     {@link Settings#POOL_KEEPALIVE_TIME}
 * @param idleTimeout       {@link Settings#POOL_IDLE_TIMEOUT}
 */
public record PoolSettings(
        int maxSize,
        int minIdle,
        Duration connectionTimeout,
        Duration maxLifetime,
        Duration keepaliveTime,
        Duration idleTimeout) {}
