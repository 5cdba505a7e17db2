package io.openinsure.db.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.openinsure.db.core.BindingConfig;
import io.openinsure.db.core.Keyset;
import io.openinsure.db.core.KeyspaceClient;
import io.openinsure.db.core.LimitExceededException;
import io.openinsure.db.core.StatementRefusedException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The statement guard and the PlanetScale limits on a real server, the embedded MariaDB and the embedded PostgreSQL,
 * with small limits: 120 rows in the table, {@code MAX_ROWS=50}, {@code MAX_WRITE_ROWS=30}, one-second timeouts.
 * (That migrations still run DDL over the admin path is tested with the migrations, in db-testkit.)
 */
@Timeout(120)
@ParameterizedClass(name = "[{index}] on {0}")
@EnumSource(TestServer.class)
class GuardsAndLimitsTest {

    static final String DATABASE = "oi_guards";
    static final Table<Record> ROWS = table(name("guard_rows"));
    static final Field<Integer> ID = field(name("id"), Integer.class);
    static final Field<String> NOTE = field(name("note"), String.class);
    private static final AtomicInteger IDS = new AtomicInteger(1_000);

    @Parameter
    TestServer server;

    private String url;

    /** Creates the test database and its table on {@code on}; returns the database's connection string. */
    static String createDatabase(TestServer on) throws SQLException {
        String url = on.connectionString(DATABASE);
        on.admin(DATABASE, "CREATE TABLE IF NOT EXISTS guard_rows (id INT PRIMARY KEY, note VARCHAR(600))");
        return url;
    }

    /** A claims binding on the test database at {@code url} with small limits, changed by {@code settings}. */
    static KeyspaceClient client(String url, UnaryOperator<BindingConfig.Builder> settings) {
        return KeyspaceClient.open(settings.apply(BindingConfig.builder("claims")
                        .url(url)
                        .maxPoolSize(2)
                        .minIdle(0)
                        .maxRows(50)
                        .maxWriteRows(30))
                .build());
    }

    @BeforeEach
    void oneHundredTwentyRows() throws Exception {
        url = createDatabase(server);
        StringBuilder insert = new StringBuilder("INSERT INTO guard_rows VALUES ");
        for (int i = 1; i <= 120; i++) {
            insert.append(i == 1 ? "" : ",")
                    .append("(")
                    .append(i)
                    .append(", 'row ")
                    .append(i)
                    .append("')");
        }
        server.admin(DATABASE, "DELETE FROM guard_rows", insert.toString());
    }

    private KeyspaceClient client(UnaryOperator<BindingConfig.Builder> settings) {
        return client(url, settings);
    }

    private static long count(KeyspaceClient client) {
        return client.uncached().fetchCount(ROWS);
    }

    private static void assertLimit(ThrowingCallable call, String limit, long allowed, String message) {
        assertThatThrownBy(call)
                .isInstanceOf(LimitExceededException.class)
                .hasMessage(message)
                .satisfies(e -> {
                    LimitExceededException l = (LimitExceededException) e;
                    assertThat(l.limit()).isEqualTo(limit);
                    assertThat(l.allowed()).isEqualTo(allowed);
                    assertThat(l.keyspace()).contains("claims");
                });
    }

    private static void assertRefused(ThrowingCallable call, String rule, String message) {
        assertThatThrownBy(call)
                .isInstanceOf(StatementRefusedException.class)
                .hasMessage(message)
                .satisfies(
                        e -> assertThat(((StatementRefusedException) e).rule()).isEqualTo(rule));
    }

    // ---- statement guard ------------------------------------------------------------------------

