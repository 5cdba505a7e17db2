package io.openinsure.db.core.internal;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.openinsure.db.core.BindingConfig;
import io.openinsure.db.core.CircuitOpenException;
import io.openinsure.db.core.ConnectionMode;
import io.openinsure.db.core.ConnectionUnavailableException;
import io.openinsure.db.core.DatabaseUrl;
import io.openinsure.db.core.HealthThresholds;
import io.openinsure.db.core.OpenInsureDbException;
import io.openinsure.db.core.PoolStats;
import io.openinsure.db.core.Settings;
import io.openinsure.db.core.spi.Secrets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jooq.ConnectionProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a client's connections come from: its pooled {@link Endpoint} and, while that one is down, the direct
 * fallback. Each borrow goes through the active endpoint's circuit breaker, which fails at once while it is open;
 * connection failures (not an exhausted pool) count against it and the client's {@link HealthTracker}. After the
 * pooled endpoint's circuit opens, borrows move to the direct URL (its pool opened on first use), and a background
 * probe moves them back once the pooled endpoint answers again; the probe also closes a circuit whose server answers.
 * A failed borrow is a {@link ConnectionUnavailableException} whose message names the keyspace and the pool's state.
 * Thread-safe.
 */
final class EndpointFailover implements ConnectionProvider, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(io.openinsure.db.core.KeyspaceClient.class);

    private final BindingConfig config;
    private final HealthThresholds thresholds;
    private final HealthTracker tracker;
    private final ClientMetrics metrics;
    private final Endpoint pooled;
    private final Object switchLock = new Object();
    /** The direct fallback, opened on the first switch; {@code null} before (or when none is configured). */
    private volatile Endpoint direct;
    /** The endpoint borrows go to: {@link #pooled}, or {@link #direct} while the pooled one is down. */
    private volatile Endpoint active;
    private volatile Instant fallbackSince;
    private final ScheduledExecutorService prober;
    private volatile boolean closed;

    EndpointFailover(BindingConfig config, HealthTracker tracker, ClientMetrics metrics) {
        this.config = config;
        this.thresholds = config.healthThresholds();
        this.tracker = tracker;
        this.metrics = metrics;
        this.pooled = HikariPools.endpoint(config, config.mode().label(), config.url(), config.urlSource(), "oi-" + config.name(), metrics);
        this.active = pooled;
        this.prober = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "oi-" + config.name() + "-probe");
            t.setDaemon(true);
            return t;
        });
        long every = thresholds.probeInterval().toMillis();
        prober.scheduleWithFixedDelay(this::probe, every, every, TimeUnit.MILLISECONDS);
    }

    private String name() {
        return config.name();
    }

    // ---- borrowing ------------------------------------------------------------------------------

    /** Borrows from the active endpoint; a failure that switched the client to its fallback is retried there at once. */
    @Override
    public Connection acquire() {
        requireOpen();
        Endpoint endpoint = active;
        try {
            return borrow(endpoint);
        } catch (ConnectionUnavailableException e) {
            Endpoint now = active;
            if (now != endpoint && !(e instanceof CircuitOpenException)) {
                return borrow(now);
            }
            throw e;
        }
    }

    @Override
    public void release(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warn("openinsure-db [{}] could not return a connection to the pool: {}", name(), Secrets.mask(e.getMessage()));
        }
    }

    /** Throws when the client is closed. */
    void requireOpen() {
        if (closed) {
            throw OpenInsureDbException.clientClosed(name());
        }
    }

    /**
     * Borrows from {@code endpoint}'s pool through its circuit breaker: fails at once while the circuit is
     * open; records connection failures (not pool exhaustion) against the breaker and the health tracker.
     */
    private Connection borrow(Endpoint endpoint) {
        if (!endpoint.breaker.tryAcquirePermission()) {
            metrics.error("circuit_open");
            throw CircuitOpenException.open(name(), endpoint.consecutiveFailures(), endpoint.url.describe(), endpoint.lastFailure(),
                    thresholds.probeInterval(), poolStats(endpoint));
        }
        long t0 = System.nanoTime();
        try {
            Connection c = endpoint.pool.getConnection();
            endpoint.borrowed(System.nanoTime() - t0);
            endpoint.learnServer(c);
            tracker.connected();
            return c;
        } catch (SQLException e) {
            ConnectionUnavailableException failure = unavailable(endpoint, e);
            if (e.getCause() != null) {
                connectionFailed(endpoint, Secrets.maskedFirstLine(e.getCause().getMessage()), System.nanoTime() - t0, e);
                metrics.error("connection");
            } else {
                endpoint.breaker.releasePermission(); // an exhausted pool is not a dead server
                metrics.error("pool_exhausted");
            }
            throw failure;
        }
    }

    private ConnectionUnavailableException unavailable(Endpoint endpoint, SQLException e) {
        PoolStats stats = poolStats(endpoint);
        long waited = config.pool().connectionTimeout().toMillis();
        String pool = endpoint.pool.getPoolName();
        Throwable cause = e.getCause();
        if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("28")) {
            return ConnectionUnavailableException.credentialsRefused(name(), waited, pool, stats, endpoint.url.describe(), cause,
                    endpoint.urlSource, e);
        }
        if (cause != null) {
            return ConnectionUnavailableException.unreachable(name(), waited, pool, stats, endpoint.url.describe(), cause,
                    endpoint.urlSource, thresholds.connectionFailuresToOpen(), e);
        }
        return ConnectionUnavailableException.poolExhausted(name(), waited, pool, stats, e);
    }

    /** A statement lost its connection to the active endpoint: a connection failure; returns the exception to throw. */
    ConnectionUnavailableException connectionLost(SQLException e) {
        Endpoint endpoint = active;
        connectionFailed(endpoint, Secrets.maskedFirstLine(e.getMessage()), 0, e);
        return ConnectionUnavailableException.connectionLost(name(), endpoint.url.describe(), poolStats(endpoint), e);
    }

    private void connectionFailed(Endpoint endpoint, String maskedReason, long nanos, Throwable e) {
        endpoint.borrowFailed(maskedReason, nanos, e);
        tracker.connectionFailed();
        if (endpoint == pooled && endpoint.isOpen()) {
            switchToDirect();
        }
    }

    // ---- pooled <-> direct ----------------------------------------------------------------------

    /** Moves borrows to the direct fallback (opening its pool on first use); logs the switch once. */
    private void switchToDirect() {
        DatabaseUrl directUrl = config.directUrl().orElse(null);
        if (directUrl == null || closed) {
            return;
        }
        synchronized (switchLock) {
            if (active != pooled || closed) {
                return;
            }
            if (direct == null) {
                direct = HikariPools.endpoint(config, ConnectionMode.DIRECT.label(), directUrl, Settings.DIRECT_URL.key(name()),
                        "oi-" + name() + "-direct", metrics);
            }
            fallbackSince = Instant.now();
            active = direct;
        }
        LOG.warn("openinsure-db [{}] pooled endpoint {} failed {} times in a row (last: {}): switching to the direct fallback {} "
                + "until it answers again", name(), pooled.url.describe(), pooled.consecutiveFailures(), pooled.lastFailure(),
                directUrl.describe());
    }

    /** Every probe interval: endpoints with an open circuit get a fresh connection; an answer closes the circuit. */
    private void probe() {
        try {
            probe(pooled);
            Endpoint d = direct;
            if (d != null) {
                probe(d);
            }
        } catch (RuntimeException e) {
            LOG.warn("openinsure-db [{}] probe failed unexpectedly: {}", name(), Secrets.mask(e.getMessage()));
        }
    }

    private void probe(Endpoint endpoint) {
        if (closed || !endpoint.isOpen() || !endpoint.probe()) {
            return;
        }
        // Connections opened before the outage may be dead: retire them rather than hand them out.
        HikariPoolMXBean mx = endpoint.pool.getHikariPoolMXBean();
        if (mx != null) {
            mx.softEvictConnections();
        }
        endpoint.breaker.transitionToClosedState();
        endpoint.connected();
        boolean returned = false;
        synchronized (switchLock) {
            if (endpoint == pooled && active != pooled) {
                active = pooled;
                fallbackSince = null;
                returned = true;
            }
        }
        if (endpoint == active) {
            tracker.connected();
        }
        if (returned) {
            LOG.info("openinsure-db [{}] pooled endpoint {} answers again: leaving the direct fallback", name(), pooled.url.describe());
        } else {
            LOG.info("openinsure-db [{}] {} answers again: circuit closed", name(), endpoint.url.describe());
        }
    }

    // ---- state ----------------------------------------------------------------------------------

    /** The endpoint borrows go to now. */
    Endpoint active() {
        return active;
    }

    /** Whether borrows go to the direct fallback. */
    boolean onFallback() {
        return active != pooled;
    }

    /** The pooled endpoint (the binding's own URL). */
    Endpoint pooled() {
        return pooled;
    }

    /** Since when the client runs on the fallback; {@code null} when it does not. */
    Instant fallbackSince() {
        return fallbackSince;
    }

    ConnectionMode mode() {
        return onFallback() ? ConnectionMode.DIRECT : config.mode();
    }

    /** What the active endpoint's server is ({@link ServerTimeouts}); unknown until a connection was borrowed from it. */
    ServerTimeouts.Server server() {
        return active.server();
    }

    static PoolStats poolStats(Endpoint endpoint) {
        HikariDataSource pool = endpoint.pool;
        HikariPoolMXBean mx = pool.getHikariPoolMXBean();
        if (mx == null) {
            return new PoolStats(0, 0, 0, 0, pool.getMaximumPoolSize());
        }
        return new PoolStats(mx.getTotalConnections(), mx.getActiveConnections(), mx.getIdleConnections(),
                mx.getThreadsAwaitingConnection(), pool.getMaximumPoolSize());
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            prober.shutdownNow();
            pooled.close();
            synchronized (switchLock) {
                if (direct != null) {
                    direct.close();
                }
            }
        }
    }
}
