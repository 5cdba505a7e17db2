package io.openinsure.db.bench;

import io.openinsure.db.testkit.EmbeddedMariaDb;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The embedded MariaDB of this forked JVM, seeded. Every benchmark's state depends on it, so the server is
 * stopped (and its directories deleted) when the trial ends: otherwise the forked JVM waits on the
 * server process and JMH has to kill it, leaving {@code mariadbd} behind.
 */
@State(Scope.Benchmark)
public class Server {

    @Setup(Level.Trial)
    public void start() {
        long t0 = System.nanoTime();
        BenchDb.topology();
        System.out.printf(
                "%nembedded MariaDB started, migrated and seeded with %d policies in %d ms%n",
                BenchDb.POLICIES, (System.nanoTime() - t0) / 1_000_000);
        if (Boolean.getBoolean("bench.pin")) {
            pin();
        }
    }

    /**
     * {@code -Dbench.pin=true}: the server on CPU 1, this JVM on CPU 0 (Linux, {@code taskset}), so that which
     * CPU a connection's server thread runs on, relative to the client thread, is the same for every
     * connection instead of chance. Threads started later inherit the affinity of the thread that starts them.
     */
    private static void pin() {
        long self = ProcessHandle.current().pid();
        ProcessHandle.current()
                .descendants()
                .filter(p -> p.info().command().orElse("").contains("mariadbd"))
                .forEach(p -> taskset("1", p.pid()));
        taskset("0", self);
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
        EmbeddedMariaDb.shared().close();
    }
}
