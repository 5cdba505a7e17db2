package io.openinsure.db.core;

import io.openinsure.db.core.spi.Secrets;

/**
 * No connection could be obtained from a keyspace's pool within its acquisition timeout:
 * the pool is exhausted, or the server is unreachable.
 *
 * <p>The message shows the keyspace and the pool's state at the moment of failure, in HikariCP's
 * terms (total, active, idle, waiting), and the setting to change. The SDK makes these with the static factories
 * below; a driver's text in a message is its first line, masked ({@link Secrets}).
 */
public class ConnectionUnavailableException extends OpenInsureDbException {

    private static final long serialVersionUID = 1L;

    private final PoolStats poolStats;

    public ConnectionUnavailableException(String keyspace, String message, PoolStats poolStats, Throwable cause) {
        super(keyspace, message, cause);
        this.poolStats = poolStats;
    }

    /** Every connection of the pool was in use for the whole acquisition timeout ({@code waitedMs}). */
    public static ConnectionUnavailableException poolExhausted(
            String keyspace, long waitedMs, String pool, PoolStats stats, Throwable cause) {
        return noConnection(
                keyspace,
                waitedMs,
                pool,
                stats,
                "the pool is exhausted: all " + stats.maximum() + " connections are in "
                        + "use. Raise " + Settings.POOL_MAX_SIZE.key(keyspace)
                        + ", keep transactions short, or find the queries that hold "
                        + "connections.",
                cause);
    }

    /** The server at {@code server} refused the credentials ({@code refusal}, the driver's error); they come from {@code urlSource} or the settings. */
    public static ConnectionUnavailableException credentialsRefused(
            String keyspace,
            long waitedMs,
            String pool,
            PoolStats stats,
            String server,
            Throwable refusal,
            String urlSource,
            Throwable cause) {
        return noConnection(
                keyspace,
                waitedMs,
                pool,
                stats,
                "the server at " + server + " refused the credentials ("
                        + Secrets.maskedFirstLine(refusal.getMessage()) + "). Check " + Settings.USER.key(keyspace)
                        + " and "
                        + Settings.PASSWORD.key(keyspace) + " (or " + Settings.PASSWORD_FILE.key(keyspace)
                        + ", or the binding's credentials "
                        + "provider) or the user in " + urlSource + ".",
                cause);
    }

    /** The server at {@code server} could not be reached ({@code failure}, the driver's error); the circuit opens after {@code failuresToOpen}. */
    public static ConnectionUnavailableException unreachable(
            String keyspace,
            long waitedMs,
            String pool,
            PoolStats stats,
            String server,
            Throwable failure,
            String urlSource,
            int failuresToOpen,
            Throwable cause) {
        return noConnection(
                keyspace,
                waitedMs,
                pool,
                stats,
                "the server at " + server + " is unreachable ("
                        + Secrets.maskedFirstLine(failure.getMessage()) + "). Check the server and " + urlSource
                        + "; after " + failuresToOpen
                        + " consecutive failures the circuit opens and calls fail at once until it answers.",
                cause);
    }

    private static ConnectionUnavailableException noConnection(
            String keyspace, long waitedMs, String pool, PoolStats stats, String why, Throwable cause) {
        return new ConnectionUnavailableException(
                keyspace,
                "Keyspace '" + keyspace + "': no connection available within " + waitedMs + " ms (pool " + pool + ": "
                        + stats + "); " + why,
                stats,
                cause);
    }

    /** A statement lost its connection to {@code server} while it ran ({@code cause}, the driver's error). */
    public static ConnectionUnavailableException connectionLost(
            String keyspace, String server, PoolStats stats, java.sql.SQLException cause) {
        return new ConnectionUnavailableException(
                keyspace,
                "Keyspace '" + keyspace + "': the connection to " + server
                        + " was lost during the statement (" + Secrets.maskedFirstLine(cause.getMessage())
                        + ", SQL state " + cause.getSQLState()
                        + "). The outcome of a write is unknown; retry idempotent work.",
                stats,
                cause);
    }

    /** The pool's state when the acquisition failed. */
    public PoolStats poolStats() {
        return poolStats;
    }
}
