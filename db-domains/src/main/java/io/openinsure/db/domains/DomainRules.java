package io.openinsure.db.domains;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openinsure.db.domains.DomainException.Reason;
import io.openinsure.db.domains.internal.BusinessNumbers;
import io.openinsure.db.domains.internal.Prepared;
import io.openinsure.db.domains.internal.SqlErrors;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Currency;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jooq.DSLContext;
import org.jooq.JSON;
import org.jooq.Record;
import org.jooq.exception.DataAccessException;

/**
 * Input rules, business numbers, UTC time and typed refusals shared by the domain clients.
 * Package-private: the clients' javadoc states the rules.
 */
final class DomainRules {

    /** DECIMAL(19,4): 15 digits before the point. */
    private static final BigDecimal MONEY_LIMIT = new BigDecimal("1000000000000000");
    private static final int NUMBER_ATTEMPTS = 3;
    static final ObjectMapper JSON_MAPPER = new ObjectMapper();

    private DomainRules() {
    }

    /** Now on {@code clock} as a UTC {@code DATETIME(6)} value (microseconds). */
    static LocalDateTime now(Clock clock) {
        return LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }

    /** A UTC time for a message, e.g. {@code 2026-11-22T09:00:00Z}. */
    static String utc(LocalDateTime time) {
        return DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(time) + "Z";
    }

    /**
     * A business number {@code PREFIX-yyyy-XXXXXXXXXX}: the UTC year on {@code clock} and ten Crockford
     * base32 characters of the id's random low 50 bits, e.g. {@code POL-2026-0F3K9ZQ2MX}.
     */
    static String businessNumber(String prefix, Clock clock, UUID id) {
        return BusinessNumbers.format(prefix, now(clock).getYear(), id.getLeastSignificantBits());
    }

    /**
     * Runs {@code insert} (one transaction). When it fails on the generated business number's unique key
     * {@code numberKey}, runs it again (it makes a new id and number; at most three attempts). When it fails
     * on another unique key, {@code winner} gets the key's name and answers the row another writer inserted
     * first (to be read in a new transaction: the failed one's snapshot predates that row), throws a refusal,
     * or answers empty to let the failure propagate. Other failures propagate.
     */
    static <T> T insertOnce(Supplier<T> insert, String numberKey, Function<String, Optional<T>> winner) {
        try {
            return BusinessNumbers.retryOnCollision(NUMBER_ATTEMPTS, insert,
                    e -> numberKey != null && e instanceof DataAccessException
                            && SqlErrors.duplicateKeyName(e).filter(numberKey::equals).isPresent());
        } catch (DataAccessException e) {
            String key = SqlErrors.duplicateKeyName(e).orElseThrow(() -> e);
            Optional<T> existing = winner.apply(key);
            if (existing.isPresent()) {
                return existing.get();
            }
            throw e;
        }
    }

    static String text(Keyspace k, String what, String value, int maxLength) {
        if (value == null || value.isBlank()) {
            throw DomainException.invalid(k, what + " is required (was " + (value == null ? "null" : "blank") + ").");
        }
        String v = value.strip();
        if (v.length() > maxLength) {
            throw DomainException.invalid(k, what + " is " + v.length() + " characters long; at most " + maxLength + " are allowed.");
        }
        return v;
    }

    static <T> T required(Keyspace k, String what, T value) {
        if (value == null) {
            throw DomainException.invalid(k, what + " is required (was null).");
        }
        return value;
    }

    /** An idempotency key: 1–128 characters, kept as given (no trimming: it is compared exactly). */
    static String idempotencyKey(Keyspace k, String key) {
        if (key == null || key.isBlank()) {
            throw DomainException.invalid(k, "idempotency key is required (was " + (key == null ? "null" : "blank")
                    + "); pass the same key when retrying the same request, e.g. a UUID made once per request.");
        }
        if (key.length() > 128) {
            throw DomainException.invalid(k, "idempotency key is " + key.length() + " characters long; at most 128 are allowed.");
        }
        return key;
    }

    /** A money amount for a DECIMAL(19,4) column, returned with scale 4 (as the database returns it). */
    static BigDecimal money(Keyspace k, String what, BigDecimal amount, boolean mayBeNegative) {
        required(k, what, amount);
        if (!mayBeNegative && amount.signum() < 0) {
            throw DomainException.invalid(k, what + " must not be negative (was " + amount.toPlainString() + ").");
        }
        if (amount.stripTrailingZeros().scale() > 4) {
            throw DomainException.invalid(k, what + " " + amount.toPlainString()
                    + " has more than 4 decimal places; round it first (money is stored as DECIMAL(19,4)).");
        }
        if (amount.abs().compareTo(MONEY_LIMIT) >= 0) {
            throw DomainException.invalid(k, what + " " + amount.toPlainString() + " is too large for DECIMAL(19,4).");
        }
        return amount.setScale(4);
    }

    /** An ISO 4217 currency code, upper case. */
    static String currency(Keyspace k, String code) {
        String c = text(k, "currency", code, 3).toUpperCase(Locale.ROOT);
        try {
            if (c.length() == 3 && Currency.getInstance(c) != null) {
                return c;
            }
        } catch (IllegalArgumentException e) {
            // fall through
        }
        throw DomainException.invalid(k, "currency '" + code + "' is not an ISO 4217 code (e.g. USD, EUR).");
    }

    /** Rejects text that is not JSON (MariaDB would refuse it with a less helpful CHECK error). */
    static JSON json(Keyspace k, String what, JSON value) {
        if (value == null) {
            return null;
        }
        try {
            JSON_MAPPER.readTree(value.data());
            return value;
        } catch (JsonProcessingException e) {
            throw DomainException.invalid(k, what + " is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** {@code value} (a map or a collection of strings) as JSON. */
    static JSON toJson(Object value) {
        try {
            return JSON.valueOf(JSON_MAPPER.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON for " + value, e);
        }
    }

    /** The row {@code lookup} finds for {@code key} on {@code ctx}; empty for a {@code null} key. */
    static <R extends Record> Optional<R> find(Prepared<R> lookup, DSLContext ctx, Object key) {
        return key == null ? Optional.empty() : lookup.fetchOptional(ctx, key);
    }

    static DomainException notFound(Keyspace k, String entity, Object key, String hint) {
        return new DomainException(k, Reason.NOT_FOUND, entity + " " + key + " does not exist. " + hint);
    }

    static DomainException conflict(Keyspace k, String message) {
        return new DomainException(k, Reason.CONFLICT, message);
    }

    /** The optimistic version check failed: {@code expected} is the version the writer read. */
    static DomainException stale(Keyspace k, String entity, Object key, int expected) {
        return conflict(k, entity + " " + key + " was changed by another writer (expected version " + expected
                + "); read it again and retry.");
    }
}
