package io.openinsure.db.core.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * A cache key: the statement's text with comments removed and whitespace collapsed, and its bind
 * values. Equal keys mean the same query with the same parameters. The original text, the verdict and
 * the timeout travel along (for the refresh) but take no part in equality.
 */
final class CacheKey {

    /** A {@code setNull(i, sqlType)} binding: the type is kept for the driver. */
    record TypedNull(int sqlType) {}

    /** A {@code setObject(i, value, sqlType)} binding (e.g. PostgreSQL {@code jsonb} as {@code Types.OTHER}). */
    record TypedValue(Object value, int sqlType) {}

    /** Byte arrays compared by content. */
    record Bytes(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Bytes b && Arrays.equals(bytes, b.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "bytes[" + bytes.length + "]";
        }
    }

    private final String sql;
    private final List<Object> binds;
    private final int hash;
    private final String originalSql;
    private final Verdict verdict;
    private final StatementLimits.Timeout timeout;

    private CacheKey(
            String sql, List<Object> binds, String originalSql, Verdict verdict, StatementLimits.Timeout timeout) {
        this.sql = sql;
        this.binds = binds;
        this.hash = 31 * sql.hashCode() + binds.hashCode();
        this.originalSql = originalSql;
        this.verdict = verdict;
        this.timeout = timeout;
    }

    /**
     * The key for a statement and the values bound to it, or {@code null} when a value cannot be part
     * of a key (streams, LOBs, arrays, driver objects): such executions are not cached.
     */
    static CacheKey of(String originalSql, Verdict verdict, Object[] bindings, StatementLimits.Timeout timeout) {
        List<Object> values = new ArrayList<>(bindings.length);
        for (Object b : bindings) {
            Object v = b instanceof TypedValue t ? t.value() : b;
            if (!(v == null || b instanceof TypedNull || keyable(v))
                    || (b instanceof TypedValue && v instanceof byte[])) {
                return null;
            }
            values.add(b instanceof byte[] bytes ? new Bytes(bytes.clone()) : b);
        }
        return new CacheKey(verdict.normalised(), Collections.unmodifiableList(values), originalSql, verdict, timeout);
    }

    private static boolean keyable(Object v) {
        return v instanceof String
                || v instanceof Long
                || v instanceof Integer
                || v instanceof Short
                || v instanceof Byte
                || v instanceof BigDecimal
                || v instanceof BigInteger
                || v instanceof Double
                || v instanceof Float
                || v instanceof Boolean
                || v instanceof Character
                || v instanceof java.util.Date
                || v instanceof TemporalAccessor
                || v instanceof UUID
                || v instanceof byte[]
                || v instanceof Enum<?>;
    }

    /** Binds this key's values to a real statement the way they were bound to the mock one. */
    void bind(PreparedStatement ps) throws SQLException {
        bind(ps, binds);
    }

    /** Binds values recorded by a {@link RecordingStatement} (or a key's) to a real statement. */
    static void bind(PreparedStatement ps, List<Object> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            Object v = values.get(i);
            if (v instanceof TypedNull t) {
                ps.setNull(i + 1, t.sqlType());
            } else if (v instanceof TypedValue t) {
                ps.setObject(i + 1, t.value(), t.sqlType());
            } else if (v instanceof Bytes b) {
                ps.setBytes(i + 1, b.bytes());
            } else if (v instanceof byte[] b) {
                ps.setBytes(i + 1, b);
            } else {
                ps.setObject(i + 1, v);
            }
        }
    }

    /** The text the first caller sent (comments included), to run on a miss or a refresh. */
    String originalSql() {
        return originalSql;
    }

    Verdict verdict() {
        return verdict;
    }

    /** The timeout the first caller ran under ({@code null} for none), for misses and refreshes. */
    StatementLimits.Timeout timeout() {
        return timeout;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CacheKey k && hash == k.hash && sql.equals(k.sql) && binds.equals(k.binds);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return "CacheKey[" + sql + ", " + binds.size() + " binds]";
    }
}
