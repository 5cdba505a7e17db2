package io.openinsure.db.domains.internal;

import java.security.SecureRandom;
import java.time.LocalDate;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Human-facing business numbers such as {@code CLM-2026-7K3M9QZD0A}: a prefix, the year, and ten
 * Crockford base-32 characters (50 bits; no I, L, O or U, so they read aloud and type safely).
 * Random rather than sequential so no keyspace needs a counter row that every writer would queue
 * on; uniqueness is the table's unique key, and a write that collides runs again with a new number
 * ({@link #retryOnCollision}). Internal: not part of the API. Thread-safe.
 */
public final class BusinessNumbers {

    private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final int CHARS = 10;
    private static final SecureRandom RANDOM = new SecureRandom();

    private BusinessNumbers() {}

    /** A new random number, e.g. {@code next("INV", 2026-03-01)} gives {@code INV-2026-…}. */
    public static String next(String prefix, LocalDate date) {
        return format(prefix, date.getYear(), RANDOM.nextLong());
    }

    /**
     * {@code PREFIX-year-XXXXXXXXXX}: the low 50 bits of {@code bits} as ten Crockford base-32
     * characters, most significant first.
     */
    public static String format(String prefix, int year, long bits) {
        char[] suffix = new char[CHARS];
        for (int i = CHARS - 1; i >= 0; i--) {
            suffix[i] = CROCKFORD[(int) (bits & 31)];
            bits >>>= 5;
        }
        return prefix + "-" + year + "-" + new String(suffix);
    }

    /**
     * Runs {@code attempt} (which draws a new number each time) up to {@code attempts} times while
     * it fails with a failure {@code collided} accepts; other failures propagate at once, and after
     * the last attempt its collision does.
     */
    public static <T> T retryOnCollision(int attempts, Supplier<T> attempt, Predicate<RuntimeException> collided) {
        RuntimeException last = null;
        for (int i = 0; i < attempts; i++) {
            try {
                return attempt.get();
            } catch (RuntimeException e) {
                if (!collided.test(e)) {
                    throw e;
                }
                last = e;
            }
        }
        throw last;
    }
}
