package io.openinsure.db.domains;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.regex.Pattern;

/**
 * Checks shared by the domain clients' input records and operations. Every failure is a
 * {@link DomainException} with reason {@code INVALID} that names the value and the rule.
 */
final class Inputs {

    /** DECIMAL(19,4): 15 digits before the point, 4 after. */
    static final int MONEY_SCALE = 4;
    private static final int MONEY_INTEGER_DIGITS = 15;
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final int IDEMPOTENCY_KEY_MAX = 128;

    private Inputs() {
    }

    static <T> T required(Keyspace keyspace, T value, String what) {
        if (value == null) {
            throw DomainException.invalid(keyspace, what + " is required.");
        }
        return value;
    }

    /** Non-blank text of at most {@code maxLength} characters, stripped of surrounding blanks. */
    static String text(Keyspace keyspace, String value, String what, int maxLength) {
        if (value == null || value.isBlank()) {
            throw DomainException.invalid(keyspace, what + " must not be blank.");
        }
        String stripped = value.strip();
        if (stripped.length() > maxLength) {
            throw DomainException.invalid(keyspace, what + " must be at most " + maxLength + " characters, but has "
                    + stripped.length() + ".");
        }
        return stripped;
    }

    /** An ISO 4217 code: three upper-case letters. */
    static String currency(Keyspace keyspace, String value, String what) {
        if (value == null || !CURRENCY.matcher(value).matches()) {
            throw DomainException.invalid(keyspace, what + " must be an ISO 4217 code of three upper-case letters (e.g. USD), but was "
                    + (value == null ? "null" : "'" + value + "'") + ".");
        }
        return value;
    }

    /** An amount that fits DECIMAL(19,4), returned at scale 4; {@code sign} 1 = positive, 0 = zero or positive, -1 = any non-zero. */
    static BigDecimal money(Keyspace keyspace, BigDecimal value, String what, int sign) {
        required(keyspace, value, what);
        if (sign == 1 && value.signum() <= 0) {
            throw DomainException.invalid(keyspace, what + " must be greater than zero, but was " + value.toPlainString() + ".");
        }
        if (sign == 0 && value.signum() < 0) {
            throw DomainException.invalid(keyspace, what + " must not be negative, but was " + value.toPlainString() + ".");
        }
        if (sign == -1 && value.signum() == 0) {
            throw DomainException.invalid(keyspace, what + " must not be zero.");
        }
        BigDecimal scaled = value.stripTrailingZeros();
        if (scaled.scale() > MONEY_SCALE) {
            throw DomainException.invalid(keyspace, what + " has at most " + MONEY_SCALE + " decimal places, but was "
                    + value.toPlainString() + ".");
        }
        scaled = scaled.setScale(MONEY_SCALE, RoundingMode.UNNECESSARY);
        if (scaled.precision() - scaled.scale() > MONEY_INTEGER_DIGITS) {
            throw DomainException.invalid(keyspace, what + " has at most " + MONEY_INTEGER_DIGITS + " digits before the decimal point, but was "
                    + value.toPlainString() + ".");
        }
        return scaled;
    }

    /** An optional idempotency key: {@code null}, or non-blank text of at most 128 characters (kept as given). */
    static String idempotencyKey(Keyspace keyspace, String key, boolean required) {
        if (key == null && !required) {
            return null;
        }
        if (key == null || key.isBlank()) {
            throw DomainException.invalid(keyspace, "idempotency key must not be blank" + (required ? "; it makes retries safe." : "."));
        }
        if (key.length() > IDEMPOTENCY_KEY_MAX) {
            throw DomainException.invalid(keyspace, "idempotency key must be at most " + IDEMPOTENCY_KEY_MAX + " characters, but has "
                    + key.length() + ".");
        }
        return key;
    }

    /** An amount as messages show it: plain, four decimals ({@code 100.0000}). */
    static String show(BigDecimal amount) {
        return amount.setScale(MONEY_SCALE, RoundingMode.HALF_EVEN).toPlainString();
    }

    /** Today's date in UTC. */
    static LocalDate today(Clock clock) {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }
}
