package io.openinsure.db.core.internal;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.openinsure.db.testsupport.EmbeddedMariaDbServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/** Set-up shared by db-core's tests on a real server: the embedded MariaDB, scratch databases, a dead port, captured logs. */
final class ServerFixture {

    /** The scratch database of the health, circuit and fallback tests. */
    static final String HEALTH_DATABASE = "oi_health";

    private ServerFixture() {}

    /** The embedded MariaDB with {@code statements} run as root (e.g. to create a database). */
    static EmbeddedMariaDbServer mariaDb(String... statements) {
        EmbeddedMariaDbServer server = EmbeddedMariaDbServer.shared();
        try {
            server.execute(statements);
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        return server;
    }

    /** The embedded MariaDB with a database {@value #HEALTH_DATABASE} holding {@code probe(id, v)} with the row {@code (1, 'one')}. */
    static EmbeddedMariaDbServer healthDatabase() {
        return mariaDb(
                "CREATE DATABASE IF NOT EXISTS " + HEALTH_DATABASE + " CHARACTER SET utf8mb4",
                "CREATE TABLE IF NOT EXISTS " + HEALTH_DATABASE + ".probe (id BIGINT PRIMARY KEY, v VARCHAR(50))",
                "INSERT IGNORE INTO " + HEALTH_DATABASE + ".probe VALUES (1, 'one')");
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
        private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

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
