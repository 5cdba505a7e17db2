package io.openinsure.db.testkit;

import java.util.Locale;

/**
 * How the keyspaces are laid out on a PostgreSQL server.
 *
 * <p>{@link #selected()} reads the system property {@code oi.test.postgres.layout} or the environment variable
 * {@code OI_TEST_POSTGRES_LAYOUT} ({@code databases} or {@code schemas}; default {@code databases}).
 */
public enum PostgresLayout {
    /** Each keyspace its own database ({@code oi_policies}, …), tables in {@code public}: PlanetScale Postgres, Neon. */
    DATABASES,
    /**
     * All keyspaces as schemas of one database ({@value #SCHEMAS_DATABASE}): each binding's URL names its schema with
     * {@code ?currentSchema=oi_policies}; the legacy binding connects to the database itself and routes to the schemas.
     */
    SCHEMAS;

    /** The one database of the {@link #SCHEMAS} layout in test topologies. */
    public static final String SCHEMAS_DATABASE = "oi_one";
    /** Environment variable / system property ({@code oi.test.postgres.layout}) choosing the layout. */
    public static final String LAYOUT_KEY = "OI_TEST_POSTGRES_LAYOUT";

    /** The layout chosen by {@code oi.test.postgres.layout} / {@code OI_TEST_POSTGRES_LAYOUT}; {@link #DATABASES} if unset. */
    public static PostgresLayout selected() {
        String chosen = TestBackend.lookup(LAYOUT_KEY);
        if (chosen == null) {
            return DATABASES;
        }
        try {
            return valueOf(chosen.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    LAYOUT_KEY + " (or -Doi.test.postgres.layout) is '" + chosen + "'; expected databases or schemas.",
                    e);
        }
    }
}
