package io.openinsure.db.core;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where settings come from, looked up by their environment-variable key (e.g. {@code OI_DB_POLICIES_URL}).
 *
 * <p>{@link #systemProperties()} answers the same key in property form: lower case, {@code _}
 * replaced by {@code .} ({@code oi.db.policies.url}). {@link #defaults()} is system properties first,
 * then the environment. Tests use {@link #of(Map)} so the machine's environment cannot leak in.
 */
@FunctionalInterface
public interface ConfigSource {

    /** The raw value for an environment-style key, if this source has one (blank counts as absent). */
    Optional<String> get(String key);

    /** This source, then {@code fallback} for keys this one lacks. */
    default ConfigSource orElse(ConfigSource fallback) {
        Objects.requireNonNull(fallback, "fallback");
        return key -> {
            Optional<String> value = get(key);
            return value.isPresent() ? value : fallback.get(key);
        };
    }

    /** The process environment. */
    static ConfigSource environment() {
        return key -> nonBlank(System.getenv(key));
    }

    /** JVM system properties, keyed by {@link #propertyKey(String)}. */
    static ConfigSource systemProperties() {
        return key -> nonBlank(System.getProperty(propertyKey(key)));
    }

    /** System properties, then the environment: the resolution order of {@code OpenInsureDb.fromEnv()}. */
    static ConfigSource defaults() {
        return systemProperties().orElse(environment());
    }

    /** A fixed map keyed by environment-style keys. */
    static ConfigSource of(Map<String, String> values) {
        Map<String, String> copy = Map.copyOf(values);
        return key -> nonBlank(copy.get(key));
    }

    /** A source with no values. */
    static ConfigSource empty() {
        return key -> Optional.empty();
    }

    /** {@code OI_DB_POLICIES_URL} → {@code oi.db.policies.url}. */
    static String propertyKey(String envKey) {
        return envKey.toLowerCase(Locale.ROOT).replace('_', '.');
    }

    private static Optional<String> nonBlank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }
}
