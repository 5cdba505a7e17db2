package io.openinsure.db.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import io.openinsure.db.core.BindingConfig;
import io.openinsure.db.core.CredentialsProvider;
import io.openinsure.db.core.DatabaseUrl;
import io.openinsure.db.core.KeyspaceClient;
import io.openinsure.db.core.OpenInsureDbException;
import io.openinsure.db.core.StatementRefusedException;
import io.openinsure.db.domains.Keyspace;
import io.openinsure.db.domains.Migrator;
import io.openinsure.db.testkit.internal.AdminConnections;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runtime clients refuse DDL (db-core's {@code GuardsAndLimitsTest}); migrations still run it, over the admin path
 * (Flyway's own connections).
 */
@Timeout(120)
class MigrationsOverTheAdminPathTest {

    @Test
    void migrationsStillRunDdlOverTheAdminPath() throws Exception {
        String database = "oi_guards_migrated";
        admin("DROP DATABASE IF EXISTS " + database, "CREATE DATABASE " + database + " CHARACTER SET utf8mb4");
        BindingConfig config = BindingConfig.builder("claims")
                .url(EmbeddedMariaDb.shared().connectionString(database))
                .maxPoolSize(2)
                .minIdle(0)
                .build();
        assertThat(Migrator.migrate(Keyspace.CLAIMS, config))
                .isPositive(); // CREATE TABLE …, through Flyway's own connections
        try (KeyspaceClient claims = KeyspaceClient.open(config)) {
            assertThat(claims.dsl().fetchCount(table(name("flyway_schema_history"))))
                    .isPositive();
            assertThatThrownBy(() -> claims.dsl().execute("drop table claim"))
                    .isInstanceOf(StatementRefusedException.class)
                    .hasMessage(
                            "Keyspace 'claims': DROP is refused on runtime clients (rule drop); schema changes belong in a "
                                    + "migration, run over OI_DB_CLAIMS_ADMIN_URL (Migrator).");
        }
        assertThat(Migrator.migrate(Keyspace.CLAIMS, config)).isZero();
    }

    @Test
    void migrationsReadTheBindingsPasswordFileWhenTheyStartSoARotatedPasswordNeedsNoRestart(@TempDir Path dir)
            throws Exception {
        String database = "oi_migrate_rotating";
        String first = SECRET + "-first";
        String second = SECRET + "-second";
        admin("DROP DATABASE IF EXISTS " + database, "CREATE DATABASE " + database + " CHARACTER SET utf8mb4");
        migratorUser(database, first);
        Path file = dir.resolve("password");
        Files.writeString(file, first + "\n");
        BindingConfig config = BindingConfig.builder("claims")
                .url("mysql://127.0.0.1:" + EmbeddedMariaDb.shared().port() + "/" + database)
                .user(MIGRATOR)
                .passwordFile(file.toString())
                .build();

        assertThat(Migrator.migrate(Keyspace.CLAIMS, config)).isPositive();

        setMigratorPassword(second);
        Files.writeString(file, second + "\n"); // the secret store rotated it; the same config migrates again
        assertThat(Migrator.migrate(Keyspace.CLAIMS, config)).isZero();
    }

    @Test
    void aRefusedMigrationAsksTheProviderOnceMoreThenNamesTheSettingsButNeverTheSecret() throws Exception {
        String database = "oi_migrate_refresh";
        String current = SECRET + "-current";
        admin("DROP DATABASE IF EXISTS " + database, "CREATE DATABASE " + database + " CHARACTER SET utf8mb4");
        migratorUser(database, current);
        AtomicInteger refreshes = new AtomicInteger();
        CredentialsProvider caching = new CredentialsProvider() { // a cache that is stale until refreshed
                    @Override
                    public Credentials credentials() {
                        return new Credentials(MIGRATOR, SECRET + "-stale");
                    }

                    @Override
                    public Credentials refresh() {
                        refreshes.incrementAndGet();
                        return new Credentials(MIGRATOR, current);
                    }
                };
        BindingConfig refreshed = BindingConfig.builder("claims")
                .url("mysql://127.0.0.1:" + EmbeddedMariaDb.shared().port() + "/" + database)
                .credentialsProvider(caching)
                .build();
        assertThat(Migrator.migrate(Keyspace.CLAIMS, refreshed)).isPositive();
        assertThat(refreshes).hasValue(1);

        BindingConfig refused = BindingConfig.builder("claims")
                .url("mysql://127.0.0.1:" + EmbeddedMariaDb.shared().port() + "/" + database)
                .credentialsProvider(CredentialsProvider.of(MIGRATOR, SECRET + "-wrong"))
                .build();
        assertThatThrownBy(() -> Migrator.migrate(Keyspace.CLAIMS, refused))
                .isInstanceOf(OpenInsureDbException.class)
                .hasMessageStartingWith("Keyspace 'claims': migration failed on 127.0.0.1:")
                .hasMessageContaining("The server refused the credentials: check the user and password in "
                        + "OI_DB_CLAIMS_ADMIN_URL, or OI_DB_CLAIMS_USER, OI_DB_CLAIMS_PASSWORD, "
                        + "OI_DB_CLAIMS_PASSWORD_FILE or the binding's credentials provider")
                .satisfies(e -> {
                    for (Throwable t = e; t != null; t = t.getCause()) {
                        assertThat(String.valueOf(t.getMessage())).doesNotContain(SECRET);
                    }
                });
    }

    private static final String MIGRATOR = "oi_migrator";
    private static final String SECRET = "Sentinel7f3a";

    private static void migratorUser(String database, String password) throws Exception {
        for (String host : List.of("127.0.0.1", "localhost")) {
            admin(
                    "CREATE USER IF NOT EXISTS '" + MIGRATOR + "'@'" + host + "' IDENTIFIED BY 'x'",
                    "ALTER USER '" + MIGRATOR + "'@'" + host + "' IDENTIFIED BY '" + password + "'",
                    "GRANT ALL ON " + database + ".* TO '" + MIGRATOR + "'@'" + host + "'");
        }
    }

    private static void setMigratorPassword(String password) throws Exception {
        for (String host : List.of("127.0.0.1", "localhost")) {
            admin("ALTER USER '" + MIGRATOR + "'@'" + host + "' IDENTIFIED BY '" + password + "'");
        }
    }

    private static void admin(String... statements) throws Exception {
        try (Connection c = AdminConnections.open(
                        DatabaseUrl.parse(EmbeddedMariaDb.shared().connectionString(null)));
                Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }
}
