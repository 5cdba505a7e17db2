package io.openinsure.db.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.openinsure.db.domains.Keyspace;
import io.openinsure.db.domains.OpenInsureDb;
import io.openinsure.db.testkit.TestBackend;
import io.openinsure.db.testkit.Topology;
import io.openinsure.db.testkit.VtcomboServer;
import java.util.UUID;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The primary-key lookup through a real vtgate (vtcombo built by {@code vitess-local/vtcombo/build.sh}, over
 * an embedded MariaDB), as interleaved pairs like {@link PairedBench}: each invocation runs every variant once
 * on the same id, in an order that changes every round, timed per call by {@link PairedTimings}; per-iteration
 * timings go to {@code paired.csv}.
 * <ul>
 *   <li>{@code rawJdbc}: a raw HikariCP pool to vtgate, the SDK's Connector/J properties (the floor);</li>
 *   <li>{@code typedCacheOff}: the policies client's typed {@code findPolicy}, cache off;</li>
 *   <li>{@code directClient}: the same lookup as plain SQL through the policies client ({@code oi_policies});</li>
 *   <li>{@code legacyRouted}: the same plain SQL through the legacy client ({@code openinsure}): on vtgate it
 *       passes through and vtgate's routing rules send {@code policy} to {@code oi_policies};</li>
 *   <li>{@code rawJdbcDirective}: raw JDBC with the SDK's guards as it sends them to vtgate ({@code setMaxRows} and the
 *       timeout as {@code /*vt+ QUERY_TIMEOUT_MS=30000 *}{@code /});</li>
 *   <li>{@code rawJdbcTimeout}: raw JDBC with {@code setMaxRows} and Connector/J's {@code setQueryTimeout} (what the SDK
 *       sent to vtgate before the directive).</li>
 * </ul>
 * Needs the vtcombo binary; without it the setup fails with the reason.
 *
 * <p>Warm-up 5 × 3 s, longer than {@link ShortRun}'s: with 2 × 2 s, the SDK's replica {@code dsl()} path was still
 * being compiled in the first measurement iterations (means 5–20 % above the primary's, medians within 1–3 %; the
 * ratio of ratios 0.92), and 0.99 with 5 × 3 s (bench/README.md, 2026-12-04).
 */
@Warmup(iterations = 5, time = 3)
@Threads(1)
public class VtgateBench extends ShortRun implements Interleaved {

    static final String[] VARIANTS = {
        "rawJdbc", "typedCacheOff", "directClient", "legacyRouted", "rawJdbcDirective", "rawJdbcTimeout"
    };
    /** The lookup as the SDK sends it to vtgate: the query timeout as vtgate's directive. */
    private static final String DIRECTIVE_PK_SQL =
            BenchDb.PK_SQL.replaceFirst("^select", "select /*vt+ QUERY_TIMEOUT_MS=30000 */");

    /** vtcombo with the topology, seeded, a raw pool to vtgate and the SDK with the cache off. */
    @State(Scope.Benchmark)
    public static class Vtgate {
        UUID[] ids;
        HikariDataSource raw;
        HikariDataSource rawDirective;
        HikariDataSource rawTimeout;
        OpenInsureDb sdk;

        @Setup(Level.Trial)
        public void start(BenchmarkParams params) {
            long t0 = System.nanoTime();
            if (VtcomboServer.binary().isEmpty()) {
                throw new IllegalStateException("VtgateBench needs vtcombo: run vitess-local/vtcombo/build.sh first");
            }
            Topology t = Topology.of(TestBackend.VITESS);
            ids = BenchDb.seed(t);
            raw = BenchDb.rawPool("raw-vtgate", t, Keyspace.POLICIES, BenchDb.POOL_SIZE, BenchDb.SDK_DRIVER_PROPERTIES);
            rawDirective = BenchDb.rawPool(
                    "raw-vtgate-directive", t, Keyspace.POLICIES, BenchDb.POOL_SIZE, BenchDb.SDK_DRIVER_PROPERTIES);
            rawTimeout = BenchDb.rawPool(
                    "raw-vtgate-timeout", t, Keyspace.POLICIES, BenchDb.POOL_SIZE, BenchDb.SDK_DRIVER_PROPERTIES);
            sdk = t.builder()
                    .defaults(d -> d.maxPoolSize(BenchDb.POOL_SIZE).minIdle(0).cacheEnabled(false))
                    .build();
            for (int i = 0; i < 200; i++) {
                UUID id = ids[i];
                Fixture.check(sdk.policies().findPolicy(id).isPresent(), "typed lookup through vtgate");
                Fixture.check(
                        sdk.legacy().dsl().fetchOne(BenchDb.PK_SQL, BenchDb.bytes(id)) != null,
                        "legacy lookup through vtgate");
                Fixture.check(
                        sdk.policies().dsl().fetchOne(BenchDb.PK_SQL, BenchDb.bytes(id)) != null,
                        "direct lookup through vtgate");
                Fixture.check(BenchDb.rawLookup(raw, id) != null, "raw lookup through vtgate");
            }
            System.out.printf(
                    "%nvtcombo started, migrated and seeded with %d policies in %d ms%n",
                    BenchDb.POLICIES, (System.nanoTime() - t0) / 1_000_000);
            Server.pinIfWanted(params);
        }

        @TearDown(Level.Trial)
        public void stop() {
            sdk.close();
            raw.close();
            rawDirective.close();
            rawTimeout.close();
            VtcomboServer.shared().close();
        }
    }

    @Benchmark
    public void round(Vtgate g, Fixture.Cursor c, PairedTimings t, Blackhole bh) {
        UUID id = c.next(g.ids);
        for (int v : t.order(VARIANTS)) {
            t.start();
            Object r = switch (v) {
                case 0 -> BenchDb.rawLookup(g.raw, id);
                case 1 -> g.sdk.policies().findPolicy(id).orElseThrow();
                case 2 -> g.sdk.policies().dsl().fetchOne(BenchDb.PK_SQL, BenchDb.bytes(id));
                case 3 -> g.sdk.legacy().dsl().fetchOne(BenchDb.PK_SQL, BenchDb.bytes(id));
                case 4 -> BenchDb.rawLookup(g.rawDirective, DIRECTIVE_PK_SQL, id, 10_001, 0);
                default -> BenchDb.rawLookup(g.rawTimeout, BenchDb.PK_SQL, id, 10_001, 30);
            };
            t.stop(v);
            bh.consume(r);
        }
    }
}
