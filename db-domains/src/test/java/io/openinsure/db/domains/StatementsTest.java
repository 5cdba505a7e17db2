package io.openinsure.db.domains;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.openinsure.db.core.KeyspaceClient;
import java.lang.reflect.Proxy;
import java.sql.SQLIntegrityConstraintViolationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jooq.exception.DataAccessException;
import org.junit.jupiter.api.Test;

/**
 * The control flow of {@link Statements#writeOnce} and {@link Statements#sameRequest}: which failures
 * run the write again, which re-read the winner's row, which propagate. The database side (unique keys,
 * snapshots, lock waits) is tested on a real server by the clients' race tests in db-testkit.
 */
class StatementsTest {

    /** Each transaction of this client runs its work at once, with no connection: the steps only record themselves. */
    private final List<String> transactions = new ArrayList<>();

    private final KeyspaceClient client = (KeyspaceClient) Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {KeyspaceClient.class}, (proxy, method, args) -> {
                if (!method.getName().equals("transactionResult")) {
                    throw new UnsupportedOperationException(method.getName());
                }
                transactions.add("tx");
                return ((KeyspaceClient.TransactionWork<?>) args[0]).apply(null);
            });

    private static RuntimeException duplicate(String key) {
        return new DataAccessException(
                "SQL [insert …]",
                new SQLIntegrityConstraintViolationException(
                        "Duplicate entry 'x' for key '" + key + "'", "23000", 1062));
    }

    @Test
    void answersWhatIsStoredWithoutWriting() {
        List<String> steps = new ArrayList<>();
        String result = Statements.writeOnce(
                client,
                tx -> {
                    steps.add("existing");
                    return Optional.of("earlier row");
                },
                tx -> {
                    steps.add("write");
                    return "new row";
                });
        assertThat(result).isEqualTo("earlier row");
        assertThat(steps).containsExactly("existing");
        assertThat(transactions).hasSize(1);
    }

    @Test
    void aCollisionOnARetryKeyRunsTheWholeWriteAgain() {
        List<String> steps = new ArrayList<>();
        String result = Statements.writeOnce(
                client,
                tx -> {
                    steps.add("existing");
                    return Optional.empty();
                },
                tx -> {
                    steps.add("write");
                    if (steps.size() < 4) {
                        throw duplicate("uk_invoice_number");
                    }
                    return "new row";
                },
                "uk_invoice_number");
        assertThat(result).isEqualTo("new row");
        assertThat(steps).containsExactly("existing", "write", "existing", "write");
    }

    @Test
    void aNumberThatCollidesThreeTimesIsNotHidden() {
        RuntimeException collision = duplicate("uk_invoice_number");
        Throwable thrown = catchThrowable(() -> Statements.writeOnce(
                client,
                tx -> Optional.empty(),
                tx -> {
                    throw collision;
                },
                "uk_invoice_number"));
        assertThat(thrown).isSameAs(collision);
        assertThat(transactions).hasSize(3);
    }

    @Test
    void aDuplicateOnAnotherKeyReReadsTheWinnersRowInANewTransaction() {
        List<String> steps = new ArrayList<>();
        String result = Statements.writeOnce(
                client,
                tx -> {
                    steps.add("existing");
                    return steps.size() == 1 ? Optional.empty() : Optional.of("winner's row");
                },
                tx -> {
                    steps.add("write");
                    throw duplicate("uk_payment_idempotency_key");
                },
                "uk_invoice_number");
        assertThat(result).isEqualTo("winner's row");
        assertThat(steps).containsExactly("existing", "write", "existing");
        assertThat(transactions).hasSize(2);
    }

    @Test
    void aDuplicateWithNoStoredAnswerAndOtherFailuresPropagate() {
        RuntimeException unanswered = duplicate("uk_payment_idempotency_key");
        assertThat(catchThrowable(() -> Statements.writeOnce(client, tx -> Optional.empty(), tx -> {
                    throw unanswered;
                })))
                .isSameAs(unanswered);

        transactions.clear();
        IllegalStateException other = new IllegalStateException("not a duplicate");
        assertThat(catchThrowable(() -> Statements.writeOnce(
                        client,
                        tx -> Optional.empty(),
                        tx -> {
                            throw other;
                        },
                        "uk_invoice_number")))
                .isSameAs(other);
        assertThat(transactions).as("no retry, no re-read").hasSize(1);
    }

    @Test
    void aKeyReusedForAnotherRequestIsAConflictNamingBoth() {
        assertThat(Statements.sameRequest(
                        Keyspace.CLAIMS,
                        "k",
                        Optional.of(10),
                        n -> n == 10,
                        n -> "payment of " + n,
                        "payment of 20",
                        "payment"))
                .contains(10);
        assertThat(Statements.sameRequest(
                        Keyspace.CLAIMS, "k", Optional.<Integer>empty(), n -> false, n -> "", "", "payment"))
                .isEmpty();

        Throwable refused = catchThrowable(() -> Statements.sameRequest(
                Keyspace.CLAIMS,
                "k",
                Optional.of(10),
                n -> n == 20,
                n -> "payment of " + n,
                "payment of 20",
                "payment"));
        assertThat(refused)
                .isInstanceOf(DomainException.class)
                .hasMessage("Keyspace 'claims': idempotency key 'k' was already used for"
                        + " payment of 10, not payment of 20; use a new key for a new payment.");
        assertThat(((DomainException) refused).reason()).isEqualTo(DomainException.Reason.CONFLICT);
    }
}
