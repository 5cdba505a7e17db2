package io.openinsure.db.bench;

import java.util.UUID;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * The lookup comparisons whose targets are a few per cent, measured as interleaved pairs. On this kind
 * of host the round-trip time drifts more between benchmarks run one after another than the SDK's cost:
 * the raw lookup measured 7,927 and 4,950 ops/s in two full runs a day apart, and lost a third between
 * the warm-up and the last iteration of one fork. So each invocation here runs every variant once, on the
 * same id, in rotating order, and times each call with {@code System.nanoTime()} (~25 ns against ~130 µs):
 * the variants share the same seconds of the host's weather, and at one thread the ratio of their mean
 * latencies is the ratio of their throughputs. JMH's score is rounds per second (every variant once); the
 * per-variant means of each measurement iteration go to {@code bench/results/paired.csv}, which
 * {@link Report} turns into the README's rows. With more threads than one, every thread runs rounds, so all
 * variants share the same load; the ratio of mean latencies is then the ratio of per-call costs under that
 * load (a variant's aggregate rate: the threads divided by its mean latency). Thread counts are the
 * subclasses' ({@link Paired1ThreadBench}, {@link Paired8ThreadsBench}; on PostgreSQL
 * {@link PostgresPaired1ThreadBench}, {@link PostgresPaired8ThreadsBench}).
 */
public abstract class PairedBench extends ShortRun {

    /**
     * Primary-key lookup: the floor; the floor with the SDK's two statement guards, the timeout enforced by
     * Connector/J ({@code setQueryTimeout}: a timer task per execution) or by MariaDB ({@code SET STATEMENT
     * max_statement_time=… FOR}, what the SDK sends to MariaDB); {@code findPolicy} with the cache off. On PostgreSQL
     * ({@link OnPostgres}) all but the server timeout: there the SDK sends PgJDBC's {@code setQueryTimeout} (a cancel
     * task per execution on the driver's timer), so {@code rawJdbcTimeout} is the floor with the SDK's guards.
     */
    static final String[] LOOKUP = {"rawJdbc", "rawJdbcTimeout", "rawJdbcServerTimeout", "typedCacheOff"};

    private static final String SERVER_TIMED_PK_SQL = "SET STATEMENT max_statement_time=30.000 FOR " + BenchDb.PK_SQL;
    /** The same ad-hoc jOOQ query on plain jOOQ over a raw pool and through {@code dsl()} with the cache off. */
    static final String[] AD_HOC = {"plainJooq", "dslCacheOff"};

    @Benchmark
    public void pkLookup(Fixture f, Fixture.Cursor c, Timings t, Blackhole bh) {
        UUID id = c.next(f.ids);
        int first = t.round();
        int[] variants = f.lookupVariants;
        for (int k = 0; k < variants.length; k++) {
            int v = variants[(first + k) % variants.length];
            long t0 = System.nanoTime();
            Object r = switch (v) {
                case 0 -> BenchDb.rawLookup(f.backend, f.raw, BenchDb.PK_SQL, id, 0, 0);
                case 1 -> BenchDb.rawLookup(f.backend, f.rawTimeout, BenchDb.PK_SQL, id, 10_001, 30);
                case 2 -> BenchDb.rawLookup(f.backend, f.rawServerTimeout, SERVER_TIMED_PK_SQL, id, 10_001, 0);
                default -> f.cacheOff.policies().findPolicy(id).orElseThrow();
            };
            t.add(v, System.nanoTime() - t0);
            bh.consume(r);
        }
    }

    /** Per-variant call counts and nanoseconds of the current iteration, written out after each measurement iteration. */
    @State(Scope.Thread)
    public static class Timings {
        private final long[] calls = new long[LOOKUP.length];
        private final long[] nanos = new long[LOOKUP.length];
        private int rounds;
        private int iteration;
        private boolean measuring;

        int round() {
            return rounds++ % 12; // each variant starts a round equally often for two, three and four variants
        }

        void add(int variant, long elapsed) {
            calls[variant]++;
            nanos[variant] += elapsed;
        }

        @Setup(Level.Iteration)
        public void start(IterationParams params) {
            java.util.Arrays.fill(calls, 0);
            java.util.Arrays.fill(nanos, 0);
            measuring = params.getType() == IterationType.MEASUREMENT;
            if (measuring) {
                iteration++;
            }
        }

        @TearDown(Level.Iteration)
        public void end(BenchmarkParams params) {
            if (!measuring) {
                return;
            }
            String benchmark = params.getBenchmark().replace("io.openinsure.db.bench.", "");
            String[] variants = benchmark.endsWith(".pkLookup") ? LOOKUP : AD_HOC;
            for (int v = 0; v < variants.length; v++) {
                if (calls[v] == 0) {
                    continue; // a variant this backend does not run (the server timeout on PostgreSQL)
                }
                BenchDb.appendResult(
                        "paired.csv",
                        "benchmark,threads,iteration,variant,calls,nanos",
                        benchmark + "," + params.getThreads() + "," + iteration + "," + variants[v] + "," + calls[v]
                                + "," + nanos[v]);
            }
        }
    }
}