    @Test
    void typedStatementsBreakingARuleAreRefusedBeforeTheServer() {
        try (KeyspaceClient claims = client(b -> b)) {
            DSLContext dsl = claims.dsl();
            assertRefused(
                    () -> dsl.deleteFrom(ROWS).execute(),
                    "delete-without-where",
                    "Keyspace 'claims': DELETE without WHERE is "
                            + "refused on runtime clients (rule delete-without-where); add a WHERE clause, or use Keyset.deleteInChunks, or run "
                            + "it through the admin/migration path.");
            assertRefused(
                    () -> dsl.deleteFrom(ROWS).where(DSL.trueCondition()).execute(),
                    "delete-without-where",
                    "Keyspace 'claims': DELETE with a WHERE that is always true is refused on runtime clients (rule "
                            + "delete-without-where); add a WHERE clause, or use Keyset.deleteInChunks, or run it through the "
                            + "admin/migration path.");
            assertRefused(
                    () -> dsl.update(ROWS).set(NOTE, "all").execute(),
                    "update-without-where",
                    "Keyspace 'claims': UPDATE "
                            + "without WHERE is refused on runtime clients (rule update-without-where); add a WHERE clause, or use "
                            + "Keyset.forEachPage to update page by page, or run it through the admin/migration path.");
            assertRefused(
                    () -> dsl.truncate(ROWS).execute(),
                    "truncate",
                    "Keyspace 'claims': TRUNCATE is refused on runtime clients "
                            + "(rule truncate); delete in chunks with Keyset.deleteInChunks, or run it through the admin/migration path.");
            assertRefused(
                    () -> dsl.dropTable(ROWS).execute(),
                    "drop",
                    "Keyspace 'claims': DROP is refused on runtime clients (rule "
                            + "drop); schema changes belong in a migration, run over OI_DB_CLAIMS_ADMIN_URL (Migrator).");
            assertRefused(
                    () -> dsl.alterTable(ROWS).dropColumn(NOTE).execute(),
                    "drop",
                    "Keyspace 'claims': DROP is refused on "
                            + "runtime clients (rule drop); schema changes belong in a migration, run over OI_DB_CLAIMS_ADMIN_URL (Migrator).");
            assertRefused(
                    () -> claims.transaction(tx -> tx.deleteFrom(ROWS).execute()),
                    "delete-without-where",
                    "Keyspace 'claims': DELETE without WHERE is refused on runtime clients (rule delete-without-where); add a WHERE "
                            + "clause, or use Keyset.deleteInChunks, or run it through the admin/migration path.");
            assertRefused(
                    () -> dsl.batch(dsl.update(ROWS).set(NOTE, "a").where(ID.eq(1)), dsl.deleteFrom(ROWS))
                            .execute(),
                    "delete-without-where",
                    "Keyspace 'claims': DELETE without WHERE is refused on runtime clients (rule "
                            + "delete-without-where); add a WHERE clause, or use Keyset.deleteInChunks, or run it through the "
                            + "admin/migration path.");
            assertThat(count(claims)).isEqualTo(120);
            assertThat(claims.uncached().fetchValue("select note from guard_rows where id = 1"))
                    .isEqualTo("row 1");

            // With a WHERE, the same statements run.
            assertThat(dsl.update(ROWS).set(NOTE, "one").where(ID.eq(1)).execute())
                    .isEqualTo(1);
            assertThat(dsl.deleteFrom(ROWS).where(ID.eq(120)).execute()).isEqualTo(1);
            assertThat(count(claims)).isEqualTo(119);
        }
    }

    @Test
    void plainSqlBreakingARuleIsRefusedBeforeTheServer() {
        try (KeyspaceClient claims = client(b -> b)) {
            for (DSLContext dsl : List.of(claims.dsl(), claims.uncached())) {
                assertRefused(
                        () -> dsl.execute("delete from guard_rows"),
                        "delete-without-where",
                        "Keyspace 'claims': DELETE "
                                + "without WHERE is refused on runtime clients (rule delete-without-where); add a WHERE clause, or use "
                                + "Keyset.deleteInChunks, or run it through the admin/migration path.");
                assertRefused(
                        () -> dsl.execute("select 1; delete from guard_rows where id = 1"),
                        "multi-statement",
                        "Keyspace "
                                + "'claims': 2 statements in one string are refused on runtime clients (rule multi-statement); send one "
                                + "statement per call (values as bind parameters).");
                assertRefused(
                        () -> dsl.execute("use mysql"),
                        "use",
                        "Keyspace 'claims': USE is refused on runtime clients (rule "
                                + "use); a client stays on its own keyspace: use the client of the keyspace you want (one client per "
                                + "keyspace).");
                assertRefused(
                        () -> dsl.execute("update guard_rows set note = (select 'x' from dual where 1 = 1)"),
                        "update-without-where",
                        "Keyspace 'claims': UPDATE without WHERE is refused on runtime clients (rule "
                                + "update-without-where); add a WHERE clause, or use Keyset.forEachPage to update page by page, or "
                                + "run it through the admin/migration path.");
            }
            assertThat(count(claims)).isEqualTo(120);
            // Literals and comments never count: "where" in a string is not a WHERE, and "; drop" in one is no second
            // statement.
            assertThat(claims.dsl().execute("update guard_rows set note = 'x; drop table y' where id = ?", 2))
                    .isEqualTo(1);
            assertThat(claims.dsl().fetchValue("select 'delete from guard_rows; use mysql' -- ; truncate guard_rows"))
                    .isEqualTo("delete from guard_rows; use mysql");
            assertThat(claims.dsl()
                            .resultQuery("select note from guard_rows where id = 2")
                            .fetchOne(0))
                    .isEqualTo("x; drop table y");
        }
    }

