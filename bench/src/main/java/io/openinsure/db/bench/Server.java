package io.openinsure.db.bench;

import io.openinsure.db.testkit.EmbeddedMariaDb;
import io.openinsure.db.testkit.EmbeddedPostgresDb;
import io.openinsure.db.testkit.TestBackend;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The embedded server of this forked JVM, seeded: MariaDB, or PostgreSQL when the benchmark's class is
 * {@link OnPostgres}. Every benchmark's state depends on it, so the server is stopped (and its directories
 * deleted) when the trial ends: otherwise the forked JVM waits on the server process and JMH has to kill it,
 * leaving {@code mariadbd} behind.
 */
@State(Scope.Benchmark)
public class Server {

    private TestBackend backend;

    @Setup(Level.Trial)
    public void start(BenchmarkParams params) {
        backend = onPostgres(params) ? TestBackend.POSTGRES : TestBackend.MARIADB;
        long t0 = System.nanoTime();
        BenchDb.topology(backend);
        System.out.printf(
                "%nembedded %s started, migrated and seeded with %d policies in %d ms%n",
                backend == TestBackend.POSTGRES ? "PostgreSQL" : "MariaDB",
                BenchDb.POLICIES,
                (System.nanoTime() - t0) / 1_000_000);
        if (Boolean.getBoolean("bench.pin")) {
            pin(
                    backend == TestBackend.POSTGRES
                            ? postmaster(BenchDb.topology(backend).server().port())
                            : mariadbd());
        }
    }

    /** MariaDB, or PostgreSQL for an {@link OnPostgres} benchmark. */
    public TestBackend backend() {
        return backend;
    }

    /** Whether the running benchmark's class ({@code io.openinsure.db.bench.X.method}) is {@link OnPostgres}. */
    private static boolean onPostgres(BenchmarkParams params) {
        String benchmark = params.getBenchmark();
        try {
            return OnPostgres.class.isAssignableFrom(Class.forName(benchmark.substring(0, benchmark.lastIndexOf('.'))));
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("no class for benchmark " + benchmark, e);
        }
    }

    /**
     * {@code -Dbench.pin=true}: the server on CPU 1, this JVM on CPU 0 (Linux, {@code taskset}), so that which
     * CPU a connection's server thread (or PostgreSQL's backend process) runs on, relative to the client thread, is
     * the same for every connection instead of chance. Threads and processes started later (the pools' connections
     * come after this) inherit the affinity of the one that starts them.
     */
    private static void pin(java.util.stream.Stream<ProcessHandle> server) {
        long self = ProcessHandle.current().pid();
        server.forEach(p -> taskset("1", p.pid()));
        taskset("0", self);
    }

    private static java.util.stream.Stream<ProcessHandle> mariadbd() {
        return ProcessHandle.current()
                .descendants()
                .filter(p -> p.info().command().orElse("").contains("mariadbd"));
    }

    /**
     * PostgreSQL's postmaster and its processes so far: {@code pg_ctl} started it and exited, so it is no descendant of
     * this JVM; found by its port.
     */
    private static java.util.stream.Stream<ProcessHandle> postmaster(int port) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().orElse("").endsWith("/bin/postgres")
                        && java.util.Arrays.asList(p.info().arguments().orElse(new String[0]))
                                .contains(Integer.toString(port)))
                .flatMap(p -> java.util.stream.Stream.concat(java.util.stream.Stream.of(p), p.descendants()));
    }

    private static void taskset(String cpu, long pid) {
        try {
            Process p = new ProcessBuilder("taskset", "-a", "-p", "-c", cpu, Long.toString(pid))
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
            int rc = p.waitFor();
            System.out.println(
                    "pinned pid " + pid + " to CPU " + cpu + (rc == 0 ? "" : " FAILED (" + rc + "): " + out));
        } catch (java.io.IOException e) {
            System.out.println("could not pin pid " + pid + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        if (backend == TestBackend.POSTGRES) {
            EmbeddedPostgresDb.shared().close();
        } else {
            EmbeddedMariaDb.shared().close();
        }
    }
}
