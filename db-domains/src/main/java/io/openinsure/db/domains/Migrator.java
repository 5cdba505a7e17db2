package io.openinsure.db.domains;

import io.openinsure.db.core.BindingConfig;
import io.openinsure.db.core.DatabaseUrl;
import io.openinsure.db.core.JdbcDriver;
import io.openinsure.db.core.OpenInsureDbException;
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

    /** Migrates one keyspace; see {@link #migrate(Map)}. */
    public static int migrate(Keyspace keyspace, BindingConfig config) {
        DatabaseUrl admin = config.adminUrl();
        String user = config.userFor(admin).orElse(null);
        String password = config.passwordFor(admin).orElse(null);
        try {
            FluentConfiguration flyway = Flyway.configure(Migrator.class.getClassLoader())
                    .dataSource(admin.jdbcUrl(), user, password)
                    .locations(location(keyspace, admin))
                    .connectRetries(0);
            String schema =
                    admin.driver() == JdbcDriver.PGJDBC ? admin.parameters().get(POSTGRES_SCHEMA_PARAMETER) : null;
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
        } catch (FlywayException e) {
            String reason = io.openinsure.db.core.spi.Secrets.mask(e.getMessage());
            // Flyway's own message may quote a pass-through JDBC URL: the cause carries only the masked text.
            IllegalStateException cause = new IllegalStateException(e.getClass().getSimpleName() + ": " + reason);
            cause.setStackTrace(e.getStackTrace());
            throw new OpenInsureDbException(
                    keyspace.bindingName(),
                    "Keyspace '" + keyspace.bindingName()
                            + "': migration failed on " + admin.describe() + ": " + reason
                            + ". Migrations run over " + "OI_DB_" + keyspace.name()
                            + "_ADMIN_URL (else DATABASE_URL, else the runtime URL).",
                    cause);
        }
    }
}
