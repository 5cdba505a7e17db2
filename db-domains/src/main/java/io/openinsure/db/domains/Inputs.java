package io.openinsure.db.domains;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Collection;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jooq.JSON;

/**
 * The one validator of the domain clients' inputs: request records check their fields with it when
 * they are built, operations check their arguments with it before touching the database.
 *
 * <p>Every refusal is a {@link DomainException} with reason {@code INVALID} and one message style that
 * names the field, what was expected and what was got:
 * <pre>
 *   insured name is required, but was null.
 *   insured name must be 1 to 255 characters, but was blank.
 *   premium must be zero or more, but was -5.
 *   currency must be an ISO 4217 code such as USD or EUR, but was 'XYZ'.
 * </pre>
 * Fields are named in words, the way the clients' javadoc names them (e.g. "policy id",
 * "payment amount", "invoice line amount"). Text is stripped of surrounding blanks; codes that are
 * case-insensitive (currencies) come back upper-cased; money comes back at scale 4, as DECIMAL(19,4)
 * columns return it. Package-private: the clients' javadoc states the rules.
 */
final class Inputs {

    /** DECIMAL(19,4): 4 digits after the point. */
    static final int MONEY_SCALE = 4;
    /** DECIMAL(19,4): 15 digits before the point. */
    private static final int MONEY_INTEGER_DIGITS = 15;
    /** Length of the {@code idempotency_key} columns. */
    static final int IDEMPOTENCY_KEY_MAX = 128;

    private static final Pattern LETTERS = Pattern.compile("[A-Z]{3}");
    private static final ObjectMapper JSON_PARSER = new ObjectMapper();

    /** Which amounts a money field accepts. */
    enum Sign {
        /** Greater than zero (a payment, an invoice). */
        POSITIVE("greater than zero"),
        /** Zero or more (a premium, a reserve, a limit). */
        NOT_NEGATIVE("zero or more"),
        /** Any amount but zero (an invoice line: negative is a discount). */
        NOT_ZERO("other than zero"),
        /** Any amount, zero included (a premium change). */
        ANY(null);

        private final String expected;

        Sign(String expected) {
            this.expected = expected;
        }

        boolean accepts(BigDecimal amount) {
            return switch (this) {
                case POSITIVE -> amount.signum() > 0;
                case NOT_NEGATIVE -> amount.signum() >= 0;
                case NOT_ZERO -> amount.signum() != 0;
                case ANY -> true;
            };
        }
    }

    private Inputs() {}

    /**
     * {@code value}, which must not be {@code null}.
     *
     * @throws DomainException {@code INVALID}: "{field} is required, but was null."
     */
    static <T> T required(Keyspace keyspace, String field, T value) {
        if (value == null) {
            throw invalid(keyspace, field, "is required", "was null");
        }
        return value;
    }

    /**
     * {@code value} stripped of surrounding blanks: 1 to {@code maxLength} characters.
     *
     * @throws DomainException {@code INVALID}: null, blank, or longer than {@code maxLength}
     */
    static String text(Keyspace keyspace, String field, String value, int maxLength) {
        required(keyspace, field, value);
        String stripped = value.strip();
        if (stripped.isEmpty()) {
            throw invalid(keyspace, field, "must be 1 to " + maxLength + " characters", "was blank");
        }
        if (stripped.length() > maxLength) {
            throw invalid(
                    keyspace,
                    field,
                    "must be 1 to " + maxLength + " characters",
                    "was " + stripped.length() + " characters long");
        }
        return stripped;
    }

    /**
     * {@code value} stripped of surrounding blanks, which must match {@code pattern} in full.
     *
     * @param expected what a valid value is, for the message, e.g. "a USPS state code such as CA or NY"
     * @throws DomainException {@code INVALID}: null, or "{field} must be {expected}, but was '{value}'."
     */
    static String matching(Keyspace keyspace, String field, String value, Pattern pattern, String expected) {
        String stripped = required(keyspace, field, value).strip();
        if (!pattern.matcher(stripped).matches()) {
            throw invalid(keyspace, field, "must be " + expected, "was '" + value + "'");
        }
        return stripped;
    }

    /**
     * An amount for a DECIMAL(19,4) column, returned at scale 4.
     *
     * @throws DomainException {@code INVALID}: null, the wrong sign, more than 4 decimal places, or
     *                         more than 15 digits before the point
     */
    static BigDecimal money(Keyspace keyspace, String field, BigDecimal value, Sign sign) {
        required(keyspace, field, value);
        if (!sign.accepts(value)) {
            throw invalid(keyspace, field, "must be " + sign.expected, "was " + value.toPlainString());
        }
        BigDecimal scaled = value.stripTrailingZeros();
        if (scaled.scale() > MONEY_SCALE) {
            throw invalid(
                    keyspace,
                    field,
                    "must have at most " + MONEY_SCALE + " decimal places (DECIMAL(19,4))",
                    "was " + value.toPlainString());
        }
        scaled = scaled.setScale(MONEY_SCALE, RoundingMode.UNNECESSARY);
        if (scaled.precision() - scaled.scale() > MONEY_INTEGER_DIGITS) {
            throw invalid(
                    keyspace,
                    field,
                    "must have at most " + MONEY_INTEGER_DIGITS + " digits before the decimal point (DECIMAL(19,4))",
                    "was " + value.toPlainString());
        }
        return scaled;
    }

