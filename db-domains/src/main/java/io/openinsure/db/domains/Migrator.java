package io.openinsure.db.domains;

import io.openinsure.db.core.BindingConfig;
import io.openinsure.db.core.CredentialsProvider;
import io.openinsure.db.core.DatabaseUrl;
import io.openinsure.db.core.JdbcDriver;
import io.openinsure.db.core.OpenInsureDbException;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies each keyspace's Flyway migrations over the binding's admin URL ({@code OI_DB_<BINDING>_ADMIN_URL},
 * else {@code DATABASE_URL}, else the runtime URL), never through the runtime pool. Idempotent: applied
 * versions are skipped. The legacy keyspace has no migrations of its own (its tables are routed).
 *
 * <p>The dialect comes from each admin URL: MySQL, MariaDB and Vitess run {@code classpath:db/migration/<binding>},
 * PostgreSQL runs {@code classpath:db/postgresql/<binding>} (the same tables in PostgreSQL types; the build
 * checks that the two agree). On PostgreSQL a URL with {@code ?currentSchema=<schema>} (the schemas-of-one-database
 * layout) migrates that schema, creating it if needed; without it, the database's default schema ({@code public}).
 */
public final class Migrator {

    private static final Logger LOG = LoggerFactory.getLogger(Migrator.class);

    /** PgJDBC's parameter naming the schema a connection uses: the keyspace's schema in the schemas layout. */
    public static final String POSTGRES_SCHEMA_PARAMETER = "currentSchema";

    private static final String MYSQL_LOCATION = "classpath:db/migration/";
    private static final String POSTGRES_LOCATION = "classpath:db/postgresql/";

    private Migrator() {}

    /**
     * Migrates every keyspace that has migrations.
     *
     * @return the number of migrations applied per keyspace (0 when already up to date)
     * @throws OpenInsureDbException naming the keyspace whose migration failed
     */
    public static Map<Keyspace, Integer> migrate(Map<Keyspace, BindingConfig> configs) {
        Map<Keyspace, Integer> applied = new EnumMap<>(Keyspace.class);
        for (Keyspace k : Keyspace.values()) {
            if (k != Keyspace.LEGACY && configs.containsKey(k)) {
                applied.put(k, migrate(k, configs.get(k)));
            }
        }
        return applied;
    }

    /**
     * Where a keyspace's migrations are for the server {@code admin} names: {@code classpath:db/postgresql/<binding>}
     * for PostgreSQL, else {@code classpath:db/migration/<binding>} (MySQL, MariaDB, Vitess).
     */
    public static String location(Keyspace keyspace, DatabaseUrl admin) {
        return (admin.driver() == JdbcDriver.PGJDBC ? POSTGRES_LOCATION : MYSQL_LOCATION) + keyspace.bindingName();
    }

    /**
     * Migrates one keyspace; see {@link #migrate(Map)}. The credentials are asked for when the migration starts:
     * the admin URL's own user and password, else the binding's credentials provider or password file (so a rotated
     * password is used without a restart). When the server refuses them (SQL state class {@code 28}), the provider's
     * {@code refresh()} is asked once and, if it answers differently, the migration is tried once more, as the pools do.
     */
    public static int migrate(Keyspace keyspace, BindingConfig config) {
        DatabaseUrl admin = config.adminUrl();
        CredentialsProvider provider = config.credentialsFor(admin);
        CredentialsProvider.Credentials credentials = provider.credentials();
        try {
            return run(keyspace, admin, credentials);
        } catch (FlywayException e) {
            if (!credentialsRefused(e)) {
                throw failure(keyspace, admin, e);
            }
            CredentialsProvider.Credentials fresh = provider.refresh();
            if (fresh == null || fresh.equals(credentials)) {
                throw failure(keyspace, admin, e);
            }
            LOG.info(
                    "openinsure-db [{}] migrations: {} refused the credentials; retrying once with the provider's"
                            + " refreshed ones",
                    keyspace.bindingName(),
                    admin.describe());
            try {
                return run(keyspace, admin, fresh);
            } catch (FlywayException again) {
                throw failure(keyspace, admin, again);
            }
        }
    }

    private static int run(Keyspace keyspace, DatabaseUrl admin, CredentialsProvider.Credentials credentials) {
        FluentConfiguration flyway = Flyway.configure(Migrator.class.getClassLoader())
                .dataSource(admin.jdbcUrl(), credentials.user(), credentials.password())
                .locations(location(keyspace, admin))
                .connectRetries(0);
        String schema = admin.driver() == JdbcDriver.PGJDBC ? admin.parameters().get(POSTGRES_SCHEMA_PARAMETER) : null;
        if (schema != null && !schema.isBlank()) {
            flyway.schemas(schema.strip()).createSchemas(true);
        }
        MigrateResult result = flyway.load().migrate();
        LOG.info(
                "openinsure-db [{}] migrations: {} applied, schema at version {} ({})",
                keyspace.bindingName(),
                result.migrationsExecuted,
                result.targetSchemaVersion,
                admin.describe());
        return result.migrationsExecuted;
    }

    /** Whether Flyway failed because the server refused the credentials (an {@code SQLException} of state {@code 28…}). */
    private static boolean credentialsRefused(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql
                    && sql.getSQLState() != null
                    && sql.getSQLState().startsWith("28")) {
                return true;
            }
        }
        return false;
    }

    private static OpenInsureDbException failure(Keyspace keyspace, DatabaseUrl admin, FlywayException e) {
        String binding = keyspace.bindingName();
        String reason = io.openinsure.db.core.spi.Secrets.mask(e.getMessage());
        // Flyway's own message may quote a pass-through JDBC URL: the cause carries only the masked text.
        IllegalStateException cause = new IllegalStateException(e.getClass().getSimpleName() + ": " + reason);
        cause.setStackTrace(e.getStackTrace());
        String env = "OI_DB_" + keyspace.name();
        String fix = credentialsRefused(e)
                ? ". The server refused the credentials: check the user and password in " + env + "_ADMIN_URL, or "
                        + env + "_USER, " + env + "_PASSWORD, " + env + "_PASSWORD_FILE or the binding's credentials"
                        + " provider when the admin URL names no user of its own."
                : ". Migrations run over " + env + "_ADMIN_URL (else DATABASE_URL, else the runtime URL).";
        return new OpenInsureDbException(
                binding,
                "Keyspace '" + binding + "': migration failed on " + admin.describe() + ": " + reason + fix,
                cause);
    }
}
