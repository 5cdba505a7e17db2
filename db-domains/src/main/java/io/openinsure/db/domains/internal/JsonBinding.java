package io.openinsure.db.domains.internal;

import java.sql.SQLException;
import org.jooq.Binding;
import org.jooq.BindingGetResultSetContext;
import org.jooq.BindingGetSQLInputContext;
import org.jooq.BindingGetStatementContext;
import org.jooq.BindingRegisterContext;
import org.jooq.BindingSQLContext;
import org.jooq.BindingSetSQLOutputContext;
import org.jooq.BindingSetStatementContext;
import org.jooq.Converter;
import org.jooq.JSON;
import org.jooq.JSONB;
import org.jooq.impl.SQLDataType;

/**
 * The JSON columns of the generated jOOQ tables in both dialects (MySQL {@code JSON}, PostgreSQL {@code jsonb}):
 * jOOQ's own JSON binding, except that a value is read as the text the server sent. A row answered from the read
 * cache on PostgreSQL holds a {@link JSONB}, whose {@code toString()} re-formats the text; reading its
 * {@link JSONB#data()} keeps a cached row equal to the same row read from the server.
 *
 * <p>Internal: referenced by generated code, not part of the API.
 */
public final class JsonBinding implements Binding<JSON, JSON> {

    private static final long serialVersionUID = 1L;

    @SuppressWarnings("unchecked")
    private static final Binding<JSON, JSON> JOOQ = (Binding<JSON, JSON>) SQLDataType.JSON.getBinding();

    private static final Converter<JSON, JSON> IDENTITY = Converter.ofNullable(JSON.class, JSON.class, j -> j, j -> j);

    @Override
    public Converter<JSON, JSON> converter() {
        return IDENTITY;
    }

    @Override
    public void sql(BindingSQLContext<JSON> ctx) throws SQLException {
        JOOQ.sql(ctx);
    }

    @Override
    public void register(BindingRegisterContext<JSON> ctx) throws SQLException {
        JOOQ.register(ctx);
    }

    @Override
    public void set(BindingSetStatementContext<JSON> ctx) throws SQLException {
        JOOQ.set(ctx);
    }

    @Override
    public void set(BindingSetSQLOutputContext<JSON> ctx) throws SQLException {
        JOOQ.set(ctx);
    }

    @Override
    public void get(BindingGetResultSetContext<JSON> ctx) throws SQLException {
        Object value = ctx.resultSet().getObject(ctx.index());
        ctx.value(
                value == null
                        ? null
                        : value instanceof JSON json
                                ? json
                                : value instanceof JSONB jsonb
                                        ? JSON.json(jsonb.data())
                                        : JSON.json(value.toString())); // a String (MySQL), or PgJDBC's PGobject, whose
        // toString() is the text
    }

    @Override
    public void get(BindingGetStatementContext<JSON> ctx) throws SQLException {
        JOOQ.get(ctx);
    }

    @Override
    public void get(BindingGetSQLInputContext<JSON> ctx) throws SQLException {
        JOOQ.get(ctx);
    }
}
