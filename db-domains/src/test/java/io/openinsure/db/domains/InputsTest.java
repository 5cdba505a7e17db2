package io.openinsure.db.domains;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.openinsure.db.domains.DomainException.Reason;
import io.openinsure.db.domains.Inputs.Sign;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.jooq.JSON;
import org.junit.jupiter.api.Test;

/**
 * The one input validator: what each rule accepts, what it returns, and the exact message of every
 * refusal ("{field} must be {expected}, but was {got}.").
 */
class InputsTest {

    private static final Keyspace K = Keyspace.BILLING;

    private static String refused(ThrowingCallable call) {
        DomainException e = catchThrowableOfType(DomainException.class, call);
        assertThat(e).as("expected a refusal").isNotNull();
        assertThat(e.reason()).isEqualTo(Reason.INVALID);
        assertThat(e.keyspace()).contains("billing");
        return e.getMessage();
    }

    @Test
    void requiredValuesNameTheFieldWhenNull() {
        assertThat(Inputs.required(K, "policy id", "x")).isEqualTo("x");
        assertThat(refused(() -> Inputs.required(K, "policy id", null)))
                .isEqualTo("Keyspace 'billing': policy id is required, but was null.");
    }

    @Test
    void textIsStrippedAndBoundedByItsLength() {
        assertThat(Inputs.text(K, "payee", "  Acme  ", 4)).isEqualTo("Acme");
        assertThat(refused(() -> Inputs.text(K, "payee", null, 4)))
                .isEqualTo("Keyspace 'billing': payee is required, but was null.");
        assertThat(refused(() -> Inputs.text(K, "payee", " \t ", 4)))
                .isEqualTo("Keyspace 'billing': payee must be 1 to 4 characters, but was blank.");
        assertThat(refused(() -> Inputs.text(K, "payee", " Acme Co ", 4)))
                .isEqualTo("Keyspace 'billing': payee must be 1 to 4 characters, but was 7 characters long.");
    }

    @Test
    void patternsShowWhatWasExpectedAndTheValueGiven() {
        Pattern state = Pattern.compile("[A-Z]{2}");
        assertThat(Inputs.matching(K, "state", " CA ", state, "a USPS code such as CA"))
                .isEqualTo("CA");
        assertThat(refused(() -> Inputs.matching(K, "state", "Cal", state, "a USPS code such as CA")))
                .isEqualTo("Keyspace 'billing': state must be a USPS code such as CA, but was 'Cal'.");
        assertThat(refused(() -> Inputs.matching(K, "state", null, state, "a USPS code such as CA")))
                .isEqualTo("Keyspace 'billing': state is required, but was null.");
    }

    @Test
    void moneyComesBackAtScaleFourAndIsCheckedForSignAndSize() {
        assertThat(Inputs.money(K, "amount", new BigDecimal("12.5"), Sign.POSITIVE))
                .isEqualTo(new BigDecimal("12.5000"));
        assertThat(Inputs.money(K, "amount", new BigDecimal("1.23450000"), Sign.ANY))
                .isEqualTo(new BigDecimal("1.2345"));
        assertThat(Inputs.money(K, "amount", BigDecimal.ZERO, Sign.NOT_NEGATIVE))
                .isEqualTo(new BigDecimal("0.0000"));
        assertThat(Inputs.money(K, "amount", new BigDecimal("-3"), Sign.NOT_ZERO))
                .isEqualTo(new BigDecimal("-3.0000"));
        assertThat(Inputs.money(K, "amount", BigDecimal.ZERO, Sign.ANY)).isEqualTo(new BigDecimal("0.0000"));
        assertThat(Inputs.money(K, "amount", new BigDecimal("999999999999999.9999"), Sign.POSITIVE))
                .isEqualTo(new BigDecimal("999999999999999.9999"));

        assertThat(refused(() -> Inputs.money(K, "amount", null, Sign.ANY)))
                .isEqualTo("Keyspace 'billing': amount is required, but was null.");
        assertThat(refused(() -> Inputs.money(K, "amount", BigDecimal.ZERO, Sign.POSITIVE)))
                .isEqualTo("Keyspace 'billing': amount must be greater than zero, but was 0.");
        assertThat(refused(() -> Inputs.money(K, "amount", new BigDecimal("-0.01"), Sign.NOT_NEGATIVE)))
                .isEqualTo("Keyspace 'billing': amount must be zero or more, but was -0.01.");
        assertThat(refused(() -> Inputs.money(K, "amount", new BigDecimal("0.00"), Sign.NOT_ZERO)))
                .isEqualTo("Keyspace 'billing': amount must be other than zero, but was 0.00.");
        assertThat(refused(() -> Inputs.money(K, "amount", new BigDecimal("1.00001"), Sign.ANY)))
                .isEqualTo(
                        "Keyspace 'billing': amount must have at most 4 decimal places (DECIMAL(19,4)), but was 1.00001.");
        assertThat(refused(() -> Inputs.money(K, "amount", new BigDecimal("-1E15"), Sign.ANY)))
                .isEqualTo(
                        "Keyspace 'billing': amount must have at most 15 digits before the decimal point (DECIMAL(19,4)),"
                                + " but was -1000000000000000.");
    }

