package io.openinsure.db.core;

import static io.openinsure.db.core.TestSupport.assertNoSecret;
import static io.openinsure.db.core.TestSupport.configurationError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openinsure.db.core.DatabaseUrl.TabletType;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.jooq.SQLDialect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class DatabaseUrlTest {

    private static final String FORMS = DatabaseUrl.SUPPORTED_FORMS;
    private static final String EMPTY = "the connection string is empty. Expected " + FORMS + ".";
    private static final String PORT_NOT_A_NUMBER =
            "' is not a number between 1 and 65535. If the password contains reserved"
                    + " characters (/ ? # @ :), percent-encode them.";
    private static final String IPV6_WITHOUT_BRACKETS =
            "' looks like an IPv6 address without brackets. Write it as [::1]:port.";
    private static final String NO_KEYSPACE =
            "' names no keyspace. Expected vitess://host:port/keyspace[@primary|@replica|@rdonly],"
                    + " e.g. vitess://localhost:15306/oi_policies@primary.";
    private static final String BAD_TABLET = "'. Use @primary, @replica or @rdonly (or none for the primary).";
    private static final String BAD_KEYSPACE =
            "' is not a valid Vitess keyspace name. Use letters, digits, '_' and '-'" + " (optionally keyspace:shard).";
    private static final String BAD_ESCAPE = "' has a malformed percent-escape. Encode '%' as %25.";
    private static final String NO_SUBPROTOCOL =
            "' has no JDBC sub-protocol. Expected jdbc:<driver>:…, e.g. jdbc:mysql://host:3306/db.";
    static final String BAD_HOST = "' is not a valid host name: a host name has only letters, digits, '.', '-' and '_'"
            + " (percent-escapes and other characters cannot be looked up; write an international name in its ASCII form,"
            + " xn--…), and an IPv6 address goes in brackets, [::1]. If the password contains reserved characters"
            + " (/ ? # @ :), percent-encode them.";
    private static final String DATABASE_WITH_SLASH =
            "' contains '/'. Give one database (or keyspace) name after the host.";

    // ---- valid connection strings --------------------------------------------------------------

    /** A connection string that parses, and what it parses to ({@code null}: absent). */
    record Valid(
            String input,
            String scheme,
            String host,
            int port,
            String database,
            String user,
            String password,
            String jdbcUrl) {
        @Override
        public String toString() {
            return input;
        }
    }

    static Stream<Valid> validUrls() {
        return Stream.of(
                // mysql://
                new Valid(
                        "mysql://localhost/oi_policies",
                        "mysql",
                        "localhost",
                        3306,
                        "oi_policies",
                        null,
                        null,
                        "jdbc:mysql://localhost:3306/oi_policies"),
                new Valid(
                        "mysql://alice:s3cr3t@db.example.com:3307/oi_policies",
                        "mysql",
                        "db.example.com",
                        3307,
                        "oi_policies",
                        "alice",
                        "s3cr3t",
                        "jdbc:mysql://db.example.com:3307/oi_policies"),
                new Valid(
                        "MySQL://alice:s3cr3t@Db-1.Internal/oi_policies",
                        "mysql",
                        "Db-1.Internal",
                        3306,
                        "oi_policies",
                        "alice",
                        "s3cr3t",
                        "jdbc:mysql://Db-1.Internal:3306/oi_policies"),
                new Valid(
                        "mysql://10.0.0.5:3306/oi_policies",
                        "mysql",
                        "10.0.0.5",
                        3306,
                        "oi_policies",
                        null,
                        null,
                        "jdbc:mysql://10.0.0.5:3306/oi_policies"),
                new Valid(
                        "mysql://db.example.com",
                        "mysql",
                        "db.example.com",
                        3306,
                        null,
                        null,
                        null,
                        "jdbc:mysql://db.example.com:3306/"),
                new Valid(
                        "mysql://db.example.com/",
                        "mysql",
                        "db.example.com",
                        3306,
                        null,
                        null,
                        null,
                        "jdbc:mysql://db.example.com:3306/"),
                new Valid("mysql://h:1/oi", "mysql", "h", 1, "oi", null, null, "jdbc:mysql://h:1/oi"),
                new Valid("mysql://h:65535/oi", "mysql", "h", 65535, "oi", null, null, "jdbc:mysql://h:65535/oi"),
                new Valid("  mysql://h/oi  ", "mysql", "h", 3306, "oi", null, null, "jdbc:mysql://h:3306/oi"),
                new Valid("mysql://h/oi/", "mysql", "h", 3306, "oi", null, null, "jdbc:mysql://h:3306/oi"),
                new Valid("mysql://h/oi#section", "mysql", "h", 3306, "oi", null, null, "jdbc:mysql://h:3306/oi"),
                new Valid("mysql://h/my%20db", "mysql", "h", 3306, "my db", null, null, "jdbc:mysql://h:3306/my%20db"),
                // postgres:// and postgresql://
                new Valid(
                        "postgres://alice:s3cr3t@pg.local/oi_claims",
                        "postgresql",
                        "pg.local",
                        5432,
                        "oi_claims",
                        "alice",
                        "s3cr3t",
                        "jdbc:postgresql://pg.local:5432/oi_claims"),
                new Valid(
                        "postgresql://pg.local:6543/oi_claims",
                        "postgresql",
                        "pg.local",
                        6543,
                        "oi_claims",
                        null,
                        null,
                        "jdbc:postgresql://pg.local:6543/oi_claims"),
                new Valid(
                        "POSTGRES://pg.local",
                        "postgresql",
                        "pg.local",
                        5432,
                        null,
                        null,
                        null,
                        "jdbc:postgresql://pg.local:5432/"),
                // vitess://
                new Valid(
                        "vitess://vtgate:15306/oi_policies@primary",
                        "vitess",
                        "vtgate",
                        15306,
                        "oi_policies@primary",
                        null,
                        null,
                        "jdbc:mysql://vtgate:15306/oi_policies%40primary"),
                new Valid(
                        "vitess://alice:s3cr3t@vtgate/oi_policies@replica",
                        "vitess",
                        "vtgate",
                        15306,
                        "oi_policies@replica",
                        "alice",
                        "s3cr3t",
                        "jdbc:mysql://vtgate:15306/oi_policies%40replica"),
                new Valid(
                        "vitess://vtgate:15991/oi_policies@rdonly",
                        "vitess",
                        "vtgate",
                        15991,
                        "oi_policies@rdonly",
                        null,
                        null,
                        "jdbc:mysql://vtgate:15991/oi_policies%40rdonly"),
                new Valid(
                        "vitess://vtgate/oi_policies@REPLICA",
                        "vitess",
                        "vtgate",
                        15306,
                        "oi_policies@replica",
                        null,
                        null,
                        "jdbc:mysql://vtgate:15306/oi_policies%40replica"),
                new Valid(
                        "vitess://vtgate/oi_policies@Primary",
                        "vitess",
                        "vtgate",
                        15306,
                        "oi_policies@primary",
                        null,
                        null,
                        "jdbc:mysql://vtgate:15306/oi_policies%40primary"),
                new Valid(
                        "vitess://vtgate/oi_policies@master",
                        "vitess",
                        "vtgate",
                        15306,
                        "oi_policies@primary",
                        null,
                        null,
                        "jdbc:mysql://vtgate:15306/oi_policies%40primary"),
                new Valid(
                        "Vitess://vtgate/oi_policies@MASTER",
                        "vitess",
                        "vtgate",
                        15306,
                        "oi_policies@primary",
                        null,
                        null,
                        "jdbc:mysql://vtgate:15306/oi_policies%40primary"),
                new Valid(
                        "vitess://vtgate/oi_policies",
                        "vitess",
                        "vtgate",
                        15306,
                        "oi_policies",
                        null,
                        null,
                        "jdbc:mysql://vtgate:15306/oi_policies"),
                new Valid(
                        "vitess://vtgate/oi_policies:-80@replica",
                        "vitess",
                        "vtgate",
                        15306,
                        "oi_policies:-80@replica",
                        null,
                        null,
                        "jdbc:mysql://vtgate:15306/oi_policies%3A-80%40replica"),
                // IPv6 literals
                new Valid(
                        "mysql://[::1]/oi_policies",
                        "mysql",
                        "::1",
                        3306,
                        "oi_policies",
                        null,
                        null,
                        "jdbc:mysql://[::1]:3306/oi_policies"),
                new Valid(
                        "mysql://alice:s3cr3t@[2001:db8::1]:3307/oi_policies",
                        "mysql",
                        "2001:db8::1",
                        3307,
                        "oi_policies",
                        "alice",
                        "s3cr3t",
                        "jdbc:mysql://[2001:db8::1]:3307/oi_policies"),
                new Valid(
                        "postgres://[fe80::1]:5433/oi_claims",
                        "postgresql",
                        "fe80::1",
                        5433,
                        "oi_claims",
                        null,
                        null,
                        "jdbc:postgresql://[fe80::1]:5433/oi_claims"),
                new Valid(
                        "vitess://[::1]:15306/oi_policies@replica",
                        "vitess",
                        "::1",
                        15306,
                        "oi_policies@replica",
                        null,
                        null,
                        "jdbc:mysql://[::1]:15306/oi_policies%40replica"),
                // credentials
                new Valid(
                        "mysql://alice:p%40ss%2Fw%3Ard@h/oi",
                        "mysql", "h", 3306, "oi", "alice", "p@ss/w:rd", "jdbc:mysql://h:3306/oi"),
                new Valid(
                        "mysql://alice:p+ss+w0rd@h/oi",
                        "mysql",
                        "h",
                        3306,
                        "oi",
                        "alice",
                        "p+ss+w0rd",
                        "jdbc:mysql://h:3306/oi"),
                new Valid(
                        "mysql://al%69ce:pa%25%20ss@h/oi",
                        "mysql", "h", 3306, "oi", "alice", "pa% ss", "jdbc:mysql://h:3306/oi"),
                new Valid(
                        "mysql://alice:p@ss@h/oi", "mysql", "h", 3306, "oi", "alice", "p@ss", "jdbc:mysql://h:3306/oi"),
                new Valid(
                        "mysql://alice:pa:ss@h/oi",
                        "mysql",
                        "h",
                        3306,
                        "oi",
                        "alice",
                        "pa:ss",
                        "jdbc:mysql://h:3306/oi"),
                new Valid("mysql://alice@h/oi", "mysql", "h", 3306, "oi", "alice", null, "jdbc:mysql://h:3306/oi"),
                new Valid("mysql://:s3cr3t@h/oi", "mysql", "h", 3306, "oi", null, "s3cr3t", "jdbc:mysql://h:3306/oi"),
                // query parameters: kept in order; user and password move out of the JDBC URL
                new Valid(
                        "mysql://h/oi?sslMode=REQUIRED&connectTimeout=5000&allowPublicKeyRetrieval=false",
                        "mysql",
                        "h",
                        3306,
                        "oi",
                        null,
                        null,
                        "jdbc:mysql://h:3306/oi?sslMode=REQUIRED&connectTimeout=5000&allowPublicKeyRetrieval=false"),
                new Valid(
                        "mysql://h/oi?user=alice&password=s3cr3t&useSSL=true",
                        "mysql",
                        "h",
                        3306,
                        "oi",
                        "alice",
                        "s3cr3t",
                        "jdbc:mysql://h:3306/oi?useSSL=true"),
                new Valid(
                        "postgres://pg.local/oi_claims?sslmode=require&password=s3cr3t&user=alice&ApplicationName=oi",
                        "postgresql",
                        "pg.local",
                        5432,
                        "oi_claims",
                        "alice",
                        "s3cr3t",
                        "jdbc:postgresql://pg.local:5432/oi_claims?sslmode=require&ApplicationName=oi"),
                new Valid(
                        "mysql://alice:s3cr3t@h/oi?user=mallory&password=0ther",
                        "mysql",
                        "h",
                        3306,
                        "oi",
                        "alice",
                        "s3cr3t",
                        "jdbc:mysql://h:3306/oi"),
                new Valid(
                        "mysql://h?useSSL=true",
                        "mysql",
                        "h",
                        3306,
                        null,
                        null,
                        null,
                        "jdbc:mysql://h:3306/?useSSL=true"),
                new Valid(
                        "mysql://h/oi?serverTimezone=Europe%2FParis",
                        "mysql", "h", 3306, "oi", null, null, "jdbc:mysql://h:3306/oi?serverTimezone=Europe%2FParis"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validUrls")
    void parsesValidConnectionStrings(Valid v) {
        DatabaseUrl url = DatabaseUrl.parse(v.input());

        assertThat(url.scheme()).isEqualTo(v.scheme());
        assertThat(url.host()).isEqualTo(v.host());
        assertThat(url.port()).isEqualTo(v.port());
        assertThat(url.database()).isEqualTo(Optional.ofNullable(v.database()));
        assertThat(url.user()).isEqualTo(Optional.ofNullable(v.user()));
        assertThat(url.password()).isEqualTo(Optional.ofNullable(v.password()));
        assertThat(url.jdbcUrl()).isEqualTo(v.jdbcUrl());
        assertThat(url.isPassThrough()).isFalse();
        assertThat(url.isVitess()).isEqualTo(v.scheme().equals("vitess"));
        boolean postgres = v.scheme().equals("postgresql");
        assertThat(url.driver()).isEqualTo(postgres ? JdbcDriver.PGJDBC : JdbcDriver.MYSQL_CONNECTOR_J);
        assertThat(url.dialect()).isEqualTo(postgres ? SQLDialect.POSTGRES : SQLDialect.MYSQL);
        assertThat(url.parameters()).doesNotContainKeys("user", "password");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validUrls")
    void neverShowsCredentialsOfValidConnectionStrings(Valid v) {
        DatabaseUrl url = DatabaseUrl.parse(v.input());

        if (v.password() != null) {
            if (v.user() != null) {
                assertThat(url.toString()).contains(":****@");
            }
            assertNoSecret(url.toString(), v.password());
            assertNoSecret(url.jdbcUrl(), v.password());
            assertNoSecret(url.describe(), v.password());
        }
        if (v.user() != null) {
            assertThat(url.jdbcUrl()).doesNotContain(v.user());
            assertThat(url.describe()).doesNotContain(v.user());
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "mysql://alice:s3cr3t@h/oi?useSSL=true,                 mysql://alice:****@h:3306/oi?useSSL=true",
        "postgres://alice:s3cr3t@pg/oi,                         postgresql://alice:****@pg:5432/oi",
        "vitess://alice:s3cr3t@vtgate/oi_policies@master,       vitess://alice:****@vtgate:15306/oi_policies@primary",
        "mysql://h/oi?user=alice&password=s3cr3t,               mysql://alice:****@h:3306/oi",
        "mysql://h/oi?PASSWORD=s3cr3t&sslPassword=s3cr3t&useSSL=true,   mysql://h:3306/oi?sslPassword=****&useSSL=true",
        "mysql://h/oi?User=alice&Password=s3cr3t&useSSL=true,   mysql://alice:****@h:3306/oi?useSSL=true",
        "mysql://a%40b:s3cr3t@[::1]/oi,                         mysql://a%40b:****@[::1]:3306/oi",
        "mysql://alice@h/oi,                                    mysql://alice@h:3306/oi",
        "jdbc:mysql://alice:s3cr3t@h/oi?password=s3cr3t,        jdbc:mysql://alice:****@h/oi",
        "jdbc:mysql://vtgate:15306/oi_policies@replica,         jdbc:mysql://vtgate:15306/oi_policies@replica",
    })
    void toStringMasksThePassword(String input, String expected) {
        assertThat(DatabaseUrl.parse(input)).hasToString(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "mysql://alice:s3cr3t@db.example.com/oi_policies?useSSL=true,  db.example.com:3306/oi_policies",
        "vitess://alice:s3cr3t@vtgate/oi_policies@replica,            vtgate:15306/oi_policies@replica",
        "postgres://alice:s3cr3t@[::1]/oi_claims,                      [::1]:5432/oi_claims",
        "mysql://h,                                                    h:3306/",
        "jdbc:mysql://alice:s3cr3t@h:3306/oi?useSSL=true,              jdbc:mysql://h:3306/oi",
        "jdbc:h2:mem:x,                                                jdbc:h2:mem:x",
    })
    void describeShowsHostPortAndDatabaseOnly(String input, String expected) {
        assertThat(DatabaseUrl.parse(input).describe()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "mysql://h/db,       3306",
        "postgres://h/db,    5432",
        "postgresql://h/db,  5432",
        "vitess://h/ks,      15306",
    })
    void usesTheSchemesDefaultPort(String input, int port) {
        assertThat(DatabaseUrl.parse(input).port()).isEqualTo(port);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "vitess://vtgate/oi_policies@primary,  oi_policies,      PRIMARY",
        "vitess://vtgate/oi_policies@master,   oi_policies,      PRIMARY",
        "vitess://vtgate/oi_policies@Replica,  oi_policies,      REPLICA",
        "vitess://vtgate/oi_policies@RDONLY,   oi_policies,      RDONLY",
        "vitess://vtgate/oi_policies:-80,      oi_policies:-80,",
    })
    void splitsTheVitessKeyspaceAndTabletType(String input, String keyspace, TabletType tablet) {
        DatabaseUrl url = DatabaseUrl.parse(input);

        assertThat(url.keyspace()).contains(keyspace);
        assertThat(url.tabletType()).isEqualTo(Optional.ofNullable(tablet));
    }

    @Test
    void keyspaceAndTabletTypeAreEmptyForOtherSchemes() {
        DatabaseUrl url = DatabaseUrl.parse("mysql://h/oi_policies");

        assertThat(url.keyspace()).isEmpty();
        assertThat(url.tabletType()).isEmpty();
    }

    @Test
    void keepsQueryParametersInTheirOriginalOrder() {
        DatabaseUrl url = DatabaseUrl.parse("mysql://h/oi?zeta=1&alpha=2&user=alice&mid=3&password=s3cr3t&flag");

        assertThat(url.parameters())
                .containsExactly(
                        Map.entry("zeta", "1"), Map.entry("alpha", "2"), Map.entry("mid", "3"), Map.entry("flag", ""));
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:mysql://h:3306/oi?zeta=1&alpha=2&mid=3&flag=");
        assertThatThrownBy(() -> url.parameters().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    // ---- jdbc: URLs pass through ----------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "jdbc:mysql://h:3306/oi?useSSL=true,       MYSQL_CONNECTOR_J,    MYSQL",
        "JDBC:MySQL://h/oi,                        MYSQL_CONNECTOR_J,    MYSQL",
        "jdbc:postgresql://pg.local/oi_claims,     PGJDBC,               POSTGRES",
        "jdbc:vitess://vtgate:15991/oi_policies,   VITESS_GRPC,          MYSQL",
        "jdbc:mariadb://h/oi,                      MARIADB_CONNECTOR_J,  MARIADB",
        "jdbc:h2:mem:x,                            OTHER,                H2",
    })
    void passesJdbcUrlsThroughUnchanged(String input, JdbcDriver driver, SQLDialect dialect) {
        DatabaseUrl url = DatabaseUrl.parse(input);

        assertThat(url.jdbcUrl()).isEqualTo(input);
        assertThat(url.isPassThrough()).isTrue();
        assertThat(url.scheme()).isEqualTo("jdbc");
        assertThat(url.driver()).isEqualTo(driver);
        assertThat(url.dialect()).isEqualTo(dialect);
        assertThat(url.host()).isEmpty();
        assertThat(url.port()).isEqualTo(-1);
        assertThat(url.database()).isEmpty();
        assertThat(url.parameters()).isEmpty();
    }

    @Test
    void jdbcUrlsAreNotRewritten() {
        DatabaseUrl url = DatabaseUrl.parse("jdbc:mysql://h/oi");

        assertThat(url.withDatabase("other")).isSameAs(url);
        assertThat(url.withDefaultDatabase("other")).isSameAs(url);
        assertThatThrownBy(() -> url.withParameter("useSSL", "true"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("jdbc: URLs are passed through unchanged; edit the URL instead");
    }

    // ---- copies -----------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}.withDatabase(oi_claims) -> {1}")
    @CsvSource({
        "vitess://vtgate/oi_policies@replica,  jdbc:mysql://vtgate:15306/oi_claims%40replica",
        "vitess://vtgate/oi_policies@master,   jdbc:mysql://vtgate:15306/oi_claims%40primary",
        "vitess://vtgate/oi_policies,          jdbc:mysql://vtgate:15306/oi_claims",
        "mysql://alice:s3cr3t@h/oi?useSSL=true, jdbc:mysql://h:3306/oi_claims?useSSL=true",
        "postgres://h,                         jdbc:postgresql://h:5432/oi_claims",
    })
    void withDatabaseReplacesTheDatabaseAndKeepsTheTabletType(String input, String jdbcUrl) {
        DatabaseUrl original = DatabaseUrl.parse(input);
        DatabaseUrl copy = original.withDatabase("oi_claims");

        assertThat(copy.jdbcUrl()).isEqualTo(jdbcUrl);
        assertThat(copy.tabletType()).isEqualTo(original.tabletType());
        assertThat(copy.user()).isEqualTo(original.user());
        assertThat(copy.password()).isEqualTo(original.password());
        assertThat(original.withDatabase(null)).isSameAs(original);
    }

    @Test
    void withDatabaseOnVitessKeepsKeyspaceAccessorsConsistent() {
        DatabaseUrl copy =
                DatabaseUrl.parse("vitess://vtgate/oi_policies@rdonly").withDatabase("oi_claims");

        assertThat(copy.keyspace()).contains("oi_claims");
        assertThat(copy.database()).contains("oi_claims@rdonly");
        assertThat(copy.tabletType()).contains(TabletType.RDONLY);
    }

    @Test
    void withDefaultDatabaseOnlyFillsAnAbsentDatabase() {
        DatabaseUrl without = DatabaseUrl.parse("mysql://alice:s3cr3t@h?useSSL=true");
        DatabaseUrl with = DatabaseUrl.parse("mysql://h/oi_custom");

        DatabaseUrl filled = without.withDefaultDatabase("oi_policies");
        assertThat(filled.database()).contains("oi_policies");
        assertThat(filled.jdbcUrl()).isEqualTo("jdbc:mysql://h:3306/oi_policies?useSSL=true");
        assertThat(filled.password()).contains("s3cr3t");
        assertThat(with.withDefaultDatabase("oi_policies")).isSameAs(with);
        assertThat(without.withDefaultDatabase(null)).isSameAs(without);
    }

    @Test
    void withParameterAddsOrReplacesAParameter() {
        DatabaseUrl url = DatabaseUrl.parse("mysql://h/oi?a=1&b=2");

        assertThat(url.withParameter("a", "9").withParameter("c", "3").jdbcUrl())
                .isEqualTo("jdbc:mysql://h:3306/oi?a=9&b=2&c=3");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:mysql://h:3306/oi?a=1&b=2");
    }

    @Test
    void equalityFollowsTheParsedValues() {
        assertThat(DatabaseUrl.parse("mysql://alice:s3cr3t@h/oi"))
                .isEqualTo(DatabaseUrl.parse("MYSQL://alice:s3cr3t@h:3306/oi"))
                .hasSameHashCodeAs(DatabaseUrl.parse("MYSQL://alice:s3cr3t@h:3306/oi"))
                .isNotEqualTo(DatabaseUrl.parse("mysql://alice:0ther@h/oi"))
                .isNotEqualTo(DatabaseUrl.parse("postgres://alice:s3cr3t@h:3306/oi"));
        assertThat(DatabaseUrl.parse("postgres://h/oi")).isEqualTo(DatabaseUrl.parse("postgresql://h/oi"));
    }

    // ---- invalid connection strings -------------------------------------------------------------

    /** A connection string that must be rejected, and the message after {@code "invalid connection string: "}. */
    record Invalid(String input, String message) {
        @Override
        public String toString() {
            return input == null ? "null" : "'" + input.replace("\t", "\\t").replace("\n", "\\n") + "'";
        }
    }

    static Stream<Invalid> invalidUrls() {
        return Stream.of(
                // empty
                new Invalid(null, EMPTY),
                new Invalid("", EMPTY),
                new Invalid("   ", EMPTY),
                new Invalid("\t\n", EMPTY),
                // scheme
                new Invalid("localhost:3306/db", "'localhost:3306/db' has no scheme. Expected " + FORMS + "."),
                new Invalid("://h/db", "'://h/db' has no scheme. Expected " + FORMS + "."),
                new Invalid("mysql:/h/db", "'mysql:/h/db' has no scheme. Expected " + FORMS + "."),
                new Invalid("http://h/db", "unknown scheme 'http' in 'http://h/db'. Supported: " + FORMS + "."),
                new Invalid(
                        "mariadb://h/db", "unknown scheme 'mariadb' in 'mariadb://h/db'. Supported: " + FORMS + "."),
                new Invalid(
                        "mysql+srv://h/db",
                        "unknown scheme 'mysql+srv' in 'mysql+srv://h/db'. Supported: " + FORMS + "."),
                // host
                new Invalid(
                        "mysql:///db",
                        "'mysql:///db' has no host. Expected mysql://[user[:password]@]host[:port]/database."),
                new Invalid(
                        "mysql://:3306/db",
                        "'mysql://:3306/db' has no host. Expected mysql://[user[:password]@]host[:port]/database."),
                new Invalid(
                        "mysql://alice@/db",
                        "'mysql://alice@/db' has no host. Expected mysql://[user[:password]@]host[:port]/database."),
                new Invalid(
                        "postgres:///db",
                        "'postgres:///db' has no host. Expected postgresql://[user[:password]@]host[:port]/database."),
                new Invalid(
                        "vitess:///oi_policies",
                        "'vitess:///oi_policies' has no host. Expected vitess://[user[:password]@]host[:port]/keyspace[@tablet]."),
                new Invalid("mysql://db_host!/db", "the host in 'mysql://db_host!/db" + BAD_HOST),
                // port
                new Invalid("mysql://h:abc/db", "the port in 'mysql://h:abc/db" + PORT_NOT_A_NUMBER),
                new Invalid("mysql://h:/db", "the port in 'mysql://h:/db" + PORT_NOT_A_NUMBER),
                new Invalid("mysql://h:-1/db", "the port in 'mysql://h:-1/db" + PORT_NOT_A_NUMBER),
                new Invalid("mysql://h:99999999/db", "the port in 'mysql://h:99999999/db" + PORT_NOT_A_NUMBER),
                new Invalid("mysql://h:0/db", "the port 0 in 'mysql://h:0/db' is out of range; expected 1 to 65535."),
                new Invalid(
                        "mysql://h:65536/db",
                        "the port 65536 in 'mysql://h:65536/db' is out of range; expected 1 to 65535."),
                new Invalid(
                        "postgres://h:99999/db",
                        "the port 99999 in 'postgres://h:99999/db' is out of range; expected 1 to 65535."),
                // IPv6
                new Invalid("mysql://::1/db", "the host in 'mysql://::1/db" + IPV6_WITHOUT_BRACKETS),
                new Invalid("mysql://2001:db8::1/db", "the host in 'mysql://2001:db8::1/db" + IPV6_WITHOUT_BRACKETS),
                new Invalid(
                        "mysql://[::1/db",
                        "the IPv6 host in 'mysql://[::1/db' has no closing ']'. Write it as [::1]:port."),
                new Invalid("mysql://[::1]3306/db", "unexpected text after the IPv6 host in 'mysql://[::1]3306/db'."),
                new Invalid("mysql://[]/db", "the host in brackets in 'mysql://[]/db' is not an IPv6 address."),
                new Invalid(
                        "mysql://[::1]:0/db",
                        "the port 0 in 'mysql://[::1]:0/db' is out of range; expected 1 to 65535."),
                // vitess keyspace and tablet type
                new Invalid("vitess://vtgate:15306", "'vitess://vtgate:15306" + NO_KEYSPACE),
                new Invalid("vitess://vtgate/", "'vitess://vtgate/" + NO_KEYSPACE),
                new Invalid("vitess://vtgate?useSSL=true", "'vitess://vtgate?useSSL=true" + NO_KEYSPACE),
                new Invalid(
                        "vitess://vtgate/oi_policies@leader",
                        "unknown tablet type '@leader' in 'vitess://vtgate/oi_policies@leader" + BAD_TABLET),
                new Invalid(
                        "vitess://vtgate/oi_policies@",
                        "unknown tablet type '@' in 'vitess://vtgate/oi_policies@" + BAD_TABLET),
                new Invalid(
                        "vitess://vtgate/oi_policies@replica@x",
                        "unknown tablet type '@replica@x' in 'vitess://vtgate/oi_policies@replica@x" + BAD_TABLET),
                new Invalid(
                        "vitess://vtgate/oi.policies", "the keyspace in 'vitess://vtgate/oi.policies" + BAD_KEYSPACE),
                new Invalid("vitess://vtgate/-policies", "the keyspace in 'vitess://vtgate/-policies" + BAD_KEYSPACE),
                new Invalid("vitess://vtgate/@replica", "the keyspace in 'vitess://vtgate/@replica" + BAD_KEYSPACE),
                new Invalid(
                        "vitess://vtgate/oi%20policies",
                        "the keyspace in 'vitess://vtgate/oi%20policies" + BAD_KEYSPACE),
                // percent-escapes
                new Invalid("mysql://alice:p%zz@h/db", "the password in 'mysql://alice:****@h/db" + BAD_ESCAPE),
                new Invalid("mysql://al%zzce@h/db", "the user name in 'mysql://al%zzce@h/db" + BAD_ESCAPE),
                new Invalid("mysql://h/oi%", "the database in 'mysql://h/oi%" + BAD_ESCAPE),
                new Invalid("mysql://h/oi?tz=%G1", "the query parameter in 'mysql://h/oi?tz=%G1" + BAD_ESCAPE),
                new Invalid("mysql://h/oi?=1", "a query parameter in 'mysql://h/oi?=1' has no name."),
                // jdbc: without a sub-protocol
                new Invalid("jdbc:", "'jdbc:" + NO_SUBPROTOCOL),
                new Invalid("jdbc:mysql", "'jdbc:mysql" + NO_SUBPROTOCOL),
                new Invalid("jdbc::x", "'jdbc::x" + NO_SUBPROTOCOL),
                // database
                new Invalid("mysql://h/oi/extra", "the database in 'mysql://h/oi/extra" + DATABASE_WITH_SLASH),
                new Invalid("mysql://h/oi%2Fextra", "the database in 'mysql://h/oi%2Fextra" + DATABASE_WITH_SLASH),
                new Invalid(
                        "vitess://vtgate/oi_policies/extra",
                        "the database in 'vitess://vtgate/oi_policies/extra" + DATABASE_WITH_SLASH),
                new Invalid("mysql://h/my@db", atAfterHost("mysql://h/my@db")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidUrls")
    void rejectsInvalidConnectionStrings(Invalid v) {
        ConfigurationException e = configurationError(() -> DatabaseUrl.parse(v.input()));

        assertThat(e).hasMessage("invalid connection string: " + v.message());
        assertThat(e.keyspace()).isEmpty();
        assertThat(e.setting()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidUrls")
    void namesTheKeyspaceAndSettingInErrors(Invalid v) {
        ConfigurationException e =
                configurationError(() -> DatabaseUrl.parse(v.input(), "policies", "OI_DB_POLICIES_URL"));

        assertThat(e).hasMessage("Keyspace 'policies': OI_DB_POLICIES_URL: invalid connection string: " + v.message());
        assertThat(e.getMessage()).startsWith("Keyspace 'policies': OI_DB_POLICIES_URL: invalid connection string:");
        assertThat(e.keyspace()).contains("policies");
        assertThat(e.setting()).contains("OI_DB_POLICIES_URL");
    }

    @Test
    void prefixesOnlyWhatIsKnown() {
        assertThat(configurationError(() -> DatabaseUrl.parse("", null, "DATABASE_URL")))
                .hasMessage("DATABASE_URL: invalid connection string: " + EMPTY);
        assertThat(configurationError(() -> DatabaseUrl.parse("", "claims", null)))
                .hasMessage("Keyspace 'claims': invalid connection string: " + EMPTY);
    }

    @Test
    void unknownSchemeMessageListsTheSupportedForms() {
        assertThat(configurationError(() -> DatabaseUrl.parse("oracle://h/db")).getMessage())
                .contains(
                        "unknown scheme 'oracle'",
                        "mysql://",
                        "postgres://",
                        "postgresql://",
                        "vitess://host:port/keyspace[@primary|@replica|@rdonly]",
                        "jdbc:");
    }

    // ---- security: invalid input never echoes the password --------------------------------------

    /** An invalid connection string carrying {@code secret}, and the expected message after the prefix. */
    record Leaky(String input, String secret, String message) {
        @Override
        public String toString() {
            return input;
        }
    }

    static Stream<Leaky> invalidUrlsWithPasswords() {
        return Stream.of(
                // passwords with unencoded reserved characters
                new Leaky(
                        "mysql://alice:se/cret@h/db",
                        "se/cret",
                        "the port in 'mysql://alice:****@h/db" + PORT_NOT_A_NUMBER),
                new Leaky(
                        "mysql://alice:se?cret@h/db",
                        "se?cret",
                        "the port in 'mysql://alice:****@h/db" + PORT_NOT_A_NUMBER),
                new Leaky("mysql://alice:se#cret@h/db", "se#cret", atAfterHost("mysql://alice:****@h/db")),
                new Leaky("mysql://alice:1234/s3cr3t@h", "1234/s3cr3t", atAfterHost("mysql://alice:****@h")),
                new Leaky("mysql://alice:1234/s3cr3t@h/db", "1234/s3cr3t", atAfterHost("mysql://alice:****@h/db")),
                new Leaky("mysql://alice:1234?s3cr3t@h/db", "1234?s3cr3t", atAfterHost("mysql://alice:****@h/db")),
                new Leaky(
                        "postgres://alice:5432/s3cr3t@pg/db",
                        "5432/s3cr3t",
                        atAfterHost("postgres://alice:****@pg/db")),
                new Leaky(
                        "mysql://alice:1234/a/b?s3cr3t@h/db",
                        "1234/a/b?s3cr3t",
                        "the database in 'mysql://alice:****@h/db" + DATABASE_WITH_SLASH),
                new Leaky(
                        "mysql://alice:pa:ss/w0rd@h/db",
                        "pa:ss/w0rd",
                        "the host in 'mysql://alice:****@h/db" + IPV6_WITHOUT_BRACKETS),
                new Leaky(
                        "mysql://alice:p@ss!/w0rd@h/db",
                        "p@ss!/w0rd",
                        "the host in 'mysql://alice:****@h/db" + BAD_HOST),
                new Leaky(
                        "mysql://alice:p@[zz!]/w0rd@h/db",
                        "p@[zz!]/w0rd",
                        "the host in brackets in 'mysql://alice:****@h/db' is not an IPv6 address."),
                new Leaky(
                        "mysql://alice:p@[::1]x!/w0rd@h/db",
                        "p@[::1]x!/w0rd",
                        "unexpected text after the IPv6 host in 'mysql://alice:****@h/db'."),
                new Leaky(
                        "vitess://alice:1234/p!ss@vtgate",
                        "1234/p!ss",
                        "the keyspace in 'vitess://alice:****@vtgate" + BAD_KEYSPACE),
                // no scheme, or no "//" to anchor the user info
                new Leaky(
                        "alice:s3cr3t@localhost:3306/db",
                        "s3cr3t",
                        "'****@localhost:3306/db' has no scheme. Expected " + FORMS + "."),
                new Leaky("mysql:/alice:s3cr3t@h/db", "s3cr3t", "'****@h/db' has no scheme. Expected " + FORMS + "."),
                new Leaky(
                        "host=pg user=alice password=s3cr3t dbname=oi",
                        "s3cr3t",
                        "'host=pg user=alice password=**** dbname=oi' has no scheme. Expected " + FORMS + "."),
                new Leaky("jdbc::s3cr3t@h", "s3cr3t", "'****@h" + NO_SUBPROTOCOL),
                // every other error, with a well-formed password
                new Leaky(
                        "foo://alice:s3cr3t@h/db",
                        "s3cr3t",
                        "unknown scheme 'foo' in 'foo://alice:****@h/db'. Supported: " + FORMS + "."),
                new Leaky(
                        "mysql://alice:s3cr3t@/db",
                        "s3cr3t",
                        "'mysql://alice:****@/db' has no host. Expected mysql://[user[:password]@]host[:port]/database."),
                new Leaky(
                        "mysql://alice:s3cr3t@h:0/db",
                        "s3cr3t",
                        "the port 0 in 'mysql://alice:****@h:0/db' is out of range; expected 1 to 65535."),
                new Leaky(
                        "mysql://alice:s3cr3t@h:port/db",
                        "s3cr3t",
                        "the port in 'mysql://alice:****@h:port/db" + PORT_NOT_A_NUMBER),
                new Leaky(
                        "mysql://alice:s3cr3t@[::1/db",
                        "s3cr3t",
                        "the IPv6 host in 'mysql://alice:****@[::1/db' has no closing ']'. Write it as [::1]:port."),
                new Leaky(
                        "mysql://alice:s3cr3t@::1/db",
                        "s3cr3t",
                        "the host in 'mysql://alice:****@::1/db" + IPV6_WITHOUT_BRACKETS),
                new Leaky(
                        "vitess://alice:s3cr3t@vtgate:15306",
                        "s3cr3t",
                        "'vitess://alice:****@vtgate:15306" + NO_KEYSPACE),
                // Secrets masks up to the last '@', which here is the tablet's: over-masked, never under-masked
                new Leaky(
                        "vitess://alice:s3cr3t@vtgate/oi_policies@leader",
                        "s3cr3t",
                        "unknown tablet type '@leader' in 'vitess://alice:****@leader" + BAD_TABLET),
                new Leaky(
                        "mysql://alice:s3cr3t@h/oi?=1",
                        "s3cr3t",
                        "a query parameter in 'mysql://alice:****@h/oi?=1' has no name."),
                new Leaky(
                        "mysql://alice:s3cr3t%zz@h/db",
                        "s3cr3t", "the password in 'mysql://alice:****@h/db" + BAD_ESCAPE),
                new Leaky(
                        "mysql://alice:s3cr3t@h/oi/extra",
                        "s3cr3t",
                        "the database in 'mysql://alice:****@h/oi/extra" + DATABASE_WITH_SLASH),
                new Leaky("mysql://alice:s3cr3t@h/my@db", "s3cr3t", atAfterHost("mysql://alice:****@db")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidUrlsWithPasswords")
    void errorsNeverRevealThePassword(Leaky v) {
        ConfigurationException e =
                configurationError(() -> DatabaseUrl.parse(v.input(), "policies", "OI_DB_POLICIES_URL"));

        assertThat(e).hasMessage("Keyspace 'policies': OI_DB_POLICIES_URL: invalid connection string: " + v.message());
        assertNoSecret(e.getMessage(), v.secret());
    }

    private static String atAfterHost(String masked) {
        return "'" + masked + "' has an '@' after the host. If the password contains reserved characters (/ ? # @ :),"
                + " percent-encode them (%2F %3F %23 %40 %3A); write an '@' in a database name as %40.";
    }
}
