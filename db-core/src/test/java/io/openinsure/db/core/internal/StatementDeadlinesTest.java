package io.openinsure.db.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.openinsure.db.core.LimitExceededException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jooq.DSLContext;
import org.jooq.ExecuteListener;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * {@link StatementDeadlines} on the embedded PostgreSQL: the timeouts PgJDBC's per-execution timer task used to
 * enforce, now cancelled from one shared thread. A statement past its deadline is stopped on the server; a deadline
 * left behind by a statement that has finished cannot reach the connection's next statement; every path a client's
 * statement takes (jOOQ's, the cache's misses, failures) takes its statement out when its execution ends, and none
 * hands the driver a timeout.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatementDeadlinesTest {

    private CacheFixture fixture;

    @BeforeAll
    void start() throws Exception {
        fixture = CacheFixture.postgres();
        // IMMUTABLE by the catalog, so the cache may answer it: a cache miss that runs long.
        fixture.admin("CREATE OR REPLACE FUNCTION slow_constant(seconds float8) RETURNS int IMMUTABLE LANGUAGE sql"
                + " AS 'SELECT 1 FROM pg_sleep(seconds)'");
    }

    @AfterAll
    void close() {
        fixture.close();
    }

    @Test
    void aStatementPastItsDeadlineIsCancelledOnTheServer() throws Exception {
        try (StatementDeadlines deadlines = new StatementDeadlines("cachetest");
                Connection c = fixture.adminConnection();
                PreparedStatement ps = c.prepareStatement("select pg_sleep(30)")) {
            long started = System.nanoTime();
            deadlines.watch(ps, 300);
            Throwable e = catchThrowable(ps::execute);
            deadlines.done(ps);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertThat(e).isInstanceOf(SQLException.class);
            assertThat(((SQLException) e).getSQLState()).isEqualTo("57014");
            assertThat(ms).as("stopped one tick or so after 300 ms").isBetween(300L, 5_000L);
            assertThat(deadlines.watched()).isZero();
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("select 1")) {
                assertThat(rs.next()).as("the connection is usable again").isTrue();
            }
        }
    }

    @Test
    void aDeadlineLeftBehindDoesNotReachTheConnectionsNextStatement() throws Exception {
        try (StatementDeadlines deadlines = new StatementDeadlines("cachetest");
                Connection c = fixture.adminConnection();
                PreparedStatement quick = c.prepareStatement("select 1");
                PreparedStatement next = c.prepareStatement("select pg_sleep(1)")) {
            deadlines.watch(quick, 100);
            quick.executeQuery().close(); // finished, but never taken out: its deadline passes while `next` runs
            long started = System.nanoTime();
            next.execute();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started))
                    .as("next ran its whole second")
                    .isGreaterThanOrEqualTo(900L);
            assertThat(deadlines.watched()).as("the late deadline was dropped").isZero();
        }
    }

    @Test
    void everyPathTakesItsStatementOutAndHandsTheDriverNoTimeout() {
        HikariKeyspaceClient client =
                (HikariKeyspaceClient) fixture.client(1, b -> b.queryTimeout(Duration.ofSeconds(1)));
        StatementDeadlines deadlines = client.deadlines();
        assertThat(deadlines)
                .as("PgJDBC's clients time their statements themselves")
                .isNotNull();
        // jOOQ's path, with a query timeout of its own that jOOQ sets on the statement: the SDK takes it over.
        List<Integer> driverTimeouts = new ArrayList<>();
        DSLContext observed =
                DSL.using(client.uncached().configuration().deriveAppending(ExecuteListener.onExecuteEnd(ctx -> {
                    try {
                        driverTimeouts.add(ctx.statement().getQueryTimeout());
                    } catch (SQLException e) {
                        throw new AssertionError(e);
                    }
                })));
        assertThat(observed.resultQuery("select 1 as one").queryTimeout(5).fetch())
                .hasSize(1);
        assertThat(observed.fetchValue("select 4")).isEqualTo(4);
        assertThat(driverTimeouts).as("the driver times nothing").containsExactly(0, 0);
        assertThat(client.dsl().resultQuery("select 1 as one").queryTimeout(5).fetch())
                .hasSize(1);
        assertThat(client.uncached().fetchValue("select 2")).isEqualTo(2);
        // The cache's miss path and a transaction.
        assertThat(client.dsl().resultQuery("select slow_constant(0) as one").fetch())
                .hasSize(1);
        client.transaction(tx -> tx.fetch("select 3"));
        // A failure, and a timeout on each path.
        assertThat(catchThrowable(() -> client.uncached().fetch("select no_such_column")))
                .isNotNull();
        assertThat(catchThrowable(() -> client.uncached().fetch("select pg_sleep(30)::text")))
                .isInstanceOf(LimitExceededException.class);
        long started = System.nanoTime();
        Throwable miss = catchThrowable(() -> client.dsl().fetch("select slow_constant(30) as one"));
        assertThat(miss).isInstanceOf(LimitExceededException.class).hasMessageContaining("QUERY_TIMEOUT (1s)");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isBetween(900L, 10_000L);
        assertThat(deadlines.watched()).as("nothing left watched").isZero();
    }
}
