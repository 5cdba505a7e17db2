package io.openinsure.db.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import io.openinsure.db.core.BindingConfig;
import io.openinsure.db.core.CacheStatus;
import io.openinsure.db.core.DatabaseUrl;
import io.openinsure.db.core.KeyspaceClient;
import io.openinsure.db.testsupport.EmbeddedMariaDbServer;
import io.openinsure.db.testsupport.EmbeddedPostgresServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A database of its own ({@code oi_cache_test}) on an embedded server, a user of its own whose
 * statements the server counts, and clients whose clock and refresh executor the test drives.
 */
final class CacheFixture implements AutoCloseable {

    static final String DATABASE = "oi_cache_test";
    private static final String USER = "oi_cache_probe";
    private static final String PASSWORD = "Cache-Probe-1";

    /** The cache's clock: starts anywhere, moves only when a test says so. */
    final AtomicLong now = new AtomicLong(TimeUnit.DAYS.toNanos(1));
    /** Stale-while-revalidate refreshes wait here until {@link #runRefreshes()}. */
    final Queue<Runnable> refreshes = new ConcurrentLinkedQueue<>();

    private final boolean postgres;
    private final DatabaseUrl server;
    private final EmbeddedMariaDbServer mariaDb;
    private final EmbeddedPostgresServer postgresServer;
    private final List<KeyspaceClient> clients = new ArrayList<>();

    private CacheFixture(EmbeddedMariaDbServer mariaDb, EmbeddedPostgresServer postgresServer) {
        this.postgres = postgresServer != null;
        this.mariaDb = mariaDb;
        this.postgresServer = postgresServer;
        this.server = DatabaseUrl.parse(postgres ? postgresServer.connectionString("") : mariaDb.connectionString(""));
    }

    /** On the embedded MariaDB, with per-user statement counters ({@code userstat}) on. */
    static CacheFixture mariaDb() throws SQLException {
        EmbeddedMariaDbServer mariaDb = EmbeddedMariaDbServer.shared();
        mariaDb.execute("CREATE DATABASE IF NOT EXISTS " + DATABASE + " CHARACTER SET utf8mb4");
        CacheFixture f = new CacheFixture(mariaDb, null);
        f.admin("SET GLOBAL userstat = 1");
        for (String host : List.of("localhost", "127.0.0.1")) {
            f.admin("CREATE USER IF NOT EXISTS '" + USER + "'@'" + host + "' IDENTIFIED BY '" + PASSWORD + "'");
            f.admin("GRANT ALL PRIVILEGES ON " + DATABASE + ".* TO '" + USER + "'@'" + host + "'");
        }
        return f;
    }

    /** On the embedded PostgreSQL. */
    static CacheFixture postgres() throws SQLException {
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.shared();
        try (Connection c = postgres.open("");
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
            if (!rs.next()) {
                st.execute("CREATE DATABASE " + DATABASE);
            }
        }
        return new CacheFixture(null, postgres);
    }

    /** A client on the test database: pool of {@code poolSize}, filled before it is returned, then {@code settings}. */
    KeyspaceClient client(int poolSize, Consumer<BindingConfig.Builder> settings) {
        BindingConfig.Builder b = BindingConfig.builder("cachetest")
                .url((postgres ? "postgres" : "mysql") + "://127.0.0.1:" + server.port() + "/" + DATABASE)
                .maxPoolSize(poolSize)
                .minIdle(poolSize);
        if (postgres) {
            b.user("postgres");
        } else {
            b.user(USER).password(PASSWORD);
        }
        settings.accept(b);
        Ticker ticker = now::get;
        Executor queued = refreshes::add;
        HikariKeyspaceClient client = new HikariKeyspaceClient(b.build(), ticker, queued);
        clients.add(client);
        client.dsl(); // dialect detection, before anything is measured
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (client.poolStats().total() < poolSize && System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(
                    20)); // opening a connection runs a SELECT of the driver's: not during a measurement
        }
        assertThat(client.poolStats().total()).as("pool filled").isEqualTo(poolSize);
        return client;
    }

    KeyspaceClient client(Consumer<BindingConfig.Builder> settings) {
        return client(2, settings);
    }

    /** SELECT statements the server has run for the test user (MariaDB {@code USER_STATISTICS}). */
    long serverSelects() throws SQLException {
        try (Connection c = mariaDb.open("");
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT SELECT_COMMANDS FROM information_schema.USER_STATISTICS WHERE USER = '" + USER + "'")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** Runs statements as the administrator, on the test database. */
    void admin(String... statements) throws SQLException {
        try (Connection c = adminConnection();
                Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }

    /** An administrator connection on the test database, for locks held across a test step. */
    Connection adminConnection() throws SQLException {
        return postgres ? postgresServer.open(DATABASE) : mariaDb.open(DATABASE);
    }

    void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    /** Runs the queued refreshes; returns how many ran. */
    int runRefreshes() {
        int n = 0;
        for (Runnable r = refreshes.poll(); r != null; r = refreshes.poll()) {
            r.run();
            n++;
        }
        return n;
    }

    /** Connections of a client held in open transactions until {@link #release()}: the pool is exhausted meanwhile. */
    static final class Held implements AutoCloseable {
        private final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        private final java.util.concurrent.ExecutorService holders;

        private Held(KeyspaceClient client, int connections) throws InterruptedException {
            holders = java.util.concurrent.Executors.newFixedThreadPool(connections);
            java.util.concurrent.CountDownLatch holding = new java.util.concurrent.CountDownLatch(connections);
            for (int i = 0; i < connections; i++) {
                holders.submit(() -> client.transaction(tx -> {
                    holding.countDown();
                    release.await(30, TimeUnit.SECONDS);
                }));
            }
            assertThat(holding.await(10, TimeUnit.SECONDS))
                    .as("all %d connections borrowed", connections)
                    .isTrue();
        }

        /** Ends the transactions and waits until the connections are back in the pool. */
        void release() throws InterruptedException {
            release.countDown();
            holders.shutdown();
            assertThat(holders.awaitTermination(10, TimeUnit.SECONDS))
                    .as("held connections returned")
                    .isTrue();
        }

        @Override
        public void close() {
            release.countDown();
            holders.shutdownNow();
        }
    }

    /** Borrows {@code connections} connections of {@code client}, each in an open transaction on a thread of its own. */
    static Held holdConnections(KeyspaceClient client, int connections) throws InterruptedException {
        return new Held(client, connections);
    }

    static long count(KeyspaceClient client, CacheStatus status) {
        return client.cacheStats().count(status);
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        clients.forEach(KeyspaceClient::close);
        clients.clear();
    }
}
