package io.openinsure.db.core;

import java.time.Duration;
import java.util.Objects;

/**
 * How one keyspace client caches read queries: whether it does, for how long a result is fresh, how
 * long it may then be served stale while one refresh runs, and how much it may keep.
 *
 * <p>The bounds and defaults are those of the settings in {@link Settings} ({@code OI_DB_<BINDING>_CACHE_*});
 * {@link BindingConfig} resolves them into a policy. In code:
 * <pre>{@code
 * CachePolicy policy = CachePolicy.custom().maxAge(Duration.ofSeconds(30)).staleWhileRevalidate(Duration.ZERO).build();
 * BindingConfig.builder("claims").cachePolicy(policy)…
 * }</pre>
 *
 * <p>Immutable and thread-safe. Each builder setter checks its value at once and throws a
 * {@link ConfigurationException} such as "maxAge must be between 1s and 1h but was 2h";
 * {@link Builder#build()} checks the rules between values.
 */
public final class CachePolicy {

    private static final CachePolicy DEFAULTS = new Builder().build();
    private static final CachePolicy DISABLED = new Builder().enabled(false).build();

    private final boolean enabled;
    private final Duration maxAge;
    private final Duration staleWhileRevalidate;
    private final int maxEntries;
    private final long maxBytes;
    private final long maxResultBytes;

    private CachePolicy(Builder b) {
        this.enabled = b.enabled;
        this.maxAge = b.maxAge;
        this.staleWhileRevalidate = b.staleWhileRevalidate;
        this.maxEntries = b.maxEntries;
        this.maxBytes = b.maxBytes;
        this.maxResultBytes = b.maxResultBytes;
    }

    /** The defaults: enabled, fresh for 60 s, then stale for up to 15 s while one refresh runs, 10,000 entries, 64MB, 50MB per result. */
    public static CachePolicy ofDefaults() {
        return DEFAULTS;
    }

    /** The defaults with caching turned off: every read goes to the database (status {@code disabled}). */
    public static CachePolicy disabled() {
        return DISABLED;
    }

    /** A builder starting from the defaults. */
    public static Builder custom() {
        return new Builder();
    }

    /** A builder starting from {@code base}. */
    public static Builder from(CachePolicy base) {
        Objects.requireNonNull(base, "base");
        return new Builder()
                .enabled(base.enabled)
                .maxAge(base.maxAge)
                .staleWhileRevalidate(base.staleWhileRevalidate)
                .maxEntries(base.maxEntries)
                .maxBytes(base.maxBytes)
                .maxResultBytes(base.maxResultBytes);
    }

    /** Whether reads are cached at all ({@link Settings#CACHE_ENABLED}). */
    public boolean enabled() {
        return enabled;
    }

    /** How long a cached result is served as fresh ({@link Settings#CACHE_MAX_AGE}). */
    public Duration maxAge() {
        return maxAge;
    }

    /**
     * How long after {@link #maxAge()} a cached result may still be served (status {@code stale}) while
     * one refresh runs in the background ({@link Settings#CACHE_STALE_WHILE_REVALIDATE}); zero turns it off.
     */
    public Duration staleWhileRevalidate() {
        return staleWhileRevalidate;
    }

    /** How many results are kept at most ({@link Settings#CACHE_MAX_ENTRIES}). */
    public int maxEntries() {
        return maxEntries;
    }

    /** Estimated memory of all cached results at most, in bytes ({@link Settings#CACHE_MAX_BYTES}). */
    public long maxBytes() {
        return maxBytes;
    }

    /** A result estimated larger than this many bytes is returned but not stored ({@link Settings#CACHE_MAX_RESULT_BYTES}). */
    public long maxResultBytes() {
        return maxResultBytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CachePolicy p
                && enabled == p.enabled
                && maxAge.equals(p.maxAge)
                && staleWhileRevalidate.equals(p.staleWhileRevalidate)
                && maxEntries == p.maxEntries
                && maxBytes == p.maxBytes
                && maxResultBytes == p.maxResultBytes;
    }

    @Override
    public int hashCode() {
        return Objects.hash(enabled, maxAge, staleWhileRevalidate, maxEntries, maxBytes, maxResultBytes);
    }

    @Override
    public String toString() {
        if (!enabled) {
            return "CachePolicy{disabled}";
        }
        return "CachePolicy{maxAge=" + Settings.format(maxAge) + ", staleWhileRevalidate="
                + Settings.format(staleWhileRevalidate)
                + ", maxEntries=" + maxEntries + ", maxBytes=" + Settings.formatByteSize(maxBytes) + ", maxResultBytes="
                + Settings.formatByteSize(maxResultBytes) + "}";
    }

    /** Validating builder for {@link CachePolicy}. Not thread-safe. */
    public static final class Builder {
        private boolean enabled = Settings.CACHE_ENABLED.defaultValue();
        private Duration maxAge = Settings.CACHE_MAX_AGE.defaultValue();
        private Duration staleWhileRevalidate = Settings.CACHE_STALE_WHILE_REVALIDATE.defaultValue();
        private int maxEntries = Settings.CACHE_MAX_ENTRIES.defaultValue();
        private long maxBytes = Settings.CACHE_MAX_BYTES.defaultValue();
        private long maxResultBytes = Settings.CACHE_MAX_RESULT_BYTES.defaultValue();

        private Builder() {}

        /** Turns caching on or off. */
        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /** @throws ConfigurationException unless between 1s and 1h */
        public Builder maxAge(Duration maxAge) {
            this.maxAge = checked("maxAge", Settings.CACHE_MAX_AGE, maxAge);
            return this;
        }

        /** @throws ConfigurationException unless between 0 and 1h */
        public Builder staleWhileRevalidate(Duration window) {
            this.staleWhileRevalidate = checked("staleWhileRevalidate", Settings.CACHE_STALE_WHILE_REVALIDATE, window);
            return this;
        }

        /** @throws ConfigurationException unless between 1 and 10,000,000 */
        public Builder maxEntries(int maxEntries) {
            this.maxEntries = checked("maxEntries", Settings.CACHE_MAX_ENTRIES, maxEntries);
            return this;
        }

        /** @throws ConfigurationException unless between 1MB and 16GB */
        public Builder maxBytes(long maxBytes) {
            this.maxBytes = checked("maxBytes", Settings.CACHE_MAX_BYTES, maxBytes);
            return this;
        }

        /** @throws ConfigurationException unless between 1KB and 1GB */
        public Builder maxResultBytes(long maxResultBytes) {
            this.maxResultBytes = checked("maxResultBytes", Settings.CACHE_MAX_RESULT_BYTES, maxResultBytes);
            return this;
        }

        /**
         * Builds the policy.
         *
         * @throws ConfigurationException if {@code maxResultBytes} exceeds {@code maxBytes}
         */
        public CachePolicy build() {
            if (maxResultBytes > maxBytes) {
                throw new ConfigurationException(
                        null,
                        null,
                        "maxResultBytes (" + Settings.formatByteSize(maxResultBytes) + ") must not exceed maxBytes ("
                                + Settings.formatByteSize(maxBytes) + ").");
            }
            return new CachePolicy(this);
        }

        private static <T> T checked(String property, Setting<T> setting, T value) {
            Objects.requireNonNull(value, () -> property + " must not be null");
            String problem = setting.problem(value);
            if (problem != null) {
                throw new ConfigurationException(
                        null, null, property + " must be " + problem + " but was " + setting.format(value));
            }
            return value;
        }
    }
}
