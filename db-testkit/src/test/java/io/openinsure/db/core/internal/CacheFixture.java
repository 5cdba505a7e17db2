package io.openinsure.db.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import io.openinsure.db.core.BindingConfig;
import io.openinsure.db.core.CacheStatus;
import io.openinsure.db.core.DatabaseUrl;
import io.openinsure.db.core.KeyspaceClient;
import io.openinsure.db.testkit.EmbeddedMariaDb;
import io.openinsure.db.testkit.EmbeddedPostgresDb;
import io.openinsure.db.testkit.internal.AdminConnections;
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
    private final List<KeyspaceClient> clients = new ArrayList<>();

    private CacheFixture(boolean postgres, DatabaseUrl server) {
        this.postgres = postgres;
        this.server = server;
    }

    /** On the embedded MariaDB, with per-user statement counters ({@code userstat}) on. */
    static CacheFixture mariaDb() throws SQLException {
        DatabaseUrl server = DatabaseUrl.parse(EmbeddedMariaDb.shared().connectionString(""));
        AdminConnections.createDatabase(server, DATABASE);
        CacheFixture f = new CacheFixture(false, server);
        f.admin("SET GLOBAL userstat = 1");
        for (String host : List.of("localhost", "127.0.0.1")) {
            f.admin("CREATE USER IF NOT EXISTS '" + USER + "'@'" + host + "' IDENTIFIED BY '" + PASSWORD + "'");
            f.admin("GRANT ALL PRIVILEGES ON " + DATABASE + ".* TO '" + USER + "'@'" + host + "'");
        }
        return f;
    }

    /** On the embedded PostgreSQL. */
    static CacheFixture postgres() {
        DatabaseUrl server = DatabaseUrl.parse(EmbeddedPostgresDb.shared().connectionString(""));
        AdminConnections.createDatabase(server, DATABASE);
        return new CacheFixture(true, server);
    }

    /** A client on the test database: pool of {@code poolSize}, filled before it is returned, then {@code settings}. */
    KeyspaceClient client(int poolSize, Consumer<BindingConfig.Builder> settings) {
        BindingConfig.Builder b = BindingConfig.builder("cachetest")
                .url((postgres ? "postgres" : "mysql") + "://127.0.0.1:" + server.port() + "/" + DATABASE)
                .maxPoolSize(poolSize).minIdle(poolSize);
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
            sleep(Duration.ofMillis(20)); // opening a connection runs a SELECT of the driver's: not during a measurement
        }
        assertThat(client.poolStats().total()).as("pool filled").isEqualTo(poolSize);
        return client;
    }

    KeyspaceClient client(Consumer<BindingConfig.Builder> settings) {
        return client(2, settings);
    }

    /** SELECT statements the server has run for the test user (MariaDB {@code USER_STATISTICS}). */
    long serverSelects() throws SQLException {
        try (Connection c = AdminConnections.open(server); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT SELECT_COMMANDS FROM information_schema.USER_STATISTICS WHERE USER = '"
                     + USER + "'")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** Runs statements as the administrator, on the test database. */
    void admin(String... statements) throws SQLException {
        try (Connection c = AdminConnections.open(postgres ? server.withDatabase(DATABASE) : server); Statement st = c.createStatement()) {
            if (!postgres) {
                st.execute("USE " + DATABASE);
            }
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }

    /** An administrator connection on the test database, for locks held across a test step. */
    Connection adminConnection() throws SQLException {
        return AdminConnections.open(server.withDatabase(DATABASE));
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
