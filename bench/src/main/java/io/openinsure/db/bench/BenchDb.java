package io.openinsure.db.bench;

import static io.openinsure.db.domains.schema.oi_policies.Tables.POLICY;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.openinsure.db.core.DatabaseUrl;
import io.openinsure.db.core.JdbcDriver;
import io.openinsure.db.core.KeyspaceClient;
import io.openinsure.db.domains.Keyspace;
import io.openinsure.db.domains.OpenInsureDb;
import io.openinsure.db.domains.PoliciesDb.PolicyStatus;
import io.openinsure.db.testkit.PostgresLayout;
import io.openinsure.db.testkit.TestBackend;
import io.openinsure.db.testkit.Topology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.jooq.Field;

/**
 * What every benchmark shares: the embedded MariaDB topology (started once per forked JVM; the embedded PostgreSQL
 * one for the {@link OnPostgres} benchmarks), 10k seeded policies, the raw pools the SDK is compared with, and the
 * plain SQL of the primary-key lookup.
 *
 * <p>Every pool here, the SDK's and the raw ones, has the same size and the same driver tuning (Connector/J's, or
 * PgJDBC's on PostgreSQL) unless a benchmark says otherwise, so a ratio measures the code path, not the configuration.
 */
public final class BenchDb {

    /** Seeded policies. */
    public static final int POLICIES = 10_000;
    /** Connections per pool in the lookup, dsl and routing benchmarks (the SDK's and the raw ones). */
    public static final int POOL_SIZE = 8;

    /** The policy columns in the generated table's order: the SDK's typed lookup selects the same. */
    public static final String COLUMNS = POLICY.fields().length == 0
            ? "*"
            : java.util.Arrays.stream(POLICY.fields()).map(Field::getName).collect(Collectors.joining(", "));
    /** The primary-key lookup as plain SQL, on the unqualified table (the legacy client routes it). */
    public static final String PK_SQL = "select " + COLUMNS + " from policy where id = ?";

    /** Connector/J properties the SDK sets on its pools (HikariKeyspaceClient): the raw floor gets them too. */
    public static final Map<String, String> SDK_DRIVER_PROPERTIES = Map.of(
            "cachePrepStmts", "true",
            "prepStmtCacheSize", "250",
            "prepStmtCacheSqlLimit", "2048",
            "useLocalSessionState", "true",
            "cacheServerConfiguration", "true",
            "elideSetAutoCommits", "true",
            "rewriteBatchedStatements", "true",
            "maintainTimeStats", "false");

    /**
     * PgJDBC properties the SDK sets on its pools (HikariPools, with the default 1 s connection timeout): the raw floor
     * on PostgreSQL gets them too. Everything else is PgJDBC's default on both sides (e.g. {@code prepareThreshold=5}).
     */
    public static final Map<String, String> SDK_PG_DRIVER_PROPERTIES =
            Map.of("connectTimeout", "1", "ApplicationName", "openinsure-db");

    private static final Map<TestBackend, Topology> TOPOLOGIES = new EnumMap<>(TestBackend.class);
    private static final Map<TestBackend, UUID[]> IDS = new EnumMap<>(TestBackend.class);

    private BenchDb() {}

    /** The topology on the embedded MariaDB, with {@link #POLICIES} policies seeded (once per JVM). */
    public static Topology topology() {
        return topology(TestBackend.MARIADB);
    }

    /**
     * The topology on an embedded server ({@code MARIADB} or {@code POSTGRES}, each keyspace its own database), with
     * {@link #POLICIES} policies seeded (once per JVM and backend).
     */
    public static synchronized Topology topology(TestBackend backend) {
        Topology t = TOPOLOGIES.get(backend);
        if (t == null) {
            t = Topology.of(backend, PostgresLayout.DATABASES);
            IDS.put(backend, seed(t));
            TOPOLOGIES.put(backend, t);
        }
        return t;
    }

    /** The seeded policy ids on the embedded MariaDB. */
    public static UUID[] ids() {
        return ids(TestBackend.MARIADB);
    }

    /** The seeded policy ids on {@code backend}'s embedded server. */
    public static synchronized UUID[] ids(TestBackend backend) {
        topology(backend);
        return IDS.get(backend).clone();
    }

    /** The driver properties the SDK sets on its pools for {@code backend}'s driver. */
    public static Map<String, String> sdkDriverProperties(TestBackend backend) {
        return backend == TestBackend.POSTGRES ? SDK_PG_DRIVER_PROPERTIES : SDK_DRIVER_PROPERTIES;
    }

    /** A JDBC URL for a database on the embedded server. */
    public static String jdbcUrl(String database) {
        return jdbcUrl(topology(), database);
    }

