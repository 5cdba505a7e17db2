package io.openinsure.db.core;

import java.util.Optional;

/**
 * A setting is missing or malformed. Thrown at build time, before any connection is opened.
 *
 * <p>The message names the setting's key (for example {@code OI_DB_POLICIES_URL}) and says what
 * was expected. {@link #setting()} exposes the key for programmatic handling.
 */
public class ConfigurationException extends OpenInsureDbException {

    private static final long serialVersionUID = 1L;

    private final String setting;

    public ConfigurationException(String keyspace, String setting, String message) {
        this(keyspace, setting, message, null);
    }

    public ConfigurationException(String keyspace, String setting, String message, Throwable cause) {
        super(keyspace, message, cause);
        this.setting = setting;
    }

    /** The key of the offending setting (environment-variable form), if one is known. */
    public Optional<String> setting() {
        return Optional.ofNullable(setting);
    }
}
