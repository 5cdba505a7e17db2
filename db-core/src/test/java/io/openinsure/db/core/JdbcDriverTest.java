package io.openinsure.db.core;

import static io.openinsure.db.core.TestSupport.configurationError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import org.jooq.SQLDialect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JdbcDriverTest {

    // The gRPC driver takes no password (a URL with one is refused when parsed, see CredentialsOutOfUrlsTest).
    private static final String VITESS_URL = "jdbc:vitess://alice@vtgate:15991/oi_policies";
    private static final String VITESS_DRIVER_MISSING = "Keyspace 'policies': OI_DB_POLICIES_URL: the URL "
            + "jdbc:vitess://alice@vtgate:15991/oi_policies needs the JDBC driver io.vitess.jdbc.VitessDriver, which is not"
            + " on the classpath. Add the Maven dependency io.vitess:vitess-jdbc:16.0.0 (or use vitess://host:port/keyspace,"
            + " which goes through MySQL Connector/J as the Vitess maintainers recommend).";

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "MYSQL_CONNECTOR_J,    com.mysql.cj.jdbc.Driver,     com.mysql:mysql-connector-j,          MYSQL",
        "PGJDBC,               org.postgresql.Driver,        org.postgresql:postgresql,            POSTGRES",
        "VITESS_GRPC,          io.vitess.jdbc.VitessDriver,  io.vitess:vitess-jdbc:16.0.0,         MYSQL",
        "MARIADB_CONNECTOR_J,  org.mariadb.jdbc.Driver,      org.mariadb.jdbc:mariadb-java-client, MARIADB",
        "OTHER,                ,                             ,                                     DEFAULT",
    })
    void describesEachDriver(JdbcDriver driver, String className, String coordinate, SQLDialect dialect) {
        assertThat(driver.className()).isEqualTo(className);
        assertThat(driver.mavenCoordinate()).isEqualTo(coordinate);
        assertThat(driver.defaultDialect()).isEqualTo(dialect);
    }

    @Test
    void runtimeDriversAreAvailable() {
        assertThat(JdbcDriver.MYSQL_CONNECTOR_J.isAvailable()).isTrue();
        assertThat(JdbcDriver.PGJDBC.isAvailable()).isTrue();
        assertThat(JdbcDriver.OTHER.isAvailable())
                .as("DriverManager finds it, nothing to check")
                .isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql://h/oi", "postgres://h/oi", "vitess://vtgate/oi_policies@replica", "jdbc:h2:mem:x"})
    void requireDriverReturnsTheUrlWhenTheDriverIsThere(String input) {
        DatabaseUrl url = DatabaseUrl.parse(input);

        assertThat(url.requireDriver("policies", "OI_DB_POLICIES_URL")).isSameAs(url);
    }

    @Test
    void requireDriverNamesTheMissingMavenDependency() {
        assumeFalse(JdbcDriver.MARIADB_CONNECTOR_J.isAvailable(), "MariaDB Connector/J is on the test classpath");

        ConfigurationException e = configurationError(() ->
                DatabaseUrl.parse("jdbc:mariadb://alice:s3cr3t@h/oi").requireDriver("policies", "OI_DB_POLICIES_URL"));

        assertThat(e)
                .hasMessage(
                        "Keyspace 'policies': OI_DB_POLICIES_URL: the URL jdbc:mariadb://alice:****@h/oi needs the JDBC"
                                + " driver org.mariadb.jdbc.Driver, which is not on the classpath. Add the Maven dependency"
                                + " org.mariadb.jdbc:mariadb-java-client.");
        assertThat(e.keyspace()).contains("policies");
        assertThat(e.setting()).contains("OI_DB_POLICIES_URL");
    }

    /** Runs only where vitess-jdbc is absent; db-core itself declares it optional, so it is on this module's test classpath. */
    @Test
    void requireDriverNamesVitessJdbcWhenItIsMissing() {
        assumeFalse(JdbcDriver.VITESS_GRPC.isAvailable(), "io.vitess:vitess-jdbc is on the test classpath");

        ConfigurationException e =
                configurationError(() -> DatabaseUrl.parse(VITESS_URL).requireDriver("policies", "OI_DB_POLICIES_URL"));

        assertThat(e).hasMessage(VITESS_DRIVER_MISSING);
    }

    /**
     * The same check with vitess-jdbc really absent: db-core and jOOQ are loaded in a class loader that
     * cannot see the rest of the test classpath, and that loader is the context class loader too.
     */
    @Test
    void requireDriverNamesVitessJdbcWhenItIsMissingFromAnIsolatedClassLoader() throws Exception {
        URL[] coreAndJooq = {location(DatabaseUrl.class), location(SQLDialect.class)};
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        try (URLClassLoader isolated = new URLClassLoader(coreAndJooq, ClassLoader.getPlatformClassLoader())) {
            thread.setContextClassLoader(isolated);
            Class<?> driverClass = isolated.loadClass(JdbcDriver.class.getName());
            Object vitessGrpc = driverClass.getMethod("valueOf", String.class).invoke(null, "VITESS_GRPC");
            assertThat(driverClass.getMethod("isAvailable").invoke(vitessGrpc)).isEqualTo(false);

            Class<?> urlClass = isolated.loadClass(DatabaseUrl.class.getName());
            Object url = urlClass.getMethod("parse", String.class).invoke(null, VITESS_URL);
            Method requireDriver = urlClass.getMethod("requireDriver", String.class, String.class);
            InvocationTargetException thrown = catchThrowableOfType(
                    InvocationTargetException.class, () -> requireDriver.invoke(url, "policies", "OI_DB_POLICIES_URL"));

            assertThat(thrown).isNotNull();
            assertThat(thrown.getCause().getClass().getName()).isEqualTo(ConfigurationException.class.getName());
            assertThat(thrown.getCause()).hasMessage(VITESS_DRIVER_MISSING);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static URL location(Class<?> type) {
        return type.getProtectionDomain().getCodeSource().getLocation();
    }
}
