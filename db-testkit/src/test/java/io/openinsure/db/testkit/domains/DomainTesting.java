package io.openinsure.db.testkit.domains;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openinsure.db.core.KeyspaceClient;
import io.openinsure.db.domains.DomainException;
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
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.jooq.JSON;

/** Helpers shared by the domain-client tests. */
final class DomainTesting {

    /** 2026-03-01T10:00:00Z: the instant every test clock starts at. */
    static final Instant START = Instant.parse("2026-03-01T10:00:00Z");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private DomainTesting() {
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

    /** Runs {@code call}, expects a {@link DomainException} with {@code reason}, and returns it for message checks. */
    static DomainException refused(ThrowingCallable call, DomainException.Reason reason) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).isInstanceOf(DomainException.class);
        DomainException e = (DomainException) thrown;
        assertThat(e.reason()).as("reason of: %s", e.getMessage()).isEqualTo(reason);
        return e;
    }

    /**
     * Runs {@code operation} on another thread while a transaction of {@code client} that has run
     * {@code behindTheBack} (uncommitted) holds its row locks; commits that transaction once the
     * operation waits for one of those locks, then returns the operation's result or throws its
     * failure. This makes a race between the client and another writer happen in a fixed order.
     */
    static <T> T racing(Topology topology, KeyspaceClient client, KeyspaceClient.TransactionAction behindTheBack, Callable<T> operation)
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
     * Waits until the operation under test has been stuck in a write for two polls in a row: it
     * has reached the statement that waits for the test transaction's lock. Reads the process
     * list over plain JDBC, so no cache can answer. (MariaDB's {@code innodb_trx} did not report
     * these waits as {@code LOCK WAIT} reliably; the process list does show the waiting statement.)
     */
    private static void awaitLockWait(Topology topology, Future<?> operation) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        try (Connection c = AdminConnections.open(topology.server()); Statement st = c.createStatement()) {
            String blocked = null;
            while (System.nanoTime() < deadline) {
                String writing = null;
                try (ResultSet rs = st.executeQuery("SELECT id, info FROM information_schema.processlist WHERE command = 'Query'"
                        + " AND id <> CONNECTION_ID() AND (info LIKE 'insert %' OR info LIKE 'update %')")) {
                    if (rs.next()) {
                        writing = rs.getLong(1) + ": " + rs.getString(2);
                    }
                }
                if (writing != null && writing.equals(blocked)) {
                    return;
                }
                blocked = writing;
                if (operation.isDone()) {
                    throw new AssertionError("the operation finished without waiting for the test's lock: " + outcome(operation));
                }
                Thread.sleep(20);
            }
            throw new AssertionError("the operation did not wait for the test's lock within 20 s; server threads:\n" + processList(st));
        }
    }

    private static String processList(Statement st) throws Exception {
        StringBuilder sb = new StringBuilder();
        try (ResultSet rs = st.executeQuery("SELECT id, db, command, time, state, info FROM information_schema.processlist")) {
            while (rs.next()) {
                sb.append("  ").append(rs.getLong(1)).append(' ').append(rs.getString(2)).append(' ').append(rs.getString(3)).append(' ')
                        .append(rs.getLong(4)).append("s ").append(rs.getString(5)).append(": ").append(rs.getString(6)).append('\n');
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

    /** A clock tests move by hand. */
    static final class TestClock extends Clock {
        private volatile Instant now;

        TestClock(Instant start) {
            this.now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
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
}
