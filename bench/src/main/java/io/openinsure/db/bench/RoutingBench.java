package io.openinsure.db.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.openinsure.db.domains.Keyspace;
import io.openinsure.db.domains.OpenInsureDb;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.shardingsphere.driver.api.yaml.YamlShardingSphereDataSourceFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * The same plain-SQL primary-key lookup on the unqualified table {@code policy}
 * ({@link BenchDb#PK_SQL}), cache off everywhere:
 * <ul>
 * <li>{@code legacyRouted}: the legacy client ({@code openinsure}), which rewrites {@code policy} to
 *     {@code oi_policies.policy} client-side on MariaDB (on vtgate the routing rules do it);
 * <li>{@code directClient}: the policies client, no routing;
 * <li>{@code shardingSphere}: Apache ShardingSphere-JDBC 5.5.2, two data sources (the legacy database as
 *     default, {@code oi_policies}), {@code policy} placed by its single-table rule, a JDBC prepared statement;
 * <li>{@code rawServerPrep}: a raw HikariCP pool with the Connector/J properties ShardingSphere sets on its
 *     MySQL pools ({@code useServerPrepStmts=true}, {@code cachePrepStmts=true}), the fair floor for it;
 * </ul>
 * The raw floor with client-side prepared statements is {@code Paired1ThreadBench.pkLookup}'s {@code rawJdbc}: the same code
 * on the same SQL.
 */
@Threads(1)
public class RoutingBench extends ShortRun {

    @State(Scope.Benchmark)
    public static class Sdk {
        UUID[] ids;
        OpenInsureDb db;

        @Setup(Level.Trial)
        public void setUp(Server server) {
            ids = BenchDb.ids();
            db = BenchDb.open(BenchDb.POOL_SIZE, false, b -> {});
            BenchDb.warmPolicies(db, BenchDb.POOL_SIZE);
            for (int i = 0; i < 100; i++) {
                Fixture.check(
                        db.legacy().dsl().fetchOne(BenchDb.PK_SQL, BenchDb.bytes(ids[i])) != null, "legacy lookup");
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            db.close();
        }
    }

    @State(Scope.Benchmark)
    public static class ServerPrep {
        UUID[] ids;
        HikariDataSource raw;

        @Setup(Level.Trial)
        public void setUp(Server server) {
            ids = BenchDb.ids();
            raw = BenchDb.rawPool(
                    "raw-server-prep", Keyspace.POLICIES, BenchDb.POOL_SIZE, shardingSphereDriverProperties());
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            raw.close();
        }
    }

    @State(Scope.Benchmark)
    public static class Sharding {
        UUID[] ids;
        DataSource ds;

        @Setup(Level.Trial)
        public void setUp(Server server) throws Exception {
            ids = BenchDb.ids();
            long t0 = System.nanoTime();
            ds = YamlShardingSphereDataSourceFactory.createDataSource(yaml().getBytes(StandardCharsets.UTF_8));
            BenchDb.warm(ds, BenchDb.POOL_SIZE);
            System.out.printf(
                    "%nShardingSphere-JDBC: data source and first connection in %d ms%n",
                    (System.nanoTime() - t0) / 1_000_000);
            for (int i = 0; i < 100; i++) {
                Fixture.check(BenchDb.rawLookup(ds, ids[i]) != null, "ShardingSphere lookup");
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            ((AutoCloseable) ds).close();
        }
    }

    /** What ShardingSphere 5.5.2 adds to a MySQL pool's URL (MySQLDataSourceMetaData's default query properties). */
    static Map<String, String> shardingSphereDriverProperties() {
        Map<String, String> p = new HashMap<>();
        p.put("useServerPrepStmts", "true");
        p.put("cachePrepStmts", "true");
        return p;
    }

    /** The ShardingSphere configuration: standalone mode (its in-memory H2 repository), single-table rule. */
    static String yaml() {
        return String.join(
                "\n",
                "databaseName: openinsure_bench",
                "mode:",
                "  type: Standalone",
                "  repository:",
                "    type: JDBC",
                "dataSources:",
                "  ds_legacy:",
                dataSource(Keyspace.LEGACY),
                "  ds_policies:",
                dataSource(Keyspace.POLICIES),
                "rules:",
                "- !SINGLE",
                "  tables:",
                "    - ds_policies.policy",
                "  defaultDataSource: ds_legacy",
                "props:",
                "  sql-show: false",
                "");
    }

    private static String dataSource(Keyspace k) {
        return String.join(
                "\n",
                "    dataSourceClassName: com.zaxxer.hikari.HikariDataSource",
                "    driverClassName: com.mysql.cj.jdbc.Driver",
                "    jdbcUrl: " + BenchDb.jdbcUrl(k.database()),
                "    username: " + BenchDb.user(),
                "    password: '" + BenchDb.password() + "'",
                "    maximumPoolSize: " + BenchDb.POOL_SIZE,
                "    minimumIdle: " + BenchDb.POOL_SIZE);
    }

    @Benchmark
    public Object legacyRouted(Sdk s, Fixture.Cursor c) {
        return s.db.legacy().dsl().fetchOne(BenchDb.PK_SQL, BenchDb.bytes(c.next(s.ids)));
    }

    @Benchmark
    public Object directClient(Sdk s, Fixture.Cursor c) {
        return s.db.policies().dsl().fetchOne(BenchDb.PK_SQL, BenchDb.bytes(c.next(s.ids)));
    }

    @Benchmark
    public Object rawServerPrep(ServerPrep s, Fixture.Cursor c) {
        return BenchDb.rawLookup(s.raw, c.next(s.ids));
    }

    @Benchmark
    public Object shardingSphere(Sharding s, Fixture.Cursor c) {
        return BenchDb.rawLookup(s.ds, c.next(s.ids));
    }
}