    @Test
    void onMySqlAnExecutableCommentIsReadAsTheServerReadsIt() {
        assumeTrue(
                server == TestServer.MARIADB,
                "MySQL's executable comments (/*!40101 …*/) and index hints; on PostgreSQL /*!…*/ is a plain comment");
        try (KeyspaceClient claims = client(b -> b)) {
            for (DSLContext dsl : List.of(claims.dsl(), claims.uncached())) {
                assertRefused(
                        () -> dsl.execute("/*!40101 DROP TABLE guard_rows */"),
                        "drop",
                        "Keyspace 'claims': DROP is refused "
                                + "on runtime clients (rule drop); schema changes belong in a migration, run over OI_DB_CLAIMS_ADMIN_URL "
                                + "(Migrator).");
            }
            assertThat(claims.dsl()
                            .resultQuery("select note from guard_rows use index (primary) where id = 2")
                            .fetchOne(0))
                    .isEqualTo("row 2");
        }
    }

    // ---- rows per query -------------------------------------------------------------------------

    @Test
    void aQueryReturningMoreThanMaxRowsFailsInsteadOfTruncating() {
        String message =
                "Keyspace 'claims': the query returned more than OI_DB_CLAIMS_MAX_ROWS (50) rows; nothing was truncated. "
                        + "Walk the rows page by page with Keyset.forEachPage, or narrow the query (PlanetScale allows 100,000 rows per "
                        + "query, vanilla Vitess 10,000).";
        try (KeyspaceClient claims = client(b -> b)) {
            assertLimit(() -> claims.uncached().selectFrom(ROWS).fetch(), "OI_DB_CLAIMS_MAX_ROWS", 50, message);
            assertLimit(
                    () -> claims.uncached().fetch("select * from guard_rows"), "OI_DB_CLAIMS_MAX_ROWS", 50, message);
            assertLimit(
                    () -> claims.dsl().select(ID).from(ROWS).fetch(),
                    "OI_DB_CLAIMS_MAX_ROWS",
                    50,
                    message); // the cached path
            assertLimit(() -> claims.dsl().select(ID).from(ROWS).fetch(), "OI_DB_CLAIMS_MAX_ROWS", 50, message);
            assertLimit(
                    () -> claims.transactionResult(tx -> tx.selectFrom(ROWS).fetch()),
                    "OI_DB_CLAIMS_MAX_ROWS",
                    50,
                    message);
            assertLimit(
                    () -> {
                        try (var stream = claims.uncached().selectFrom(ROWS).stream()) {
                            stream.forEach(r -> {});
                        }
                    },
                    "OI_DB_CLAIMS_MAX_ROWS",
                    50,
                    message);

            assertThat(claims.dsl().selectFrom(ROWS).where(ID.le(50)).fetch()).hasSize(50);
            assertThat(claims.uncached().selectFrom(ROWS).limit(10).fetch())
                    .hasSize(10); // a smaller limit of the query's own
            List<Integer> pages = new ArrayList<>();
            assertThat(Keyset.forEachPage(claims.dsl(), ROWS, keyField(), null, 50, page -> pages.add(page.size())))
                    .isEqualTo(120);
            assertThat(pages).containsExactly(50, 50, 20);
        }
    }

    @SuppressWarnings("unchecked")
    private static org.jooq.TableField<Record, Integer> keyField() {
        return (org.jooq.TableField<Record, Integer>) (Object) DSL.field(name("guard_rows", "id"), Integer.class);
    }

