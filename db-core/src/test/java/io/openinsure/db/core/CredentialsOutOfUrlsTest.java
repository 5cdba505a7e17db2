package io.openinsure.db.core;

import static io.openinsure.db.core.TestSupport.assertNoSecret;
import static io.openinsure.db.core.TestSupport.configurationError;
import static org.assertj.core.api.Assertions.assertThat;

import io.openinsure.db.core.spi.Secrets;
import io.openinsure.db.testsupport.CredentialForms;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whatever form a URL takes, its user and password leave the JDBC URL that pools and drivers log, and travel as
 * the pool's user and password; where they cannot be moved, the URL is refused.
 */
class CredentialsOutOfUrlsTest {

    static List<CredentialForms.Form> forms() {
        return CredentialForms.all("app_user", "db.internal", 3306, 5432, "oi_policies");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forms")
    void theCredentialsLeaveTheJdbcUrl(CredentialForms.Form form) {
        DatabaseUrl url = DatabaseUrl.parse(form.url(), "policies", "OI_DB_POLICIES_URL");

        assertThat(url.user()).contains(form.user());
        assertThat(url.password()).contains(form.password());
        assertThat(url.driver())
                .isEqualTo(
                        switch (form.family()) {
                            case CredentialForms.POSTGRESQL -> JdbcDriver.PGJDBC;
                            case CredentialForms.MARIADB -> JdbcDriver.MARIADB_CONNECTOR_J;
                            default -> JdbcDriver.MYSQL_CONNECTOR_J;
                        });
        for (String shown : List.of(url.jdbcUrl(), url.toString(), url.describe())) {
            assertNoSecret(shown, form.password());
            assertNoSecret(shown, form.encodedPassword());
        }
        assertThat(url.jdbcUrl())
                .doesNotContain("app_user")
                .doesNotContainIgnoringCase("password")
                .contains("db.internal");
        assertThat(url.describe()).doesNotContain("app_user");
        assertThat(url.toString()).contains("app_user");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "jdbc:mysql://alice:s3cr3t@h:3306/oi?useSSL=true                            | jdbc:mysql://h:3306/oi?useSSL=true",
                "JDBC:MySQL://alice:s3cr3t@h/oi                                             | JDBC:MySQL://h/oi",
                "jdbc:mysql://h/oi?useSSL=true&password=s3cr3t&user=alice&allowPublicKeyRetrieval=true"
                        + " | jdbc:mysql://h/oi?useSSL=true&allowPublicKeyRetrieval=true",
                "jdbc:mysql://alice:s3cr3t@vtgate:15306/oi_policies@replica                 | jdbc:mysql://vtgate:15306/oi_policies@replica",
                "jdbc:mysql:replication://alice:s3cr3t@h1:3306,alice:s3cr3t@h2:3307/oi      | jdbc:mysql:replication://h1:3306,h2:3307/oi",
                "jdbc:mysql://(host=h1,port=3306,user=alice,password=s3cr3t),(host=h2,user=alice,password=s3cr3t)/oi"
                        + " | jdbc:mysql://(host=h1,port=3306),(host=h2)/oi",
                "jdbc:mysql://address=(host=h)(port=3306)(user=alice)(password=s3cr3t)/oi   | jdbc:mysql://address=(host=h)(port=3306)/oi",
                "jdbc:mysql://alice:s3cr3t@[::1]:3306/oi                                    | jdbc:mysql://[::1]:3306/oi",
                "jdbc:postgresql://alice:s3cr3t@pg:5432/oi?sslmode=require                  | jdbc:postgresql://pg:5432/oi?sslmode=require",
                "jdbc:postgresql:oi?user=alice&password=s3cr3t&sslmode=disable              | jdbc:postgresql:oi?sslmode=disable",
                "jdbc:postgresql://pg/oi?user=alice&password=s3cr3t                         | jdbc:postgresql://pg/oi",
                "jdbc:mariadb:replication://alice:s3cr3t@h1,alice:s3cr3t@h2/oi              | jdbc:mariadb:replication://h1,h2/oi",
                "jdbc:mysql://alice:s3cr3t@h/oi#section                                     | jdbc:mysql://h/oi#section",
            })
    void everythingButTheCredentialsIsKeptAsWritten(String input, String jdbcUrl) {
        DatabaseUrl url = DatabaseUrl.parse(input);

        assertThat(url.jdbcUrl()).isEqualTo(jdbcUrl);
        assertThat(url.isPassThrough()).isTrue();
        assertThat(url.user()).contains("alice");
        assertThat(url.password()).contains("s3cr3t");
        assertThat(url.toString()).doesNotContain("s3cr3t");
    }

