package io.openinsure.db.core;

import org.jooq.SQLDialect;

/**
 * The JDBC drivers the SDK chooses between, with the Maven coordinate to add when one is missing.
 */
public enum JdbcDriver {
    /** MySQL Connector/J: {@code mysql://} and {@code vitess://} (vtgate speaks the MySQL protocol). */
    MYSQL_CONNECTOR_J("com.mysql.cj.jdbc.Driver", "com.mysql:mysql-connector-j", SQLDialect.MYSQL),
    /** PgJDBC: {@code postgres://} and {@code postgresql://}. */
    PGJDBC("org.postgresql.Driver", "org.postgresql:postgresql", SQLDialect.POSTGRES),
    /** The gRPC Vitess JDBC driver, optional: only {@code jdbc:vitess://} URLs use it. */
    VITESS_GRPC("io.vitess.jdbc.VitessDriver", "io.vitess:vitess-jdbc:16.0.0", SQLDialect.MYSQL),
    /** MariaDB Connector/J, used only for {@code jdbc:mariadb:} URLs when it is on the classpath. */
    MARIADB_CONNECTOR_J("org.mariadb.jdbc.Driver", "org.mariadb.jdbc:mariadb-java-client", SQLDialect.MARIADB),
    /** Any other {@code jdbc:} URL: the driver is looked up through {@link java.sql.DriverManager}. */
    OTHER(null, null, SQLDialect.DEFAULT);

    private final String className;
    private final String mavenCoordinate;
    private final SQLDialect defaultDialect;

    JdbcDriver(String className, String mavenCoordinate, SQLDialect defaultDialect) {
        this.className = className;
        this.mavenCoordinate = mavenCoordinate;
        this.defaultDialect = defaultDialect;
    }

    /** The driver class, or {@code null} for {@link #OTHER}. */
    public String className() {
        return className;
    }

    /** Maven coordinate that provides the driver, or {@code null} for {@link #OTHER}. */
    public String mavenCoordinate() {
        return mavenCoordinate;
    }

    /** The jOOQ dialect before the server is asked (MySQL servers that say MariaDB get {@code MARIADB}). */
    public SQLDialect defaultDialect() {
        return defaultDialect;
    }

    /** Whether the driver class can be loaded from this class's class loader or the context one. */
    public boolean isAvailable() {
        if (className == null) {
            return true;
        }
        for (ClassLoader loader :
                new ClassLoader[] {Thread.currentThread().getContextClassLoader(), JdbcDriver.class.getClassLoader()}) {
            if (loader == null) {
                continue;
            }
            try {
                Class.forName(className, false, loader);
                return true;
            } catch (ClassNotFoundException | LinkageError e) {
                // try the next loader
            }
        }
        return false;
    }
}
