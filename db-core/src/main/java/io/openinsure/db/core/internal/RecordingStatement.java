package io.openinsure.db.core.internal;

import io.openinsure.db.core.internal.CacheKey.TypedNull;
import io.openinsure.db.core.internal.CacheKey.TypedValue;
import java.sql.SQLException;
import org.jooq.tools.jdbc.MockConnection;
import org.jooq.tools.jdbc.MockDataProvider;
import org.jooq.tools.jdbc.MockStatement;

/**
 * jOOQ's mock statement for a cacheable read, keeping the SQL types that {@code setNull} and typed
 * {@code setObject} calls carry (the mock drops them), so a miss binds exactly what jOOQ bound.
 */
final class RecordingStatement extends MockStatement {

    RecordingStatement(MockConnection connection, MockDataProvider data, String sql) {
        super(connection, data, sql);
    }

    @Override
    public void setNull(int index, int sqlType) throws SQLException {
        super.setObject(index, new TypedNull(sqlType));
    }

    @Override
    public void setNull(int index, int sqlType, String typeName) throws SQLException {
        super.setObject(index, new TypedNull(sqlType));
    }

    @Override
    public void setObject(int index, Object value, int sqlType) throws SQLException {
        super.setObject(index, value == null ? new TypedNull(sqlType) : new TypedValue(value, sqlType));
    }

    @Override
    public void setObject(int index, Object value, int sqlType, int scaleOrLength) throws SQLException {
        setObject(index, value, sqlType);
    }
}
