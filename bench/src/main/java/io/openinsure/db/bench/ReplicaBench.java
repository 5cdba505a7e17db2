package io.openinsure.db.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.openinsure.db.core.ReplicaReads;
import io.openinsure.db.domains.Keyspace;
import io.openinsure.db.domains.OpenInsureDb;
import io.openinsure.db.testkit.EmbeddedMariaDb;
import io.openinsure.db.testkit.TestBackend;
import io.openinsure.db.testkit.Topology;
import io.openinsure.db.testkit.VtcomboServer;
import java.util.UUID;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What a read sent to the replica costs through the SDK, against the same on raw JDBC, as interleaved pairs like
 * {@link PairedBench} (each invocation runs every variant once on the same id, in an order that changes every round,
 * timed per call by {@link PairedTimings}):
 * <ul>
 *   <li>{@code rawPrimary}, {@code rawReplica}: raw HikariCP pools (the SDK's Connector/J properties) on the primary and
 *       on the replica;</li>
 *   <li>{@code typedPrimary}, {@code typedReplica}: {@code findPolicy} (cache off) on a policies client without replica
 *       reads, and on one with {@code REPLICA_READS=reads};</li>
 *   <li>{@code dslPrimary}, {@code dslReplica}: the same lookup as plain SQL through {@code dsl()} (cache off: jOOQ's
 *       path, where the client's connection picks the endpoint).</li>
 * </ul>
 * The target: (SDK replica read ÷ SDK primary read) ÷ (raw replica read ÷ raw primary read) ≥ 0.95, in throughput,
 * i.e. routing a read to the replica costs the SDK at most 5 % more than it costs raw JDBC. Backends: {@code mariadb}
 * (the embedded server; the "replica" is the same database through a pool of its own, so only the client's path
 * differs) and {@code vitess} (vtcombo: {@code oi_policies} against {@code oi_policies@replica} through vtgate).
 * Per-iteration timings go to {@code paired.csv}, and {@link Report} prints the ratios and the target per backend.
 *
 * <p>Warm-up 5 × 3 s, longer than {@link ShortRun}'s: with 2 × 2 s, the SDK's replica {@code dsl()} path was still
 * being compiled in the first measurement iterations (means 5–20 % above the primary's, medians within 1–3 %; the
 * ratio of ratios 0.92), and 0.99 with 5 × 3 s (bench/README.md, 2026-12-04).
 */
@Warmup(iterations = 5, time = 3)
@Threads(1)
public class ReplicaBench extends ShortRun implements Interleaved {

    static final String[] VARIANTS = {
        "rawPrimary", "rawReplica", "typedPrimary", "typedReplica", "dslPrimary", "dslReplica"
    };

    /** The seeded topology, raw pools on the primary and the replica, and the SDK without and with replica reads. */
    @State(Scope.Benchmark)
    public static class World {
        @Param({"mariadb", "vitess"})
        public String backend;

        UUID[] ids;
        HikariDataSource rawPrimary;
        HikariDataSource rawReplica;
        OpenInsureDb primary;
        OpenInsureDb replica;

        @Setup(Level.Trial)
        public void start(BenchmarkParams params) {
            long t0 = System.nanoTime();
            Topology t;
            String replicaDatabase;
            if (backend.equals("vitess")) {
                if (VtcomboServer.binary().isEmpty()) {
                    throw new IllegalStateException(
                            "ReplicaBench on vitess needs vtcombo: run vitess-local/vtcombo/build.sh first");
                }
                t = Topology.of(TestBackend.VITESS);
                ids = BenchDb.seed(t);
                replicaDatabase = Keyspace.POLICIES.database() + "@replica";
            } else {
                t = BenchDb.topology();
                ids = BenchDb.ids();
                replicaDatabase = Keyspace.POLICIES.database();
            }
            rawPrimary = pool("raw-primary", t, Keyspace.POLICIES.database());
            rawReplica = pool("raw-replica", t, replicaDatabase);
            primary = t.builder()
                    .defaults(d -> d.maxPoolSize(BenchDb.POOL_SIZE).minIdle(0).cacheEnabled(false))
                    .build();
            String replicaUrl = backend.equals("vitess") ? "@replica" : t.connectionString(Keyspace.POLICIES);
            replica = t.builder()
                    .defaults(d -> d.maxPoolSize(BenchDb.POOL_SIZE).minIdle(0).cacheEnabled(false))
                    .binding(Keyspace.POLICIES, b -> b.replicaUrl(replicaUrl).replicaReads(ReplicaReads.READS))
                    .build();
            for (int i = 0; i < 200; i++) {
                UUID id = ids[i];
                Fixture.check(
                        BenchDb.rawLookup(rawPrimary, id) != null && BenchDb.rawLookup(rawReplica, id) != null,
                        "raw lookups");
                Fixture.check(
                        primary.policies().findPolicy(id).isPresent()
                                && replica.policies().findPolicy(id).isPresent(),
                        "typed");
                Fixture.check(
                        primary.policies().dsl().fetchOne(BenchDb.PK_SQL, BenchDb.bytes(id)) != null
                                && replica.policies().dsl().fetchOne(BenchDb.PK_SQL, BenchDb.bytes(id)) != null,
                        "dsl lookups");
            }
            Fixture.check(
                    replica.policies().health().replica().reads().get("replica") == 400,
                    "every replica read on the replica");
            System.out.printf(
                    "%n%s ready with %d policies in %d ms; replica %s%n",
                    backend,
                    ids.length,
                    (System.nanoTime() - t0) / 1_000_000,
                    replica.policies().health().replica().server());
            Server.pinIfWanted(params);
        }

        private static HikariDataSource pool(String name, Topology t, String database) {
            HikariConfig hc = new HikariConfig();
            hc.setPoolName(name);
            hc.setJdbcUrl(
                    "jdbc:mysql://" + t.server().host() + ":" + t.server().port() + "/" + database.replace("@", "%40"));
            hc.setUsername(t.server().user().orElse("root"));
            hc.setPassword(t.server().password().orElse(""));
            hc.setMaximumPoolSize(BenchDb.POOL_SIZE);
            hc.setMinimumIdle(BenchDb.POOL_SIZE);
            BenchDb.SDK_DRIVER_PROPERTIES.forEach(hc::addDataSourceProperty);
            HikariDataSource ds = new HikariDataSource(hc);
            BenchDb.warm(ds, BenchDb.POOL_SIZE);
            return ds;
        }

        @TearDown(Level.Trial)
        public void stop() {
            System.out.println(
                    "\nreplica after the run: " + replica.policies().health().replica());
            primary.close();
            replica.close();
            rawPrimary.close();
            rawReplica.close();
            if (backend.equals("vitess")) {
                VtcomboServer.shared().close();
            } else {
                EmbeddedMariaDb.shared().close(); // else the forked JVM waits on the server process (see Server)
            }
        }
    }

    @Benchmark
    public void round(World w, Fixture.Cursor c, PairedTimings t, Blackhole bh) {
        UUID id = c.next(w.ids);
        for (int v : t.order(VARIANTS)) {
            t.start();
            Object r = switch (v) {
                case 0 -> BenchDb.rawLookup(w.rawPrimary, id);
                case 1 -> BenchDb.rawLookup(w.rawReplica, id);
                case 2 -> w.primary.policies().findPolicy(id).orElseThrow();
                case 3 -> w.replica.policies().findPolicy(id).orElseThrow();
                case 4 -> w.primary.policies().dsl().fetchOne(BenchDb.PK_SQL, BenchDb.bytes(id));
                default -> w.replica.policies().dsl().fetchOne(BenchDb.PK_SQL, BenchDb.bytes(id));
            };
            t.stop(v);
            bh.consume(r);
        }
    }
}
