package io.openinsure.db.core.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read timeouts the server enforces itself instead of the driver: on MariaDB (10.1 and later) an autocommit read is
 * sent as {@code SET STATEMENT max_statement_time=<seconds> FOR <select>}; exceeding it fails with error 1969,
 * reported like the driver's timeout. On vtgate (Vitess, PlanetScale) it carries the directive
 * {@code select /*vt+ QUERY_TIMEOUT_MS=<n> *}{@code / …}, which vtgate passes to the tablet as the query's deadline
 * (error 3024 when it runs out; measured on vtcombo 24: the directive's 500 ms fired at 503 ms). Connector/J enforces {@code setQueryTimeout} with a timer task per execution
 * on a timer thread per connection (schedule, cancel, purge): two extra thread wake-ups per query, which on two
 * cores cost a primary-key lookup a tenth of its throughput at one thread and a third at eight (bench rows
 * {@code rawJdbc} vs {@code rawJdbcTimeout}). MySQL keeps the driver's timer, and so do statements in a
 * transaction (the time the transaction has left differs for each).
 *
 * <p>On MariaDB the pool also makes the default timeout its sessions' own: every connection of a Connector/J URL
 * (not {@code vitess://}, not a pass-through {@code jdbc:} URL) begins with {@link #sessionInitSql}, which sets
 * {@code max_statement_time} to the default in a MariaDB executable comment that MySQL and vtgate read as a comment.
 * An endpoint whose server is MariaDB and whose pool did that is {@link Server#MARIADB_SESSION}: a read under the
 * default timeout is then sent as it is ({@link #sql}), with neither the prefix (which costs the server a few per cent
 * of a primary-key lookup) nor the driver's timer; a read with another timeout keeps the prefix, and
 * {@link LimitsListener} times the statements it cannot prefix against the session's default.
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

    /** What kind of server an endpoint's connections reach, as far as timeouts (and routing) are concerned. */
    enum Server {
        /** Not known yet: no connection was borrowed. */
        UNKNOWN,
        /** MariaDB: {@code SET STATEMENT max_statement_time=… FOR}. */
        MARIADB,
        /**
         * MariaDB whose pooled sessions carry the default timeout as their {@code max_statement_time}
         * ({@link #sessionInitSql}): a read under the default is sent bare, any other with the prefix.
         */
        MARIADB_SESSION,
        /** vtgate: {@code /*vt+ QUERY_TIMEOUT_MS=… *}{@code /}. */
        VTGATE,
        /** Anything else (MySQL, PostgreSQL): the driver's timer. */
        OTHER
    }

    private final Map<Server, ConcurrentHashMap<String, String>> texts =
            new EnumMap<>(Map.of(Server.MARIADB, new ConcurrentHashMap<>(), Server.VTGATE, new ConcurrentHashMap<>()));
    private final long defaultMillis;
    private final Supplier<Server> server;

    /**
     * @param defaultMillis the timeout of a read without its own, whose texts are kept
     * @param server        the kind of server of the endpoint connections come from now
     */
    ServerTimeouts(long defaultMillis, Supplier<Server> server) {
        this.defaultMillis = defaultMillis;
        this.server = server;
    }

    /** Whether reads on the active endpoint can carry their timeout to the server (asked after a borrow: it may have switched). */
    boolean enabled() {
        Server s = server.get();
        return s == Server.MARIADB || s == Server.MARIADB_SESSION || s == Server.VTGATE;
    }

    /**
     * Whether the active endpoint's sessions carry the default timeout as their {@code max_statement_time}
     * ({@link Server#MARIADB_SESSION}; asked after a borrow: it may have switched).
     */
    boolean sessionTimed() {
        return server.get() == Server.MARIADB_SESSION;
    }

    /** The timeout of a statement without its own, outside a transaction: what a session-timed connection carries. */
    long defaultMillis() {
        return defaultMillis;
    }

    /**
     * What a pool runs on each new connection so that, on MariaDB 10.1.1 and later, the session's
     * {@code max_statement_time} is {@code millis}: a user variable of the SDK's, plus the MariaDB part in an executable
     * comment ({@code /*M!100101 … *}{@code /}) that MySQL and vtgate read as a plain comment.
     */
    static String sessionInitSql(long millis) {
        return "SET @openinsure_db = 1 /*M!100101 , SESSION max_statement_time = " + seconds(millis) + " */";
    }

    /** {@code millis} as the seconds {@code max_statement_time} takes, to the millisecond. */
    static String seconds(long millis) {
        return java.math.BigDecimal.valueOf(millis, 3).toPlainString();
    }

    /**
     * Whether the autocommit read {@code sql} can carry its timeout to the active endpoint's server: on MariaDB any single
     * {@code SELECT} or {@code WITH}; on vtgate one that starts with {@code SELECT} (where the directive goes).
     */
    boolean appliesTo(String sql) {
        Server s = server.get();
        return s == Server.MARIADB || s == Server.MARIADB_SESSION || (s == Server.VTGATE && selectAt(sql) >= 0);
    }

    /**
     * What {@code c}'s server is: MariaDB from its version; vtgate from its version ({@code 8.0.40-Vitess}) or, when it
     * advertises something else ({@code --mysql-server-version}), because it answers {@code SHOW VITESS_TARGET}, which
     * MySQL and MariaDB refuse; PostgreSQL and others: {@link Server#OTHER}.
     */
    static Server detect(Connection c, boolean mysqlProtocol, boolean vitessUrl) {
        if (!mysqlProtocol) {
            return Server.OTHER;
        }
        try {
            String version = c.getMetaData().getDatabaseProductVersion();
            // Every MariaDB still in support (10.1 and later; 10.x reports itself as "5.5.5-10.x.y-MariaDB")
            if (version.contains("MariaDB")) {
                return Server.MARIADB;
            }
            if (vitessUrl || version.toLowerCase(Locale.ROOT).contains("vitess")) {
                return Server.VTGATE;
            }
            return answersShowVitessTarget(c) ? Server.VTGATE : Server.OTHER;
        } catch (SQLException | RuntimeException e) {
            LOG.debug(
                    "openinsure-db: server version unknown ({}); statement timeouts stay with the driver",
                    e.toString());
            return Server.OTHER;
        }
    }

    /**
     * Whether {@code c}'s session carries {@code millis} as its {@code max_statement_time} (what
     * {@link #sessionInitSql} set; checked once per endpoint, on its first borrow).
     */
    static boolean sessionCarries(Connection c, long millis) {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT @@SESSION.max_statement_time")) {
            return rs.next() && Math.round(rs.getDouble(1) * 1000) == millis;
        } catch (SQLException | RuntimeException e) {
            LOG.debug("openinsure-db: max_statement_time unknown ({}); reads keep their prefix", e.toString());
            return false;
        }
    }

    private static boolean answersShowVitessTarget(Connection c) {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW VITESS_TARGET")) {
            return rs.next();
        } catch (SQLException e) {
            return false; // MySQL and MariaDB: a syntax error
        }
    }

    /**
     * {@code sql} carrying a timeout of {@code millis} for the server ({@link #appliesTo} said it can). The text for the
     * default timeout is built once per SQL text (the driver's statement cache hashes it, and a String caches its hash);
     * on a session that carries the default ({@link Server#MARIADB_SESSION}) it is {@code sql} itself.
     */
    String sql(String sql, long millis) {
        Server s = server.get();
        if (millis != defaultMillis) {
            return text(s, sql, millis);
        }
        if (s == Server.MARIADB_SESSION) {
            return sql;
        }
        ConcurrentHashMap<String, String> known = texts.get(s);
        String timed = known.get(sql);
        if (timed == null) {
            if (known.size() >= 1_000) {
                known.clear(); // bounded: typed reads have a few shapes per table, ad-hoc texts must not grow it
            }
            timed = text(s, sql, millis);
            known.put(sql, timed);
        }
        return timed;
    }

    private static String text(Server server, String sql, long millis) {
        if (server == Server.VTGATE) {
            int end = selectAt(sql) + 6;
            return sql.substring(0, end) + " /*vt+ QUERY_TIMEOUT_MS=" + millis + " */" + sql.substring(end);
        }
        return "SET STATEMENT max_statement_time=" + seconds(millis) + " FOR " + sql;
    }

    /** Where the leading {@code SELECT} keyword of {@code sql} starts (after white space), or -1. */
    static int selectAt(String sql) {
        int i = 0;
        while (i < sql.length() && Character.isWhitespace(sql.charAt(i))) {
            i++;
        }
        boolean select = sql.regionMatches(true, i, "select", 0, 6)
                && (sql.length() == i + 6 || !Character.isLetterOrDigit(sql.charAt(i + 6)) && sql.charAt(i + 6) != '_');
        return select ? i : -1;
    }
}
