package io.openinsure.db.bench;

import java.util.UUID;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The lookup comparisons whose targets are a few per cent, measured as interleaved pairs. On this kind
 * of host the round-trip time drifts more between benchmarks run one after another than the SDK's cost:
 * the raw lookup measured 7,927 and 4,950 ops/s in two full runs a day apart, and lost a third between
 * the warm-up and the last iteration of one fork. So each invocation here runs every variant once, on the
 * same id, in an order that changes every round ({@link Interleaved#orders}), and times each call with
 * {@link PairedTimings} ({@code System.nanoTime()}, ~25 ns against ~130 µs): the variants share the same seconds of
 * the host's weather, and at one thread the ratio of their mean latencies is the ratio of their throughputs. JMH's
 * score is rounds per second (every variant once); the per-variant timings of each measurement iteration go to
 * {@code bench/results/paired.csv}, which {@link Report} turns into the README's rows. With more threads than one, every thread runs rounds, so all
 * variants share the same load; the ratio of mean latencies is then the ratio of per-call costs under that
 * load (a variant's aggregate rate: the threads divided by its mean latency). Thread counts are the
 * subclasses' ({@link Paired1ThreadBench}, {@link Paired8ThreadsBench}; on PostgreSQL
 * {@link PostgresPaired1ThreadBench}, {@link PostgresPaired8ThreadsBench}).
 *
 * <p>Warm-up 5 × 3 s, longer than {@link ShortRun}'s: with 2 × 2 s, the SDK's replica {@code dsl()} path was still
 * being compiled in the first measurement iterations (means 5–20 % above the primary's, medians within 1–3 %; the
 * ratio of ratios 0.92), and 0.99 with 5 × 3 s (bench/README.md, 2026-12-04).
 */
@Warmup(iterations = 5, time = 3)
public abstract class PairedBench extends ShortRun implements Interleaved {

    /**
     * Primary-key lookup: the floor; the floor with the SDK's two statement guards, the timeout enforced by
     * Connector/J ({@code setQueryTimeout}: a timer task per execution) or by MariaDB ({@code SET STATEMENT
     * max_statement_time=… FOR}, what the SDK sends to MariaDB); {@code findPolicy} with the cache off. On PostgreSQL
     * ({@link OnPostgres}) all but the server timeout: {@code rawJdbcTimeout} is PgJDBC's timer task per execution, which
     * the SDK replaced by its own deadlines (one shared thread cancels late statements), so {@code rawJdbc} is the floor.
     */
    static final String[] LOOKUP = {"rawJdbc", "rawJdbcTimeout", "rawJdbcServerTimeout", "typedCacheOff"};

    private static final String SERVER_TIMED_PK_SQL = "SET STATEMENT max_statement_time=30.000 FOR " + BenchDb.PK_SQL;
    /** The same ad-hoc jOOQ query on plain jOOQ over a raw pool and through {@code dsl()} with the cache off. */
    static final String[] AD_HOC = {"plainJooq", "dslCacheOff"};

    @Benchmark
    public void pkLookup(Fixture f, Fixture.Cursor c, PairedTimings t, Blackhole bh) {
        UUID id = c.next(f.ids);
        String[] names = f.lookupNames;
        int[] variants = f.lookupVariants;
        for (int i : t.order(names)) {
            int v = variants[i];
            t.start();
            Object r = switch (v) {
                case 0 -> BenchDb.rawLookup(f.backend, f.raw, BenchDb.PK_SQL, id, 0, 0);
                case 1 -> BenchDb.rawLookup(f.backend, f.rawTimeout, BenchDb.PK_SQL, id, 10_001, 30);
                case 2 -> BenchDb.rawLookup(f.backend, f.rawServerTimeout, SERVER_TIMED_PK_SQL, id, 10_001, 0);
                default -> f.cacheOff.policies().findPolicy(id).orElseThrow();
            };
            t.stop(i);
            bh.consume(r);
        }
    }
}
