package io.openinsure.db.core;

import java.util.Optional;

/**
 * Root of every exception the SDK throws. Unchecked, like jOOQ's {@code DataAccessException}.
 *
 * <p>Messages name the keyspace (binding) and the setting or limit involved and suggest a fix.
 * They never contain a password or a URL with credentials: any connection string is masked
 * before it reaches a message.
 */
public class OpenInsureDbException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String keyspace;

    /**
     * @param keyspace the binding the failure belongs to, or {@code null} when there is none
     * @param message  a message that is safe to log (no credentials)
     * @param cause    the underlying failure, may be {@code null}
     */
    public OpenInsureDbException(String keyspace, String message, Throwable cause) {
        super(message, cause);
        this.keyspace = keyspace;
    }

    /** A call on a client after {@link KeyspaceClient#close()}. */
    public static OpenInsureDbException clientClosed(String keyspace) {
        return new OpenInsureDbException(keyspace, "Keyspace '" + keyspace + "': the client is closed.", null);
    }

    /**
     * The driver failed while the client did {@code what} ({@code apply the statement limits}, {@code commit a write}…)
     * for a statement; the message carries the first line of the driver's, masked ({@link io.openinsure.db.core.spi.Secrets}).
     */
    public static OpenInsureDbException driverFailed(String keyspace, String what, Throwable cause) {
        return new OpenInsureDbException(
                keyspace,
                "Keyspace '" + keyspace + "': could not " + what + ": "
                        + io.openinsure.db.core.spi.Secrets.maskedFirstLine(cause == null ? null : cause.getMessage()),
                cause);
    }

    /** The keyspace (binding name) this failure concerns, if any. */
    public Optional<String> keyspace() {
        return Optional.ofNullable(keyspace);
    }
}
