package io.openinsure.db.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import io.openinsure.db.core.BindingConfig;
import io.openinsure.db.core.DatabaseUrl;
import io.openinsure.db.core.KeyspaceClient;
import io.openinsure.db.core.StatementRefusedException;
import io.openinsure.db.domains.Keyspace;
import io.openinsure.db.domains.Migrator;
import io.openinsure.db.testkit.internal.AdminConnections;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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