    @Test
    void aResultOverMaxResultBytesFailsWhileFetching() {
        try (KeyspaceClient claims = client(b -> b.maxResultBytes(4 * 1024))) {
            assertLimit(
                    () -> claims.uncached().fetch("select repeat('x', 500) as note from guard_rows where id <= 40"),
                    "OI_DB_CLAIMS_MAX_RESULT_BYTES",
                    4096,
                    "Keyspace 'claims': the query's result exceeded "
                            + "OI_DB_CLAIMS_MAX_RESULT_BYTES (4KB, estimated while fetching, at row 4); select fewer columns, or walk "
                            + "the rows page by page with Keyset.forEachPage.");
            assertThat(claims.uncached().fetch("select repeat('x', 500) as note from guard_rows where id <= 3"))
                    .hasSize(3);
        }
    }

    // ---- rows per write -------------------------------------------------------------------------

    @Test
    void aWriteChangingMoreThanMaxWriteRowsFailsAndIsUndone() {
        try (KeyspaceClient claims = client(b -> b)) {
            assertLimit(
                    () -> claims.dsl()
                            .update(ROWS)
                            .set(NOTE, "bulk")
                            .where(ID.le(40))
                            .execute(),
                    "OI_DB_CLAIMS_MAX_WRITE_ROWS",
                    30,
                    "Keyspace 'claims': the UPDATE would change 40 rows, more than OI_DB_CLAIMS_MAX_WRITE_ROWS (30); it was rolled "
                            + "back. Split it into chunks with Keyset.insertInChunks or Keyset.deleteInChunks, or narrow its WHERE.");
            assertThat(claims.uncached().fetchCount(ROWS, NOTE.eq("bulk"))).isZero();
            assertLimit(
                    () -> claims.dsl().execute("delete from guard_rows where id > ?", 60),
                    "OI_DB_CLAIMS_MAX_WRITE_ROWS",
                    30,
                    "Keyspace 'claims': the DELETE would change 60 rows, more than OI_DB_CLAIMS_MAX_WRITE_ROWS (30); it was rolled "
                            + "back. Split it into chunks with Keyset.insertInChunks or Keyset.deleteInChunks, or narrow its WHERE.");
            assertThat(count(claims)).isEqualTo(120);

            // In a transaction, the whole transaction rolls back.
            assertLimit(
                    () -> claims.transaction(tx -> {
                        tx.update(ROWS).set(NOTE, "first").where(ID.eq(1)).execute();
                        tx.deleteFrom(ROWS).where(ID.gt(80)).execute();
                    }),
                    "OI_DB_CLAIMS_MAX_WRITE_ROWS",
                    30,
                    "Keyspace 'claims': the DELETE would change 40 rows, more than "
                            + "OI_DB_CLAIMS_MAX_WRITE_ROWS (30); the transaction is rolled back. Split it into chunks with "
                            + "Keyset.insertInChunks or Keyset.deleteInChunks, or narrow its WHERE.");
            assertThat(claims.uncached().fetchValue("select note from guard_rows where id = 1"))
                    .isEqualTo("row 1");
            assertThat(count(claims)).isEqualTo(120);

            // A multi-row INSERT is judged before it runs; batches after, and undone.
            var insert = claims.dsl().insertInto(ROWS).columns(ID, NOTE);
            List<org.jooq.Query> batch = new ArrayList<>();
            for (int i = 0; i < 31; i++) {
                int id = IDS.incrementAndGet();
                insert = insert.values(id, "many");
                batch.add(claims.dsl().insertInto(ROWS).columns(ID, NOTE).values(IDS.incrementAndGet(), "batched"));
            }
            var tooMany = insert;
            assertLimit(
                    tooMany::execute,
                    "OI_DB_CLAIMS_MAX_WRITE_ROWS",
                    30,
                    "Keyspace 'claims': the INSERT would change 31 rows, "
                            + "more than OI_DB_CLAIMS_MAX_WRITE_ROWS (30); it was not run. Split it into chunks with Keyset.insertInChunks or "
                            + "Keyset.deleteInChunks, or narrow its WHERE.");
            assertLimit(
                    () -> claims.dsl().batch(batch).execute(),
                    "OI_DB_CLAIMS_MAX_WRITE_ROWS",
                    30,
                    "Keyspace 'claims': the batch "
                            + "would change 31 rows, more than OI_DB_CLAIMS_MAX_WRITE_ROWS (30); it was rolled back. Split it into chunks "
                            + "with Keyset.insertInChunks or Keyset.deleteInChunks, or narrow its WHERE.");
            assertThat(count(claims)).isEqualTo(120);

            // Within the limit, writes commit as usual (outside a transaction too).
            assertThat(claims.dsl()
                            .update(ROWS)
                            .set(NOTE, "thirty")
                            .where(ID.le(30))
                            .execute())
                    .isEqualTo(30);
            assertThat(claims.uncached().fetchCount(ROWS, NOTE.eq("thirty"))).isEqualTo(30);
            assertThat(Keyset.deleteInChunks(claims.dsl(), ROWS, keyField(), ID.gt(20), 30))
                    .isEqualTo(100);
            assertThat(count(claims)).isEqualTo(20);
        }
    }

