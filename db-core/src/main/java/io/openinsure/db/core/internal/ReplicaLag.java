package io.openinsure.db.core.internal;

import io.openinsure.db.core.DatabaseUrl;
import io.openinsure.db.core.JdbcDriver;
import io.openinsure.db.core.spi.Secrets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * How far a read replica is behind its primary, as the replica itself reports it:
 * <ul>
 *   <li>MySQL and MariaDB: {@code SHOW REPLICA STATUS} (MariaDB 10.5+, MySQL 8.0.22+; else {@code SHOW SLAVE STATUS}),
 *       column {@code Seconds_Behind_Source} or {@code Seconds_Behind_Master}; {@code NULL} there means replication is
 *       stopped (lagging without bound); no row means the server is not a replica (not behind). Needs the
 *       {@code REPLICATION CLIENT} (MySQL) or {@code SLAVE MONITOR} (MariaDB) privilege;</li>
 *   <li>PostgreSQL: the age of the last replayed transaction while WAL is still to be replayed, else 0;</li>
 *   <li>vtgate: not asked (vtgate itself stops routing to replicas whose lag is over its own limit).</li>
 * </ul>
 * A check that cannot run (no privilege, an unknown server) gives {@link #UNKNOWN}, which never counts as lagging.
 *
 * @param millis  the lag in milliseconds; {@code null} when unknown or when replication is stopped
 * @param stopped whether the replica reports that replication is not running
 * @param note    for messages: why the lag is unknown, or empty
 */
record ReplicaLag(Long millis, boolean stopped, String note) {

    static final ReplicaLag UNKNOWN = new ReplicaLag(null, false, "not checked");
    static final ReplicaLag VTGATE = new ReplicaLag(null, false, "vtgate keeps lagging tablets out itself");

    /** Whether this lag is over {@code max}: replication stopped, or behind by more than {@code max}. */
    boolean exceeds(Duration max) {
        return stopped || (millis != null && millis > max.toMillis());
    }

    /** In words: {@code 2000 ms behind}, {@code not replicating}, {@code lag unknown (…)}. */
    String describe() {
        if (stopped) {
            return "not replicating (replication stopped)";
        }
        return millis == null ? "lag unknown (" + note + ")" : millis + " ms behind";
    }

    static ReplicaLag measure(Connection c, ServerTimeouts.Server server, DatabaseUrl url) {
        if (server == ServerTimeouts.Server.VTGATE || url.isVitess()) {
            return VTGATE;
        }
        try (Statement st = c.createStatement()) {
            if (url.driver() == JdbcDriver.PGJDBC) {
                try (ResultSet rs = st.executeQuery("SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0 "
                        + "WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
                        + "ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) * 1000, 0) END")) {
                    rs.next();
                    return new ReplicaLag((long) rs.getDouble(1), false, "");
                }
            }
            if (url.driver() != JdbcDriver.MYSQL_CONNECTOR_J) {
                return new ReplicaLag(null, false, "no lag query for this server");
            }
            ResultSet rs;
            try {
                rs = st.executeQuery("SHOW REPLICA STATUS");
            } catch (SQLException older) {
                rs = st.executeQuery("SHOW SLAVE STATUS");
            }
            try (ResultSet status = rs) {
                if (!status.next()) {
                    return new ReplicaLag(0L, false, "not a replica");
                }
                Object seconds = column(status, "Seconds_Behind_Source", "Seconds_Behind_Master");
                if (seconds == null) {
                    return new ReplicaLag(null, true, "");
                }
                return new ReplicaLag(Long.parseLong(seconds.toString()) * 1000, false, "");
            }
        } catch (SQLException | RuntimeException e) {
            return new ReplicaLag(null, false, Secrets.maskedFirstLine(e.getMessage()));
        }
    }

    private static Object column(ResultSet rs, String name, String olderName) throws SQLException {
        try {
            return rs.getObject(name);
        } catch (SQLException e) {
            return rs.getObject(olderName);
        }
    }
}
