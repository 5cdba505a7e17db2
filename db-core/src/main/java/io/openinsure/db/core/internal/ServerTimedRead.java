package io.openinsure.db.core.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.jooq.tools.jdbc.DefaultPreparedStatement;

/**
 * The statement the client's connection hands jOOQ for an autocommit {@code SELECT} on a server that enforces
 * statement timeouts ({@link ServerTimeouts}): it is prepared on the server only when jOOQ first needs it, once
 * the query's own timeout is known, with that timeout in its text.
 *
 * <p>jOOQ prepares a statement, then sets the query's own timeout on it ({@code queryTimeout(…)}, or its
 * {@code Settings.queryTimeout}; nothing when there is none), then binds its values and runs it
 * ({@code ServerTimedReadTest} holds jOOQ to that order). Until the first bind (or the execution), this statement
 * only records what jOOQ sets (timeout, row cap, fetch size, poolable); then it works out the timeout with the
 * client's {@link StatementLimits} exactly as {@link LimitsListener} will (the query's own or the default, capped
 * by the autocommit ceiling), prepares {@code SET STATEMENT max_statement_time=… FOR <select>} and replays the
 * settings. A driver timeout at least as long as the server's is redundant and is not handed to the driver (no
 * timer task); a shorter one still is. {@link #getQueryTimeout} reports what was asked for.
 *
 * <p>Not thread-safe, like any JDBC statement.
 */
final class ServerTimedRead extends DefaultPreparedStatement {

    private final Connection server;
    private final String sql;
    private final StatementLimits limits;
    private PreparedStatement prepared;
    private boolean closed;
    private long serverMillis;
    /** What was asked for with {@link #setQueryTimeout}, in seconds; 0 for nothing. */
    private int asked;
    /** What the driver was given. */
    private int driver;
    // Recorded until the statement is prepared:
    private int maxRows;
    private int fetchSize;
    private boolean poolable = true;
    private boolean poolableSet;

    /**
     * @param creator the connection jOOQ asked (what {@link #getConnection()} answers)
     * @param server  the borrowed connection it is prepared on
     */
    ServerTimedRead(Connection creator, Connection server, String sql, StatementLimits limits) {
        super((Statement) null, creator);
        this.server = server;
        this.sql = sql;
        this.limits = limits;
    }

    /** Prepares the statement on the server on first need, with the timeout known by then. */
    @Override
    public Statement getDelegateStatement() throws SQLException {
        if (prepared == null) {
            if (closed) {
                throw new SQLException("openinsure-db: statement closed");
            }
            serverMillis = limits.timeout(asked, null).millis();
            PreparedStatement ps =
                    server.prepareStatement(limits.serverTimeouts().sql(sql, serverMillis));
            try {
                if (maxRows != 0) {
                    ps.setMaxRows(maxRows);
                }
                if (fetchSize != 0) {
                    ps.setFetchSize(fetchSize);
                }
                if (poolableSet) {
                    ps.setPoolable(poolable);
                }
                prepared = ps;
                setDriverTimeout(asked);
            } catch (SQLException | RuntimeException e) {
                prepared = null;
                ps.close();
                throw e;
            }
        }
        return prepared;
    }

    @Override
    public void setQueryTimeout(int seconds) throws SQLException {
        asked = seconds;
        if (prepared != null) {
            setDriverTimeout(seconds);
        }
    }

    private void setDriverTimeout(int seconds) throws SQLException {
        int wanted = seconds == 0 || seconds * 1000L >= serverMillis ? 0 : seconds;
        if (wanted != driver) {
            prepared.setQueryTimeout(wanted);
            driver = wanted;
        }
    }

    @Override
    public int getQueryTimeout() {
        return asked;
    }

    @Override
    public void setMaxRows(int max) throws SQLException {
        if (prepared == null) {
            maxRows = max;
        } else {
            prepared.setMaxRows(max);
        }
    }

    @Override
    public int getMaxRows() throws SQLException {
        return prepared == null ? maxRows : prepared.getMaxRows();
    }

    @Override
    public void setFetchSize(int rows) throws SQLException {
        if (prepared == null) {
            fetchSize = rows;
        } else {
            prepared.setFetchSize(rows);
        }
    }

    @Override
    public int getFetchSize() throws SQLException {
        return prepared == null ? fetchSize : prepared.getFetchSize();
    }

    @Override
    public void setPoolable(boolean on) throws SQLException {
        if (prepared == null) {
            poolable = on;
            poolableSet = true;
        } else {
            prepared.setPoolable(on);
        }
    }

    @Override
    public boolean isPoolable() throws SQLException {
        return prepared == null ? poolable : prepared.isPoolable();
    }

    /** Through {@code execute()}: Connector/J refuses a statement that starts with {@code SET} in {@code executeQuery}. */
    @Override
    public ResultSet executeQuery() throws SQLException {
        if (!execute()) {
            throw new SQLException("openinsure-db: the statement returned no result set", "02000");
        }
        return getResultSet();
    }

    @Override
    public boolean isClosed() throws SQLException {
        return prepared == null ? closed : prepared.isClosed();
    }

    @Override
    public void close() throws SQLException {
        closed = true;
        if (prepared != null) {
            prepared.close();
        }
    }
}