    // ---- time -----------------------------------------------------------------------------------

    @Test
    void aTransactionPastItsTimeoutIsRolledBack() {
        try (KeyspaceClient claims = client(b -> b.transactionTimeout(Duration.ofSeconds(1)))) {
            String key = "OI_DB_CLAIMS_TRANSACTION_TIMEOUT";
            assertLimit(
                    () -> claims.transaction(tx -> {
                        tx.update(ROWS).set(NOTE, "slow").where(ID.eq(1)).execute();
                        tx.fetch(server.sleep("3"));
                    }),
                    key,
                    1000,
                    "Keyspace 'claims': the transaction ran longer than OI_DB_CLAIMS_TRANSACTION_TIMEOUT (1s, while a "
                            + "statement ran) and is rolled back; keep transactions short and independent, and do slow work outside them.");
            assertLimit(
                    () -> claims.transaction(tx -> {
                        tx.update(ROWS).set(NOTE, "slow").where(ID.eq(1)).execute();
                        Thread.sleep(1_200);
                    }),
                    key,
                    1000,
                    "Keyspace 'claims': the transaction ran longer than OI_DB_CLAIMS_TRANSACTION_TIMEOUT (1s, at commit) and "
                            + "is rolled back; keep transactions short and independent, and do slow work outside them.");
            assertLimit(
                    () -> claims.transaction(tx -> {
                        tx.update(ROWS).set(NOTE, "slow").where(ID.eq(1)).execute();
                        Thread.sleep(1_200);
                        tx.fetch("select 1");
                    }),
                    key,
                    1000,
                    "Keyspace 'claims': the transaction ran longer than OI_DB_CLAIMS_TRANSACTION_TIMEOUT (1s, before this "
                            + "statement) and is rolled back; keep transactions short and independent, and do slow work outside them.");
            assertThat(claims.uncached().fetchValue("select note from guard_rows where id = 1"))
                    .isEqualTo("row 1");
            // A quick transaction commits; a statement outside one is not bound by the transaction timeout.
            claims.transaction(
                    tx -> tx.update(ROWS).set(NOTE, "quick").where(ID.eq(1)).execute());
            assertThat(claims.uncached().fetchValue("select note from guard_rows where id = 1"))
                    .isEqualTo("quick");
            assertThat(claims.uncached().fetch(server.sleep("1.5"))).hasSize(1);
        }
    }

    @Test
    void onMariaDbAnAutocommitReadCarriesItsTimeoutToTheServer() {
        assumeTrue(
                server == TestServer.MARIADB,
                "MariaDB's max_statement_time in the statement's text; on PostgreSQL PgJDBC's cancel request stops an"
                        + " autocommit statement (PostgresServerLimitsTest)");
        try (KeyspaceClient claims = client(b -> b.queryTimeout(Duration.ofSeconds(1)))) {
            assertThat(claims.uncached().fetchValue("select 1", Integer.class))
                    .as("the first borrow learns the server")
                    .isEqualTo(1);
            assertThat(timeoutErrorCodes(() -> claims.uncached().fetch("select sleep(3)")))
                    .as("MariaDB cancelled it (max_statement_time, error 1969), not Connector/J's timer")
                    .contains(1969);
            assertThat(timeoutErrorCodes(() -> claims.dsl()
                            .select(ID, field("sleep(3)"))
                            .from(ROWS)
                            .where(ID.eq(1))
                            .fetch()))
                    .as("dsl(), cache off for this table's shape: the same")
                    .contains(1969);
            assertThat(claims.uncached()
                            .resultQuery("select sleep(1.5)")
                            .queryTimeout(5)
                            .fetchOne(0, Integer.class)
                            .intValue())
                    .as("a longer timeout of its own reaches the server too")
                    .isZero();
            // Statements that are not prefixed (in a transaction, writes) are stopped by the session's own
            // max_statement_time, the default timeout the pool gave it (MariaDbSessionTimeoutTest), reported alike.
            assertThat(timeoutErrorCodes(() -> claims.transaction(tx -> tx.fetch("select sleep(3)"))))
                    .as("in a transaction, under the default: the session's default stops it")
                    .contains(1969);
            assertThat(timeoutErrorCodes(() -> claims.uncached()
                            .update(ROWS)
                            .set(NOTE, field("sleep(3)", String.class))
                            .where(ID.eq(1))
                            .execute()))
                    .as("writes too")
                    .contains(1969);
        }
        try (KeyspaceClient claims = client(b -> b)) {
            claims.uncached().fetch("select 1");
            assertThat(timeoutErrorCodes(() -> claims.uncached()
                            .resultQuery("select sleep(3)")
                            .queryTimeout(1)
                            .fetch()))
                    .as("a shorter timeout of its own")
                    .contains(1969);
        }
    }

