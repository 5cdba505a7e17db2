package io.openinsure.db.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.openinsure.db.core.ConfigSource;
import io.openinsure.db.core.ConnectionMode;
import io.openinsure.db.core.ConnectionUnavailableException;
import io.openinsure.db.core.KeyspaceClient;
import io.openinsure.db.core.ServerErrorException;
import io.openinsure.db.domains.Keyspace;
import io.openinsure.db.domains.OpenInsureDb;
import io.openinsure.db.testkit.internal.AdminConnections;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Configuration resolution, credentials and fail-fast behaviour against embedded MariaDB. */
@OpenInsureDbTest(backend = TestBackend.MARIADB)
class BindingsOnARealServerTest {

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger clientLogger = (Logger) LoggerFactory.getLogger(KeyspaceClient.class);

    @BeforeEach
    void captureLogs() {
        logs.start();
        clientLogger.addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        clientLogger.detachAppender(logs);
    }

    private List<String> modeLines() {
        return logs.list.stream()
                .filter(e -> e.getLevel() == Level.INFO)
                .map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    @Test
    void aSharedPooledUrlGivesEveryBindingItsOwnDatabaseAndLogsTheModeOnce(Topology topology, EmbeddedMariaDb server) {
        ConfigSource env = ConfigSource.of(Map.of("OI_DB_URL", server.connectionString("ignored_db")));
        try (OpenInsureDb db = OpenInsureDb.builder().configSource(env).build()) {
            for (Keyspace k : Keyspace.values()) {
                KeyspaceClient client = db.client(k);
                assertThat(client.mode()).isEqualTo(ConnectionMode.POOLED);
                assertThat(client.config().urlSource()).isEqualTo("OI_DB_URL");
                assertThat(client.dsl().resultQuery("select database()").fetchOne(0, String.class))
                        .isEqualTo(k.database());
            }
        }
        assertThat(modeLines())
                .containsExactly(Arrays.stream(Keyspace.values())
                        .map(k -> "openinsure-db [" + k.bindingName() + "] mode=pooled server=127.0.0.1:"
                                + server.port() + "/" + k.database() + " driver=mysql_connector_j")
                        .toArray(String[]::new));
    }

    @Test
    void databaseUrlAloneMeansDirectMode(Topology topology, EmbeddedMariaDb server) {
        ConfigSource env = ConfigSource.of(Map.of("DATABASE_URL", server.connectionString("")));
        try (OpenInsureDb db = OpenInsureDb.builder().configSource(env).build()) {
            for (KeyspaceClient client : db.clients()) {
                assertThat(client.mode()).isEqualTo(ConnectionMode.DIRECT);
                assertThat(client.config().directUrl()).isEmpty();
                assertThat(client.dsl().resultQuery("select 1").fetchOne(0, Integer.class))
                        .isEqualTo(1);
            }
        }
        assertThat(modeLines()).hasSize(6).allSatisfy(line -> assertThat(line).contains("mode=direct"));
    }

    @Test
    void eachKeyspaceConnectsWithItsOwnCredentialsAndSeesOnlyItsOwnDatabase(Topology topology, EmbeddedMariaDb server)
            throws Exception {
        Map<String, String> env = new HashMap<>();
        Map<Keyspace, String> passwords = new HashMap<>();
        try (Connection c = AdminConnections.open(topology.server());
                Statement st = c.createStatement()) {
            for (Keyspace k : Keyspace.values()) {
                String user = "oi_" + k.bindingName() + "_app";
                String password = "Pw/" + k.bindingName() + "@S3cr3t:" + k.ordinal();
                passwords.put(k, password);
                for (String host : List.of("localhost", "127.0.0.1")) {
                    st.execute(
                            "CREATE USER IF NOT EXISTS '" + user + "'@'" + host + "' IDENTIFIED BY '" + password + "'");
                    st.execute("GRANT ALL PRIVILEGES ON " + k.database() + ".* TO '" + user + "'@'" + host + "'");
                }
                env.put(
                        "OI_DB_" + k.name() + "_URL",
                        "mysql://" + user + ":" + URLEncoder.encode(password, StandardCharsets.UTF_8) + "@127.0.0.1:"
                                + server.port() + "/");
            }
        }
        try (OpenInsureDb db =
                OpenInsureDb.builder().configSource(ConfigSource.of(env)).build()) {
            for (Keyspace k : Keyspace.values()) {
                KeyspaceClient client = db.client(k);
                assertThat(client.dsl().resultQuery("select current_user()").fetchOne(0, String.class))
                        .startsWith("oi_" + k.bindingName() + "_app@");
                assertThat(client.config().toString())
                        .doesNotContain(passwords.get(k))
                        .contains("password=****");
                Keyspace other = k == Keyspace.BILLING ? Keyspace.CLAIMS : Keyspace.BILLING;
                assertThatThrownBy(() -> client.dsl()
                                .fetchValue("select count(*) from " + other.database() + "."
                                        + KeyspaceClientContract.PROBE_TABLE))
                        .as("%s must not reach %s's database", k, other)
                        .isInstanceOf(ServerErrorException.class)
                        .hasMessageContaining("denied");
            }
        }
        assertThat(modeLines()).hasSize(6).allSatisfy(line -> {
            assertThat(line).as("no user name in the mode line").doesNotContain("_app");
            passwords.values().forEach(p -> assertThat(line).doesNotContain(p));
        });
    }

    @Test
    void aWrongPasswordFailsFastAndNeverShowsThePassword(Topology topology, EmbeddedMariaDb server) {
        String wrong = "not-the-Password-42";
        try (OpenInsureDb db = topology.builder()
                .binding(
                        Keyspace.CLAIMS,
                        b -> b.url(server.connectionString(null))
                                .user("root")
                                .password(wrong)
                                .connectionTimeout(Duration.ofMillis(500)))
                .build()) {
            assertThatThrownBy(() -> db.claims().dsl().fetchValue("select 1"))
                    .isInstanceOf(ConnectionUnavailableException.class)
                    .hasMessageStartingWith("Keyspace 'claims': no connection available within 500 ms")
                    .hasMessageContaining("refused the credentials (Access denied for user 'root'")
                    .hasMessageContaining("Check OI_DB_CLAIMS_USER and OI_DB_CLAIMS_PASSWORD")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(wrong));
            assertThat(db.policies().dsl().resultQuery("select 1").fetchOne(0, Integer.class))
                    .isEqualTo(1);
        }
    }

