package io.openinsure.db.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.openinsure.db.core.KeyspaceClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * On PostgreSQL the server enforces the transaction limit: every transaction of a client starts with
 * {@code SET LOCAL statement_timeout} and {@code idle_in_transaction_session_timeout}, which end with the transaction,
 * so the pooled connection (or a PgBouncer-shared one) carries nothing into the next.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresServerLimitsTest {

    private CacheFixture fixture;

    @BeforeAll
    void start() throws Exception {
        fixture = CacheFixture.postgres();
    }

    @AfterAll
    void close() {
        fixture.close();
    }

    @Test
    void aTransactionCarriesItsLimitToTheServerAndNothingOutlivesIt() {
        KeyspaceClient client = fixture.client(1, b -> b.transactionTimeout(Duration.ofSeconds(3)));
        client.dsl().resultQuery("select 1 as one").fetch(); // cached
        String[] inside = new String[3];
        client.transaction(tx -> {
            inside[0] = tx.resultQuery("show statement_timeout").fetchOne(0, String.class);
            inside[1] =
                    tx.resultQuery("show idle_in_transaction_session_timeout").fetchOne(0, String.class);
            inside[2] = tx.resultQuery("show transaction_isolation").fetchOne(0, String.class);
        });
        assertThat(inside).containsExactly("3s", "3s", "repeatable read");
        // One pooled connection: the next statement runs where the transaction ran.
        assertThat(client.uncached().resultQuery("show statement_timeout").fetchOne(0, String.class))
                .isEqualTo("0");
        assertThat(client.uncached()
                        .resultQuery("show idle_in_transaction_session_timeout")
                        .fetchOne(0, String.class))
                .isEqualTo("0");
        client.dsl().resultQuery("select 1 as one").fetch();
        assertThat(client.cacheStats().count(io.openinsure.db.core.CacheStatus.HIT))
                .as("the SET LOCAL dropped no cached read")
                .isEqualTo(1);
    }

    @Test
    void theServerEndsAStatementThatWouldOutliveTheTransaction() {
        KeyspaceClient client = fixture.client(1, b -> b.transactionTimeout(Duration.ofSeconds(1)));
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> client.transaction(
                tx -> tx.resultQuery("select pg_sleep(5)::text").fetch()));
        assertThat(failure).isNotNull();
    }
}
