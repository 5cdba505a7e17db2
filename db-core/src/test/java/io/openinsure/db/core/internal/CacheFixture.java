package io.openinsure.db.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import io.openinsure.db.core.BindingConfig;
import io.openinsure.db.core.CacheStatus;
import io.openinsure.db.core.KeyspaceClient;
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

    private final TestServer server;
    private final String url;
    private final List<KeyspaceClient> clients = new ArrayList<>();

    private CacheFixture(TestServer server) throws SQLException {
        this.server = server;
        this.url = server.connectionString(DATABASE);
    }

    /**
     * On {@code server}, with a user of its own whose SELECT statements the server counts: MariaDB's per-user statistics
     * ({@code userstat}), PostgreSQL's {@code pg_stat_statements} (preloaded by the embedded server).
     */
    static CacheFixture on(TestServer server) throws SQLException {
        CacheFixture f = new CacheFixture(server);
        if (server.postgres()) {
            f.admin(
                    "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + USER
                            + "') THEN CREATE ROLE " + USER + " LOGIN SUPERUSER PASSWORD '" + PASSWORD
                            + "'; END IF; END $$",
                    "CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        } else {
            f.admin("SET GLOBAL userstat = 1");
            for (String host : List.of("localhost", "127.0.0.1")) {
                f.admin("CREATE USER IF NOT EXISTS '" + USER + "'@'" + host + "' IDENTIFIED BY '" + PASSWORD + "'");
                f.admin("GRANT ALL PRIVILEGES ON " + DATABASE + ".* TO '" + USER + "'@'" + host + "'");
            }
        }
        return f;
    }

    /** On the embedded MariaDB. */
    static CacheFixture mariaDb() throws SQLException {
        return on(TestServer.MARIADB);
    }

    /** On the embedded PostgreSQL. */
    static CacheFixture postgres() throws SQLException {
        return on(TestServer.POSTGRES);
    }

    TestServer server() {
        return server;
    }

    /** A client on the test database: pool of {@code poolSize}, filled before it is returned, then {@code settings}. */
    KeyspaceClient client(int poolSize, Consumer<BindingConfig.Builder> settings) {
        BindingConfig.Builder b = BindingConfig.builder("cachetest")
                .url(url)
                .user(USER)
                .password(PASSWORD)
                .maxPoolSize(poolSize)
                .minIdle(poolSize);
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

    /**
     * SELECT statements the server has run for the test user: MariaDB's {@code USER_STATISTICS.SELECT_COMMANDS},
     * PostgreSQL's {@code pg_stat_statements} (the calls of the user's statements that begin with SELECT, counted as
     * each ends). On PostgreSQL the catalog query PgJDBC runs itself when jOOQ asks a result for its columns' table
     * names (once per connection and column; {@code ResultSetMetaData.getTableName}) is not counted.
     */
    long serverSelects() throws SQLException {
        String sql = server.postgres()
                ? "SELECT coalesce(sum(s.calls), 0) FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid"
                        + " WHERE r.rolname = '" + USER + "' AND s.query ILIKE 'select%'"
                        + " AND s.query NOT LIKE '%FROM pg_catalog.pg_class%'"
                : "SELECT SELECT_COMMANDS FROM information_schema.USER_STATISTICS WHERE USER = '" + USER + "'";
        try (Connection c = adminConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** Runs statements as the administrator, on the test database. */
    void admin(String... statements) throws SQLException {
        server.admin(DATABASE, statements);
    }

    /** An administrator connection on the test database, for locks held across a test step. */
    Connection adminConnection() throws SQLException {
        return server.open(DATABASE);
    }

    /**
     * Locks {@code table} against every other session until the returned lock is closed: MariaDB's {@code LOCK TABLES …
     * WRITE}, PostgreSQL's {@code LOCK TABLE … IN ACCESS EXCLUSIVE MODE} in an open transaction. A read of the table
     * waits for it on the server.
     */
    TableLock lock(String table) throws SQLException {
        Connection c = adminConnection();
        try (Statement st = c.createStatement()) {
            if (server.postgres()) {
                c.setAutoCommit(false);
                st.execute("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
            } else {
                st.execute("LOCK TABLES " + table + " WRITE");
            }
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
        return new TableLock(c, server);
    }

    /** A table lock of {@link #lock}; closing it releases the lock. */
    static final class TableLock implements AutoCloseable {
        private final Connection connection;
        private final TestServer server;

        private TableLock(Connection connection, TestServer server) {
            this.connection = connection;
            this.server = server;
        }

        /** The test user's SELECT statements that wait on the server (for this lock). */
        int waitingReads() throws SQLException {
            String sql = server.postgres()
                    ? "SELECT count(*) FROM pg_stat_activity WHERE usename = '" + USER + "' AND state = 'active'"
                            + " AND wait_event_type = 'Lock' AND query ILIKE 'select%'"
                    // a miss carries its timeout to MariaDB: SET STATEMENT max_statement_time=… FOR select …
                    : "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = '" + USER + "' AND (INFO LIKE"
                            + " 'select%' OR INFO LIKE 'SET STATEMENT max_statement_time=% FOR select%')";
            // Not on the lock's connection: in its open transaction PostgreSQL would answer from the first snapshot.
            try (Connection c = server.open(DATABASE);
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery(sql)) {
                rs.next();
                return rs.getInt(1);
            }
        }

        @Override
        public void close() throws SQLException {
            if (connection.isClosed()) {
                return;
            }
            try (connection;
                    Statement st = connection.createStatement()) {
                if (server.postgres()) {
                    connection.commit();
                } else {
                    st.execute("UNLOCK TABLES");
                }
            }
        }
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
