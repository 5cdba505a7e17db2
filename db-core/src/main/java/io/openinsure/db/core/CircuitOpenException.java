package io.openinsure.db.core;

/**
 * The keyspace's circuit is open after consecutive connection failures: the call failed at once,
 * without waiting on the pool. The client probes the server and closes the circuit when it answers.
 */
public class CircuitOpenException extends ConnectionUnavailableException {

    private static final long serialVersionUID = 1L;

    public CircuitOpenException(String keyspace, String message, PoolStats poolStats) {
        super(keyspace, message, poolStats, null);
    }
}
