package io.openinsure.db.core.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read timeouts the server enforces itself instead of the driver: on MariaDB (10.1 and later) an autocommit read is
 * sent as {@code SET STATEMENT max_statement_time=<seconds> FOR <select>}; exceeding it fails with error 1969,
 * reported like the driver's timeout. Connector/J enforces {@code setQueryTimeout} with a timer task per execution
 * on a timer thread per connection (schedule, cancel, purge): two extra thread wake-ups per query, which on two
 * cores cost a primary-key lookup a tenth of its throughput at one thread and a third at eight (bench rows
 * {@code rawJdbc} vs {@code rawJdbcTimeout}). MySQL and Vitess keep the driver's timer, and so do statements in a
 * transaction (the time the transaction has left differs for each).
 *
 * <p>The direct typed reads and the cache's misses know their timeout before they prepare
 * ({@link StatementLimits#prepareRead}); jOOQ's statements learn theirs only after jOOQ has prepared them
 * ({@code queryTimeout(…)} is applied to the prepared statement), so the client's connection hands jOOQ a
 * {@link ServerTimedRead} that prepares on the server once the timeout is known.
 *
 * <p>One instance per client; thread-safe.
 */
final class ServerTimeouts {

    private static final Logger LOG = LoggerFactory.getLogger(ServerTimeouts.class);

    private final ConcurrentHashMap<String, String> texts = new ConcurrentHashMap<>();
    private final long defaultMillis;
    private final BooleanSupplier enabled;

    /**
     * @param defaultMillis the timeout of a read without its own, whose texts are kept
     * @param enabled       whether the endpoint connections come from now is a MariaDB server
     */
    ServerTimeouts(long defaultMillis, BooleanSupplier enabled) {
        this.defaultMillis = defaultMillis;
        this.enabled = enabled;
    }

    /** Whether reads on the active endpoint can carry their timeout to the server (asked after a borrow: it may have switched). */
    boolean enabled() {
        return enabled.getAsBoolean();
    }

    /** Whether the server {@code c} is connected to enforces {@code SET STATEMENT max_statement_time}. */
    static boolean supported(Connection c) {
        try {
            // Every MariaDB still in support (10.1 and later; 10.x reports itself as "5.5.5-10.x.y-MariaDB")
            return c.getMetaData().getDatabaseProductVersion().contains("MariaDB");
        } catch (SQLException | RuntimeException e) {
            LOG.debug("openinsure-db: server version unknown ({}); statement timeouts stay with the driver", e.toString());
            return false;
        }
    }

    /**
     * {@code sql} carrying a timeout of {@code millis} for the server. The text for the default timeout is
     * built once per SQL text (the driver's statement cache hashes it, and a String caches its hash).
     */
    String sql(String sql, long millis) {
        if (millis != defaultMillis) {
            return text(sql, millis);
        }
        String timed = texts.get(sql);
        if (timed == null) {
            if (texts.size() >= 1_000) {
                texts.clear(); // bounded: typed reads have a few shapes per table, ad-hoc texts must not grow it
            }
            timed = text(sql, millis);
            texts.put(sql, timed);
        }
        return timed;
    }

    private static String text(String sql, long millis) {
        return "SET STATEMENT max_statement_time=" + java.math.BigDecimal.valueOf(millis, 3).toPlainString() + " FOR " + sql;
    }
}
