package io.openinsure.db.testkit.health;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import io.openinsure.db.core.BindingConfig;
import io.openinsure.db.core.DatabaseReport;
import io.openinsure.db.core.KeyspaceClient;
import io.openinsure.db.domains.Keyspace;
import io.openinsure.db.domains.Migrator;
import io.openinsure.db.domains.OpenInsureDb;
import io.openinsure.db.testkit.EmbeddedMariaDb;
import io.openinsure.db.testkit.EmbeddedPostgresDb;
import io.openinsure.db.testkit.TestBackend;
import io.openinsure.db.testkit.Topology;
import io.openinsure.db.testsupport.CredentialForms;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * A sentinel password appears in no log line, no exception (message, cause, stack trace), no {@code toString()} of
 * configs and clients, no health, stats or report, whatever form the URL that carries it takes: every form the
 * README documents ({@code mysql://}, {@code postgres://}, {@code postgresql://}, {@code vitess://}, {@code jdbc:mysql:},
 * {@code jdbc:postgresql:}, {@code jdbc:mariadb:}, {@code jdbc:vitess:}) with the password in the user info of every
 * host, in {@code password=} parameters in any case, in Connector/J's key-value hosts, plain and percent-encoded with
 * special characters; as a setting, on a direct fallback URL, on admin (migration) URLs, on a dead server and as a
 * wrong password. Every logger runs at DEBUG: the root, HikariCP (which logs the JDBC URL and masks only
 * {@code password=} in it), Connector/J (through its SLF4J logger), jOOQ, Flyway, and PgJDBC's java.util.logging at
 * FINEST (it logs the URL it connects with). MariaDB forms run against the embedded MariaDB, PostgreSQL forms against
 * the embedded PostgreSQL.
 */
@Timeout(300)
class SentinelPasswordTest {

    private static final String SENTINEL = CredentialForms.PASSWORDS.get(0);
    private static final String USER = "oi_sentinel";
    private static final String DATABASE = "oi_sentinel";

    @Test
    void theSentinelPasswordAppearsNowhere() throws Exception {
        EmbeddedMariaDb server = HealthFixture.server();
        List<String> setup = new ArrayList<>();
        setup.add("CREATE DATABASE IF NOT EXISTS " + DATABASE);
        for (String host : List.of("127.0.0.1", "localhost")) {
            setup.add("CREATE USER IF NOT EXISTS '" + USER + "'@'" + host + "' IDENTIFIED BY '" + SENTINEL + "'");
            setup.add("GRANT ALL ON `oi\\_%`.* TO '" + USER + "'@'" + host + "'");
        }
        HealthFixture.admin(server, setup.toArray(String[]::new));
        EmbeddedPostgresDb postgres = EmbeddedPostgresDb.shared();
        try (Connection c = DriverManager.getConnection(
                        "jdbc:postgresql://127.0.0.1:" + postgres.port() + "/postgres", "postgres", "");
                Statement st = c.createStatement()) {
            if (!st.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + USER + "'")
                    .next()) {
                st.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + SENTINEL + "'");
            }
            if (!st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")
                    .next()) {
                st.execute("CREATE DATABASE " + DATABASE + " OWNER " + USER);
            }
        }
        int port = server.port();
        int dead = HealthFixture.deadPort();

        List<String> seen = new ArrayList<>();
        try (EveryLoggerAtDebug logs = new EveryLoggerAtDebug()) {
            bindingsOfEveryKindOnOneDatabase(port, dead, seen);
            everyDocumentedForm(port, postgres.port(), seen);
            migrationsOverAdminUrls(port, dead, seen);
            wrongPassword(port, seen);

            seen.addAll(logs.everything());
            assertThat(logs.events())
                    .as("HikariCP logged its configuration, jdbcUrl included")
                    .anyMatch(e -> e.getLoggerName().startsWith("com.zaxxer.hikari")
                            && e.getFormattedMessage().startsWith("jdbcUrl"));
            assertThat(logs.events())
                    .as("Flyway logged, at DEBUG")
                    .anyMatch(e -> e.getLoggerName().startsWith("org.flywaydb"));
            assertThat(LoggerFactory.getLogger("org.flywaydb.core.internal.command.DbMigrate")
                            .isDebugEnabled())
                    .isTrue();
            // jOOQ's logger is at DEBUG too; the SDK turns jOOQ's execute logging off (SQL and bind values stay out of
            // logs).
            assertThat(LoggerFactory.getLogger("org.jooq.tools.LoggerListener").isDebugEnabled())
                    .isTrue();
            assertThat(logs.events())
                    .as("Connector/J logged through SLF4J")
                    .anyMatch(e -> e.getLoggerName().equals("MySQL"));
            assertThat(logs.julRecords())
                    .as("PgJDBC logged the URL it connects with")
                    .anyMatch(r -> r.contains("Connecting with URL: jdbc:postgresql://127.0.0.1:" + postgres.port()));
        }
        assertThat(seen).hasSizeGreaterThan(300);
        for (String password : CredentialForms.PASSWORDS) {
            for (String secret : List.of(password, CredentialForms.encode(password))) {
                assertThat(seen).as("nothing shows %s", secret).noneMatch(s -> s.contains(secret));
            }
        }
    }

    /** Six bindings of one OpenInsureDb, each with the password in another place; a dead server; a direct fallback. */
    private static void bindingsOfEveryKindOnOneDatabase(int port, int dead, List<String> seen) {
        String hp = "127.0.0.1:" + port;
        try (OpenInsureDb db = Topology.of(TestBackend.MARIADB)
                .builder()
                .defaults(b -> b.user(USER).password(SENTINEL))
                .binding(
                        Keyspace.GLOBAL,
                        b -> b.url("jdbc:mysql://(host=127.0.0.1,port=" + port + ",user=" + USER + ",password="
                                + SENTINEL + ")/oi_global"))
                .binding(
                        Keyspace.POLICIES,
                        b -> b.url("jdbc:mysql://" + hp + "/oi_policies?useSSL=false&password=" + SENTINEL + "&user="
                                + USER))
                .binding(
                        Keyspace.SUBMISSIONS,
                        b -> b.url("vitess://" + USER + ":" + SENTINEL + "@" + hp + "/oi_submissions"))
                .binding(Keyspace.LEGACY, b -> b.url("mysql://" + USER + ":" + SENTINEL + "@" + hp + "/oi_legacy"))
                .binding(
                        Keyspace.BILLING,
                        b -> b.url("jdbc:mysql://" + USER + ":" + SENTINEL + "@127.0.0.1:" + dead + "/oi_billing")
                                .directUrl("jdbc:mysql://" + USER + ":" + SENTINEL + "@" + hp + "/oi_billing")
                                .connectionTimeout(Duration.ofMillis(300)))
                .binding(
                        Keyspace.CLAIMS,
                        b -> b.url("mysql://127.0.0.1:" + dead + "/oi_claims?PASSWORD=" + SENTINEL)
                                .connectionTimeout(Duration.ofMillis(300)))
                .build()) {
            for (KeyspaceClient c : db.clients()) {
                exercise(c, seen);
            }
            // The dead claims server: connection failures, then the open circuit.
            for (int i = 0; i < 5; i++) {
                query(db.claims(), seen);
            }
            // Billing switches to its direct URL (with the password in it) on the third failure.
            for (int i = 0; i < 4; i++) {
                query(db.billing(), seen);
            }
            assertThat(db.billing().mode().label()).isEqualTo("direct");
            String json = db.report().toJson();
            assertThat(json).contains("\"name\" : \"claims\"", "circuit open");
            seen.add(json);
            seen.add(db.billing().toString());
        }
    }

    /** Every documented URL form, with the password in every place, on the server its family speaks to. */
    private static void everyDocumentedForm(int mariaDbPort, int postgresPort, List<String> seen) {
        List<KeyspaceClient> clients = new ArrayList<>();
        List<CredentialForms.Form> forms =
                new ArrayList<>(CredentialForms.all(USER, "127.0.0.1", mariaDbPort, postgresPort, DATABASE));
        // Connector/J's own logging, through SLF4J, on a form of each kind.
        String mysqlLogging = "logger=Slf4JLogger&profileSQL=true";
        forms.add(new CredentialForms.Form(
                "mysql:// with Connector/J logging",
                "mysql://" + USER + ":" + SENTINEL + "@127.0.0.1:" + mariaDbPort + "/" + DATABASE + "?" + mysqlLogging,
                USER,
                SENTINEL,
                CredentialForms.MYSQL));
        forms.add(new CredentialForms.Form(
                "jdbc:mysql with Connector/J logging",
                "jdbc:mysql://" + USER + ":" + SENTINEL + "@127.0.0.1:" + mariaDbPort + "/" + DATABASE + "?"
                        + mysqlLogging + "&password=" + SENTINEL,
                USER,
                SENTINEL,
                CredentialForms.MYSQL));
        // Refused forms: their errors must not show the password either.
        forms.add(new CredentialForms.Form(
                "jdbc:vitess",
                "jdbc:vitess://" + USER + ":" + SENTINEL + "@127.0.0.1:15991/" + DATABASE,
                USER,
                SENTINEL,
                "vitess"));
        forms.add(new CredentialForms.Form(
                "jdbc:h2", "jdbc:h2:mem:x;USER=" + USER + ";PASSWORD=" + SENTINEL, USER, SENTINEL, "h2"));
        forms.add(new CredentialForms.Form(
                "hosts with different credentials",
                "jdbc:mysql://" + USER + ":" + SENTINEL + "@127.0.0.1:" + mariaDbPort + ",127.0.0.1:" + mariaDbPort
                        + "/" + DATABASE,
                USER,
                SENTINEL,
                "refused"));
        forms.add(new CredentialForms.Form(
                "unencoded '/' in the password",
                "jdbc:mysql://" + USER + ":" + SENTINEL + "/x@127.0.0.1:" + mariaDbPort + "/" + DATABASE,
                USER,
                SENTINEL,
                "refused"));
        int n = 0;
        try {
            for (CredentialForms.Form form : forms) {
                BindingConfig config;
                try {
                    config = BindingConfig.builder("form_" + n++)
                            .url(form.url())
                            .minIdle(0)
                            .maxPoolSize(1)
                            .connectionTimeout(Duration.ofMillis(500))
                            .build();
                } catch (RuntimeException e) {
                    assertThat(form.family())
                            .as(form.description() + " refused: " + e.getMessage())
                            .isNotIn(CredentialForms.MYSQL, CredentialForms.POSTGRESQL);
                    seen.add(everything(e));
                    continue;
                }
                KeyspaceClient c;
                try {
                    c = KeyspaceClient.open(config);
                } catch (RuntimeException e) { // a pool that cannot start: its error must not show the password either
                    seen.add(everything(e));
                    continue;
                }
                clients.add(c);
                exercise(c, seen);
            }
            seen.add(DatabaseReport.of(clients).toJson());
        } finally {
            clients.forEach(KeyspaceClient::close);
        }
    }

    /** Flyway over admin URLs carrying the password in jdbc: forms; one admin server is dead. */
    private static void migrationsOverAdminUrls(int port, int dead, List<String> seen) {
        String hp = "127.0.0.1:" + port;
        Map<Keyspace, String> admin = new HashMap<>();
        admin.put(Keyspace.GLOBAL, "jdbc:mysql://" + USER + ":" + SENTINEL + "@" + hp + "/oi_global");
        admin.put(Keyspace.POLICIES, "jdbc:mysql://" + hp + "/oi_policies?user=" + USER + "&Password=" + SENTINEL);
        admin.put(Keyspace.SUBMISSIONS, "mysql://" + USER + ":" + SENTINEL + "@" + hp + "/oi_submissions");
        admin.put(
                Keyspace.CLAIMS,
                "jdbc:mysql://" + USER + ":" + SENTINEL + "@127.0.0.1:" + dead + "/oi_claims?connectTimeout=300");
        admin.forEach((k, url) -> {
            BindingConfig config = BindingConfig.builder(k.bindingName())
                    .url("mysql://" + hp + "/" + k.database())
                    .adminUrl(url)
                    .build();
            seen.add(config.toString());
            try {
                Migrator.migrate(k, config);
            } catch (RuntimeException e) {
                assertThat(k).isEqualTo(Keyspace.CLAIMS);
                seen.add(everything(e));
            }
        });
    }

    /** A wrong password that contains the sentinel. */
    private static void wrongPassword(int port, List<String> seen) {
        try (KeyspaceClient wrong = KeyspaceClient.open(BindingConfig.builder("wrongpw")
                .url("jdbc:mysql://" + USER + ":" + SENTINEL + "-wrong@127.0.0.1:" + port + "/oi_policies")
                .minIdle(0)
                .connectionTimeout(Duration.ofMillis(500))
                .build())) {
            seen.add(wrong.toString());
            seen.add(wrong.config().toString());
            try {
                wrong.uncached().fetchValue("SELECT 1");
            } catch (RuntimeException e) {
                assertThat(e.getMessage()).contains("refused the credentials");
                seen.add(everything(e));
            }
        }
    }

    private static void exercise(KeyspaceClient c, List<String> seen) {
        seen.add(c.toString());
        seen.add(c.config().toString());
        seen.add(c.config().url().toString());
        seen.add(c.config().url().describe());
        seen.add(String.valueOf(c.health()));
        query(c, seen);
        try {
            c.dsl().fetchValue("SELECT nope FROM no_such_table_" + c.name());
        } catch (RuntimeException e) {
            seen.add(everything(e));
        }
        seen.add(String.valueOf(c.poolStats()));
        seen.add(String.valueOf(c.cacheStats()));
        seen.add(String.valueOf(c.report()));
        seen.add(String.valueOf(c.health()));
    }

    private static void query(KeyspaceClient c, List<String> seen) {
        try {
            c.uncached().fetchValue("SELECT 1");
        } catch (RuntimeException e) {
            seen.add(everything(e));
        }
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

    /**
     * Sets every logback logger with a level of its own, and the root, to DEBUG (and Connector/J's, Flyway's, jOOQ's and
     * HikariCP's explicitly), captures what they log, and captures PgJDBC's java.util.logging at FINEST; restores all on close.
     */
    private static final class EveryLoggerAtDebug implements AutoCloseable {
        private static final List<String> NAMED = List.of(
                org.slf4j.Logger.ROOT_LOGGER_NAME,
                "com.zaxxer.hikari",
                "com.mysql",
                "MySQL",
                "org.jooq",
                "org.flywaydb",
                "org.postgresql",
                "io.openinsure",
                "ch.vorburger",
                "io.zonky");
        private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        private final Map<Logger, Level> levels = new HashMap<>();
        private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
        private final Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        private final java.util.logging.Logger pgjdbc = java.util.logging.Logger.getLogger("org.postgresql");
        private final java.util.logging.Level pgjdbcLevel = pgjdbc.getLevel();
        private final List<String> julRecords = new ArrayList<>();
        private final Handler julHandler = new Handler() {
            private final SimpleFormatter formatter = new SimpleFormatter();

            @Override
            public void publish(LogRecord r) {
                synchronized (julRecords) {
                    julRecords.add(formatter.format(r));
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };

        EveryLoggerAtDebug() {
            for (String name : NAMED) {
                context.getLogger(name);
            }
            for (Logger logger : context.getLoggerList()) {
                if (logger.getLevel() != null || NAMED.contains(logger.getName())) {
                    levels.put(logger, logger.getLevel());
                    logger.setLevel(Level.DEBUG);
                }
            }
            appender.start();
            root.addAppender(appender);
            julHandler.setLevel(java.util.logging.Level.ALL);
            pgjdbc.setLevel(java.util.logging.Level.ALL);
            pgjdbc.addHandler(julHandler);
        }

        List<ILoggingEvent> events() {
            synchronized (appender.list) {
                return List.copyOf(appender.list);
            }
        }

        List<String> julRecords() {
            synchronized (julRecords) {
                return List.copyOf(julRecords);
            }
        }

        /** Every captured line: messages, arguments, throwables with causes and stack frames, MDC, and PgJDBC's records. */
        List<String> everything() {
            List<String> all = new ArrayList<>(julRecords());
            for (ILoggingEvent event : events()) {
                all.add(event.getFormattedMessage());
                all.add(java.util.Arrays.toString(event.getArgumentArray()));
                all.add(String.valueOf(event.getMDCPropertyMap()));
                for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                    all.add(t.getClassName() + ": " + t.getMessage());
                    for (StackTraceElementProxy s : t.getStackTraceElementProxyArray()) {
                        all.add(s.getSTEAsString());
                    }
                    for (IThrowableProxy suppressed : t.getSuppressed()) {
                        all.add(suppressed.getClassName() + ": " + suppressed.getMessage());
                    }
                }
            }
            return all;
        }

        @Override
        public void close() {
            root.detachAppender(appender);
            appender.stop();
            levels.forEach(Logger::setLevel);
            pgjdbc.removeHandler(julHandler);
            pgjdbc.setLevel(pgjdbcLevel);
        }
    }
}
