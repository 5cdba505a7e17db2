package io.openinsure.db.testkit;

import io.openinsure.db.core.ConfigSource;
import io.openinsure.db.core.DatabaseUrl;
import io.openinsure.db.core.JdbcDriver;
import io.openinsure.db.domains.Keyspace;
import io.openinsure.db.domains.Migrator;
import io.openinsure.db.domains.OpenInsureDb;
import io.openinsure.db.testkit.internal.AdminConnections;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The whole OpenInsure topology on one test server: one database per keyspace ({@code oi_global},
 * {@code oi_policies}, {@code oi_submissions}, {@code oi_claims}, {@code oi_billing}, and the legacy
 * {@code openinsure}), created and migrated (MySQL-family servers) on first use. On
 * {@link TestBackend#VITESS} they are Vitess keyspaces behind vtgate, and the connection strings are
 * {@code vitess://host:port/<keyspace>}.
 *
 * <pre>{@code
 * try (OpenInsureDb db = Topology.of(TestBackend.MARIADB).open()) { … }
 * }</pre>
 *
 * <p>One instance per backend per JVM; thread-safe. Clients built from it read nothing from the
 * environment, so a developer's {@code DATABASE_URL} cannot leak into tests.
 */
public final class Topology {

    private static final Map<String, Topology> TOPOLOGIES = new ConcurrentHashMap<>();

    private final TestBackend backend;
    private final PostgresLayout layout;
    private final DatabaseUrl server;
    private final Map<Keyspace, String> connectionStrings = new EnumMap<>(Keyspace.class);

    private Topology(TestBackend backend, PostgresLayout layout, DatabaseUrl server) {
        this.backend = backend;
        this.layout = layout;
        this.server = server;
        if (layout == PostgresLayout.SCHEMAS) {
            AdminConnections.createDatabase(server, PostgresLayout.SCHEMAS_DATABASE);
            for (Keyspace k : Keyspace.values()) {
                String db = connectionString(server, PostgresLayout.SCHEMAS_DATABASE);
                // Flyway creates each keyspace's schema; the legacy client connects to the database and routes to them.
                connectionStrings.put(
                        k,
                        k == Keyspace.LEGACY
                                ? db
                                : db + (db.indexOf('?') < 0 ? '?' : '&') + Migrator.POSTGRES_SCHEMA_PARAMETER + "="
                                        + k.database());
            }
        } else {
            for (Keyspace k : Keyspace.values()) {
                if (!server.isVitess()) {
                    // Vitess keyspaces are not databases one creates: vttestserver (or vtctld) made them.
                    AdminConnections.createDatabase(server, k.database());
                }
                connectionStrings.put(k, connectionString(server, k.database()));
            }
        }
        // Each admin URL picks its migrations (MySQL DDL, or db/postgresql on PostgreSQL). On Vitess they run through
        // vtgate; idempotent when VttestserverContainer has applied them already.
        Migrator.migrate(builder().resolve());
    }

    /**
     * The topology on {@code backend} (resolving {@link TestBackend#DEFAULT}), starting the embedded
     * server and creating the databases on first use.
     *
     * @throws IllegalStateException for {@link TestBackend#EXTERNAL} without {@code OI_TEST_DATABASE_URL}
     */
    public static Topology of(TestBackend backend) {
        return of(backend, PostgresLayout.selected());
    }

    /**
     * The topology on {@code backend} with the keyspaces laid out as {@code layout} when the server is PostgreSQL
     * (ignored on MySQL-family servers and Vitess, where each keyspace is a database).
     */
    public static Topology of(TestBackend backend, PostgresLayout layout) {
        TestBackend resolved = backend.resolve();
        PostgresLayout effective = layout;
        if (resolved != TestBackend.POSTGRES && !(resolved == TestBackend.EXTERNAL && externalIsPostgres())) {
            effective = PostgresLayout.DATABASES;
        }
        PostgresLayout chosen = effective;
        return TOPOLOGIES.computeIfAbsent(
                resolved + "/" + chosen, key -> new Topology(resolved, chosen, serverUrl(resolved)));
    }

    private static boolean externalIsPostgres() {
        String url = TestBackend.lookup(TestBackend.DATABASE_URL_KEY);
        return url != null && url.strip().toLowerCase(java.util.Locale.ROOT).startsWith("postgres");
    }

    /** The topology on the selected backend ({@link TestBackend#selected()}). */
    public static Topology selected() {
        return of(TestBackend.DEFAULT);
    }

    private static DatabaseUrl serverUrl(TestBackend backend) {
        return switch (backend) {
            case MARIADB -> DatabaseUrl.parse(EmbeddedMariaDb.shared().connectionString(null));
            case POSTGRES -> DatabaseUrl.parse(EmbeddedPostgresDb.shared().connectionString(null));
            case EXTERNAL -> {
                String url = TestBackend.lookup(TestBackend.DATABASE_URL_KEY);
                if (url == null) {
                    throw new IllegalStateException(
                            "The external test backend needs " + TestBackend.DATABASE_URL_KEY
                                    + " (or -Doi.test.database.url), e.g. mysql://root@127.0.0.1:3306/ or postgres://postgres@127.0.0.1:5432/.");
                }
                DatabaseUrl parsed = DatabaseUrl.parse(url, null, TestBackend.DATABASE_URL_KEY);
                if (parsed.isPassThrough()) {
                    throw new IllegalStateException(TestBackend.DATABASE_URL_KEY
                            + " must be a mysql:// or postgres:// URL so the topology can create its databases; was "
                            + parsed);
                }
                yield parsed;
            }
            case VITESS -> VitessBackend.server();
            case DEFAULT -> throw new IllegalArgumentException("resolve DEFAULT first");
        };
    }

    private static String connectionString(DatabaseUrl server, String database) {
        // Rebuild a connection string for the database; credentials go in the builder, not the string.
        String scheme = server.isVitess() ? "vitess" : server.driver() == JdbcDriver.PGJDBC ? "postgres" : "mysql";
        String host = server.host().indexOf(':') >= 0 ? "[" + server.host() + "]" : server.host();
        StringBuilder sb = new StringBuilder(scheme)
                .append("://")
                .append(host)
                .append(':')
                .append(server.port())
                .append('/')
                .append(database);
        if (!server.parameters().isEmpty()) {
            sb.append('?');
            server.parameters()
                    .forEach((k, v) -> sb.append(k).append('=').append(v).append('&'));
            sb.setLength(sb.length() - 1);
        }
        return sb.toString();
    }

    /** How the keyspaces are laid out ({@link PostgresLayout#DATABASES} on every server but PostgreSQL). */
    public PostgresLayout layout() {
        return layout;
    }

    /**
     * Whether the legacy client reaches the keyspaces' tables here: everywhere but PostgreSQL with each keyspace its own
     * database ({@link PostgresLayout#DATABASES}), where one connection reaches one database and the legacy client
     * refuses a statement that it would route to another.
     */
    public boolean legacyReachesKeyspaces() {
        return !(server.driver() == JdbcDriver.PGJDBC && layout == PostgresLayout.DATABASES);
    }

    /** The backend this topology runs on. */
    public TestBackend backend() {
        return backend;
    }

    /** The server, as a URL without a database (password masked in {@code toString()}). */
    public DatabaseUrl server() {
        return server;
    }

    /** The connection string of a keyspace's database (without credentials; the builder adds them). */
    public String connectionString(Keyspace keyspace) {
        return connectionStrings.get(keyspace);
    }

    /**
     * A builder with every binding pointed at its database on this server, small pools, and no
     * environment lookups. Add settings before {@code build()}.
     */
    public OpenInsureDb.Builder builder() {
        OpenInsureDb.Builder b = OpenInsureDb.builder()
                .configSource(ConfigSource.empty())
                .defaults(d -> {
                    d.maxPoolSize(4).minIdle(0);
                    server.user().ifPresent(d::user);
                    server.password().ifPresent(d::password);
                });
        for (Keyspace k : Keyspace.values()) {
            b.url(k, connectionStrings.get(k));
        }
        return b;
    }

    /** Opens all six clients on this topology. Close the result. */
    public OpenInsureDb open() {
        return builder().build();
    }

    @Override
    public String toString() {
        return "Topology[" + backend.name().toLowerCase(java.util.Locale.ROOT)
                + (layout == PostgresLayout.SCHEMAS ? " (schemas)" : "") + " at " + server.describe() + "]";
    }
}
