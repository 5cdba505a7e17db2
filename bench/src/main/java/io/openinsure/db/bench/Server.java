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
        pinIfWanted(
                params,
                backend == TestBackend.POSTGRES
                        ? postmaster(BenchDb.topology(backend).server().port())
                        : java.util.stream.Stream.empty());
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

    /** {@link #pinIfWanted(BenchmarkParams, java.util.stream.Stream)} for the servers this JVM started itself. */
    static void pinIfWanted(BenchmarkParams params) {
        pinIfWanted(params, java.util.stream.Stream.empty());
    }

    /**
     * Pins the servers this JVM started ({@code mariadbd}, and {@code vtcombo} on Vitess) and {@code others}
     * (PostgreSQL's processes, which {@code pg_ctl} started) to CPU 1 and this JVM to CPU 0 (Linux, {@code taskset})
     * when {@code -Dbench.pin} asks for it for this fork:
     * <ul>
     *   <li>{@code paired} (the default): the one-thread interleaved pairs ({@link Interleaved} at one thread). Unpinned,
     *       which CPU each connection's server thread runs on relative to the client thread is left to the scheduler
     *       and biases one variant's pool against another's: two raw pools on the same database measured 0.91–0.93 of
     *       each other in three unpinned forks, 0.94–1.02 in nine pinned ones (per-iteration medians 0.98–1.02).
     *       Pinned, every round trip crosses from CPU 0 to CPU 1 alike;</li>
     *   <li>{@code true}: every fork (the eight-thread and CPU-bound cache-hit forks then share one client CPU);</li>
     *   <li>{@code false}: none.</li>
     * </ul>
     * Threads and processes started later (the pools' connections, PostgreSQL's backends) inherit the affinity of the
     * one that starts them. Needs two CPUs or more. {@code -Dbench.pin.client} and {@code -Dbench.pin.server} choose
     * other CPUs (client and servers on CPU 0 together was tried: it did not remove the bias, see bench/README.md).
     */
    static void pinIfWanted(BenchmarkParams params, java.util.stream.Stream<ProcessHandle> others) {
        String mode = System.getProperty("bench.pin", "paired");
        boolean pin = switch (mode) {
            case "true" -> true;
            case "false" -> false;
            default -> params.getThreads() == 1 && interleaved(params.getBenchmark());
        };
        if (!pin) {
            return;
        }
        if (Runtime.getRuntime().availableProcessors() < 2) {
            System.out.println("not pinned: fewer than two CPUs");
            return;
        }
        String serverCpu = System.getProperty("bench.pin.server", "1");
        java.util.stream.Stream.concat(
                        ProcessHandle.current().descendants().filter(p -> {
                            String command = p.info().command().orElse("");
                            return command.contains("mariadbd") || command.contains("vtcombo");
                        }),
                        others)
                .forEach(p -> taskset(serverCpu, p.pid()));
        taskset(
                System.getProperty("bench.pin.client", "0"),
                ProcessHandle.current().pid());
    }

    /** Whether {@code benchmark} ({@code io.openinsure.db.bench.ReplicaBench.round}) is a method of an {@link Interleaved} class. */
    private static boolean interleaved(String benchmark) {
        try {
            return Interleaved.class.isAssignableFrom(
                    Class.forName(benchmark.substring(0, benchmark.lastIndexOf('.'))));
        } catch (ClassNotFoundException e) {
            return false;
        }
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
