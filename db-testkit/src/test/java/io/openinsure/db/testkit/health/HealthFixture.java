package io.openinsure.db.testkit.health;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.openinsure.db.core.DatabaseUrl;
import io.openinsure.db.testkit.EmbeddedMariaDb;
import io.openinsure.db.testkit.TestBackend;
import io.openinsure.db.testkit.Topology;
import io.openinsure.db.testkit.internal.AdminConnections;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/** Shared set-up of the health, fallback and fault tests: the embedded MariaDB, scratch tables, captured logs. */
final class HealthFixture {

    static final String DATABASE = "oi_health";

    private HealthFixture() {}

    /** The embedded server with the topology migrated and a scratch database {@value #DATABASE} holding {@code probe(id, v)}. */
    static EmbeddedMariaDb server() {
        Topology.of(TestBackend.MARIADB);
        EmbeddedMariaDb server = EmbeddedMariaDb.shared();
        admin(
                server,
                "CREATE DATABASE IF NOT EXISTS " + DATABASE + " CHARACTER SET utf8mb4",
                "CREATE TABLE IF NOT EXISTS " + DATABASE + ".probe (id BIGINT PRIMARY KEY, v VARCHAR(50))",
                "INSERT IGNORE INTO " + DATABASE + ".probe VALUES (1, 'one')");
        return server;
    }

    static void admin(EmbeddedMariaDb server, String... statements) {
        try (Connection c = AdminConnections.open(DatabaseUrl.parse(server.connectionString(null)));
                Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** A port nothing listens on (bound, then released). */
    static int deadPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Captures every event of the root logger until closed. */
    static final class Logs implements AutoCloseable {
        private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        final ListAppender<ILoggingEvent> appender = new ListAppender<>();

        Logs() {
            appender.start();
            root.addAppender(appender);
        }

        List<String> messages() {
            synchronized (appender.list) {
                return appender.list.stream()
                        .map(ILoggingEvent::getFormattedMessage)
                        .collect(Collectors.toList());
            }
        }

        List<ILoggingEvent> events() {
            synchronized (appender.list) {
                return List.copyOf(appender.list);
            }
        }

        @Override
        public void close() {
            root.detachAppender(appender);
            appender.stop();
        }
    }
}
