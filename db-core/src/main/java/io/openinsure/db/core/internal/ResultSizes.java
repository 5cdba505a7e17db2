package io.openinsure.db.core.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.temporal.TemporalAccessor;
import java.util.UUID;
import org.jooq.Record;
import org.jooq.Result;

/** A rough estimate of the heap a materialised result holds (64-bit JVM, compressed pointers). */
final class ResultSizes {

    private static final long RESULT = 64;
    private static final long RECORD = 48;
    private static final long REFERENCE = 4;

    private ResultSizes() {}

    static long estimate(Result<? extends Record> result) {
        int columns = result.fields().length;
        long bytes = RESULT + columns * 96L;
        for (Record r : result) {
            bytes += estimate(r);
        }
        return bytes;
    }

    /** One record: the record, its value array, its "changed" bookkeeping and its values. */
    static long estimate(Record r) {
        int columns = r.size();
        long bytes = RECORD + 16 + columns * REFERENCE * 2L;
        for (int i = 0; i < columns; i++) {
            bytes += value(r.get(i));
        }
        return bytes;
    }

    private static long value(Object v) {
        if (v == null) {
            return 0;
        }
        if (v instanceof String s) {
            return 40 + 2L * s.length();
        }
        if (v instanceof byte[] b) {
            return 16 + b.length;
        }
        if (v instanceof BigDecimal || v instanceof BigInteger) {
            return 64;
        }
        if (v instanceof Number || v instanceof Boolean || v instanceof Character) {
            return 16;
        }
        if (v instanceof java.util.Date || v instanceof TemporalAccessor || v instanceof UUID) {
            return 48;
        }
        if (v instanceof Object[] array) {
            long bytes = 16 + REFERENCE * array.length;
            for (Object o : array) {
                bytes += value(o);
            }
            return bytes;
        }
        // JSON, XML, intervals, driver objects: measured by their text
        return 24 + 2L * String.valueOf(v).length();
    }
}
