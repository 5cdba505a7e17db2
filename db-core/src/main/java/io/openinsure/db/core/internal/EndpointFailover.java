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
 *
 * <p>A binding with a read replica ({@link io.openinsure.db.core.ReplicaSettings#enabled()}) has a third endpoint in the
 * same style, {@code oi-<binding>-replica}, with its own pool, breaker and {@link HealthTracker}; {@link ReadRouting}
 * decides which reads go there. The probe closes its circuit like the others, and checks its replication lag
 * ({@link ReplicaLag}) while it answers. Its failures never touch the primary's breaker, health or mode.
 *
 * <p>When the server refuses an endpoint's credentials, the credentials are fetched once more
 * ({@link RotatingCredentials#refreshAfterRefusal()}) and, if they changed, the borrow is retried once.
 * Thread-safe.
 */
final class EndpointFailover implements ConnectionProvider, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(io.openinsure.db.core.KeyspaceClient.class);

    private final BindingConfig config;
    private final HealthThresholds thresholds;
    private final HealthTracker tracker;
    private final ClientMetrics metrics;
    private final Endpoint pooled;
    /** The read replica; {@code null} when the binding sends no reads to one. */
    private final Endpoint replica;

    private final HealthTracker replicaTracker;
    private final java.time.Duration replicaMaxLag;
    /** The replica's lag as last checked; {@link ReplicaLag#UNKNOWN} before (or where it cannot be told). */
    private volatile ReplicaLag replicaLag = ReplicaLag.UNKNOWN;

    private volatile boolean lagging;
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
        this.pooled = HikariPools.endpoint(
                config, config.mode().label(), config.url(), config.urlSource(), "oi-" + config.name(), metrics);
        this.active = pooled;
        if (config.replica().enabled()) {
            this.replica = HikariPools.endpoint(
                    config,
                    "replica",
                    config.replica().url(),
                    Settings.REPLICA_URL.key(config.name()),
                    "oi-" + config.name() + "-replica",
                    metrics);
            this.replicaTracker = new HealthTracker(thresholds);
        } else {
            this.replica = null;
            this.replicaTracker = null;
        }
        this.replicaMaxLag = config.replica().maxLag();
        if (replica != null && replica.url.isVitess()) {
            replicaLag = ReplicaLag.VTGATE;
        }
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
            LOG.warn(
                    "openinsure-db [{}] could not return a connection to the pool: {}",
                    name(),
                    Secrets.mask(e.getMessage()));
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
        boolean isReplica =
                endpoint == replica; // the replica's failures are the read routing's business, not errors of calls
        if (!endpoint.breaker.tryAcquirePermission()) {
            if (!isReplica) {
                metrics.error("circuit_open");
            }
            throw endpoint.lastFailureRefusedCredentials()
                    ? CircuitOpenException.credentialsRefused(
                            name(),
                            endpoint.consecutiveFailures(),
                            endpoint.url.describe(),
                            endpoint.lastFailure(),
                            thresholds.probeInterval(),
                            poolStats(endpoint))
                    : CircuitOpenException.open(
                            name(),
                            endpoint.consecutiveFailures(),
                            endpoint.url.describe(),
                            endpoint.lastFailure(),
                            thresholds.probeInterval(),
                            poolStats(endpoint));
        }
        long t0 = System.nanoTime();
        try {
            Connection c = connectRetryingRefusal(endpoint);
            endpoint.borrowed(System.nanoTime() - t0);
            endpoint.learnServer(c);
            trackerOf(endpoint).connected();
            return c;
        } catch (SQLException e) {
            ConnectionUnavailableException failure = unavailable(endpoint, e);
            if (e.getCause() != null) {
                boolean refused = refusedCredentials(e);
                String reason = Secrets.maskedFirstLine(e.getCause().getMessage());
                connectionFailed(
                        endpoint,
                        refused ? "the server refused the credentials: " + reason : reason,
                        refused,
                        System.nanoTime() - t0,
                        e);
                if (!isReplica) {
                    metrics.error("connection");
                }
            } else {
                endpoint.breaker.releasePermission(); // an exhausted pool is not a dead server
                if (!isReplica) {
                    metrics.error("pool_exhausted");
                }
            }
            throw failure;
        }
    }

    /**
     * A connection from {@code endpoint}'s pool; when the server refused the credentials, fetches them once more and,
     * if they changed, tries once more (HikariCP opens the next connection with them).
     */
    private Connection connectRetryingRefusal(Endpoint endpoint) throws SQLException {
        try {
            return endpoint.pool.getConnection();
        } catch (SQLException e) {
            if (!refusedCredentials(e)) {
                throw e;
            }
            boolean changed;
            try {
                changed = endpoint.credentials.refreshAfterRefusal();
            } catch (RuntimeException providerFailure) {
                LOG.warn(
                        "openinsure-db [{}] the credentials provider failed after {} refused the credentials: {}",
                        name(),
                        endpoint.url.describe(),
                        Secrets.maskedFirstLine(providerFailure.getMessage()));
                throw e;
            }
            if (!changed) {
                throw e;
            }
            LOG.info(
                    "openinsure-db [{}] {} refused the credentials; the provider gave new ones: retrying once",
                    name(),
                    endpoint.url.describe());
            return endpoint.pool.getConnection();
        }
    }

    /** Whether a failed borrow's cause is the server refusing the credentials (SQL state class {@code 28}). */
    private static boolean refusedCredentials(SQLException e) {
        return e.getCause() instanceof SQLException sql
                && sql.getSQLState() != null
                && sql.getSQLState().startsWith("28");
    }

    private HealthTracker trackerOf(Endpoint endpoint) {
        return endpoint == replica ? replicaTracker : tracker;
    }

    private ConnectionUnavailableException unavailable(Endpoint endpoint, SQLException e) {
        PoolStats stats = poolStats(endpoint);
        long waited = config.pool().connectionTimeout().toMillis();
        String pool = endpoint.pool.getPoolName();
        Throwable cause = e.getCause();
        if (cause instanceof SQLException sql
                && sql.getSQLState() != null
                && sql.getSQLState().startsWith("28")) {
            return ConnectionUnavailableException.credentialsRefused(
                    name(), waited, pool, stats, endpoint.url.describe(), cause, endpoint.urlSource, e);
        }
        if (cause != null) {
            return ConnectionUnavailableException.unreachable(
                    name(),
                    waited,
                    pool,
                    stats,
                    endpoint.url.describe(),
                    cause,
                    endpoint.urlSource,
                    thresholds.connectionFailuresToOpen(),
                    e);
        }
        return ConnectionUnavailableException.poolExhausted(name(), waited, pool, stats, e);
    }

    /** A statement lost its connection to the active endpoint: a connection failure; returns the exception to throw. */
    ConnectionUnavailableException connectionLost(SQLException e) {
        return connectionLost(null, e);
    }

    /**
     * A statement lost its connection to {@code endpoint} ({@code null}: the active one): a connection failure of that
     * endpoint; returns the exception to throw.
     */
    ConnectionUnavailableException connectionLost(Endpoint endpoint, SQLException e) {
        Endpoint lost = endpoint == null ? active : endpoint;
        connectionFailed(lost, Secrets.maskedFirstLine(e.getMessage()), false, 0, e);
        return ConnectionUnavailableException.connectionLost(name(), lost.url.describe(), poolStats(lost), e);
    }

    private void connectionFailed(Endpoint endpoint, String maskedReason, boolean refused, long nanos, Throwable e) {
        endpoint.borrowFailed(maskedReason, refused, nanos, e);
        trackerOf(endpoint).connectionFailed();
        if (endpoint == pooled && endpoint.isOpen()) {
            switchToDirect();
        }
    }

    // ---- the read replica -----------------------------------------------------------------------

    /** The read replica, or {@code null} when the binding sends no reads to one. */
    Endpoint replica() {
        return replica;
    }

    /**
     * Borrows from the replica through its breaker. Throws {@link ConnectionUnavailableException} (a
     * {@link CircuitOpenException} at once while its circuit is open) for the caller to read from the primary instead.
     */
    Connection acquireReplica() {
        requireOpen();
        return borrow(replica);
    }

    /** Whether the replica's circuit is open (it gets no reads until the probe finds it answering). */
    boolean replicaDown() {
        return replica != null && replica.isOpen();
    }

    /** Whether the replica's last lag check found it more than {@code REPLICA_MAX_LAG} behind (or not replicating). */
    boolean replicaLagging() {
        return lagging;
    }

    /** The replica's lag as last checked. */
    ReplicaLag replicaLag() {
        return replicaLag;
    }

    /** The replica's own health (its statements and run of connection failures); {@code null} without a replica. */
    io.openinsure.db.core.Health replicaHealth() {
        return replica == null ? null : replicaTracker.health(replica.circuit());
    }

    /** A statement that ran on the replica. */
    void replicaStatement(long nanos, boolean failed) {
        replicaTracker.statement(nanos, failed);
    }

    /** Asks the replica how far behind it is, on a pooled connection; marks it lagging over {@code REPLICA_MAX_LAG}. */
    private void checkReplicaLag() {
        if (replica == null || replica.isOpen() || closed) {
            return;
        }
        Connection c;
        try {
            c = borrow(replica);
        } catch (ConnectionUnavailableException e) {
            return; // counted against the replica's breaker by the borrow
        }
        ReplicaLag lag;
        try {
            lag = ReplicaLag.measure(c, replica.server(), replica.url);
        } finally {
            release(c);
        }
        boolean wasLagging = lagging;
        boolean nowLagging = lag.exceeds(replicaMaxLag);
        replicaLag = lag;
        lagging = nowLagging;
        if (nowLagging && !wasLagging) {
            LOG.warn(
                    "openinsure-db [{}] replica {} is {} (limit {}): its reads go to the primary until it catches up",
                    name(),
                    replica.url.describe(),
                    lag.describe(),
                    Settings.formatDuration(replicaMaxLag));
        } else if (!nowLagging && wasLagging) {
            LOG.info(
                    "openinsure-db [{}] replica {} caught up ({}): reads go to it again",
                    name(),
                    replica.url.describe(),
                    lag.describe());
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
                direct = HikariPools.endpoint(
                        config,
                        ConnectionMode.DIRECT.label(),
                        directUrl,
                        Settings.DIRECT_URL.key(name()),
                        "oi-" + name() + "-direct",
                        metrics);
            }
            fallbackSince = Instant.now();
            active = direct;
        }
        LOG.warn(
                "openinsure-db [{}] pooled endpoint {} failed {} times in a row (last: {}): switching to the direct fallback {} "
                        + "until it answers again",
                name(),
                pooled.url.describe(),
                pooled.consecutiveFailures(),
                pooled.lastFailure(),
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
            if (replica != null) {
                probe(replica);
                checkReplicaLag();
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
        if (!poolServes(endpoint)) {
            return; // calls keep failing fast (or reads keep going to the primary) while it stays open; the next probe
            // tries again
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
        if (endpoint == active || endpoint == replica) {
            trackerOf(endpoint).connected();
        }
        if (returned) {
            LOG.info(
                    "openinsure-db [{}] pooled endpoint {} answers again: leaving the direct fallback",
                    name(),
                    pooled.url.describe());
        } else {
            LOG.info("openinsure-db [{}] {} answers again: circuit closed", name(), endpoint.url.describe());
        }
    }

    /**
     * Whether the endpoint's pool hands out a connection now. After an outage HikariCP's connection adder backs off (up
     * to 5 s between attempts), so the server answering the probe does not yet mean the pool can serve: a circuit closes
     * (and the client returns from its fallback) only once it can, instead of failing the calls that follow.
     */
    private boolean poolServes(Endpoint endpoint) {
        try (Connection c = endpoint.pool.getConnection()) {
            endpoint.learnServer(c);
            return true;
        } catch (SQLException e) {
            return false;
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

    /**
     * What the active endpoint's server is ({@link ServerTimeouts}); unknown until a connection was borrowed from it.
     * Its sessions count as carrying the default timeout only when the replica's (where a read may go instead) are
     * given it as well.
     */
    ServerTimeouts.Server server() {
        ServerTimeouts.Server s = active.server();
        if (s == ServerTimeouts.Server.MARIADB_SESSION && replica != null && replica.sessionTimeoutMillis == 0) {
            return ServerTimeouts.Server.MARIADB; // a read sent to the replica would not carry the default there
        }
        return s;
    }

    static PoolStats poolStats(Endpoint endpoint) {
        HikariDataSource pool = endpoint.pool;
        HikariPoolMXBean mx = pool.getHikariPoolMXBean();
        if (mx == null) {
            return new PoolStats(0, 0, 0, 0, pool.getMaximumPoolSize());
        }
        return new PoolStats(
                mx.getTotalConnections(),
                mx.getActiveConnections(),
                mx.getIdleConnections(),
                mx.getThreadsAwaitingConnection(),
                pool.getMaximumPoolSize());
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            prober.shutdownNow();
            pooled.close();
            if (replica != null) {
                replica.close();
            }
            synchronized (switchLock) {
                if (direct != null) {
                    direct.close();
                }
            }
        }
    }
}
