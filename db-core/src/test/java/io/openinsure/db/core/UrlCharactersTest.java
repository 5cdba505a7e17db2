package io.openinsure.db.core;

import static io.openinsure.db.core.TestSupport.assertNoSecret;
import static io.openinsure.db.core.TestSupport.configurationError;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Which characters a connection string may hold unencoded, where (README, "Connection strings"): a URL that is not
 * a URL is refused when the configuration is built, naming the key, what is wrong and the encoded form to use,
 * never the password; encoded forms are accepted.
 */
class UrlCharactersTest {

    private static final String ENCODE = ", which must be percent-encoded in a URL; write it as ";

    /** A connection string that must be refused, and the message after "invalid connection string: ". */
    record Refused(String input, String message) {
        @Override
        public String toString() {
            return input.replace("\t", "\\t");
        }
    }

    static Stream<Refused> refused() {
        return Stream.of(
                // the database (path), every scheme
                new Refused(
                        "mysql://h/my db",
                        "the database in 'mysql://h/my db' contains a space" + ENCODE + "mysql://h/my%20db."),
                new Refused(
                        "mysql://alice:s3cr3t@h:3306/oi policies?useSSL=true",
                        "the database in"
                                + " 'mysql://alice:****@h:3306/oi policies?useSSL=true' contains a space" + ENCODE
                                + "mysql://alice:****@h:3306/oi%20policies?useSSL=true."),
                new Refused(
                        "postgres://h/oi\tx",
                        "the database in 'postgres://h/oi\tx' contains a tab (U+0009)" + ENCODE
                                + "postgres://h/oi%09x."),
                new Refused(
                        "postgresql://h/oi|x\"y",
                        "the database in 'postgresql://h/oi|x\"y' contains '|' and '\"'" + ENCODE
                                + "postgresql://h/oi%7Cx%22y."),
                new Refused(
                        "mysql://h/oi_é",
                        "the database in 'mysql://h/oi_é' contains 'é' (non-ASCII)" + ENCODE + "mysql://h/oi_%C3%A9."),
                new Refused(
                        "mysql://h/oi{x}",
                        "the database in 'mysql://h/oi{x}' contains '{' and '}'" + ENCODE + "mysql://h/oi%7Bx%7D."),
                new Refused(
                        "mysql://h/o<i>^`\\[]",
                        "the database in 'mysql://h/o<i>^`\\[]' contains '<', '>', '^', '`', '\\', '[' and ']'" + ENCODE
                                + "mysql://h/o%3Ci%3E%5E%60%5C%5B%5D."),
                new Refused(
                        "mysql://h/oi\u00a0x",
                        "the database in 'mysql://h/oi\u00a0x' contains a control or blank character (U+00A0)" + ENCODE
                                + "mysql://h/oi%C2%A0x."),
                new Refused(
                        "jdbc:mysql://h:3306/my db?useSSL=true",
                        "the database in 'jdbc:mysql://h:3306/my db?useSSL=true' contains a" + " space" + ENCODE
                                + "jdbc:mysql://h:3306/my%20db?useSSL=true."),
                new Refused(
                        "jdbc:postgresql://alice:s3cr3t@pg/oi db",
                        "the database in 'jdbc:postgresql://alice:****@pg/oi db' contains a" + " space" + ENCODE
                                + "jdbc:postgresql://alice:****@pg/oi%20db."),
                // query parameters (names and values; a secret's value is never checked, so never shown)
                new Refused(
                        "mysql://h/oi?serverTimezone=Europe/Paris time",
                        "a query parameter in"
                                + " 'mysql://h/oi?serverTimezone=Europe/Paris time' contains a space" + ENCODE
                                + "mysql://h/oi?serverTimezone=Europe/Paris%20time."),
                new Refused(
                        "mysql://h/oi?x=a|b&y=1",
                        "a query parameter in 'mysql://h/oi?x=a|b&y=1' contains '|'" + ENCODE
                                + "mysql://h/oi?x=a%7Cb&y=1."),
                new Refused(
                        "mysql://h/oi?my key=1",
                        "a query parameter in 'mysql://h/oi?my key=1' contains a space" + ENCODE
                                + "mysql://h/oi?my%20key=1."),
                new Refused(
                        "mysql://alice:s3cr3t@h/oi?x=a b&password=p q",
                        "a query parameter in"
                                + " 'mysql://alice:****@h/oi?x=a b&password=****' contains a space" + ENCODE
                                + "mysql://alice:****@h/oi?x=a%20b&password=****."),
                new Refused(
                        "jdbc:postgresql://h/oi?options=-c search_path=x",
                        "a query parameter in"
                                + " 'jdbc:postgresql://h/oi?options=-c search_path=x' contains a space" + ENCODE
                                + "jdbc:postgresql://h/oi?options=-c%20search_path=x."),
                new Refused(
                        "jdbc:mysql://alice:s3cr3t@h/oi?x=a b&password=p q",
                        "a query parameter in"
                                + " 'jdbc:mysql://alice:****@h/oi?x=a b&password=****' contains a space" + ENCODE
                                + "jdbc:mysql://alice:****@h/oi?x=a%20b&password=****."),
                // masking would hide the corrected form (an '@' after it): say how instead
                new Refused(
                        "mysql://alice:s3cr3t@h/oi?x=a b&y=c@d",
                        "a query parameter in 'mysql://alice:****@d' contains a space,"
                                + " which must be percent-encoded in a URL; percent-encode it as UTF-8 bytes (a space is %20)."),
                // hosts: percent-encoding does not apply; the host is not echoed (it may be a piece of a password)
                new Refused("mysql://my host/oi", "the host in 'mysql://my host/oi" + DatabaseUrlTest.BAD_HOST),
                new Refused("mysql://h%41/oi", "the host in 'mysql://h%41/oi" + DatabaseUrlTest.BAD_HOST),
                new Refused(
                        "postgres://bücher.example/oi",
                        "the host in 'postgres://bücher.example/oi" + DatabaseUrlTest.BAD_HOST),
                new Refused(
                        "mysql://alice:s3cr3t@db|1/oi",
                        "the host in 'mysql://alice:****@db|1/oi" + DatabaseUrlTest.BAD_HOST));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusesUnencodedCharactersWithTheKeyAndTheEncodedForm(Refused r) {
        ConfigurationException e = configurationError(() ->
                BindingConfig.builder("policies").build(ConfigSource.of(Map.of("OI_DB_POLICIES_URL", r.input()))));

        assertThat(e).hasMessage("Keyspace 'policies': OI_DB_POLICIES_URL: invalid connection string: " + r.message());
        assertThat(e.setting()).contains("OI_DB_POLICIES_URL");
        assertThat(e.keyspace()).contains("policies");
        assertNoSecret(e.getMessage(), "s3cr3t");
        assertNoSecret(e.getMessage(), "p q");
    }

    @ParameterizedTest(name = "{0} from {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "code              | OI_DB_POLICIES_URL",
                "OI_DB_POLICIES_URL| OI_DB_POLICIES_URL",
                "OI_DB_URL         | OI_DB_URL",
                "direct code       | OI_DB_POLICIES_DIRECT_URL",
                "OI_DB_POLICIES_DIRECT_URL | OI_DB_POLICIES_DIRECT_URL",
                "DATABASE_URL      | DATABASE_URL",
                "admin code        | OI_DB_POLICIES_ADMIN_URL",
                "OI_DB_POLICIES_ADMIN_URL | OI_DB_POLICIES_ADMIN_URL",
            })
    void theErrorNamesTheKeyTheUrlCameFrom(String from, String key) {
        String bad = "mysql://h:3306/oi policies";
        ConfigurationException e = configurationError(() -> {
            BindingConfig.Builder b = BindingConfig.builder("policies").defaultDatabase("oi_policies");
            switch (from) {
                case "code" -> b.url(bad);
                case "direct code" -> b.directUrl(bad);
                case "admin code" -> b.adminUrl(bad);
                case "OI_DB_POLICIES_URL", "OI_DB_URL" -> b.build(ConfigSource.of(Map.of(from, bad)));
                default -> b.url("mysql://h/oi_policies").build(ConfigSource.of(Map.of(from, bad)));
            }
        });
        assertThat(e)
                .hasMessage("Keyspace 'policies': " + key + ": invalid connection string: the database in '" + bad
                        + "' contains a space" + ENCODE + "mysql://h:3306/oi%20policies.");
        assertThat(e.setting()).contains(key);
    }

