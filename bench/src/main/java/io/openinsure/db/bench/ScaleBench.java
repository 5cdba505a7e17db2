package io.openinsure.db.bench;

import io.openinsure.db.domains.OpenInsureDb;
import io.openinsure.db.domains.schema.oi_policies.tables.records.PolicyRecord;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Many application threads against fixed pools: every benchmark thread runs {@code PoliciesDb.findPolicy}
 * (cache off, so every call borrows a connection) against pools of {@link #POOL} connections. A sampler
 * records, every 10 ms, the policies pool's size and the server's {@code Threads_connected}; the maxima go
 * to {@code bench/results/scale-connections.csv}. Thread counts are the subclasses' (8, 64, 512).
 */
public abstract class ScaleBench extends ShortRun {

    static final int POOL = 8;

    @State(Scope.Benchmark)
    public static class World {
        UUID[] ids;
        OpenInsureDb db;
        Connection admin;
        Thread sampler;
        volatile boolean running = true;
        int baseline;
        volatile int maxThreadsConnected;
        volatile int maxPoolTotal;
        volatile int maxPoolWaiting;
        int threads;
        final java.util.concurrent.atomic.LongAdder calls = new java.util.concurrent.atomic.LongAdder();
        long iterationStart;
        final java.util.List<Double> measuredRates = new java.util.ArrayList<>();

        @Setup(Level.Trial)
        public void setUp(Server server, BenchmarkParams params) throws SQLException {
            threads = params.getThreads();
            ids = BenchDb.ids();
            admin = DriverManager.getConnection(BenchDb.jdbcUrl("oi_policies"), BenchDb.user(), BenchDb.password());
            baseline = threadsConnected();
            // enough acquisition time for 512 threads queueing on 8 connections on 2 cores
            db = BenchDb.open(POOL, false, b -> b.defaults(d -> d.connectionTimeout(Duration.ofSeconds(10))));
            sampler = new Thread(
                    () -> {
                        while (running) {
                            try {
                                maxThreadsConnected = Math.max(maxThreadsConnected, threadsConnected());
                                var s = db.policies().poolStats();
                                maxPoolTotal = Math.max(maxPoolTotal, s.total());
                                maxPoolWaiting = Math.max(maxPoolWaiting, s.waiting());
                                Thread.sleep(10);
                            } catch (SQLException | InterruptedException e) {
                                return;
                            }
                        }
                    },
                    "connection-sampler");
            sampler.setDaemon(true);
            sampler.start();
        }

        @Setup(Level.Iteration)
        public void startIteration() {
            calls.reset();
            iterationStart = System.nanoTime();
        }

        /**
         * Calls per second of wall time over the whole iteration. JMH's own score sums each thread's
         * calls / its own time, which with hundreds of threads sharing 2 cores over a few seconds can
         * overstate throughput; this is the plain count.
         */
        @TearDown(Level.Iteration)
        public void endIteration(org.openjdk.jmh.infra.IterationParams iteration) {
            double rate = calls.sum() * 1e9 / (System.nanoTime() - iterationStart);
            if (iteration.getType() == org.openjdk.jmh.runner.IterationType.MEASUREMENT) {
                measuredRates.add(rate);
            }
        }

        int threadsConnected() throws SQLException {
            try (Statement s = admin.createStatement();
                    ResultSet rs = s.executeQuery("show global status like 'Threads_connected'")) {
                rs.next();
                return rs.getInt(2);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            running = false;
            sampler.join(1_000);
            int opened = maxThreadsConnected - baseline;
            System.out.printf(
                    "%n%d threads: pool max %d, pool size seen %d (max waiting %d), server connections opened %d%n",
                    threads, POOL, maxPoolTotal, maxPoolWaiting, opened);
            double wall = measuredRates.stream()
                    .mapToDouble(Double::doubleValue)
                    .average()
                    .orElse(Double.NaN);
            System.out.printf("%d threads: %.0f calls/s of wall time%n", threads, wall);
            BenchDb.appendResult(
                    "scale-connections.csv",
                    "threads,pool_max,pool_total_max,pool_waiting_max,server_connections_opened_max,calls_per_wall_second",
                    threads + "," + POOL + "," + maxPoolTotal + "," + maxPoolWaiting + "," + opened + ","
                            + String.format(java.util.Locale.ROOT, "%.0f", wall));
            db.close();
            admin.close();
        }
    }

    @Benchmark
    public PolicyRecord findPolicy(World w, Fixture.Cursor c) {
        w.calls.increment();
        return w.db.policies().findPolicy(c.next(w.ids)).orElseThrow();
    }
}
