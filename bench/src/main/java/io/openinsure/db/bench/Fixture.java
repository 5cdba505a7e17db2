package io.openinsure.db.bench;

import static io.openinsure.db.domains.schema.oi_policies.Tables.POLICY;

import com.zaxxer.hikari.HikariDataSource;
import io.openinsure.db.domains.Keyspace;
import io.openinsure.db.domains.OpenInsureDb;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The lookup and {@code dsl()} benchmarks' world: a raw HikariCP pool (the floor), plain jOOQ on it, and
 * two SDKs on the same server, one with the read cache off and one with it on (the hot ids pre-cached).
 * All pools hold {@link BenchDb#POOL_SIZE} connections with the SDK's Connector/J properties.
 */
@State(Scope.Benchmark)
public class Fixture {

    /** Ids the cache-hit benchmarks read: all cached in setup. */
    public static final int HOT = 1_000;

    public UUID[] ids;
    public HikariDataSource raw;
    /** Pools of their own for the guarded raw variants of {@link PairedBench}, so that each variant's calls go to its own server threads. */
    public HikariDataSource rawTimeout;

    public HikariDataSource rawServerTimeout;
    public DSLContext plainJooq;
    public OpenInsureDb cacheOff;
    public OpenInsureDb cacheOn;

    @Setup(Level.Trial)
    public void setUp(Server server) {
        ids = BenchDb.ids();
        raw = BenchDb.rawPool("raw", Keyspace.POLICIES, BenchDb.POOL_SIZE, BenchDb.SDK_DRIVER_PROPERTIES);
        rawTimeout =
                BenchDb.rawPool("raw-timeout", Keyspace.POLICIES, BenchDb.POOL_SIZE, BenchDb.SDK_DRIVER_PROPERTIES);
        rawServerTimeout = BenchDb.rawPool(
                "raw-server-timeout", Keyspace.POLICIES, BenchDb.POOL_SIZE, BenchDb.SDK_DRIVER_PROPERTIES);
        plainJooq = DSL.using(raw, SQLDialect.MARIADB);
        cacheOff = BenchDb.open(BenchDb.POOL_SIZE, false, b -> {});
        cacheOn = BenchDb.open(BenchDb.POOL_SIZE, true, b -> {});
        BenchDb.warmPolicies(cacheOff, BenchDb.POOL_SIZE);
        BenchDb.warmPolicies(cacheOn, BenchDb.POOL_SIZE);
        for (int i = 0; i < HOT; i++) {
            check(cacheOn.policies().findPolicy(ids[i]).isPresent(), "typed lookup");
            check(DslBench.adHoc(cacheOn.policies().dsl(), ids[i]) != null, "dsl lookup");
        }
        check(BenchDb.rawLookup(raw, ids[0]) != null, "raw lookup");
        check(DslBench.adHoc(plainJooq, ids[0]) != null && POLICY.getName().equals("policy"), "plain jOOQ lookup");
    }

    static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException(what + " found no seeded policy");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        System.out.println("\ncache (on) after the run: " + cacheOn.policies().cacheStats());
        cacheOn.close();
        cacheOff.close();
        raw.close();
        rawTimeout.close();
        rawServerTimeout.close();
    }

    /** Each thread walks the ids from its own start with a stride, so threads do not read in lockstep. */
    @State(Scope.Thread)
    public static class Cursor {
        private static final java.util.concurrent.atomic.AtomicInteger THREADS =
                new java.util.concurrent.atomic.AtomicInteger();
        private int i = THREADS.getAndIncrement() * 7919;

        public UUID next(UUID[] ids) {
            i = (i + 7) % ids.length;
            return ids[i];
        }

        public UUID nextHot(UUID[] ids) {
            i = (i + 7) % HOT;
            return ids[i];
        }
    }
}