    /**
     * An ISO 4217 currency code, returned upper-cased ({@code usd} is {@code USD}).
     *
     * @throws DomainException {@code INVALID}: null, or not a known ISO 4217 code
     */
    static String currency(Keyspace keyspace, String field, String value) {
        String code = required(keyspace, field, value).strip().toUpperCase(Locale.ROOT);
        if (!LETTERS.matcher(code).matches() || !isCurrency(code)) {
            throw invalid(keyspace, field, "must be an ISO 4217 code such as USD or EUR", "was '" + value + "'");
        }
        return code;
    }

    private static boolean isCurrency(String code) {
        try {
            Currency.getInstance(code);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * A required idempotency key: 1 to 128 characters, kept as given (not stripped: it is compared exactly).
     *
     * @throws DomainException {@code INVALID}: null (the message says how to choose one), blank, or too long
     */
    static String idempotencyKey(Keyspace keyspace, String key) {
        return idempotencyKey(keyspace, key, IDEMPOTENCY_KEY_MAX);
    }

    /**
     * {@link #idempotencyKey(Keyspace, String)} of at most {@code maxLength} characters (a flow that
     * derives a key per step from it leaves room for the suffix).
     */
    static String idempotencyKey(Keyspace keyspace, String key, int maxLength) {
        if (key == null) {
            throw new DomainException(
                    keyspace,
                    DomainException.Reason.INVALID,
                    "idempotency key is required, but was null; pass the same key"
                            + " when retrying the same request, e.g. a UUID made once per request.");
        }
        if (key.isBlank()) {
            throw invalid(keyspace, "idempotency key", "must be 1 to " + maxLength + " characters", "was blank");
        }
        if (key.length() > maxLength) {
            throw invalid(
                    keyspace,
                    "idempotency key",
                    "must be 1 to " + maxLength + " characters",
                    "was " + key.length() + " characters long");
        }
        return key;
    }

    /**
     * An optional idempotency key: {@code null}, or as {@link #idempotencyKey(Keyspace, String)}.
     *
     * @throws DomainException {@code INVALID}: blank or too long
     */
    static String optionalIdempotencyKey(Keyspace keyspace, String key) {
        return key == null ? null : idempotencyKey(keyspace, key);
    }

    /**
     * A duration greater than zero.
     *
     * @throws DomainException {@code INVALID}: null, zero or negative
     */
    static Duration positive(Keyspace keyspace, String field, Duration value) {
        required(keyspace, field, value);
        if (value.isNegative() || value.isZero()) {
            throw invalid(keyspace, field, "must be a positive duration", "was " + value);
        }
        return value;
    }

    /**
     * An immutable copy of a list with {@code min} to {@code max} elements, none {@code null}.
     *
     * @throws DomainException {@code INVALID}: null, too few or too many elements, or a null element
     */
    static <T> List<T> list(Keyspace keyspace, String field, Collection<T> values, int min, int max) {
        required(keyspace, field, values);
        if (values.size() < min || values.size() > max) {
            String expected =
                    max == Integer.MAX_VALUE ? "must have at least " + min : "must have " + min + " to " + max;
            throw invalid(keyspace, field, expected, "had " + values.size());
        }
        int i = 0;
        for (T value : values) {
            i++;
            if (value == null) {
                throw invalid(keyspace, field, "must not contain null", "number " + i + " was null");
            }
        }
        return List.copyOf(values);
    }

    /**
     * {@code null}, or text that parses as JSON (MariaDB would refuse other text with a less helpful CHECK error).
     *
     * @throws DomainException {@code INVALID}: "{field} must be valid JSON, but was not: {parser's reason}"
     */
    static JSON json(Keyspace keyspace, String field, JSON value) {
        if (value == null) {
            return null;
        }
        try {
            JSON_PARSER.readTree(value.data());
            return value;
        } catch (JsonProcessingException e) {
            throw invalid(keyspace, field, "must be valid JSON", "was not: " + e.getOriginalMessage());
        }
    }

    /**
     * A refusal in the validator's style, for rules a client checks itself: "{field} {expected}, but {got}."
     *
     * @param expected e.g. "must be after the effective date 2026-04-01"
     * @param got      e.g. "was 2026-03-01"
     */
    static DomainException invalid(Keyspace keyspace, String field, String expected, String got) {
        return new DomainException(
                keyspace, DomainException.Reason.INVALID, field + " " + expected + ", but " + got + ".");
    }

    /** An amount as messages show it: plain, four decimals ({@code 100.0000}). */
    static String show(BigDecimal amount) {
        return amount.setScale(MONEY_SCALE, RoundingMode.HALF_EVEN).toPlainString();
    }
}
