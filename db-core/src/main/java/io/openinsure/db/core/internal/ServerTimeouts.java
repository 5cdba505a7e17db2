package io.openinsure.db.core.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.jooq.Query;
import org.jooq.conf.Settings;
import org.jooq.tools.jdbc.DefaultPreparedStatement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read timeouts the server enforces itself instead of the driver: on MariaDB (10.1 and later) a read is sent
 * as {@code SET STATEMENT max_statement_time=<seconds> FOR <select>}; exceeding it fails with error 1969,
 * reported like the driver's timeout. Connector/J enforces {@code setQueryTimeout} with a timer task per
 * execution on a timer thread per connection (schedule, cancel, purge): two extra thread wake-ups per query,
 * which on two cores cost a primary-key lookup a tenth of its throughput at one thread and a third at eight
 * (bench rows {@code rawJdbc} vs {@code rawJdbcTimeout}). MySQL and Vitess keep the driver's timer.
 *
 * <p>One instance per client; thread-safe.
 */
final class ServerTimeouts {

    private static final Logger LOG = LoggerFactory.getLogger(ServerTimeouts.class);
    /** jOOQ's {@code AbstractQuery.timeout} ({@code Query.queryTimeout(…)}), which jOOQ applies only after preparing. */
    private static final VarHandle OWN_TIMEOUT = ownTimeoutHandle();
    private static final Class<?> ABSTRACT_QUERY = OWN_TIMEOUT == null ? null : abstractQuery();

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

    /** Whether reads on the active endpoint can carry their timeout to the server. */
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

    /**
     * The timeout {@code query} asked for itself in seconds ({@code queryTimeout(…)}, else jOOQ's
     * {@code Settings.queryTimeout}, else 0), or -1 when this jOOQ does not let it be read before the
     * statement is prepared (then the driver keeps the timeout).
     */
    static int ownTimeoutSeconds(Query query, Settings settings) {
        if (OWN_TIMEOUT == null || query == null || !ABSTRACT_QUERY.isInstance(query)) {
            return -1;
        }
        int own = (int) OWN_TIMEOUT.get(query);
        if (own != 0) {
            return own;
        }
        Integer fromSettings = settings == null ? null : settings.getQueryTimeout();
        return fromSettings == null ? 0 : fromSettings;
    }

    private static VarHandle ownTimeoutHandle() {
        try {
            Class<?> c = abstractQuery();
            return MethodHandles.privateLookupIn(c, MethodHandles.lookup()).findVarHandle(c, "timeout", int.class);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // jOOQ on the module path without opening org.jooq.impl, or a jOOQ that renamed the field
            LOG.debug("openinsure-db: cannot read a jOOQ query's own timeout ({}); jOOQ statements keep the driver's timeout", e.toString());
            return null;
        }
    }

    private static Class<?> abstractQuery() {
        try {
            return Class.forName("org.jooq.impl.AbstractQuery");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether jOOQ statements can carry their timeout to the server (see {@link #ownTimeoutSeconds}). */
    static boolean readsOwnTimeouts() {
        return OWN_TIMEOUT != null;
    }

    /**
     * A statement whose SQL carries a server timeout of {@code serverMillis}: a driver timeout at least as
     * long is redundant and is not handed to the driver (no timer task); a shorter one still is.
     * {@link #getQueryTimeout} reports what was asked for. Runs {@link #executeQuery} through
     * {@code execute()}: Connector/J refuses a statement that starts with {@code SET} in {@code executeQuery}.
     */
    static final class Timed extends DefaultPreparedStatement {
        private final long serverMillis;
        private int asked;
        private int driver;

        Timed(PreparedStatement delegate, long serverMillis) {
            super(delegate);
            this.serverMillis = serverMillis;
        }

        @Override
        public void setQueryTimeout(int seconds) throws SQLException {
            asked = seconds;
            int wanted = seconds == 0 || seconds * 1000L >= serverMillis ? 0 : seconds;
            if (wanted != driver) {
                getDelegate().setQueryTimeout(wanted);
                driver = wanted;
            }
        }

        @Override
        public int getQueryTimeout() {
            return asked;
        }

        @Override
        public ResultSet executeQuery() throws SQLException {
            if (!execute()) {
                throw new SQLException("openinsure-db: the statement returned no result set", "02000");
            }
            return getResultSet();
        }
    }
}
