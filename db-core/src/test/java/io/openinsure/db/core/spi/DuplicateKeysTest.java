package io.openinsure.db.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.openinsure.db.core.ServerErrorException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import org.jooq.exception.DataAccessException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/** Which unique key a failure names, wherever in the chain the driver's exception sits. */
class DuplicateKeysTest {

    private static PSQLException postgres(String constraint) {
        return new PSQLException(
                new ServerErrorMessage("SERROR\0C23505\0Mduplicate key value violates unique constraint \"" + constraint
                        + "\"\0n" + constraint + "\0\0"));
    }

    @Test
    void mySqlMariaDbAndVtgateNameTheKeyInTheMessage() {
        assertThat(DuplicateKeys.keyName(new SQLIntegrityConstraintViolationException(
                        "Duplicate entry 'x' for key 'uk_policy_number'", "23000", 1062)))
                .contains("uk_policy_number");
        assertThat(DuplicateKeys.keyName(new DataAccessException(
                        "SQL [insert …]",
                        new SQLIntegrityConstraintViolationException(
                                "Duplicate entry 'x' for key 'policy.uk_policy_number'", "23000", 1062))))
                .contains("uk_policy_number");
        assertThat(DuplicateKeys.keyName(new SQLException("Duplicate entry 'x'", "23000", 1062)))
                .isEmpty();
    }

    @Test
    void postgresNamesItInTheConstraintFieldWhichIsFoundBehindWrappersAndInABatchsNextException() {
        assertThat(DuplicateKeys.keyName(new DataAccessException("SQL [insert …]", postgres("uk_policy_number"))))
                .contains("uk_policy_number");
        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 was aborted", "23505", 0, new int[0]);
        batch.setNextException(postgres("uk.with.dots"));
        assertThat(DuplicateKeys.keyName(new DataAccessException("SQL [batch]", batch)))
                .contains("uk.with.dots");
        assertThat(DuplicateKeys.keyName(new SQLException(
                        "duplicate key value violates unique constraint \"uk_policy_number\"", "23505")))
                .as("a 23505 without PgJDBC's fields: the words of the message are not read")
                .isEmpty();
    }

    @Test
    void theSdksTypedErrorCarriesTheNameItReadBeforeMasking() {
        ServerErrorException typed = new ServerErrorException(
                "policies",
                ServerErrorException.Kind.DUPLICATE_KEY,
                0,
                "23505",
                "uk_policy_number",
                -1,
                "[policies] duplicate key 'uk_policy_number'",
                new SQLIntegrityConstraintViolationException("masked", "23505", 0));
        assertThat(DuplicateKeys.keyName(new IllegalStateException("wrapped", typed)))
                .contains("uk_policy_number");
        assertThat(DuplicateKeys.keyName(new IllegalStateException("no SQL here")))
                .isEmpty();
        assertThat(DuplicateKeys.keyName(null)).isEmpty();
    }

    @Test
    void aChainThatLoopsEnds() {
        SQLException a = new SQLException("a", "23505");
        SQLException b = new SQLException("b", "23505");
        a.setNextException(b);
        b.setNextException(a);
        assertThat(DuplicateKeys.keyName(a)).isEmpty();
    }
}