    @Test
    void currenciesAreIso4217CodesInAnyCase() {
        assertThat(Inputs.currency(K, "currency", "USD")).isEqualTo("USD");
        assertThat(Inputs.currency(K, "currency", "usd")).isEqualTo("USD");
        assertThat(Inputs.currency(K, "currency", " eur ")).isEqualTo("EUR");
        for (String bad : List.of("US", "USDX", "XYZ", "U$D", "")) {
            assertThat(refused(() -> Inputs.currency(K, "currency", bad)))
                    .isEqualTo("Keyspace 'billing': currency must be an ISO 4217 code such as USD or EUR, but was '"
                            + bad + "'.");
        }
        assertThat(refused(() -> Inputs.currency(K, "currency", null)))
                .isEqualTo("Keyspace 'billing': currency is required, but was null.");
    }

    @Test
    void idempotencyKeysAreKeptAsGivenAndBounded() {
        assertThat(Inputs.idempotencyKey(K, " k "))
                .as("not stripped: compared exactly")
                .isEqualTo(" k ");
        assertThat(Inputs.idempotencyKey(K, "k".repeat(128))).hasSize(128);
        assertThat(Inputs.optionalIdempotencyKey(K, null)).isNull();
        assertThat(Inputs.optionalIdempotencyKey(K, "k")).isEqualTo("k");

        assertThat(refused(() -> Inputs.idempotencyKey(K, null)))
                .isEqualTo("Keyspace 'billing': idempotency key is required, but was null;"
                        + " pass the same key when retrying the same request, e.g. a UUID made once per request.");
        assertThat(refused(() -> Inputs.optionalIdempotencyKey(K, "  ")))
                .isEqualTo("Keyspace 'billing': idempotency key must be 1 to 128 characters, but was blank.");
        assertThat(refused(() -> Inputs.idempotencyKey(K, "k".repeat(129))))
                .isEqualTo(
                        "Keyspace 'billing': idempotency key must be 1 to 128 characters, but was 129 characters long.");
        assertThat(refused(() -> Inputs.idempotencyKey(K, "k".repeat(101), 100)))
                .isEqualTo(
                        "Keyspace 'billing': idempotency key must be 1 to 100 characters, but was 101 characters long.");
    }

    @Test
    void durationsMustBePositive() {
        assertThat(Inputs.positive(K, "quote validity", Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(1));
        assertThat(refused(() -> Inputs.positive(K, "quote validity", Duration.ZERO)))
                .isEqualTo("Keyspace 'billing': quote validity must be a positive duration, but was PT0S.");
        assertThat(refused(() -> Inputs.positive(K, "quote validity", Duration.ofDays(-1))))
                .isEqualTo("Keyspace 'billing': quote validity must be a positive duration, but was PT-24H.");
    }

    @Test
    void listsAreCopiedAndBoundedWithoutNulls() {
        assertThat(Inputs.list(K, "lines", List.of("a", "b"), 1, 2)).containsExactly("a", "b");
        assertThat(refused(() -> Inputs.list(K, "lines", null, 1, 2)))
                .isEqualTo("Keyspace 'billing': lines is required, but was null.");
        assertThat(refused(() -> Inputs.list(K, "lines", List.of(), 1, 2)))
                .isEqualTo("Keyspace 'billing': lines must have 1 to 2, but had 0.");
        assertThat(refused(() -> Inputs.list(K, "lines", List.of("a"), 2, Integer.MAX_VALUE)))
                .isEqualTo("Keyspace 'billing': lines must have at least 2, but had 1.");
        assertThat(refused(() -> Inputs.list(K, "lines", Arrays.asList("a", null), 1, 2)))
                .isEqualTo("Keyspace 'billing': lines must not contain null, but number 2 was null.");
    }

    @Test
    void jsonMustParse() {
        assertThat(Inputs.json(K, "rating inputs", null)).isNull();
        assertThat(Inputs.json(K, "rating inputs", JSON.valueOf("{\"a\": 1}"))).isEqualTo(JSON.valueOf("{\"a\": 1}"));
        assertThat(refused(() -> Inputs.json(K, "rating inputs", JSON.valueOf("{a: 1"))))
                .startsWith("Keyspace 'billing': rating inputs must be valid JSON, but was not: ")
                .endsWith(".");
    }

    @Test
    void clientsRulesUseTheSameStyle() {
        assertThat(Inputs.invalid(K, "expiration date", "must be after the effective date 2026-04-01", "was 2026-03-01")
                        .getMessage())
                .isEqualTo(
                        "Keyspace 'billing': expiration date must be after the effective date 2026-04-01, but was 2026-03-01.");
        assertThat(Inputs.show(new BigDecimal("100"))).isEqualTo("100.0000");
    }
}
