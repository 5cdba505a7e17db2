package io.openinsure.db.core;

/**
 * How a binding reaches its database.
 *
 * <ul>
 *   <li>{@link #POOLED}: through its pooled endpoint ({@code OI_DB_<BINDING>_URL} or {@code OI_DB_URL}),
 *       e.g. PlanetScale/vtgate.</li>
 *   <li>{@link #DIRECT}: through the direct connection string ({@code OI_DB_<BINDING>_DIRECT_URL} or
 *       {@code DATABASE_URL}) because no pooled endpoint is configured.</li>
 * </ul>
 */
public enum ConnectionMode {
    POOLED,
    DIRECT;

    /** Lower-case name, as logged and reported. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
