package io.openinsure.db.core.internal;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Arrays;
import org.jooq.tools.jdbc.DefaultPreparedStatement;

/**
 * The statement jOOQ gets for a read sent to the replica: it forwards to the statement prepared on the replica and
 * remembers what was set on it (timeout, row cap, fetch size, binds); when the replica's connection is lost while the
 * read executes (SQL state {@code 08…}), it has the statement prepared again on the primary ({@link Reprepare}, which
 * also records the loss against the replica), sets the same again, and executes there once. Nothing has been read
 * then, so the caller sees one read, from the primary. A read that loses its connection while its rows are fetched
 * fails as before, and so does one that called a method this class does not forward itself (a stream or LOB bind, a
 * statement-level call jOOQ does not make on reads): it cannot be set again faithfully, so it is not retried.
 *
 * <p>Plain overrides rather than a dynamic proxy: the proxy's reflective calls (an access check on each) cost a
 * {@code dsl()} read on the replica 6–7 % more client CPU than on the primary (ReplicaBench, paired). Not thread-safe,
 * like any JDBC statement.
 */
final class ReplicaReadStatement extends DefaultPreparedStatement {

    /** Prepares the statement again on a primary connection after the replica's was lost. */
    @FunctionalInterface
    interface Reprepare {
        PreparedStatement onPrimary(SQLException lost) throws SQLException;
    }

    /** A call that changed the statement, to make again on the primary's. */
    @FunctionalInterface
    private interface Setting {
        void on(PreparedStatement statement) throws SQLException;
    }

    private PreparedStatement current;
    private final Reprepare reprepare;
    private Setting[] settings = new Setting[4];
    private int set;
    /** Whether every call was one this class forwards itself (and remembers, if it changes the statement). */
    private boolean replayable = true;

    private boolean retried;

    private ReplicaReadStatement(PreparedStatement onReplica, Reprepare reprepare) {
        super(onReplica);
        this.current = onReplica;
        this.reprepare = reprepare;
    }

    static PreparedStatement wrap(PreparedStatement onReplica, Reprepare reprepare) {
        return new ReplicaReadStatement(onReplica, reprepare);
    }

    /** Every method not overridden here reaches the statement through this: it may have changed it unseen. */
    @Override
    public Statement getDelegateStatement() {
        replayable = false;
        return current;
    }

    /** Makes {@code setting} on the current statement and remembers it. */
    private void set(Setting setting) throws SQLException {
        setting.on(current);
        if (set == settings.length) {
            settings = Arrays.copyOf(settings, set * 2);
        }
        settings[set++] = setting;
    }

    /** The statement on the primary to run once more on, when the replica's connection was lost; else throws {@code e}. */
    private PreparedStatement again(SQLException e) throws SQLException {
        if (retried || !replayable || !ClientMeasurements.lostConnection(e)) {
            throw e;
        }
        retried = true;
        PreparedStatement next = reprepare.onPrimary(e);
        try {
            for (int i = 0; i < set; i++) {
                settings[i].on(next);
            }
        } catch (SQLException | RuntimeException replay) {
            next.close();
            throw replay;
        }
        PreparedStatement lost = current;
        current = next;
        try {
            lost.close();
        } catch (SQLException ignored) {
            // its connection is gone
        }
        return next;
    }

    // ---- a read's execution: once more on the primary when the replica's connection is lost ---

    @Override
    public boolean execute() throws SQLException {
        try {
            return current.execute();
        } catch (SQLException e) {
            return again(e).execute();
        }
    }

    @Override
    public ResultSet executeQuery() throws SQLException {
        try {
            return current.executeQuery();
        } catch (SQLException e) {
            return again(e).executeQuery();
        }
    }

    // ---- what jOOQ reads and releases --------------------------------------------------------

    @Override
    public ResultSet getResultSet() throws SQLException {
        return current.getResultSet();
    }

    @Override
    public int getUpdateCount() throws SQLException {
        return current.getUpdateCount();
    }

    @Override
    public boolean getMoreResults() throws SQLException {
        return current.getMoreResults();
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        return current.getWarnings();
    }

    @Override
    public void clearWarnings() throws SQLException {
        current.clearWarnings();
    }

    @Override
    public int getQueryTimeout() throws SQLException {
        return current.getQueryTimeout();
    }

    @Override
    public int getMaxRows() throws SQLException {
        return current.getMaxRows();
    }

    @Override
    public int getFetchSize() throws SQLException {
        return current.getFetchSize();
    }

    @Override
    public Connection getConnection() throws SQLException {
        return current.getConnection();
    }

    @Override
    public boolean isClosed() throws SQLException {
        return current.isClosed();
    }

    @Override
    public void cancel() throws SQLException {
        current.cancel();
    }

    @Override
    public void close() throws SQLException {
        current.close();
    }

    // ---- what jOOQ sets on a read (its settings, binds of the usual types), remembered --------

    @Override
    public void setQueryTimeout(int seconds) throws SQLException {
        set(s -> s.setQueryTimeout(seconds));
    }

    @Override
    public void setMaxRows(int max) throws SQLException {
        set(s -> s.setMaxRows(max));
    }

    @Override
    public void setFetchSize(int rows) throws SQLException {
        set(s -> s.setFetchSize(rows));
    }

    @Override
    public void setPoolable(boolean poolable) throws SQLException {
        set(s -> s.setPoolable(poolable));
    }

    @Override
    public void setNull(int index, int sqlType) throws SQLException {
        set(s -> s.setNull(index, sqlType));
    }

    @Override
    public void setBoolean(int index, boolean value) throws SQLException {
        set(s -> s.setBoolean(index, value));
    }

    @Override
    public void setByte(int index, byte value) throws SQLException {
        set(s -> s.setByte(index, value));
    }

    @Override
    public void setShort(int index, short value) throws SQLException {
        set(s -> s.setShort(index, value));
    }

    @Override
    public void setInt(int index, int value) throws SQLException {
        set(s -> s.setInt(index, value));
    }

    @Override
    public void setLong(int index, long value) throws SQLException {
        set(s -> s.setLong(index, value));
    }

    @Override
    public void setFloat(int index, float value) throws SQLException {
        set(s -> s.setFloat(index, value));
    }

    @Override
    public void setDouble(int index, double value) throws SQLException {
        set(s -> s.setDouble(index, value));
    }

    @Override
    public void setBigDecimal(int index, BigDecimal value) throws SQLException {
        set(s -> s.setBigDecimal(index, value));
    }

    @Override
    public void setString(int index, String value) throws SQLException {
        set(s -> s.setString(index, value));
    }

    @Override
    public void setBytes(int index, byte[] value) throws SQLException {
        set(s -> s.setBytes(index, value));
    }

    @Override
    public void setDate(int index, Date value) throws SQLException {
        set(s -> s.setDate(index, value));
    }

    @Override
    public void setTime(int index, Time value) throws SQLException {
        set(s -> s.setTime(index, value));
    }

    @Override
    public void setTimestamp(int index, Timestamp value) throws SQLException {
        set(s -> s.setTimestamp(index, value));
    }

    @Override
    public void setObject(int index, Object value) throws SQLException {
        set(s -> s.setObject(index, value));
    }

    @Override
    public void setObject(int index, Object value, int sqlType) throws SQLException {
        set(s -> s.setObject(index, value, sqlType));
    }

    @Override
    public void setArray(int index, Array value) throws SQLException {
        set(s -> s.setArray(index, value));
    }

    @Override
    public String toString() {
        return "ReplicaReadStatement[" + current + "]";
    }
}