    /** A JDBC URL for a database on {@code t}'s server: PgJDBC's on PostgreSQL, Connector/J's on the others. */
    public static String jdbcUrl(Topology t, String database) {
        DatabaseUrl server = t.server();
        String scheme = server.driver() == JdbcDriver.PGJDBC ? "jdbc:postgresql://" : "jdbc:mysql://";
        return scheme + server.host() + ":" + server.port() + "/" + database;
    }

    public static String user() {
        return topology().server().user().orElse("root");
    }

    public static String password() {
        return topology().server().password().orElse("");
    }

    /** A plain HikariCP pool on a keyspace's database with the given Connector/J properties. */
    public static HikariDataSource rawPool(
            String name, Keyspace keyspace, int size, Map<String, String> driverProperties) {
        return rawPool(name, topology(), keyspace, size, driverProperties);
    }

    /** A plain HikariCP pool on a keyspace's database of {@code t}'s server (vtgate on Vitess) with the given driver properties. */
    public static HikariDataSource rawPool(
            String name, Topology t, Keyspace keyspace, int size, Map<String, String> driverProperties) {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName(name);
        hc.setJdbcUrl(jdbcUrl(t, keyspace.database()));
        hc.setUsername(t.server().user().orElse("root"));
        hc.setPassword(t.server().password().orElse(""));
        hc.setMaximumPoolSize(size);
        hc.setMinimumIdle(size);
        driverProperties.forEach(hc::addDataSourceProperty);
        HikariDataSource ds = new HikariDataSource(hc);
        warm(ds, size);
        return ds;
    }

