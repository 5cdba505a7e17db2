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
        System.out.printf("%nembedded MariaDB started, migrated and seeded with %d policies in %d ms%n",
                BenchDb.POLICIES, (System.nanoTime() - t0) / 1_000_000);
    }

    @TearDown(Level.Trial)
    public void stop() {
        EmbeddedMariaDb.shared().close();
    }
}
