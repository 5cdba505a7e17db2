package io.openinsure.db.domains;

import io.openinsure.db.core.BindingConfig;
import io.openinsure.db.core.DatabaseUrl;
import io.openinsure.db.core.OpenInsureDbException;
import java.util.EnumMap;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies each keyspace's Flyway migrations ({@code classpath:db/migration/<binding>}) over the
 * binding's admin URL ({@code OI_DB_<BINDING>_ADMIN_URL}, else {@code DATABASE_URL}, else the runtime
 * URL), never through the runtime pool. Idempotent: applied versions are skipped. The legacy
 * keyspace has no migrations of its own (its tables are routed).
 */
public final class Migrator {

    private static final Logger LOG = LoggerFactory.getLogger(Migrator.class);

    private Migrator() {
    }

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

    /** Migrates one keyspace; see {@link #migrate(Map)}. */
    public static int migrate(Keyspace keyspace, BindingConfig config) {
        DatabaseUrl admin = config.adminUrl();
        String user = config.userFor(admin).orElse(null);
        String password = config.passwordFor(admin).orElse(null);
        try {
            MigrateResult result = Flyway.configure(Migrator.class.getClassLoader())
                    .dataSource(admin.jdbcUrl(), user, password)
                    .locations("classpath:db/migration/" + keyspace.bindingName())
                    .connectRetries(0)
                    .load()
                    .migrate();
            LOG.info("openinsure-db [{}] migrations: {} applied, schema at version {} ({})", keyspace.bindingName(),
                    result.migrationsExecuted, result.targetSchemaVersion, admin.describe());
            return result.migrationsExecuted;
        } catch (FlywayException e) {
            String reason = io.openinsure.db.core.spi.Secrets.mask(e.getMessage());
            // Flyway's own message may quote a pass-through JDBC URL: the cause carries only the masked text.
            IllegalStateException cause = new IllegalStateException(e.getClass().getSimpleName() + ": " + reason);
            cause.setStackTrace(e.getStackTrace());
            throw new OpenInsureDbException(keyspace.bindingName(), "Keyspace '" + keyspace.bindingName()
                    + "': migration failed on " + admin.describe() + ": " + reason
                    + ". Migrations run over " + "OI_DB_" + keyspace.name() + "_ADMIN_URL (else DATABASE_URL, else the runtime URL).", cause);
        }
    }
}
