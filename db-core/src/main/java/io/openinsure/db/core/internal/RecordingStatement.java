package io.openinsure.db.core.internal;

import io.openinsure.db.core.internal.CacheKey.TypedNull;
import io.openinsure.db.core.internal.CacheKey.TypedValue;
import java.sql.SQLException;
import org.jooq.tools.jdbc.MockConnection;
import org.jooq.tools.jdbc.MockDataProvider;
import org.jooq.tools.jdbc.MockExecuteContext;
import org.jooq.tools.jdbc.MockResult;
import org.jooq.tools.jdbc.MockStatement;

/**
 * jOOQ's mock statement for a cacheable read, keeping the SQL types that {@code setNull} and typed
 * {@code setObject} calls carry (the mock drops them), so a miss binds exactly what jOOQ bound.
 */
final class RecordingStatement extends MockStatement {

    /** Answers an execution: the mock's context, plus the query timeout set on this statement. */
    @FunctionalInterface
    interface Answer {
        MockResult[] execute(MockExecuteContext context, int queryTimeoutSeconds) throws SQLException;
    }

    private final Holder holder;

    RecordingStatement(MockConnection connection, Answer answer, String sql) {
        this(connection, new Holder(answer), sql);
    }

    private RecordingStatement(MockConnection connection, Holder holder, String sql) {
        super(connection, holder, sql);
        this.holder = holder;
        holder.statement = this;
    }

    /** Passes the statement's query timeout on to the miss, which the plain mock would forget. */
    private static final class Holder implements MockDataProvider {
        private final Answer answer;
        private RecordingStatement statement;

        Holder(Answer answer) {
            this.answer = answer;
        }

        @Override
        public MockResult[] execute(MockExecuteContext context) throws SQLException {
            return answer.execute(context, statement.getQueryTimeout());
        }
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
