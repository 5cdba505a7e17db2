package io.openinsure.db.testkit.internal;

import io.openinsure.db.core.DatabaseUrl;
import io.openinsure.db.core.JdbcDriver;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.regex.Pattern;

/** Short-lived admin connections for creating test databases. */
public final class AdminConnections {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z][a-z0-9_]*");

    private AdminConnections() {}

    /** Opens a plain JDBC connection to {@code url}, credentials as properties. */
    public static Connection open(DatabaseUrl url) throws SQLException {
        Properties props = new Properties();
        url.user().ifPresent(u -> props.setProperty("user", u));
        url.password().ifPresent(p -> props.setProperty("password", p));
        try {
            if (url.driver().className() != null) {
                Class.forName(url.driver().className());
            }
        } catch (ClassNotFoundException e) {
            throw new SQLException("JDBC driver missing: " + url.driver().mavenCoordinate(), e);
        }
        return DriverManager.getConnection(url.jdbcUrl(), props);
    }

    /** Creates {@code database} on the server if it does not exist (MySQL/MariaDB: utf8mb4). */
    public static void createDatabase(DatabaseUrl server, String database) {
        if (!IDENTIFIER.matcher(database).matches()) {
            throw new IllegalArgumentException("not a plain database name: " + database);
        }
        boolean postgres = server.driver() == JdbcDriver.PGJDBC;
        DatabaseUrl adminUrl = postgres ? server.withDatabase("postgres") : server;
        try (Connection c = open(adminUrl);
                Statement st = c.createStatement()) {
            if (postgres) {
                try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                    ps.setString(1, database);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            return;
                        }
                    }
                }
                st.execute("CREATE DATABASE " + database);
            } else {
                st.execute("CREATE DATABASE IF NOT EXISTS " + database + " CHARACTER SET utf8mb4");
            }
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "Could not create the test database " + database + " on " + server.describe() + ": "
                            + e.getMessage(),
                    e);
        }
    }
}
