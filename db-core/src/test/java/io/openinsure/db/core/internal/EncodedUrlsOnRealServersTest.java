package io.openinsure.db.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openinsure.db.core.BindingConfig;
import io.openinsure.db.core.ConfigurationException;
import io.openinsure.db.core.KeyspaceClient;
import io.openinsure.db.testsupport.CredentialForms;
import io.openinsure.db.testsupport.EmbeddedMariaDbServer;
import io.openinsure.db.testsupport.EmbeddedPostgresServer;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Percent-encoded connection strings work end to end on real servers: a database name with a space or a
 * non-ASCII letter, a password with every reserved character, in the user info, in parameters and in
 * Connector/J's key-value hosts, in every form the README documents; the same names written unencoded are
 * refused when the configuration is built instead of failing at the first query.
 */
@Timeout(120)
class EncodedUrlsOnRealServersTest {

    private static final String USER = "oi_enc";
    private static final String PASSWORD = CredentialForms.PASSWORDS.get(1);
    private static final String SPACED = "oi enc db";
    private static final String ACCENTED = "oi_é";

    @Test
    void encodedNamesAndPasswordsReachMariaDb() throws Exception {
        EmbeddedMariaDbServer server = ServerFixture.mariaDb();
        String sqlPassword = PASSWORD.replace("'", "''");
        server.execute(
                "CREATE DATABASE IF NOT EXISTS `" + SPACED + "` CHARACTER SET utf8mb4",
                "CREATE DATABASE IF NOT EXISTS `" + ACCENTED + "` CHARACTER SET utf8mb4");
        for (String host : List.of("127.0.0.1", "localhost")) {
            server.execute(
                    "CREATE USER IF NOT EXISTS '" + USER + "'@'" + host + "' IDENTIFIED BY '" + sqlPassword + "'",
                    "GRANT ALL ON `" + SPACED + "`.* TO '" + USER + "'@'" + host + "'",
                    "GRANT ALL ON `" + ACCENTED + "`.* TO '" + USER + "'@'" + host + "'");
        }
        String hp = "127.0.0.1:" + server.port();
        String u = CredentialForms.encode(USER);
        String p = CredentialForms.encode(PASSWORD);
        String spaced = "oi%20enc%20db";
        String accented = "oi_%C3%A9";

        List<String[]> cases = List.of(
                new String[] {"mysql://" + u + ":" + p + "@" + hp + "/" + spaced, SPACED},
                new String[] {
                    "mysql://" + hp + "/" + accented + "?USER=" + u + "&PASSWORD=" + p + "&useSSL=false", ACCENTED
                },
                new String[] {"jdbc:mysql://" + u + ":" + p + "@" + hp + "/" + spaced, SPACED},
                new String[] {"jdbc:mysql://" + hp + "/" + accented + "?user=" + u + "&password=" + p, ACCENTED},
                new String[] {
                    "jdbc:mysql://(host=127.0.0.1,port=" + server.port() + ",user=" + u + ",password=" + p + ")/"
                            + spaced,
                    SPACED
                },
                new String[] {
                    "jdbc:mysql://address=(host=127.0.0.1)(port=" + server.port() + ")(user=" + u + ")(password=" + p
                            + ")/" + accented,
                    ACCENTED
                });
        for (String[] c : cases) {
            try (KeyspaceClient client = open(c[0], b -> b)) {
                assertThat(client.uncached().fetchValue("SELECT DATABASE()"))
                        .as(c[0])
                        .isEqualTo(c[1]);
                assertThat(String.valueOf(client.uncached().fetchValue("SELECT CURRENT_USER()")))
                        .as(c[0])
                        .startsWith(USER + "@");
            }
        }
        try (KeyspaceClient client =
                open("mysql://" + hp + "/" + spaced, b -> b.user(USER).password(PASSWORD))) {
            assertThat(client.uncached().fetchValue("SELECT DATABASE()")).isEqualTo(SPACED);
        }
        assertThatThrownBy(() -> open("mysql://" + u + ":" + p + "@" + hp + "/" + SPACED, b -> b))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("/" + spaced + ".")
                .hasMessageNotContaining(PASSWORD)
                .hasMessageNotContaining(p);
    }

    @Test
    void encodedNamesAndCredentialsReachPostgres() throws Exception {
        EmbeddedPostgresServer server = EmbeddedPostgresServer.shared();
        try (Connection c = server.open("postgres");
                Statement st = c.createStatement()) {
            if (!st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + SPACED + "'")
                    .next()) {
                st.execute("CREATE DATABASE \"" + SPACED + "\"");
            }
        }
        String hp = "127.0.0.1:" + server.port();
        String p = CredentialForms.encode(PASSWORD);
        String spaced = "oi%20enc%20db";
        // The embedded server trusts local connections, so the password is not checked: what matters is that each
        // form parses, reaches the database named, and the user is the one from the URL.
        for (String url : List.of(
                "postgres://postgres:" + p + "@" + hp + "/" + spaced,
                "postgresql://" + hp + "/" + spaced + "?user=postgres&password=" + p + "&sslmode=disable",
                "jdbc:postgresql://postgres:" + p + "@" + hp + "/" + spaced,
                "jdbc:postgresql://" + hp + "/" + spaced + "?sslmode=disable&PASSWORD=" + p + "&user=postgres")) {
            try (KeyspaceClient client = open(url, b -> b)) {
                assertThat(client.uncached().fetchValue("SELECT current_database()"))
                        .as(url)
                        .isEqualTo(SPACED);
                assertThat(client.uncached().fetchValue("SELECT current_user"))
                        .as(url)
                        .isEqualTo("postgres");
            }
        }
    }

    private static KeyspaceClient open(String url, UnaryOperator<BindingConfig.Builder> settings) {
        return KeyspaceClient.open(settings.apply(BindingConfig.builder("enc")
                        .url(url)
                        .minIdle(0)
                        .maxPoolSize(2)
                        .connectionTimeout(Duration.ofSeconds(5)))
                .build());
    }
}
