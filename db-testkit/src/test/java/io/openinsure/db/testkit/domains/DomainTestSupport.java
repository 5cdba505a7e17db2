package io.openinsure.db.testkit.domains;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.openinsure.db.domains.DomainException;
import io.openinsure.db.domains.OpenInsureDb;
import io.openinsure.db.testkit.TestBackend;
import io.openinsure.db.testkit.Topology;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.jooq.DSLContext;

/** Shared pieces of the domain-client tests: a clock the test moves, refusal assertions, races. */
final class DomainTestSupport {

    /** Where every test clock starts: numbers read {@code …-2026-…}. */
    static final Instant START = Instant.parse("2026-03-01T10:00:00Z");

    private DomainTestSupport() {
    }

    /** A UTC clock that stands still until the test moves it. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
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
     * A fresh OpenInsureDb on the embedded MariaDB topology whose clients use {@code clock}. The acquisition
     * timeout is longer than the 1 s default so a race test on a busy machine waits for its extra connections.
     */
    static OpenInsureDb open(Clock clock) {
        return Topology.of(TestBackend.MARIADB).builder().clock(clock).defaults(b -> b.connectionTimeout(Duration.ofSeconds(10)))
                .build();
    }

    /** Asserts that {@code call} is refused for {@code reason} with exactly {@code message}; returns the refusal. */
    static DomainException refused(ThrowingCallable call, DomainException.Reason reason, String message) {
        DomainException e = refused(call, reason);
        assertThat(e.getMessage()).isEqualTo(message);
        return e;
    }

    /** Asserts that {@code call} is refused for {@code reason}; returns the refusal. */
    static DomainException refused(ThrowingCallable call, DomainException.Reason reason) {
        DomainException e = catchThrowableOfType(DomainException.class, call);
        assertThat(e).as("expected a DomainException " + reason).isNotNull();
        assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
        return e;
    }

    /** What one racer got: a result or a failure. */
    record Outcome<T>(T value, Throwable failure) {
    }

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
                } catch (java.util.concurrent.ExecutionException e) {
                    outcomes.add(new Outcome<>(null, e.getCause()));
                } catch (java.util.concurrent.TimeoutException e) {
                    throw new AssertionError("a racer did not finish in 60 s", e);
                }
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Waits until another session is running a statement that starts with {@code sqlPrefix} (asked on a
     * connection of {@code ctx}'s pool), e.g. a client's insert that waits for the unique-key lock of a row the
     * test has not committed yet. (MariaDB's {@code information_schema.innodb_trx} does not list such a waiting
     * transaction, the process list does.) Fails when {@code waiter} (the client's call) finishes first.
     */
    static void awaitRunning(DSLContext ctx, String sqlPrefix, Future<?> waiter) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (waiter.isDone()) {
                try {
                    throw new AssertionError("finished instead of waiting for the row lock: " + waiter.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new AssertionError("failed instead of waiting for the row lock", e.getCause());
                }
            }
            Integer running = ctx.resultQuery("select count(*) from information_schema.processlist where id <> connection_id()"
                    + " and command = 'Query' and info like ?", sqlPrefix + "%").fetchOne(0, Integer.class);
            if (running != null && running > 0) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no session ran '" + sqlPrefix + "…' within 20 s: "
                + ctx.resultQuery("select id, db, command, state, info from information_schema.processlist").fetch());
    }
}
