package io.openinsure.db.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real PgBouncer in transaction mode (the pooling tier of PlanetScale Postgres's port 6432, Neon's {@code -pooler}
 * endpoint, Hyperdrive) in front of the JVM's embedded PostgreSQL: {@code pool_mode = transaction}, every database
 * passed through to the server, trust authentication. It uses the {@code pgbouncer} binary of the machine (Debian's
 * {@code pgbouncer} package, which {@code .ci/run} installs); {@link #binary()} is empty where there is none, and
 * tests skip with that reason. As root it runs as the {@code postgres} user (PgBouncer refuses to run as root).
 *
 * <p>Connect through it with PgJDBC's {@code prepareThreshold=0}: in transaction mode a server connection serves
 * other clients between transactions, so named server-side prepared statements must not be kept.
 */
public final class PgBouncer implements AutoCloseable {

    private static final List<Path> CANDIDATES =
            List.of(Path.of("/usr/sbin/pgbouncer"), Path.of("/usr/bin/pgbouncer"), Path.of("/usr/local/bin/pgbouncer"));

    private final Process process;
    private final Path dir;
    private final int port;

    private PgBouncer(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /** The {@code pgbouncer} binary of this machine, if installed. */
    public static Optional<Path> binary() {
        return CANDIDATES.stream().filter(Files::isExecutable).findFirst();
    }

    /** Why PgBouncer tests cannot run here, or empty when they can. */
    public static Optional<String> unavailableReason() {
        return binary().isPresent()
                ? Optional.empty()
                : Optional.of("pgbouncer is not installed (apt-get install pgbouncer; .ci/run installs it)");
    }

    /** Starts PgBouncer in transaction mode in front of the PostgreSQL on 127.0.0.1:{@code serverPort}. */
    public static PgBouncer start(int serverPort) {
        Path bin = binary().orElseThrow(
                        () -> new IllegalStateException(unavailableReason().orElseThrow()));
        try {
            Path dir = Files.createTempDirectory("oi-pgbouncer-");
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Files.writeString(dir.resolve("userlist.txt"), "\"postgres\" \"\"\n", StandardCharsets.UTF_8);
            Files.writeString(
                    dir.resolve("pgbouncer.ini"),
                    String.join(
                            "\n",
                            "[databases]",
                            "* = host=127.0.0.1 port=" + serverPort,
                            "[pgbouncer]",
                            "listen_addr = 127.0.0.1",
                            "listen_port = " + port,
                            "unix_socket_dir =",
                            "auth_type = trust",
                            "auth_file = " + dir.resolve("userlist.txt"),
                            "pool_mode = transaction",
                            "max_client_conn = 500",
                            "default_pool_size = 20",
                            "ignore_startup_parameters = extra_float_digits,options",
                            "logfile = " + dir.resolve("pgbouncer.log"),
                            ""),
                    StandardCharsets.UTF_8);
            List<String> command = new ArrayList<>(List.of(bin.toString()));
            if ("root".equals(System.getProperty("user.name"))) {
                command.addAll(List.of("-u", "postgres"));
                for (Path p : List.of(dir, dir.resolve("userlist.txt"), dir.resolve("pgbouncer.ini"))) {
                    new ProcessBuilder("chown", "postgres", p.toString())
                            .inheritIO()
                            .start()
                            .waitFor(10, TimeUnit.SECONDS);
                }
            }
            command.add(dir.resolve("pgbouncer.ini").toString());
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("stdout.log").toFile())
                    .start();
            PgBouncer bouncer = new PgBouncer(process, dir, port);
            bouncer.awaitListening();
            return bouncer;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start pgbouncer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting pgbouncer", e);
        }
    }

    private void awaitListening() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("pgbouncer exited with " + process.exitValue() + ": " + log());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        close();
        throw new IllegalStateException("pgbouncer did not listen on " + port + " within 15 s: " + log());
    }

    private String log() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String f : List.of("stdout.log", "pgbouncer.log")) {
            Path p = dir.resolve(f);
            if (Files.exists(p)) {
                sb.append(Files.readString(p, StandardCharsets.UTF_8));
            }
        }
        return sb.toString();
    }

    /** The port PgBouncer listens on (127.0.0.1). */
    public int port() {
        return port;
    }

    /** {@code postgres://postgres@127.0.0.1:<port>/<database>?prepareThreshold=0}: PgJDBC as transaction pooling needs it. */
    public String connectionString(String database) {
        return "postgres://postgres@127.0.0.1:" + port + "/" + database + "?prepareThreshold=0";
    }

    /** Stops PgBouncer and deletes its directory. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory; best effort
        }
    }
}
