package io.openinsure.db.core;

/**
 * No connection could be obtained from a keyspace's pool within its acquisition timeout:
 * the pool is exhausted, or the server is unreachable.
 *
 * <p>The message shows the keyspace and the pool's state at the moment of failure, in HikariCP's
 * terms (total, active, idle, waiting), and the setting to change.
 */
public class ConnectionUnavailableException extends OpenInsureDbException {

    private static final long serialVersionUID = 1L;

    private final PoolStats poolStats;

    public ConnectionUnavailableException(String keyspace, String message, PoolStats poolStats, Throwable cause) {
        super(keyspace, message, cause);
        this.poolStats = poolStats;
    }

    /** The pool's state when the acquisition failed. */
    public PoolStats poolStats() {
        return poolStats;
    }
}