    /** An accepted connection string, its database and JDBC URL ({@code -}: none). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "mysql://h/my%20db                              | my db          | jdbc:mysql://h:3306/my%20db",
                "mysql://h/oi_%C3%A9                            | oi_é           | jdbc:mysql://h:3306/oi_%C3%A9",
                "mysql://h/oi-x.y_z~                            | oi-x.y_z~      | jdbc:mysql://h:3306/oi-x.y_z%7E",
                "mysql://h/oi$x!'(1)*,;=:                       | oi$x!'(1)*,;=: | jdbc:mysql://h:3306/oi%24x%21%27%281%29*%2C%3B%3D%3A",
                "mysql://h/oi?serverTimezone=Europe/Paris       | oi             | jdbc:mysql://h:3306/oi?serverTimezone=Europe%2FParis",
                "mysql://h/oi?serverTimezone=Europe%2FParis     | oi             | jdbc:mysql://h:3306/oi?serverTimezone=Europe%2FParis",
                "mysql://h/oi?a=b?c                             | oi             | jdbc:mysql://h:3306/oi?a=b%3Fc",
                "postgres://h/oi?options=-c%20search_path%3Dx   | oi             | jdbc:postgresql://h:5432/oi?options=-c%20search_path%3Dx",
                "vitess://vtgate/oi_policies@replica            | oi_policies@replica | jdbc:mysql://vtgate:15306/oi_policies%40replica",
                "mysql://alice:pa ss{x}@h/oi                    | oi             | jdbc:mysql://h:3306/oi",
                "mysql://alice:pä%20ss@h/oi                     | oi             | jdbc:mysql://h:3306/oi",
                "mysql://h/oi?password=pa ss{x&sslpassword=a b  | oi             | jdbc:mysql://h:3306/oi?sslpassword=a%20b",
                "jdbc:mysql://h:3306/my%20db?useSSL=true        | -              | jdbc:mysql://h:3306/my%20db?useSSL=true",
                "jdbc:mysql://vtgate:15306/oi@replica           | -              | jdbc:mysql://vtgate:15306/oi@replica",
                "jdbc:postgresql://h/oi?options=-c%20x%3Dy      | -              | jdbc:postgresql://h/oi?options=-c%20x%3Dy",
                "jdbc:h2:mem:a b                                | -              | jdbc:h2:mem:a b",
            })
    void acceptsEncodedFormsAndCharactersAUrlAllows(String input, String database, String jdbcUrl) {
        DatabaseUrl url = BindingConfig.builder("policies")
                .build(ConfigSource.of(Map.of("OI_DB_POLICIES_URL", input)))
                .url();

        assertThat(url.database()).isEqualTo(Optional.ofNullable(database.equals("-") ? null : database));
        assertThat(url.jdbcUrl()).isEqualTo(jdbcUrl);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "mysql://alice:pa ss{x}@h/oi                    | pa ss{x}",
                "mysql://alice:pä%20ss@h/oi                     | pä ss",
                "mysql://h/oi?password=pa ss{x                  | pa ss{x",
            })
    void takesUserInfoAndSecretValuesAsWrittenBecauseTheyNeverReachAUrl(String input, String password) {
        assertThat(DatabaseUrl.parse(input).password()).contains(password);
    }

    @ParameterizedTest(name = "[{index}] -> {1}")
    @CsvSource({"' ', %20", "é, %C3%A9", "|, %7C", "'\"', %22", "%, %", "/, %2F", "@, @", "'😀', %F0%9F%98%80"})
    void encodesCharactersAsUtf8Bytes(String raw, String encoded) {
        assertThat(UrlCharacters.encode(raw, UrlCharacters.Part.PATH)).isEqualTo(encoded);
    }
}
