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

    /** The keyspace (binding name) this failure concerns, if any. */
    public Optional<String> keyspace() {
        return Optional.ofNullable(keyspace);
    }
}
