package io.openinsure.db.core.internal;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jooq.Configuration;
import org.jooq.Converter;
import org.jooq.Field;
import org.jooq.JSON;
import org.jooq.Record;
import org.jooq.Result;
import org.jooq.Table;

/**
 * Reads the rows of {@code select <all columns of t, in t's field order> …} straight from a JDBC
 * {@link ResultSet} into {@code t}'s records: one reader per column chosen once per table by the type the
 * column's converter reads ({@code byte[]} for the {@code BINARY(16)} UUIDs, {@code String} for JSON…), then
 * the converter. It is what jOOQ's cursor does for these types, without its per-row context, delegating
 * bindings and listener calls. A table with a column of any other type has no mapper ({@link #of} answers
 * {@code null}): its reads take jOOQ's path. Thread-safe.
 */
final class DirectRows<R extends Record> {

    private static final Map<Table<?>, Object> MAPPERS = new ConcurrentHashMap<>();
    private static final Object NONE = new Object();
    /** SQL texts whose layout is remembered per table: statement shapes, not executions. */
    private static final int MAX_LAYOUTS = 1_000;

    @FunctionalInterface
    private interface Reader {
        Object read(ResultSet rs, int column) throws SQLException;
    }

    private final Table<R> table;
    private final Field<?>[] fields;
    private final Reader[] readers;
    private final Converter<Object, Object>[] converters;
    /** Per SQL text: an {@code int[]} layout, or {@link #NONE}. */
    private final Map<String, Object> layouts = new ConcurrentHashMap<>();

    @SuppressWarnings("unchecked")
    private DirectRows(Table<R> table, Field<?>[] fields, Reader[] readers) {
        this.table = table;
        this.fields = fields;
        this.readers = readers;
        this.converters = new Converter[fields.length];
        for (int i = 0; i < fields.length; i++) {
            Converter<?, ?> c = fields[i].getConverter();
            converters[i] = c.fromType() == c.toType() ? null : (Converter<Object, Object>) c;
        }
    }

    /** The mapper of {@code table}'s records, or {@code null} when one of its columns has a type read only by jOOQ. */
    @SuppressWarnings("unchecked")
    static <R extends Record> DirectRows<R> of(Table<R> table) {
        Object m = MAPPERS.computeIfAbsent(table, t -> {
            Field<?>[] fields = t.fields();
            Reader[] readers = new Reader[fields.length];
            for (int i = 0; i < fields.length; i++) {
                readers[i] = reader(fields[i].getConverter().fromType());
                if (readers[i] == null) {
                    return NONE;
                }
            }
            return new DirectRows<>((Table<R>) t, fields, readers);
        });
        return m == NONE ? null : (DirectRows<R>) m;
    }

    /** The table whose records this maps. */
    Table<R> table() {
        return table;
    }

