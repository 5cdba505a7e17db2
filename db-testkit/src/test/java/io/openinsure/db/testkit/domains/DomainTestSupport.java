package io.openinsure.db.testkit.domains;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openinsure.db.core.JdbcDriver;
import io.openinsure.db.core.KeyspaceClient;
import io.openinsure.db.domains.DomainException;
import io.openinsure.db.domains.OpenInsureDb;
import io.openinsure.db.testkit.TestBackend;
import io.openinsure.db.testkit.Topology;
import io.openinsure.db.testkit.internal.AdminConnections;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.jooq.DSLContext;
import org.jooq.JSON;
import org.jooq.SQLDialect;

/**
 * Shared pieces of the domain-client tests: a clock the test moves, money and JSON values as the
 * database returns them, refusal assertions, races, and waiting for a client's statement to block
 * on a lock the test holds.
 */
final class DomainTestSupport {

    /** Where every test clock starts (2026-03-01T10:00:00Z): numbers read {@code …-2026-…}. */
    static final Instant START = Instant.parse("2026-03-01T10:00:00Z");

    private static final Duration LOCK_WAIT_TIMEOUT = Duration.ofSeconds(20);

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private DomainTestSupport() {}

    /** A UTC clock that stands still until the test moves it. */
    static final class TestClock extends Clock {
        private volatile Instant now;

        TestClock(Instant start) {
            this.now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /**
     * A fresh OpenInsureDb on the selected topology whose clients use {@code clock}. The acquisition
     * timeout is longer than the 1 s default so a race test on a busy machine waits for its extra connections.
     */
    static OpenInsureDb open(Clock clock) {
        return Topology.of(TestBackend.DEFAULT)
                .builder()
                .clock(clock)
                .defaults(b -> b.connectionTimeout(Duration.ofSeconds(10)))
                .build();
    }

    /**
     * Skips the calling test where the legacy client cannot reach the keyspaces' tables: PostgreSQL with each keyspace
     * its own database (LegacyPostgresLayoutsTest proves the refusal there).
     */
    static void assumeLegacyReachesKeyspaces() {
        assumeTrue(
                Topology.selected().legacyReachesKeyspaces(),
                "the legacy client reaches the keyspaces on PostgreSQL only when they are schemas of its database"
                        + " (oi.test.postgres.layout=schemas)");
    }

    /** An amount as DECIMAL(19,4) columns return it (scale 4), for equality with records. */
    static BigDecimal money(String amount) {
        return new BigDecimal(amount).setScale(4);
    }

    /** Parses a JSON column value (MariaDB hands JSON back reformatted, so compare parsed values). */
    static JsonNode json(JSON value) {
        try {
            return MAPPER.readTree(value.data());
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + value, e);
        }
    }

    /** Asserts that {@code call} is refused for {@code reason} with exactly {@code message}; returns the refusal. */
    static DomainException refused(ThrowingCallable call, DomainException.Reason reason, String message) {
        DomainException e = refused(call, reason);
        assertThat(e.getMessage()).isEqualTo(message);
        return e;
    }

    /** Asserts that {@code call} is refused for {@code reason}; returns the refusal for message checks. */
    static DomainException refused(ThrowingCallable call, DomainException.Reason reason) {
        DomainException e = catchThrowableOfType(DomainException.class, call);
        assertThat(e).as("expected a DomainException " + reason).isNotNull();
        assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
        return e;
    }

    /** What one racer got: a result or a failure. */
    record Outcome<T>(T value, Throwable failure) {}