    /** The error codes in the chain of the {@link LimitExceededException} that {@code call} throws. */
    static java.util.List<Integer> timeoutErrorCodes(ThrowingCallable call) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(call);
        assertThat(thrown).isInstanceOf(LimitExceededException.class);
        java.util.List<Integer> codes = new java.util.ArrayList<>();
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException e) {
                codes.add(e.getErrorCode());
            }
        }
        return codes;
    }

    @Test
    void theDefaultQueryTimeoutAppliesToEveryStatementAndACallMayLowerIt() {
        try (KeyspaceClient claims = client(b -> b.queryTimeout(Duration.ofSeconds(1)))) {
            assertLimit(
                    () -> claims.uncached().fetch(server.sleep("3")),
                    "OI_DB_CLAIMS_QUERY_TIMEOUT",
                    1000,
                    "Keyspace 'claims': "
                            + "the statement ran longer than OI_DB_CLAIMS_QUERY_TIMEOUT (1s) and was cancelled; give this query its own "
                            + "queryTimeout(…) (at most OI_DB_CLAIMS_STATEMENT_TIMEOUT, 15m), or make it faster.");
            // A call's own timeout overrides the default.
            assertThat(claims.uncached()
                            .resultQuery(server.sleep("1.5"))
                            .queryTimeout(5)
                            .fetch())
                    .hasSize(1);
        }
        try (KeyspaceClient claims = client(b -> b)) {
            assertLimit(
                    () -> claims.uncached()
                            .resultQuery(server.sleep("3"))
                            .queryTimeout(1)
                            .fetch(),
                    "OI_DB_CLAIMS_QUERY_TIMEOUT",
                    1000,
                    "Keyspace 'claims': the statement ran longer than its own query timeout (1s, queryTimeout(…)) and was "
                            + "cancelled; raise it (at most OI_DB_CLAIMS_STATEMENT_TIMEOUT, 15m), or make the query faster.");
            assertLimit(
                    () -> claims.dsl()
                            .resultQuery("select " + server.sleepFor("3") + ", id from guard_rows where id = 1")
                            .queryTimeout(1)
                            .fetch(),
                    "OI_DB_CLAIMS_QUERY_TIMEOUT",
                    1000,
                    "Keyspace 'claims': the statement ran longer than its own query timeout (1s, "
                            + "queryTimeout(…)) and was cancelled; raise it (at most OI_DB_CLAIMS_STATEMENT_TIMEOUT, 15m), or make the "
                            + "query faster.");
        }
        try (KeyspaceClient claims =
                client(b -> b.statementTimeout(Duration.ofSeconds(1)).queryTimeout(Duration.ofSeconds(1)))) {
            assertLimit(
                    () -> claims.uncached()
                            .resultQuery(server.sleep("3"))
                            .queryTimeout(10)
                            .fetch(),
                    "OI_DB_CLAIMS_STATEMENT_TIMEOUT",
                    1000,
                    "Keyspace 'claims': the statement ran longer than OI_DB_CLAIMS_STATEMENT_TIMEOUT (1s), the ceiling for "
                            + "statements outside a transaction, and was cancelled; split the work into smaller statements, e.g. page "
                            + "with Keyset.forEachPage.");
        }
    }
}
