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

    /**
     * The circuit to {@code server} opened after {@code failures} consecutive connection failures, the last of them
     * {@code lastFailure} (already masked); the client probes every {@code probeInterval}.
     */
    public static CircuitOpenException open(
            String keyspace,
            int failures,
            String server,
            String lastFailure,
            java.time.Duration probeInterval,
            PoolStats stats) {
        long ms = probeInterval.toMillis();
        String every = ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
        return new CircuitOpenException(
                keyspace,
                "Keyspace '" + keyspace + "': circuit open after " + failures
                        + " consecutive connection failures to " + server + " (last: " + lastFailure
                        + "); failing at once instead of waiting "
                        + "on the pool. The client probes the server every " + every
                        + " and closes the circuit when it answers.",
                stats);
    }

    /**
     * The circuit to {@code server} opened because the server refused the credentials {@code failures} times in a row
     * ({@code lastFailure}, already masked: the server's text names the user, never the password); the client probes
     * every {@code probeInterval} with the credentials the provider gives then.
     */
    public static CircuitOpenException credentialsRefused(
            String keyspace,
            int failures,
            String server,
            String lastFailure,
            java.time.Duration probeInterval,
            PoolStats stats) {
        long ms = probeInterval.toMillis();
        String every = ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
        return new CircuitOpenException(
                keyspace,
                "Keyspace '" + keyspace + "': circuit open: " + server + " refused the credentials "
                        + failures + " times in a row (last: " + lastFailure
                        + "); failing at once instead of waiting on the pool. Check "
                        + Settings.USER.key(keyspace) + ", " + Settings.PASSWORD.key(keyspace) + " or "
                        + Settings.PASSWORD_FILE.key(keyspace)
                        + ", or the binding's credentials provider. The client probes the server every " + every
                        + " with the credentials it gives then and closes the circuit when they are accepted.",
                stats);
    }
}