    /**
     * Whether JDBC's {@code setObject} binds every value as jOOQ would: strings, bytes, numbers, booleans,
     * {@code java.time} values, nulls, and {@link UUID}s (which only callers that bind a native {@code uuid}, i.e.
     * on PostgreSQL, pass: on MySQL they bind an id's 16 bytes). Anything else (an enum, a value with a converter)
     * takes jOOQ's path.
     */
    static boolean bindable(Object[] binds) {
        for (Object b : binds) {
            if (!(b == null
                    || b instanceof String
                    || b instanceof byte[]
                    || b instanceof Integer
                    || b instanceof Long
                    || b instanceof BigDecimal
                    || b instanceof Boolean
                    || b instanceof Short
                    || b instanceof LocalDate
                    || b instanceof LocalDateTime
                    || b instanceof UUID)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Which field each column of {@code sql}'s result fills (by column label, worked out once per SQL text),
     * or {@code null} when the result's columns are not exactly the table's fields.
     */
    int[] layout(String sql, ResultSetMetaData meta) throws SQLException {
        Object known = layouts.get(sql);
        if (known == null) {
            known = layoutOf(meta);
            if (layouts.size() < MAX_LAYOUTS) {
                layouts.put(sql, known);
            }
        }
        return known == NONE ? null : (int[]) known;
    }

    private Object layoutOf(ResultSetMetaData meta) throws SQLException {
        if (meta.getColumnCount() != fields.length) {
            return NONE;
        }
        int[] layout = new int[fields.length];
        boolean[] used = new boolean[fields.length];
        for (int c = 0; c < layout.length; c++) {
            int f = indexOf(meta.getColumnLabel(c + 1));
            if (f < 0 || used[f]) {
                return NONE;
            }
            used[f] = true;
            layout[c] = f;
        }
        return layout;
    }

    private int indexOf(String label) {
        for (int f = 0; f < fields.length; f++) {
            if (fields[f].getName().equalsIgnoreCase(label)) {
                return f;
            }
        }
        return -1;
    }

    private static Reader reader(Class<?> type) {
        if (type == String.class) {
            return ResultSet::getString;
        } else if (type == byte[].class) {
            return ResultSet::getBytes;
        } else if (type == Integer.class) {
            return (rs, i) -> {
                int v = rs.getInt(i);
                return rs.wasNull() ? null : v;
            };
        } else if (type == Long.class) {
            return (rs, i) -> {
                long v = rs.getLong(i);
                return rs.wasNull() ? null : v;
            };
        } else if (type == Short.class) {
            return (rs, i) -> {
                short v = rs.getShort(i);
                return rs.wasNull() ? null : v;
            };
        } else if (type == Byte.class) {
            return (rs, i) -> {
                byte v = rs.getByte(i);
                return rs.wasNull() ? null : v;
            };
        } else if (type == Boolean.class) {
            return (rs, i) -> {
                boolean v = rs.getBoolean(i);
                return rs.wasNull() ? null : v;
            };
        } else if (type == Double.class) {
            return (rs, i) -> {
                double v = rs.getDouble(i);
                return rs.wasNull() ? null : v;
            };
        } else if (type == BigDecimal.class) {
            return ResultSet::getBigDecimal;
        } else if (type == LocalDate.class
                || type == LocalDateTime.class
                || type == LocalTime.class
                || type == OffsetDateTime.class) {
            return (rs, i) -> rs.getObject(i, type);
        } else if (type == JSON.class) {
            return (rs, i) -> JSON.jsonOrNull(rs.getString(i));
        } else if (type == UUID.class) {
            return DirectRows::uuid;
        }
        return null;
    }

    /**
     * A UUID column read as its binding stores it: PgJDBC answers a native {@code uuid} as a {@link UUID};
     * a MySQL-family {@code BINARY(16)} id holds the UUID's 16 bytes, most significant first.
     */
    private static UUID uuid(ResultSet rs, int column) throws SQLException {
        Object value = rs.getObject(column);
        if (value == null || value instanceof UUID) {
            return (UUID) value;
        }
        if (value instanceof byte[] b && b.length == 16) {
            ByteBuffer buffer = ByteBuffer.wrap(b);
            return new UUID(buffer.getLong(), buffer.getLong());
        }
        throw new SQLException("a UUID column must hold a uuid or 16 bytes, found "
                + value.getClass().getSimpleName());
    }

    /** The current row (columns in {@code layout}'s order) as a record attached to {@code ctx}'s configuration, unchanged, as jOOQ fetches it. */
    R read(ResultSet rs, int[] layout, org.jooq.DSLContext ctx) throws SQLException {
        R record =
                ctx.newRecord(table); // attached; not table.newRecord(), which builds a DefaultConfiguration per record
        for (int c = 0; c < layout.length; c++) {
            int i = layout[c];
            Object value = readers[i].read(rs, c + 1);
            Converter<Object, Object> converter = converters[i];
            set(record, fields[i], converter == null || value == null ? value : converter.from(value));
        }
        record.changed(false);
        return record;
    }

    /**
     * Copies of {@code rows} (records of this table, as the cache keeps them) attached to {@code configuration},
     * unchanged: what {@code rows.into(table)} gives, without passing every value through its converter again
     * (which was three quarters of a typed cache hit). Values are immutable except {@code byte[]}, which is cloned.
     */
    Result<R> copy(Result<?> rows, Configuration configuration) {
        org.jooq.DSLContext ctx = org.jooq.impl.DSL.using(configuration);
        Result<R> copies = ctx.newResult(table);
        for (Record source : rows) {
            R record = ctx.newRecord(table);
            for (int i = 0; i < fields.length; i++) {
                Object value = source.get(i);
                set(record, fields[i], value instanceof byte[] b ? b.clone() : value);
            }
            record.changed(false);
            copies.add(record);
        }
        return copies;
    }

    @SuppressWarnings("unchecked")
    private static <T> void set(Record record, Field<T> field, Object value) {
        record.set(field, (T) value);
    }
}