    /** Opens {@code n} connections at once so every benchmark starts on a full pool. */
    public static void warm(javax.sql.DataSource ds, int n) {
        Connection[] held = new Connection[n];
        try {
            for (int i = 0; i < n; i++) {
                held[i] = ds.getConnection();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not open " + n + " connections: " + e.getMessage(), e);
        } finally {
            for (Connection c : held) {
                if (c != null) {
                    try {
                        c.close();
                    } catch (SQLException ignored) {
                        // returned to the pool or gone: either way not ours any more
                    }
                }
            }
        }
    }

    /** The SDK on the embedded MariaDB's topology, every pool of {@code poolSize}, with extra per-binding settings. */
    public static OpenInsureDb open(int poolSize, boolean cache, Consumer<OpenInsureDb.Builder> more) {
        return open(TestBackend.MARIADB, poolSize, cache, more);
    }

    /** The SDK on {@code backend}'s topology, every pool of {@code poolSize}, with extra per-binding settings. */
    public static OpenInsureDb open(
            TestBackend backend, int poolSize, boolean cache, Consumer<OpenInsureDb.Builder> more) {
        OpenInsureDb.Builder b = topology(backend)
                .builder()
                .defaults(d -> d.maxPoolSize(poolSize)
                        .minIdle(0)
                        .cacheEnabled(cache)
                        .cacheMaxAge(Duration.ofMinutes(10))
                        .cacheMaxEntries(50_000));
        more.accept(b);
        return b.build();
    }

    /** Runs lookups from {@code connections} threads at once on the policies client so its pool is full and warm. */
    public static void warmPolicies(OpenInsureDb db, int connections) {
        warmPolicies(TestBackend.MARIADB, db, connections);
    }

    /** {@link #warmPolicies(OpenInsureDb, int)} for an SDK on {@code backend}'s topology. */
    public static void warmPolicies(TestBackend backend, OpenInsureDb db, int connections) {
        UUID[] all = ids(backend);
        parallel(connections, t -> {
            for (int i = 0; i < 200; i++) {
                db.policies().uncached().fetchOne(PK_SQL, idParameter(backend, all[(t * 200 + i) % all.length]));
            }
        });
    }

    /** An id as a bind value of plain SQL: {@code BINARY(16)} bytes on MySQL-family servers, the {@code UUID} on PostgreSQL. */
    public static Object idParameter(TestBackend backend, UUID id) {
        return backend == TestBackend.POSTGRES ? id : bytes(id);
    }

    /** Runs {@code select 1} from {@code connections} threads at once so the client's pool is full and warm. */
    public static void warm(KeyspaceClient client, int connections) {
        parallel(connections, t -> {
            for (int i = 0; i < 100; i++) {
                client.uncached().fetchValue("select 1");
            }
        });
    }

    private static void parallel(int n, java.util.function.IntConsumer work) {
        Thread[] threads = new Thread[n];
        for (int t = 0; t < n; t++) {
            int index = t;
            threads[t] = new Thread(() -> work.accept(index));
            threads[t].start();
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** The raw floor: borrow, prepare, bind, execute, read every column, return. */
    public static Object[] rawLookup(javax.sql.DataSource ds, UUID id) {
        return rawLookup(ds, id, 0, 0);
    }

    /** {@link #rawLookup} with the statement guards the SDK applies: a row cap and a query timeout (0: none). */
    public static Object[] rawLookup(javax.sql.DataSource ds, UUID id, int maxRows, int timeoutSeconds) {
        return rawLookup(ds, PK_SQL, id, maxRows, timeoutSeconds);
    }

    public static Object[] rawLookup(javax.sql.DataSource ds, String sql, UUID id, int maxRows, int timeoutSeconds) {
        return rawLookup(TestBackend.MARIADB, ds, sql, id, maxRows, timeoutSeconds);
    }

    /** {@link #rawLookup} on {@code backend}'s server: the id bound as {@code BINARY(16)} bytes, or as a {@code uuid} on PostgreSQL. */
    public static Object[] rawLookup(
            TestBackend backend, javax.sql.DataSource ds, String sql, UUID id, int maxRows, int timeoutSeconds) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            if (maxRows > 0) {
                ps.setMaxRows(maxRows);
            }
            if (timeoutSeconds > 0) {
                ps.setQueryTimeout(timeoutSeconds);
            }
            bindId(backend, ps, 1, id);
            ps.execute(); // not executeQuery: Connector/J refuses a "SET STATEMENT ... FOR SELECT" there
            try (ResultSet rs = ps.getResultSet()) {
                if (!rs.next()) {
                    return null;
                }
                int n = rs.getMetaData().getColumnCount();
                Object[] row = new Object[n];
                for (int i = 0; i < n; i++) {
                    row[i] = rs.getObject(i + 1);
                }
                return row;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void bindId(TestBackend backend, PreparedStatement ps, int index, UUID id) throws SQLException {
        if (backend == TestBackend.POSTGRES) {
            ps.setObject(index, id);
        } else {
            ps.setBytes(index, bytes(id));
        }
    }

    public static byte[] bytes(UUID id) {
        return ByteBuffer.allocate(16)
                .putLong(id.getMostSignificantBits())
                .putLong(id.getLeastSignificantBits())
                .array();
    }

    /** Appends a line to a file under the results directory ({@code -Dbench.results}, default bench/results). */
    public static void appendResult(String file, String header, String line) {
        Path dir = Path.of(System.getProperty("bench.results", "bench/results"));
        try {
            Files.createDirectories(dir);
            Path p = dir.resolve(file);
            if (!Files.exists(p)) {
                Files.writeString(
                        p, header + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
            Files.writeString(
                    p, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Seeds {@link #POLICIES} policies into {@code t}'s {@code oi_policies} (through its server: vtgate on Vitess) and returns their ids. */
    static UUID[] seed(Topology t) {
        UUID[] seeded = new UUID[POLICIES];
        TestBackend backend = t.backend();
        String url = jdbcUrl(t, "oi_policies")
                + (backend == TestBackend.POSTGRES ? "?reWriteBatchedInserts=true" : "?rewriteBatchedStatements=true");
        try (Connection c = java.sql.DriverManager.getConnection(
                url, t.server().user().orElse("root"), t.server().password().orElse(""))) {
            try (Statement s = c.createStatement()) {
                s.execute("delete from policy where policy_number like 'BENCH-%'");
            }
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into policy (id, policy_number, org_id, program_id, insured_name, status,"
                            + " effective_date, expiration_date, premium, currency, idempotency_key) values (?,?,?,?,?,?,?,?,?,?,?)")) {
                UUID org = new UUID(0x0190_0000_0000_7000L, 1L);
                UUID program = new UUID(0x0190_0000_0000_7000L, 2L);
                LocalDate start = LocalDate.of(2026, 7, 1);
                for (int i = 0; i < POLICIES; i++) {
                    // time-ordered like the SDK's UUIDv7 ids
                    UUID id = new UUID(0x0190_0000_0000_7000L | ((long) i << 16), 0x8000_0000_0000_0000L | i);
                    seeded[i] = id;
                    bindId(backend, ps, 1, id);
                    ps.setString(2, String.format("BENCH-%06d", i));
                    bindId(backend, ps, 3, org);
                    bindId(backend, ps, 4, program);
                    ps.setString(5, "Insured " + i);
                    ps.setString(6, (i % 10 == 0 ? PolicyStatus.CANCELLED : PolicyStatus.ACTIVE).name());
                    ps.setDate(7, Date.valueOf(start.plusDays(i % 365)));
                    ps.setDate(8, Date.valueOf(start.plusDays(i % 365 + 365)));
                    ps.setBigDecimal(9, BigDecimal.valueOf(1000 + i % 5000, 0));
                    ps.setString(10, "USD");
                    ps.setString(11, "bench-" + i);
                    ps.addBatch();
                    if (i % 1000 == 999) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("could not seed the policies: " + e.getMessage(), e);
        }
        return seeded;
    }
}