    @ParameterizedTest(name = "{0} -> {1} / {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                // Connector/J and PgJDBC read '+' in user info and parameters as a space, and trim user info
                "jdbc:mysql://al%69ce:p+w%2Bd@h/oi          | alice | p w+d",
                "jdbc:mysql://h/oi?user=alice&password=a+b  | alice | a b",
                "jdbc:mysql://%20alice%20:%20pw%20@h/oi     | alice | pw",
                // the user info wins over parameters, as in Connector/J; among parameters the last one
                "jdbc:mysql://alice:s3cr3t@h/oi?user=mallory&password=0ther | alice | s3cr3t",
                "jdbc:mysql://h/oi?password=first&PASSWORD=second&user=bob   | bob   | second",
                // our own schemes: '+' is a plus
                "mysql://alice:p+w@h/oi                     | alice | p+w",
                "mysql://h/oi?user=alice&Password=a+b       | alice | a+b",
            })
    void credentialsAreDecodedAsTheDriverWouldHaveReadThem(String input, String user, String password) {
        DatabaseUrl url = DatabaseUrl.parse(input);

        assertThat(url.user()).contains(user);
        assertThat(url.password()).contains(password);
    }

    @Test
    void urlsWithoutCredentialsPassThroughExactlyAsGiven() {
        for (String input : List.of(
                "jdbc:mysql://h:3306/oi?useSSL=true&&x",
                "jdbc:postgresql://pg/oi?sslmode=disable#x",
                "jdbc:vitess://alice@vtgate:15991/oi_policies",
                "jdbc:h2:mem:x",
                "jdbc:mysql://h1,h2/oi")) {
            DatabaseUrl url = DatabaseUrl.parse(input);
            assertThat(url.jdbcUrl()).isEqualTo(input);
            assertThat(url.password()).isEmpty();
        }
    }

    @Test
    void theDirectAndAdminUrlsKeepTheirOwnCredentialsOutOfTheirUrls() {
        BindingConfig c = BindingConfig.builder("policies")
                .defaultDatabase("oi_policies")
                .build(ConfigSource.of(Map.of(
                        "OI_DB_POLICIES_URL", "jdbc:mysql://app:pooled-secret@vtgate:3306/oi_policies",
                        "OI_DB_POLICIES_DIRECT_URL",
                                "jdbc:mysql://direct-host:3306/oi_policies?user=direct&password=direct-secret",
                        "OI_DB_POLICIES_ADMIN_URL", "jdbc:mysql://ops:ops-secret@primary:3306/oi_policies")));

        assertThat(c.userFor(c.url())).contains("app");
        assertThat(c.passwordFor(c.url())).contains("pooled-secret");
        DatabaseUrl direct = c.directUrl().orElseThrow();
        assertThat(c.userFor(direct)).contains("direct");
        assertThat(c.passwordFor(direct)).contains("direct-secret");
        assertThat(c.userFor(c.adminUrl())).contains("ops");
        assertThat(c.passwordFor(c.adminUrl())).contains("ops-secret");
        for (DatabaseUrl u : List.of(c.url(), direct, c.adminUrl())) {
            assertThat(u.jdbcUrl()).doesNotContain("secret").doesNotContain("@");
        }
        assertThat(c.toString()).doesNotContain("secret");
    }

    // ---- where the credentials cannot be moved, the URL is refused -----------------------------------

    static Stream<String[]> refused() {
        String vitess =
                "' carries a password, but the gRPC Vitess driver (jdbc:vitess://) takes none, so it would only reach log"
                        + " lines. Remove it (the driver reads the user from the URL or its userName parameter), or log in with a password"
                        + " over vtgate's MySQL protocol: vitess://user:password@host:port/keyspace.";
        String other =
                "' carries a password, which pools and drivers log with the URL. The SDK moves credentials out of"
                        + " jdbc:mysql:, jdbc:mariadb: and jdbc:postgresql: URLs only; remove it from this one and set OI_DB_POLICIES_USER"
                        + " and OI_DB_POLICIES_PASSWORD instead.";
        String hosts =
                "' carry different credentials (or only some carry any), but the pool logs in to every host with one user"
                        + " and password. Remove them from the URL and set OI_DB_POLICIES_USER and OI_DB_POLICIES_PASSWORD.";
        String at =
                "' has an '@' after the host. If the password contains reserved characters (/ ? # @ :), percent-encode them"
                        + " (%2F %3F %23 %40 %3A); write an '@' in a database name as %40.";
        return Stream.of(
                new String[] {
                    "jdbc:vitess://alice:s3cr3t@vtgate:15991/oi_policies",
                    "'jdbc:vitess://alice:****@vtgate:15991/oi_policies" + vitess
                },
                new String[] {
                    "jdbc:vitess://vtgate:15991/oi_policies?password=s3cr3t",
                    "'jdbc:vitess://vtgate:15991/oi_policies?password=****" + vitess
                },
                new String[] {"jdbc:h2:mem:x;USER=sa;PASSWORD=s3cr3t", "'jdbc:h2:mem:x;USER=sa;PASSWORD=****" + other},
                new String[] {
                    "jdbc:sqlserver://h:1433;user=alice;password=s3cr3t",
                    "'jdbc:sqlserver://h:1433;user=alice;password=****" + other
                },
                new String[] {"jdbc:mysql+srv://alice:s3cr3t@h/oi", "'jdbc:mysql+srv://alice:****@h/oi" + other},
                new String[] {
                    "jdbc:mysql://alice:s3cr3t@h1,h2/oi", "the hosts in 'jdbc:mysql://alice:****@h1,h2/oi" + hosts
                },
                new String[] {
                    "jdbc:mysql://alice:s3cr3t@h1,bob:s3cr3t@h2/oi",
                    "the hosts in 'jdbc:mysql://alice:****@h2/oi" + hosts
                },
                new String[] {
                    "jdbc:postgresql://alice:s3cr3t@h1,alice:0ther-s3cr3t@h2/oi",
                    "the hosts in 'jdbc:postgresql://alice:****@h2/oi" + hosts
                },
                new String[] {
                    "jdbc:mysql://(host=h,sslpassword=s3cr3t)/oi",
                    "the key-value host in 'jdbc:mysql://(host=h,sslpassword=****)/oi'"
                            + " carries 'sslpassword', a secret that HikariCP would log unmasked there. Give it as a query parameter (?sslpassword=…)."
                },
                new String[] {
                    "jdbc:mysql://alice:se/cret@h/oi",
                    "the port in 'jdbc:mysql://alice:****@h/oi' is not a number between 1 and 65535."
                            + " If the password contains reserved characters (/ ? # @ :), percent-encode them."
                },
                new String[] {
                    "jdbc:postgresql://alice:se?cret@h/oi",
                    "the port in 'jdbc:postgresql://alice:****@h/oi' is not a number between 1 and"
                            + " 65535. If the password contains reserved characters (/ ? # @ :), percent-encode them."
                },
                new String[] {"jdbc:mysql://alice:1234/s3cr3t@h", "'jdbc:mysql://alice:****@h" + at},
                new String[] {"jdbc:postgresql://alice:5432/s3cr3t@h/oi", "'jdbc:postgresql://alice:****@h/oi" + at},
                new String[] {"jdbc:mysql://alice:1234?s3cr3t@h/oi", "'jdbc:mysql://alice:****@h/oi" + at},
                new String[] {"jdbc:mysql://alice:1234#s3cr3t@h/oi", "'jdbc:mysql://alice:****@h/oi" + at},
                new String[] {"jdbc:mysql://alice:1234/a/s3cr3t@h/oi", "'jdbc:mysql://alice:****@h/oi" + at},
                new String[] {
                    "jdbc:mysql://alice:s3cr3t%zz@h/oi",
                    "the password in 'jdbc:mysql://alice:****@h/oi' has a malformed percent-escape."
                            + " Encode '%' as %25."
                });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusesCredentialsItCannotMove(String input, String message) {
        ConfigurationException e =
                configurationError(() -> BindingConfig.builder("policies").url(input));

        assertThat(e).hasMessage("Keyspace 'policies': OI_DB_POLICIES_URL: invalid connection string: " + message);
        assertThat(e.setting()).contains("OI_DB_POLICIES_URL");
        assertNoSecret(e.getMessage(), "s3cr3t");
        assertThat(Secrets.mask(input)).doesNotContain("s3cr3t");
    }
}
