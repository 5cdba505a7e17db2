package io.openinsure.db.domains.internal;

import java.sql.SQLException;
import java.util.UUID;
import org.jooq.Binding;
import org.jooq.BindingGetResultSetContext;
import org.jooq.BindingGetSQLInputContext;
import org.jooq.BindingGetStatementContext;
import org.jooq.BindingRegisterContext;
import org.jooq.BindingSQLContext;
import org.jooq.BindingSetSQLOutputContext;
import org.jooq.BindingSetStatementContext;
import org.jooq.Converter;
import org.jooq.SQLDialect;
import org.jooq.Scope;
import org.jooq.impl.SQLDataType;

/**
 * The id columns of the generated jOOQ tables, in both dialects: a native {@code uuid} on PostgreSQL,
 * the 16 big-endian bytes of a {@code BINARY(16)} on MySQL, MariaDB and Vitess ({@link UuidBinaryConverter}).
 * The dialect of the executing context decides, so one set of typed tables serves both.
 *
 * <p>Internal: referenced by generated code, not part of the API.
 */
public final class UuidBinding implements Binding<UUID, UUID> {

    private static final long serialVersionUID = 1L;

    @SuppressWarnings("unchecked")
    private static final Binding<UUID, UUID> NATIVE = (Binding<UUID, UUID>) SQLDataType.UUID.getBinding();

    @SuppressWarnings("unchecked")
    private static final Binding<byte[], byte[]> BYTES = (Binding<byte[], byte[]>) SQLDataType.VARBINARY.getBinding();

    private static final Converter<byte[], UUID> AS_BYTES = new UuidBinaryConverter();
    private static final Converter<UUID, UUID> IDENTITY = Converter.ofNullable(UUID.class, UUID.class, u -> u, u -> u);

    /** Whether {@code scope}'s dialect stores ids as native {@code uuid}. */
    public static boolean nativeUuid(Scope scope) {
        return nativeUuid(scope.dialect());
    }

    /** Whether {@code dialect} stores ids as native {@code uuid} (PostgreSQL), not {@code BINARY(16)}. */
    public static boolean nativeUuid(SQLDialect dialect) {
        return dialect != null && dialect.family() == SQLDialect.POSTGRES;
    }

    /** {@code id} as the JDBC value of an id column in {@code dialect}: the UUID itself, or its 16 bytes. */
    public static Object jdbcValue(SQLDialect dialect, UUID id) {
        return id == null || nativeUuid(dialect) ? id : AS_BYTES.to(id);
    }

    @Override
    public Converter<UUID, UUID> converter() {
        return IDENTITY;
    }

    @Override
    public void sql(BindingSQLContext<UUID> ctx) throws SQLException {
        if (nativeUuid(ctx)) {
            NATIVE.sql(ctx);
        } else {
            BYTES.sql(ctx.convert(AS_BYTES));
        }
    }

    @Override
    public void register(BindingRegisterContext<UUID> ctx) throws SQLException {
        if (nativeUuid(ctx)) {
            NATIVE.register(ctx);
        } else {
            BYTES.register(ctx.convert(AS_BYTES));
        }
    }

    @Override
    public void set(BindingSetStatementContext<UUID> ctx) throws SQLException {
        if (nativeUuid(ctx)) {
            NATIVE.set(ctx);
        } else {
            BYTES.set(ctx.convert(AS_BYTES));
        }
    }

    @Override
    public void set(BindingSetSQLOutputContext<UUID> ctx) throws SQLException {
        if (nativeUuid(ctx)) {
            NATIVE.set(ctx);
        } else {
            BYTES.set(ctx.convert(AS_BYTES));
        }
    }

    @Override
    public void get(BindingGetResultSetContext<UUID> ctx) throws SQLException {
        if (nativeUuid(ctx)) {
            NATIVE.get(ctx);
        } else {
            BYTES.get(ctx.convert(AS_BYTES));
        }
    }

    @Override
    public void get(BindingGetStatementContext<UUID> ctx) throws SQLException {
        if (nativeUuid(ctx)) {
            NATIVE.get(ctx);
        } else {
            BYTES.get(ctx.convert(AS_BYTES));
        }
    }

    @Override
    public void get(BindingGetSQLInputContext<UUID> ctx) throws SQLException {
        if (nativeUuid(ctx)) {
            NATIVE.get(ctx);
        } else {
            BYTES.get(ctx.convert(AS_BYTES));
        }
    }
}