    @Test
    void aDeadKeyspaceNeitherBlocksStartNorTheOtherKeyspaces(Topology topology) throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        long t0 = System.nanoTime();
        try (OpenInsureDb db = topology.builder()
                .binding(Keyspace.BILLING, b -> b.url("mysql://root:hunter2@127.0.0.1:" + deadPort + "/oi_billing"))
                .build()) {
            assertThat(Duration.ofNanos(System.nanoTime() - t0))
                    .as("start does not wait on the dead keyspace")
                    .isLessThan(Duration.ofSeconds(10));
            long q0 = System.nanoTime();
            assertThatThrownBy(() -> db.billing().dsl().fetchValue("select 1"))
                    .isInstanceOf(ConnectionUnavailableException.class)
                    .hasMessageStartingWith("Keyspace 'billing': no connection available within 1000 ms")
                    .hasMessageContaining("the server at 127.0.0.1:" + deadPort + "/oi_billing is unreachable")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
            assertThat(Duration.ofNanos(System.nanoTime() - q0))
                    .as("about a second, not 30 s")
                    .isLessThan(Duration.ofSeconds(10));
            for (Keyspace k : Keyspace.values()) {
                if (k != Keyspace.BILLING) {
                    assertThat(db.client(k).dsl().resultQuery("select 1").fetchOne(0, Integer.class))
                            .isEqualTo(1);
                }
            }
        }
        assertThat(modeLines()).noneMatch(l -> l.toLowerCase(Locale.ROOT).contains("hunter2"));
    }
}