    /** Runs {@code work} on {@code threads} threads released together; waits for all. */
    static <T> List<Outcome<T>> race(int threads, Callable<T> work) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return work.call();
                }));
            }
            ready.await();
            go.countDown();
            List<Outcome<T>> outcomes = new ArrayList<>();
            for (Future<T> f : futures) {
                try {
                    outcomes.add(new Outcome<>(f.get(60, TimeUnit.SECONDS), null));
                } catch (ExecutionException e) {
                    outcomes.add(new Outcome<>(null, e.getCause()));
                } catch (TimeoutException e) {
                    throw new AssertionError("a racer did not finish in 60 s", e);
                }
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Runs {@code operation} on another thread while a transaction of {@code client} that has run
     * {@code behindTheBack} (uncommitted) holds its row locks; commits that transaction once the
     * operation waits for one of those locks, then returns the operation's result or throws its
     * failure. This makes a race between the client and another writer happen in a fixed order.
     */
    static <T> T racing(
            Topology topology,
            KeyspaceClient client,
            KeyspaceClient.TransactionAction behindTheBack,
            Callable<T> operation)
            throws Throwable {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            AtomicReference<Future<T>> result = new AtomicReference<>();
            client.transaction(tx -> {
                behindTheBack.accept(tx);
                result.set(executor.submit(operation));
                awaitLockWait(topology, result.get());
            });
            try {
                return result.get().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw e.getCause();
            }
        } finally {
            executor.shutdownNow();
        }
    }

    /**
     * Waits until another session is running a statement that starts with {@code sqlPrefix} (asked on a
     * connection of {@code ctx}'s pool), e.g. a client's insert that waits for the unique-key lock of a row the
     * test has not committed yet. Fails when {@code waiter} (the client's call) finishes first.
     */
    static void awaitRunning(DSLContext ctx, String sqlPrefix, Future<?> waiter) throws Exception {
        boolean postgres = ctx.dialect().family() == SQLDialect.POSTGRES;
        String running = postgres
                ? "select count(*) from pg_stat_activity where pid <> pg_backend_pid() and state = 'active' and query like ?"
                : "select count(*) from information_schema.processlist where id <> connection_id() and command = 'Query' and info like ?";
        String all = postgres
                ? "select pid, datname, state, wait_event_type, query from pg_stat_activity"
                : "select id, db, command, state, info from information_schema.processlist";
        awaitBlocked(
                waiter,
                1,
                10,
                () -> {
                    Integer n = ctx.resultQuery(running, sqlPrefix + "%").fetchOne(0, Integer.class);
                    return n != null && n > 0 ? sqlPrefix : null;
                },
                () -> "'" + sqlPrefix + "…': " + ctx.resultQuery(all).fetch());
    }

    /**
     * Waits until {@code operation} has been stuck in a write for two polls in a row: it has reached the
     * statement that waits for the test transaction's lock. Reads the process list over plain JDBC, so no
     * cache can answer.
     */
    private static void awaitLockWait(Topology topology, Future<?> operation) throws Exception {
        try (Connection c = AdminConnections.open(topology.server());
                Statement st = c.createStatement()) {
            boolean postgres = topology.server().driver() == JdbcDriver.PGJDBC;
            // PostgreSQL says outright which session waits for a lock; MariaDB's process list shows the waiting
            // statement.
            String waiting = postgres
                    ? "SELECT pid, query FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND wait_event_type = 'Lock'"
                            + " AND (query ILIKE 'insert %' OR query ILIKE 'update %')"
                    : "SELECT id, info FROM information_schema.processlist WHERE command = 'Query'"
                            + " AND id <> CONNECTION_ID() AND (info LIKE 'insert %' OR info LIKE 'update %')";
            awaitBlocked(
                    operation,
                    2,
                    20,
                    () -> {
                        try (ResultSet rs = st.executeQuery(waiting)) {
                            return rs.next() ? rs.getLong(1) + ": " + rs.getString(2) : null;
                        }
                    },
                    () -> "a write; server threads:\n" + processList(st));
        }
    }

    /**
     * The lock-wait detection both waits share. MariaDB's {@code information_schema.innodb_trx} does not
     * reliably list a transaction that waits for a row or unique-key lock; the process list does show the
     * waiting statement. Polls {@code probe} (the waiting statement it sees, or {@code null}) every
     * {@code pollMillis} until it has seen the same statement {@code sightings} polls in a row; fails when
     * {@code operation} finishes first or nothing waits within 20 s ({@code serverState} describes what was
     * looked for and what the server was doing).
     */
    private static void awaitBlocked(
            Future<?> operation, int sightings, long pollMillis, Callable<String> probe, Callable<String> serverState)
            throws Exception {
        long deadline = System.nanoTime() + LOCK_WAIT_TIMEOUT.toNanos();
        String seen = null;
        int inARow = 0;
        while (System.nanoTime() < deadline) {
            String waiting = probe.call();
            inARow = waiting != null && Objects.equals(waiting, seen) ? inARow + 1 : waiting == null ? 0 : 1;
            seen = waiting;
            if (inARow >= sightings) {
                return;
            }
            if (operation.isDone()) {
                throw new AssertionError(
                        "the operation finished without waiting for the test's lock: " + outcome(operation));
            }
            Thread.sleep(pollMillis);
        }
        throw new AssertionError(
                "the operation did not wait for the test's lock within 20 s; no session ran " + serverState.call());
    }

    private static String processList(Statement st) throws Exception {
        StringBuilder sb = new StringBuilder();
        boolean postgres = st.getConnection()
                .getMetaData()
                .getDatabaseProductName()
                .toLowerCase(java.util.Locale.ROOT)
                .contains("postgres");
        try (ResultSet rs = st.executeQuery(
                postgres
                        ? "SELECT pid, datname, state, 0, wait_event_type, query FROM pg_stat_activity"
                        : "SELECT id, db, command, time, state, info FROM information_schema.processlist")) {
            while (rs.next()) {
                sb.append("  ")
                        .append(rs.getLong(1))
                        .append(' ')
                        .append(rs.getString(2))
                        .append(' ')
                        .append(rs.getString(3))
                        .append(' ')
                        .append(rs.getLong(4))
                        .append("s ")
                        .append(rs.getString(5))
                        .append(": ")
                        .append(rs.getString(6))
                        .append('\n');
            }
        }
        return sb.toString();
    }

    private static String outcome(Future<?> done) {
        try {
            return "returned " + done.get();
        } catch (Exception e) {
            return "threw " + (e instanceof ExecutionException ? e.getCause() : e);
        }
    }
}
