package io.openinsure.db.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.openinsure.db.core.CacheStatus;
import io.openinsure.db.core.KeyspaceClient;
import io.openinsure.db.core.LimitExceededException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * How PostgreSQL enforces the time limits, seen from the server. An autocommit statement is timed by the client
 * ({@link StatementDeadlines}), whose cancel request (PgJDBC's {@code Statement.cancel()}) the server acts on (SQLState
 * 57014, "due to user request"). Every
 * transaction of a client starts with {@code SET LOCAL statement_timeout} and {@code idle_in_transaction_session_timeout}
 * at {@code TRANSACTION_TIMEOUT}, which end with the transaction, so the pooled connection (or a PgBouncer-shared one)
 * carries nothing into the next: the server ends a statement that runs, or a session that sits idle in the
 * transaction, longer than that, even one the SDK does not time. Tested on the embedded server's version, which
 * predates PostgreSQL 17's {@code transaction_timeout}.
 */
@Timeout(120)
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
    void theServerPredatesTransactionTimeout() throws Exception {
        try (Connection c = fixture.adminConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select current_setting('server_version_num')::int")) {
            rs.next();
            assertThat(rs.getInt(1))
                    .as("PostgreSQL 17 bounds a whole transaction with transaction_timeout: on such a server"
                            + " LimitsListener should SET LOCAL it too, and the README say so")
                    .isLessThan(170_000);
        }
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
        assertThat(client.cacheStats().count(CacheStatus.HIT))
                .as("the SET LOCAL dropped no cached read")
                .isEqualTo(1);
    }

    @Test
    void anAutocommitStatementOverItsTimeoutIsCancelledOnTheServerAtTheClientsRequest() throws Exception {
        KeyspaceClient client = fixture.client(1, b -> b.queryTimeout(Duration.ofSeconds(1)));
        Throwable e = cancelledOnTheServer(
                () -> client.uncached().fetch("select pg_sleep(30)::text as slept"),
                "canceling statement due to user request"); // the client's cancel request, not a server setting
        assertThat(e)
                .isInstanceOfSatisfying(
                        LimitExceededException.class,
                        l -> assertThat(l.limit()).isEqualTo("OI_DB_CACHETEST_QUERY_TIMEOUT"))
                .hasMessage("Keyspace 'cachetest': the statement ran longer than OI_DB_CACHETEST_QUERY_TIMEOUT (1s) and"
                        + " was cancelled; give this query its own queryTimeout(…) (at most"
                        + " OI_DB_CACHETEST_STATEMENT_TIMEOUT, 15m), or make it faster.");
        assertThat(client.uncached().fetchValue("select 1"))
                .as("the connection is usable again")
                .isEqualTo(1);
    }

    @Test
    void inATransactionTheServerEndsAStatementTheSdkDoesNotTime() throws Exception {
        KeyspaceClient client = fixture.client(1, b -> b.transactionTimeout(Duration.ofSeconds(1)));
        // Plain JDBC on the transaction's connection: no query timeout of the SDK's or the driver's.
        cancelledOnTheServer(
                () -> client.transaction(tx -> tx.connection(c -> {
                    try (Statement st = c.createStatement()) {
                        st.execute("select pg_sleep(30)");
                    }
                })),
                "canceling statement due to statement timeout"); // SET LOCAL statement_timeout
    }

    @Test
    void inATransactionATimedStatementFailsWithTheTransactionsLimit() throws Exception {
        KeyspaceClient client = fixture.client(1, b -> b.transactionTimeout(Duration.ofSeconds(1)));
        // The statement_timeout or the driver's cancel request with the time the transaction has left, whichever first.
        Throwable e = cancelledOnTheServer(
                () -> client.transaction(tx -> tx.fetch("select pg_sleep(30)::text as slept")),
                "canceling statement due to");
        assertThat(e)
                .isInstanceOf(LimitExceededException.class)
                .hasMessage("Keyspace 'cachetest': the transaction ran longer than OI_DB_CACHETEST_TRANSACTION_TIMEOUT"
                        + " (1s, while a statement ran) and is rolled back; keep transactions short and independent, and do"
                        + " slow work outside them.");
    }

    /**
     * What {@code call} threw: a statement of about a second's work that the server cancelled (SQLState 57014, a message
     * containing {@code why}) and no longer runs.
     */
    private Throwable cancelledOnTheServer(ThrowingCallable call, String why) throws SQLException {
        long started = System.nanoTime();
        Throwable failure = catchThrowable(call);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isBetween(900L, 10_000L);
        SQLException server = sqlException(failure);
        assertThat(server.getSQLState()).isEqualTo("57014");
        assertThat(server.getMessage()).contains(why);
        assertThat(running("pg_sleep(30)"))
                .as("the server stopped the statement")
                .isZero();
        return failure;
    }

    @Test
    void aSessionIdleInATransactionPastTheLimitIsEndedByTheServer() throws Exception {
        KeyspaceClient client = fixture.client(1, b -> b.transactionTimeout(Duration.ofSeconds(1)));
        long[] pid = new long[1];
        LimitExceededException e = catchThrowableOfType(
                LimitExceededException.class,
                () -> client.transaction(tx -> {
                    pid[0] = tx.resultQuery("select pg_backend_pid()").fetchOne(0, Long.class);
                    Thread.sleep(1_500);
                }));
        assertThat(e).hasMessageContaining("(1s, at commit)");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (sessionExists(pid[0]) && System.nanoTime() < deadline) {
            CacheFixture.sleep(Duration.ofMillis(50));
        }
        assertThat(sessionExists(pid[0]))
                .as("idle_in_transaction_session_timeout ended the session")
                .isFalse();
        assertThat(client.uncached().fetchValue("select 1"))
                .as("the pool replaced the connection")
                .isEqualTo(1);
    }

    /** The first {@link SQLException} in {@code failure}'s chain. */
    private static SQLException sqlException(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql;
            }
        }
        throw new AssertionError("no SQLException in " + failure, failure);
    }

    /** Statements running now on the server (other than this one) whose text contains {@code text}. */
    private int running(String text) throws SQLException {
        try (Connection c = fixture.adminConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select count(*) from pg_stat_activity where state = 'active'"
                        + " and pid <> pg_backend_pid() and query like '%" + text + "%'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private boolean sessionExists(long pid) throws SQLException {
        try (Connection c = fixture.adminConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select count(*) from pg_stat_activity where pid = " + pid)) {
            rs.next();
            return rs.getInt(1) > 0;
        }
    }
}
