package io.openinsure.db.core.internal;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The statement timeouts of a client on PostgreSQL, enforced by cancelling from one shared thread instead of
 * PgJDBC's {@code setQueryTimeout}.
 *
 * <p>PgJDBC times {@code setQueryTimeout} with a task on its shared {@code java.util.Timer} per execution: it is
 * scheduled when the statement starts and cancelled when it ends, and each time the timer's thread is woken. On the
 * two-core VM of {@code bench/} that cost a primary-key lookup 7–9 % of its throughput at one thread (bench rows
 * {@code rawJdbc} against {@code rawJdbcTimeout} on PostgreSQL). Here a running statement is only put in a map with
 * its deadline ({@link #watch}) and taken out when its execution ends ({@link #done}); a thread shared by every
 * client looks at the map every {@value #TICK_MILLIS} ms and cancels the statements past their deadline with
 * {@link Statement#cancel()}, what PgJDBC's own timer task calls. A statement therefore stops at most one tick after
 * its timeout (and the timeout keeps its milliseconds: {@code setQueryTimeout} takes whole seconds).
 *
 * <p>PgJDBC's {@code cancel()} does nothing for a statement that is not executing, and a statement that is being
 * cancelled waits for the cancel to complete before it returns, so a late cancel never reaches the connection's next
 * statement. Connector/J gives no such guarantee (its {@code cancel()} is a {@code KILL QUERY} of whatever the
 * connection runs then), so MySQL keeps the driver's timer and MariaDB and vtgate the server's
 * ({@link ServerTimeouts}). The server reports a cancelled statement with SQLState 57014, as it does for PgJDBC's
 * timer; behind PgBouncer the cancel request is forwarded like PgJDBC's.
 *
 * <p>Thread-safe.
 */
final class StatementDeadlines implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StatementDeadlines.class);

    /** How often the shared thread looks for statements past their deadline. */
    static final long TICK_MILLIS = 50;

    private final String binding;
    /** Running statements and their deadlines ({@link System#nanoTime()}). */
    private final Map<Statement, Long> running = new ConcurrentHashMap<>();

    private final ScheduledFuture<?> ticks;

    StatementDeadlines(String binding) {
        this.binding = binding;
        this.ticks =
                Ticker.THREAD.scheduleWithFixedDelay(this::cancelLate, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** {@code statement} starts to run and may run for {@code millis}. */
    void watch(Statement statement, long millis) {
        running.put(statement, System.nanoTime() + millis * 1_000_000L);
    }

    /** {@code statement}'s execution ended (or will not take place); nothing if it was not watched. */
    void done(Statement statement) {
        running.remove(statement);
    }

    /** How many statements are watched now (tests). */
    int watched() {
        return running.size();
    }

    private void cancelLate() {
        long now = System.nanoTime();
        for (Iterator<Map.Entry<Statement, Long>> it = running.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Statement, Long> e = it.next();
            if (now - e.getValue() >= 0 && running.remove(e.getKey(), e.getValue())) {
                cancel(e.getKey());
            }
        }
    }

    private void cancel(Statement statement) {
        try {
            statement.cancel();
        } catch (SQLException | RuntimeException e) {
            // Closed or finished meanwhile: there is nothing left to stop.
            LOG.debug(
                    "openinsure-db: binding {}: a statement past its timeout could not be cancelled ({})",
                    binding,
                    e.toString());
        }
    }

    @Override
    public void close() {
        ticks.cancel(false);
        running.clear();
    }

    /** The one daemon thread every client's deadlines share, started on first use. */
    private static final class Ticker {
        static final ScheduledExecutorService THREAD = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "openinsure-db-statement-deadlines");
            t.setDaemon(true);
            return t;
        });
    }
}
