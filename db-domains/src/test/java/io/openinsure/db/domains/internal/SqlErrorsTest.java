package io.openinsure.db.domains.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.jooq.exception.DataAccessException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/** How the domain clients recognise duplicate keys and write conflicts, and draw business numbers. */
class SqlErrorsTest {

    private static RuntimeException duplicate(String message) {
        return new DataAccessException(
                "SQL [insert …]; " + message, new SQLIntegrityConstraintViolationException(message, "23000", 1062));
    }

    /** Whether {@code failure} is a duplicate in the unique key {@code key}. */
    private static boolean duplicateIn(Throwable failure, String key) {
        return SqlErrors.duplicateKeyName(failure).filter(key::equals).isPresent();
    }

    /** PgJDBC's exception for a server error with these fields (the protocol's 'C', 'M' and 'n'). */
    static PSQLException postgres(String sqlState, String message, String constraint) {
        return new PSQLException(new ServerErrorMessage(
                "SERROR\0C" + sqlState + "\0M" + message + (constraint == null ? "" : "\0n" + constraint) + "\0\0"));
    }

    @Test
    void aDuplicateIsRecognisedByKeyNameInMariaDbAndMySqlMessages() {
        RuntimeException mariadb = duplicate("Duplicate entry 'pay-1' for key 'uk_claim_payment_idempotency_key'");
        RuntimeException mysql =
                duplicate("Duplicate entry 'pay-1' for key 'claim_payment.uk_claim_payment_idempotency_key'");

        for (RuntimeException e : List.of(mariadb, mysql)) {
            assertThat(SqlErrors.duplicateKeyName(e)).contains("uk_claim_payment_idempotency_key");
            assertThat(duplicateIn(e, "uk_claim_number")).isFalse();
        }
        assertThat(SqlErrors.duplicateKeyName(new DataAccessException(
                        "x", new SQLException("Column 'amount' cannot be null uk_claim_number", "23000", 1048))))
                .isEmpty();
        assertThat(SqlErrors.duplicateKeyName(new IllegalStateException("no SQL here")))
                .isEmpty();
    }

    @Test
    void onPostgresTheKeyIsTheConstraintFieldOfTheServersErrorNotItsMessage() {
        // A server with lc_messages = 'de_DE': the words differ, the field does not. Quotes and a dot in a name: no
        // pattern over the message would read it whole.
        assertThat(SqlErrors.duplicateKeyName(new DataAccessException(
                        "x",
                        postgres(
                                "23505",
                                "doppelter Schlüsselwert verletzt Unique-Constraint »uk_claim_payment_idempotency_key«",
                                "uk_claim_payment_idempotency_key"))))
                .contains("uk_claim_payment_idempotency_key");
        String odd = "uk \"odd\".name";
        assertThat(SqlErrors.duplicateKeyName(new DataAccessException(
                        "x", postgres("23505", "duplicate key value violates unique constraint \"" + odd + "\"", odd))))
                .contains(odd);
        // The message is never parsed: a 23505 without the field is a duplicate of an unnamed key.
        RuntimeException unnamed = new DataAccessException(
                "x", new SQLException("duplicate key value violates unique constraint \"uk_claim_number\"", "23505"));
        assertThat(SqlErrors.duplicateKeyName(unnamed)).contains("");
        assertThat(SqlErrors.duplicateKeyName(
                        new DataAccessException("x", postgres("23502", "null value in column \"amount\"", null))))
                .isEmpty();
    }

    @Test
    void snapshotIsolationErrorsAndDeadlocksAreWriteConflicts() {
        assertThat(SqlErrors.writeConflict(new DataAccessException(
                        "x", new SQLException("Record has changed since last read", "HY000", 1020))))
                .isTrue();
        assertThat(SqlErrors.writeConflict(
                        new DataAccessException("x", new SQLException("Deadlock found", "40001", 1213))))
                .isTrue();
        assertThat(SqlErrors.writeConflict(duplicate("Duplicate entry"))).isFalse();
    }

    @Test
    void businessNumbersHaveAPrefixTheYearAndTenCrockfordCharacters() {
        assertThat(BusinessNumbers.next("CLM", LocalDate.of(2026, 3, 1))).matches("CLM-2026-[0-9A-HJKMNP-TV-Z]{10}");
    }

    @Test
    void aNumberThatCollidesIsDrawnAgain() {
        List<String> tried = new ArrayList<>();
        String used = BusinessNumbers.retryOnCollision(
                3,
                () -> {
                    String number = BusinessNumbers.next("INV", LocalDate.of(2026, 3, 1));
                    tried.add(number);
                    if (tried.size() < 3) {
                        throw duplicate("Duplicate entry '" + number + "' for key 'uk_invoice_number'");
                    }
                    return number;
                },
                e -> duplicateIn(e, "uk_invoice_number"));
        assertThat(tried).hasSize(3).doesNotHaveDuplicates().last().isEqualTo(used);
    }

    @Test
    void otherFailuresAndEndlessCollisionsAreNotHidden() {
        List<String> tried = new ArrayList<>();
        assertThatThrownBy(() -> BusinessNumbers.retryOnCollision(
                        3,
                        () -> {
                            tried.add("k");
                            throw duplicate("Duplicate entry 'k' for key 'uk_invoice_idempotency_key'");
                        },
                        e -> duplicateIn(e, "uk_invoice_number")))
                .hasMessageContaining("uk_invoice_idempotency_key");
        assertThat(tried).hasSize(1);
        assertThatThrownBy(() -> BusinessNumbers.retryOnCollision(
                        3,
                        () -> {
                            tried.add("n");
                            throw duplicate("Duplicate entry 'n' for key 'uk_invoice_number'");
                        },
                        e -> duplicateIn(e, "uk_invoice_number")))
                .hasMessageContaining("for key 'uk_invoice_number'");
        assertThat(tried).hasSize(4);
    }
}
