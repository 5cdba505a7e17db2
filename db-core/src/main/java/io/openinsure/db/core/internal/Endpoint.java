package io.openinsure.db.core.internal;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.util.DriverDataSource;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.openinsure.db.core.DatabaseUrl;
import io.openinsure.db.core.HealthThresholds;
import io.openinsure.db.core.JdbcDriver;
import io.openinsure.db.core.spi.Secrets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One URL a client can run on ({@code pooled} or its {@code direct} fallback): its HikariCP pool, its
 * Resilience4j circuit breaker, and what its last connection failure was.
 *
 * <p>The breaker counts connection failures only (SQL errors never reach it). It is count-based over
 * the last {@code n} borrows with a 100 % threshold, so it opens after {@code n} consecutive connection
 * failures. It never half-opens by itself (callers always fail fast while it is open): the client's
 * probe opens a fresh connection outside the pool and closes the circuit when the server answers.
 */
final class Endpoint implements AutoCloseable {

    final String role;
    final DatabaseUrl url;
    final String urlSource;
    final HikariDataSource pool;
    final CircuitBreaker breaker;
    private final DriverDataSource probe;
    /** Where this endpoint's user and password come from (HikariCP asks the same object for every new connection). */
    final RotatingCredentials credentials;
    /** Whether the last connection failure was the server refusing the credentials. */
    private volatile boolean credentialsRefused;

    private final int probeTimeoutSeconds;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private volatile String lastFailure = "none";
    private volatile boolean lastRecordedSuccess;
    /**
     * The {@code max_statement_time} in milliseconds the pool sets on each new connection of a MariaDB server
     * ({@link ServerTimeouts#sessionInitSql}); 0 when it sets none.
     */
    final long sessionTimeoutMillis;
    /** What the server is ({@link ServerTimeouts#detect}): learnt on the first borrow. */
    private volatile ServerTimeouts.Server server = ServerTimeouts.Server.UNKNOWN;

    /** @param sessionTimeoutMillis what the pool's connections set as {@code max_statement_time} on MariaDB; 0: nothing */
    Endpoint(
            String role,
            DatabaseUrl url,
            String urlSource,
            HikariDataSource pool,
            HealthThresholds thresholds,
            RotatingCredentials credentials,
            Properties probeProperties,
            Duration connectionTimeout,
            long sessionTimeoutMillis) {
        this.role = role;
        this.sessionTimeoutMillis = sessionTimeoutMillis;
        this.url = url;
        this.urlSource = urlSource;
        this.pool = pool;
        int n = thresholds.connectionFailuresToOpen();
        this.breaker = CircuitBreaker.of(
                pool.getPoolName(),
                CircuitBreakerConfig.custom()
                        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                        .slidingWindowSize(n)
                        .minimumNumberOfCalls(n)
                        .failureRateThreshold(100f)
                        .slowCallRateThreshold(100f)
                        .slowCallDurationThreshold(Duration.ofDays(1))
                        // Only the probe closes the circuit; this is a safety net should the probe thread ever stop.
                        .waitDurationInOpenState(Duration.ofHours(1))
                        .permittedNumberOfCallsInHalfOpenState(1)
                        .writableStackTraceEnabled(false)
                        .build());
        this.credentials = credentials;
        this.probe = new DriverDataSource(url.jdbcUrl(), url.driver().className(), probeProperties, null, null);
        this.probeTimeoutSeconds = (int) Math.max(1, (connectionTimeout.toMillis() + 999) / 1000);
    }

    /** {@code closed}, {@code open}, {@code half_open}, … */
    String circuit() {
        return breaker.getState().name().toLowerCase(Locale.ROOT);
    }

    boolean isOpen() {
        CircuitBreaker.State s = breaker.getState();
        return s == CircuitBreaker.State.OPEN
                || s == CircuitBreaker.State.FORCED_OPEN
                || s == CircuitBreaker.State.HALF_OPEN;
    }

    /**
     * A borrow succeeded after {@code nanos}. The breaker only needs to know that the run of failures
     * ended: while it is closed and the last outcome it recorded was a success, another success cannot
     * change its verdict (it opens when the last {@code n} recorded borrows all failed, and a run of
     * successes breaks a run of failures whatever its length), so it is not recorded. That keeps the
     * breaker's sliding-window lock off every borrow.
     */
    void borrowed(long nanos) {
        if (!lastRecordedSuccess || breaker.getState() != CircuitBreaker.State.CLOSED) {
            breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
            lastRecordedSuccess = true;
        }
        connected();
    }

    /** A borrow failed to reach the server after {@code nanos}: recorded by the breaker. */
    void borrowFailed(String maskedReason, long nanos, Throwable e) {
        borrowFailed(maskedReason, false, nanos, e);
    }

    /** A borrow failed after {@code nanos}; {@code refused}: the server refused the credentials. Recorded by the breaker. */
    void borrowFailed(String maskedReason, boolean refused, long nanos, Throwable e) {
        credentialsRefused = refused;
        failed(maskedReason);
        lastRecordedSuccess = false;
        breaker.onError(nanos, TimeUnit.NANOSECONDS, e);
    }

    /**
     * Works out on the first connection borrowed from this endpoint what its server is (MariaDB, vtgate, other); a
     * MariaDB whose sessions this endpoint's pool gave the default timeout, and which carry it, is
     * {@link ServerTimeouts.Server#MARIADB_SESSION}.
     */
    void learnServer(Connection c) {
        if (server == ServerTimeouts.Server.UNKNOWN) {
            ServerTimeouts.Server s =
                    ServerTimeouts.detect(c, url.driver() == JdbcDriver.MYSQL_CONNECTOR_J, url.isVitess());
            if (s == ServerTimeouts.Server.MARIADB
                    && sessionTimeoutMillis > 0
                    && ServerTimeouts.sessionCarries(c, sessionTimeoutMillis)) {
                s = ServerTimeouts.Server.MARIADB_SESSION;
            }
            server = s;
        }
    }

    /** What this endpoint's server is; {@link ServerTimeouts.Server#UNKNOWN} until a connection was borrowed. */
    ServerTimeouts.Server server() {
        return server;
    }

    /** The server answered: the run of connection failures ends (no write while there is none). */
    void connected() {
        if (consecutiveFailures.get() != 0) {
            consecutiveFailures.set(0);
        }
    }

    private void failed(String maskedReason) {
        consecutiveFailures.incrementAndGet();
        lastFailure = maskedReason;
    }

    int consecutiveFailures() {
        return consecutiveFailures.get();
    }

    String lastFailure() {
        return lastFailure;
    }

    /** Whether the last connection failure was the server refusing the credentials. */
    boolean lastFailureRefusedCredentials() {
        return credentialsRefused;
    }

    /** A fresh connection, outside the pool, validated; {@code true} when the server answers. */
    boolean probe() {
        io.openinsure.db.core.CredentialsProvider.Credentials creds;
        try {
            creds = credentials.current();
        } catch (RuntimeException e) {
            lastFailure = "the credentials provider failed: " + Secrets.maskedFirstLine(e.getMessage());
            return false;
        }
        try (Connection c = probe.getConnection(creds.user(), creds.password())) {
            if (c.isValid(probeTimeoutSeconds)) {
                return true;
            }
            lastFailure = "the probe connection was not valid";
        } catch (SQLException | RuntimeException e) {
            lastFailure = Secrets.maskedFirstLine(e.getMessage());
        }
        return false;
    }

    @Override
    public void close() {
        pool.close();
    }

    @Override
    public String toString() {
        return role + " " + url.describe() + " (circuit " + circuit() + ")";
    }
}
