package io.openinsure.db.testkit.health;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import io.openinsure.db.core.BindingConfig;
import io.openinsure.db.core.KeyspaceClient;
import io.openinsure.db.domains.Keyspace;
import io.openinsure.db.domains.OpenInsureDb;
import io.openinsure.db.testkit.EmbeddedMariaDb;
import io.openinsure.db.testkit.TestBackend;
import io.openinsure.db.testkit.Topology;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * A sentinel password, used by every binding (as a setting, inside URLs, on a direct fallback URL, on a
 * dead server and as a wrong password), appears in no log line (root logger at DEBUG), no exception
 * message, cause or stack trace, no {@code toString()} of configs and clients, and not in the report.
 */
@Timeout(120)
class SentinelPasswordTest {

    private static final String SENTINEL = "Sentinel-7f3a9c-Pw";
    private static final String USER = "oi_sentinel";

    @Test
    void theSentinelPasswordAppearsNowhere() throws Exception {
        EmbeddedMariaDb server = HealthFixture.server();
        List<String> setup = new ArrayList<>();
        for (String host : List.of("127.0.0.1", "localhost")) {
            setup.add("CREATE USER IF NOT EXISTS '" + USER + "'@'" + host + "' IDENTIFIED BY '" + SENTINEL + "'");
            setup.add("GRANT ALL ON `oi\\_%`.* TO '" + USER + "'@'" + host + "'");
        }
        HealthFixture.admin(server, setup.toArray(String[]::new));
        int port = server.port();
        int dead = HealthFixture.deadPort();

        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger hikari = (Logger) LoggerFactory.getLogger("com.zaxxer.hikari");
        Level rootLevel = root.getLevel();
        Level hikariLevel = hikari.getLevel();
        List<String> seen = new ArrayList<>();
        try (HealthFixture.Logs logs = new HealthFixture.Logs()) {
            root.setLevel(Level.DEBUG);
            hikari.setLevel(Level.DEBUG);
            try (OpenInsureDb db = Topology.of(TestBackend.MARIADB).builder()
                    .defaults(b -> b.user(USER).password(SENTINEL))
                    .binding(Keyspace.LEGACY, b -> b.url("mysql://" + USER + ":" + SENTINEL + "@127.0.0.1:" + port + "/oi_legacy"))
                    .binding(Keyspace.BILLING, b -> b.url("mysql://" + USER + ":" + SENTINEL + "@127.0.0.1:" + dead + "/oi_billing")
                            .directUrl("mysql://" + USER + ":" + SENTINEL + "@127.0.0.1:" + port + "/oi_billing")
                            .connectionTimeout(Duration.ofMillis(300)))
                    .binding(Keyspace.CLAIMS, b -> b.url("mysql://127.0.0.1:" + dead + "/oi_claims?password=" + SENTINEL)
                            .connectionTimeout(Duration.ofMillis(300)))
                    .build()) {
                for (KeyspaceClient c : db.clients()) {
                    seen.add(c.toString());
                    seen.add(c.config().toString());
                    seen.add(String.valueOf(c.health()));
                    try {
                        c.uncached().fetchValue("SELECT 1");
                        c.dsl().fetchValue("SELECT nope FROM no_such_table_" + c.name());
                    } catch (RuntimeException e) {
                        seen.add(everything(e));
                    }
                }
                // The dead claims server: connection failures, then the open circuit.
                for (int i = 0; i < 5; i++) {
                    try {
                        db.claims().uncached().fetchValue("SELECT 1");
                    } catch (RuntimeException e) {
                        seen.add(everything(e));
                    }
                }
                // Billing switched to its direct URL (with the password in it) on the third failure.
                for (int i = 0; i < 4; i++) {
                    try {
                        db.billing().uncached().fetchValue("SELECT 1");
                    } catch (RuntimeException e) {
                        seen.add(everything(e));
                    }
                }
                assertThat(db.billing().mode().label()).isEqualTo("direct");
                String json = db.report().toJson();
                assertThat(json).contains("\"name\" : \"claims\"", "circuit open");
                seen.add(json);
                seen.add(db.billing().toString());
            }
            // A wrong password that contains the sentinel.
            try (KeyspaceClient wrong = KeyspaceClient.open(BindingConfig.builder("wrongpw")
                    .url("mysql://127.0.0.1:" + port + "/oi_policies").user(USER).password(SENTINEL + "-wrong").minIdle(0)
                    .connectionTimeout(Duration.ofMillis(500)).build())) {
                seen.add(wrong.toString());
                seen.add(wrong.config().toString());
                try {
                    wrong.uncached().fetchValue("SELECT 1");
                } catch (RuntimeException e) {
                    assertThat(e.getMessage()).contains("refused the credentials");
                    seen.add(everything(e));
                }
            }
            for (ILoggingEvent event : logs.events()) {
                seen.add(event.getFormattedMessage());
                seen.add(String.valueOf(java.util.Arrays.toString(event.getArgumentArray())));
                for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                    seen.add(t.getClassName() + ": " + t.getMessage());
                    for (StackTraceElementProxy s : t.getStackTraceElementProxyArray()) {
                        seen.add(s.getSTEAsString());
                    }
                }
            }
            assertThat(logs.events()).as("something was logged at DEBUG").hasSizeGreaterThan(10);
        } finally {
            root.setLevel(rootLevel);
            hikari.setLevel(hikariLevel);
        }
        assertThat(seen).hasSizeGreaterThan(30).noneMatch(s -> s.contains(SENTINEL));
    }

    /** Message, causes, suppressed and stack trace text. */
    private static String everything(Throwable e) {
        StringWriter w = new StringWriter();
        e.printStackTrace(new PrintWriter(w));
        StringBuilder sb = new StringBuilder(w.toString());
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append('\n').append(t).append('\n').append(t.getMessage());
        }
        return sb.toString();
    }
}
