package io.openinsure.db.domains.internal;

import java.security.SecureRandom;
import java.time.LocalDate;
import java.util.function.Function;

/**
 * Human-facing business numbers such as {@code CLM-2026-7K3M9QZD0A}: a prefix, the year, and ten
 * Crockford base-32 characters (50 random bits; no I, L, O or U, so they read aloud and type
 * safely). Random rather than sequential so no keyspace needs a counter row that every writer
 * would queue on; uniqueness is the table's unique key, and {@link #insertUnique} draws again on
 * the rare collision. Internal: not part of the API. Thread-safe.
 */
public final class BusinessNumbers {

    private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final int RANDOM_CHARS = 10;
    /** Draws before giving up: with 50 random bits, a second collision in a row means something else is wrong. */
    private static final int ATTEMPTS = 5;
    private static final SecureRandom RANDOM = new SecureRandom();

    private BusinessNumbers() {
    }

    /** A new number, e.g. {@code next("INV", 2026-03-01)} gives {@code INV-2026-…}. */
    public static String next(String prefix, LocalDate date) {
        StringBuilder sb = new StringBuilder(prefix.length() + 6 + RANDOM_CHARS).append(prefix).append('-')
                .append(date.getYear()).append('-');
        long bits = RANDOM.nextLong();
        for (int i = 0; i < RANDOM_CHARS; i++) {
            sb.append(CROCKFORD[(int) (bits & 31)]);
            bits >>>= 5;
        }
        return sb.toString();
    }

    /**
     * Runs {@code insert} with a fresh number until it does not collide with the unique key
     * {@code keyName}. A duplicate-key error fails only its statement on MySQL and MariaDB, so the
     * surrounding transaction carries on.
     */
    public static <T> T insertUnique(String prefix, LocalDate date, String keyName, Function<String, T> insert) {
        RuntimeException last = null;
        for (int i = 0; i < ATTEMPTS; i++) {
            try {
                return insert.apply(next(prefix, date));
            } catch (RuntimeException e) {
                if (!SqlErrors.duplicateKey(e, keyName)) {
                    throw e;
                }
                last = e;
            }
        }
        throw last;
    }
}
