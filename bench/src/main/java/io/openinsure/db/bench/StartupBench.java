package io.openinsure.db.bench;

import io.openinsure.db.domains.OpenInsureDb;
import io.openinsure.db.domains.schema.oi_policies.tables.records.PolicyRecord;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Start-up, single shot: {@code buildToFirstAnswer} times {@code OpenInsureDb.build()} plus the first
 * {@code findPolicy} (pools empty: it opens the first connection and asks the server's version);
 * {@code firstQuery} times only that first query on a client built untimed; {@code steadyState} is the same
 * query on pre-warmed pools (average time). Each iteration builds a new {@code OpenInsureDb} (cache off)
 * in the same JVM, so the first iteration also pays class loading and the later ones show a warm JVM.
 */
@Fork(1)
@Threads(1)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class StartupBench {

    @State(Scope.Benchmark)
    public static class Ids {
        UUID id;

        @Setup(Level.Trial)
        public void setUp(Server server) {
            id = BenchDb.ids()[42];
        }
    }

    @State(Scope.Thread)
    public static class Built {
        OpenInsureDb db;

        @TearDown(Level.Iteration)
        public void close() {
            if (db != null) {
                db.close();
                db = null;
            }
        }
    }

    @State(Scope.Thread)
    public static class Unused {
        OpenInsureDb db;

        @Setup(Level.Iteration)
        public void build() {
            BenchDb.topology();
            db = BenchDb.open(BenchDb.POOL_SIZE, false, b -> {});
        }

        @TearDown(Level.Iteration)
        public void close() {
            db.close();
        }
    }

    @State(Scope.Benchmark)
    public static class Warm {
        OpenInsureDb db;

        @Setup(Level.Trial)
        public void setUp(Server server) {
            db = BenchDb.open(BenchDb.POOL_SIZE, false, b -> {});
            BenchDb.warmPolicies(db, BenchDb.POOL_SIZE);
        }

        @TearDown(Level.Trial)
        public void close() {
            db.close();
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 0)
    @Measurement(iterations = 10)
    public PolicyRecord buildToFirstAnswer(Ids ids, Built b) {
        b.db = BenchDb.open(BenchDb.POOL_SIZE, false, x -> {});
        return b.db.policies().findPolicy(ids.id).orElseThrow();
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 0)
    @Measurement(iterations = 10)
    public PolicyRecord firstQuery(Ids ids, Unused u) {
        return u.db.policies().findPolicy(ids.id).orElseThrow();
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @Warmup(iterations = 2, time = 2)
    @Measurement(iterations = 3, time = 3)
    public PolicyRecord steadyState(Ids ids, Warm w) {
        return w.db.policies().findPolicy(ids.id).orElseThrow();
    }
}
