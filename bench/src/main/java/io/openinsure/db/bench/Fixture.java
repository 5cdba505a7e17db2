package io.openinsure.db.bench;

import static io.openinsure.db.domains.schema.oi_policies.Tables.POLICY;

import com.zaxxer.hikari.HikariDataSource;
import io.openinsure.db.domains.Keyspace;
import io.openinsure.db.domains.OpenInsureDb;
import io.openinsure.db.testkit.TestBackend;
import io.openinsure.db.testkit.Topology;
import java.util.Map;
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
 * The lookup and {@code dsl()} benchmarks' world on the {@link Server}'s backend: a raw HikariCP pool (the floor),
 * plain jOOQ on it, and two SDKs on the same server, one with the read cache off and one with it on (the hot ids
 * pre-cached). All pools hold {@link BenchDb#POOL_SIZE} connections with the SDK's driver properties (Connector/J's,
 * or PgJDBC's on PostgreSQL).
 */
@State(Scope.Benchmark)
public class Fixture {

    /** Ids the cache-hit benchmarks read: all cached in setup. */
    public static final int HOT = 1_000;

    /** MariaDB, or PostgreSQL for the {@link OnPostgres} benchmarks. */
    public TestBackend backend;

    public UUID[] ids;
    public HikariDataSource raw;
    /** Pools of their own for the guarded raw variants of {@link PairedBench}, so that each variant's calls go to its own server threads. */
    public HikariDataSource rawTimeout;

    /** MariaDB only ({@code SET STATEMENT … FOR}); null on PostgreSQL, which has no per-statement form outside a transaction. */
    public HikariDataSource rawServerTimeout;
    /** MariaDB only (the ad-hoc pair); null on PostgreSQL. */
    public DSLContext plainJooq;

    public OpenInsureDb cacheOff;
    public OpenInsureDb cacheOn;

    /** The variants of {@link PairedBench#LOOKUP} this backend runs, as indexes: all four on MariaDB, not the server timeout on PostgreSQL. */
    int[] lookupVariants;
    /** Their names, in the same order: what {@link PairedTimings} orders and records. */
    String[] lookupNames;

    @Setup(Level.Trial)
    public void setUp(Server server) {
        backend = server.backend();
        boolean mariadb = backend == TestBackend.MARIADB;
        Map<String, String> driver = BenchDb.sdkDriverProperties(backend);
        Topology t = BenchDb.topology(backend);
        ids = BenchDb.ids(backend);
        raw = BenchDb.rawPool("raw", t, Keyspace.POLICIES, BenchDb.POOL_SIZE, driver);
        rawTimeout = BenchDb.rawPool("raw-timeout", t, Keyspace.POLICIES, BenchDb.POOL_SIZE, driver);
        lookupVariants = mariadb ? new int[] {0, 1, 2, 3} : new int[] {0, 1, 3};
        lookupNames = java.util.Arrays.stream(lookupVariants)
                .mapToObj(v -> PairedBench.LOOKUP[v])
                .toArray(String[]::new);
        if (mariadb) {
            rawServerTimeout = BenchDb.rawPool("raw-server-timeout", t, Keyspace.POLICIES, BenchDb.POOL_SIZE, driver);
            plainJooq = DSL.using(raw, SQLDialect.MARIADB);
        }
        cacheOff = BenchDb.open(backend, BenchDb.POOL_SIZE, false, b -> {});
        cacheOn = BenchDb.open(backend, BenchDb.POOL_SIZE, true, b -> {});
        BenchDb.warmPolicies(backend, cacheOff, BenchDb.POOL_SIZE);
        BenchDb.warmPolicies(backend, cacheOn, BenchDb.POOL_SIZE);
        for (int i = 0; i < HOT; i++) {
            check(cacheOn.policies().findPolicy(ids[i]).isPresent(), "typed lookup");
            check(DslBench.adHoc(cacheOn.policies().dsl(), ids[i]) != null, "dsl lookup");
        }
        check(BenchDb.rawLookup(backend, raw, BenchDb.PK_SQL, ids[0], 0, 0) != null, "raw lookup");
        if (mariadb) {
            check(DslBench.adHoc(plainJooq, ids[0]) != null && POLICY.getName().equals("policy"), "plain jOOQ lookup");
        }
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
        if (rawServerTimeout != null) {
            rawServerTimeout.close();
        }
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
