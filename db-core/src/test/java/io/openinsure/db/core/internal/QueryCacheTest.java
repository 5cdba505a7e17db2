package io.openinsure.db.core.internal;

import static io.openinsure.db.core.internal.CacheFixture.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.openinsure.db.core.CacheDecision;
import io.openinsure.db.core.CacheStatus;
import io.openinsure.db.core.ConnectionUnavailableException;
import io.openinsure.db.core.KeyspaceClient;
import java.math.BigDecimal;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Result;
import org.jooq.Table;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The read cache on a real server, the embedded MariaDB and the embedded PostgreSQL. Whether a read reached the server
 * is told by the server itself: the SELECT statements of a user only the cached client uses (MariaDB's
 * {@code USER_STATISTICS.SELECT_COMMANDS}, PostgreSQL's {@code pg_stat_statements}). What only PostgreSQL has (its
 * function catalog, its types, {@code RETURNING}) is {@link QueryCachePostgresTest}'s.
 */
@ParameterizedClass(name = "[{index}] on {0}")
@EnumSource(TestServer.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueryCacheTest {

    private static final Table<?> PROBE = table(name("cache_probe"));
    private static final Table<?> OTHER = table(name("cache_other"));
    private static final Field<Long> ID = field(name("id"), Long.class);
    private static final Field<String> NOTE = field(name("note"), String.class);
    private static final Field<BigDecimal> AMOUNT = field(name("amount"), BigDecimal.class);
    private static final Field<LocalDate> CREATED_ON = field(name("created_on"), LocalDate.class);

    @Parameter
    TestServer server;

    private CacheFixture fixture;

    @BeforeEach
    void freshTables() throws Exception {
        if (fixture == null || fixture.server() != server) {
            fixture = CacheFixture.on(server);
        }
        fixture.admin(
                "DROP TABLE IF EXISTS cache_probe",
                "DROP TABLE IF EXISTS cache_other",
                "CREATE TABLE cache_probe (id BIGINT PRIMARY KEY, note VARCHAR(200), amount DECIMAL(12,2), created_on DATE)",
                "CREATE TABLE cache_other (id BIGINT PRIMARY KEY, note VARCHAR(200))",
                "INSERT INTO cache_probe VALUES (1, 'one', 12.50, '2026-01-31'), (2, 'two', 7.00, '2026-02-01'), (3, NULL, 0.10, NULL)",
                "INSERT INTO cache_other VALUES (1, 'other one')");
    }

    @AfterEach
    void closeClients() {
        fixture.close();
    }

    @AfterAll
    void dropTables() throws Exception {
        fixture.admin(
                "DROP TABLE IF EXISTS cache_probe",
                "DROP TABLE IF EXISTS cache_other",
                "DROP PROCEDURE IF EXISTS touch_other");
    }

    private static String note(DSLContext dsl, long id) {
        return dsl.select(NOTE).from(PROBE).where(ID.eq(id)).fetchOne(NOTE);
    }

    private static String otherNote(DSLContext dsl) {
        return dsl.select(NOTE).from(OTHER).where(ID.eq(1L)).fetchOne(NOTE);
    }

    // ---- hits --------------------------------------------------------------------------------------

    @Test
    void aHitReturnsTheSameRowsWithoutAServerQuery() throws Exception {
        KeyspaceClient client = fixture.client(b -> {});
        long before = fixture.serverSelects();

        Supplier<List<Map<String, Object>>> read = () -> client.dsl()
                .select(ID, NOTE, AMOUNT, CREATED_ON)
                .from(PROBE)
                .where(ID.le(2L))
                .orderBy(ID)
                .fetchMaps();
        List<Map<String, Object>> first = read.get();
        long afterMiss = fixture.serverSelects();
        List<Map<String, Object>> second = read.get();
        long afterHit = fixture.serverSelects();

        assertThat(afterMiss - before)
                .as("the miss ran one SELECT on the server")
                .isEqualTo(1);
        assertThat(afterHit - afterMiss).as("the hit ran none").isZero();
        assertThat(second).isEqualTo(first).hasSize(2);
        assertThat(second.get(0))
                .containsEntry("note", "one")
                .containsEntry("amount", new BigDecimal("12.50"))
                .containsEntry("created_on", LocalDate.of(2026, 1, 31));
        assertThat(count(client, CacheStatus.MISS)).isEqualTo(1);
        assertThat(count(client, CacheStatus.HIT)).isEqualTo(1);

        assertThat(note(client.dsl(), 2))
                .as("other bind values are another key")
                .isEqualTo("two");
        assertThat(fixture.serverSelects() - afterHit).isEqualTo(1);
        assertThat(client.cacheStats().entries()).isEqualTo(2);
        assertThat(client.cacheStats().estimatedBytes()).isPositive();
    }

    @Test
    void plainSqlWithNullsAndTypedBindsIsServedTheSameFromTheCache() throws Exception {
        KeyspaceClient client = fixture.client(b -> {});
        String sql = "select id, note, amount, created_on from cache_probe where (note = ? or "
                + (server.postgres() ? "cast(? as text)" : "?") // PostgreSQL cannot type a bare "? is null"
                + " is null) and amount >= ? "
                + "and (created_on is null or created_on <= ?) order by id";
        Object[] binds = {null, null, new BigDecimal("0.05"), LocalDate.of(2026, 12, 31)};
        Result<Record> miss = client.dsl().resultQuery(sql, binds).fetch();
        long afterMiss = fixture.serverSelects();
        Result<Record> hit = client.dsl().resultQuery(sql, binds).fetch();

        assertThat(fixture.serverSelects()).isEqualTo(afterMiss);
        assertThat(hit.intoMaps()).isEqualTo(miss.intoMaps());
        assertThat(miss.getValues("id", Long.class)).containsExactly(1L, 2L, 3L);
        assertThat(hit.getValue(2, "note")).isNull();
        assertThat(hit.get(0).get("amount", BigDecimal.class)).isEqualByComparingTo("12.50");
    }

    @Test
    void commentsAndWhitespaceDoNotMakeAnotherKey() throws Exception {
        KeyspaceClient client = fixture.client(b -> {});
        assertThat(client.dsl()
                        .resultQuery("select note from cache_probe where id = ?", 1L)
                        .fetchOne(0, String.class))
                .isEqualTo("one");
        long afterMiss = fixture.serverSelects();

        String commented = "select note /* list page */ from   cache_probe\n  where id = ? -- by id";
        assertThat(client.dsl().resultQuery(commented, 1L).fetchOne(0, String.class))
                .isEqualTo("one");

        assertThat(fixture.serverSelects()).isEqualTo(afterMiss);
        assertThat(count(client, CacheStatus.HIT)).isEqualTo(1);
    }

    @Test
    void aHitBorrowsNoConnectionEvenWhenThePoolIsExhausted() throws Exception {
        KeyspaceClient client = fixture.client(2, b -> b.connectionTimeout(Duration.ofMillis(250)));
        assertThat(note(client.dsl(), 1)).isEqualTo("one");

        try (CacheFixture.Held held = CacheFixture.holdConnections(client, 2)) {
            assertThat(client.poolStats().active()).isEqualTo(2);

            assertThat(note(client.dsl(), 1)).as("answered from the cache").isEqualTo("one");
            assertThat(client.poolStats().active()).isEqualTo(2);
            assertThat(client.poolStats().waiting()).isZero();
            assertThatThrownBy(() -> note(client.uncached(), 1))
                    .as("the pool really is exhausted")
                    .isInstanceOf(ConnectionUnavailableException.class);
            assertThatThrownBy(() -> note(client.dsl(), 2))
                    .as("a miss needs a connection")
                    .isInstanceOf(ConnectionUnavailableException.class)
                    .hasMessageContaining("the pool is exhausted: all 2 connections are in use");
            held.release();
        }
        assertThat(note(client.dsl(), 2)).isEqualTo("two");
    }

    // ---- expiry, stale-while-revalidate, stampedes -------------------------------------------------

    @Test
    void servesFreshThenStaleWhileOneRefreshRunsThenExpires() throws Exception {
        KeyspaceClient client = fixture.client(
                b -> b.cacheMaxAge(Duration.ofSeconds(60)).cacheStaleWhileRevalidate(Duration.ofSeconds(15)));
        assertThat(note(client.dsl(), 1)).isEqualTo("one");
        fixture.admin("UPDATE cache_probe SET note = 'changed behind the cache' WHERE id = 1");
        long start = fixture.serverSelects();

        fixture.advance(Duration.ofSeconds(59));
        assertThat(note(client.dsl(), 1)).isEqualTo("one");
        assertThat(count(client, CacheStatus.HIT)).isEqualTo(1);

        fixture.advance(Duration.ofSeconds(2)); // 61 s: past maxAge, inside the stale window
        for (int i = 0; i < 5; i++) {
            assertThat(note(client.dsl(), 1)).as("stale read %d", i).isEqualTo("one");
        }
        assertThat(count(client, CacheStatus.STALE)).isEqualTo(5);
        assertThat(fixture.serverSelects())
                .as("stale reads do not wait for the database")
                .isEqualTo(start);
        assertThat(fixture.refreshes)
                .as("exactly one refresh for five stale reads")
                .hasSize(1);

        assertThat(fixture.runRefreshes()).isEqualTo(1);
        assertThat(fixture.serverSelects()).as("the refresh ran one query").isEqualTo(start + 1);
        assertThat(note(client.dsl(), 1)).isEqualTo("changed behind the cache");
        assertThat(count(client, CacheStatus.HIT)).isEqualTo(2);

        fixture.advance(Duration.ofSeconds(76)); // past maxAge + staleWhileRevalidate without a read: gone
        assertThat(note(client.dsl(), 1)).isEqualTo("changed behind the cache");
        assertThat(count(client, CacheStatus.MISS)).isEqualTo(2);
        assertThat(fixture.serverSelects()).isEqualTo(start + 2);
        assertThat(fixture.refreshes).isEmpty();
    }

    @Test
    void withoutAStaleWindowAnEntryIsReadAgainAtMaxAge() throws Exception {
        KeyspaceClient client =
                fixture.client(b -> b.cacheMaxAge(Duration.ofSeconds(10)).cacheStaleWhileRevalidate(Duration.ZERO));
        assertThat(note(client.dsl(), 1)).isEqualTo("one");
        fixture.admin("UPDATE cache_probe SET note = 'newer' WHERE id = 1");
        fixture.advance(Duration.ofMillis(9_999));
        assertThat(note(client.dsl(), 1)).isEqualTo("one");
        fixture.advance(Duration.ofMillis(1));
        assertThat(note(client.dsl(), 1)).isEqualTo("newer");
        assertThat(count(client, CacheStatus.MISS)).isEqualTo(2);
        assertThat(count(client, CacheStatus.STALE)).isZero();
        assertThat(fixture.refreshes).isEmpty();
    }

    @Test
    void concurrentMissesOfOneKeyRunOneServerQuery() throws Exception {
        int readers = 16;
        KeyspaceClient client = fixture.client(4, b -> {});
        long before = fixture.serverSelects();
        ExecutorService pool = Executors.newFixedThreadPool(readers);
        try (CacheFixture.TableLock lock = fixture.lock("cache_probe")) {
            // The first reader's query waits on the server while the others arrive.
            CountDownLatch started = new CountDownLatch(readers);
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < readers; i++) {
                results.add(pool.submit(() -> {
                    started.countDown();
                    return note(client.dsl(), 1);
                }));
            }
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (lock.waitingReads() == 0 && System.nanoTime() < deadline) {
                CacheFixture.sleep(Duration.ofMillis(10));
            }
            CacheFixture.sleep(Duration.ofMillis(300)); // time for any other reader's query to arrive too
            assertThat(lock.waitingReads())
                    .as("one query on the server for %d readers", readers)
                    .isEqualTo(1);
            lock.close();
            for (Future<String> r : results) {
                assertThat(r.get(10, TimeUnit.SECONDS)).isEqualTo("one");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(fixture.serverSelects() - before).isEqualTo(1);
        assertThat(count(client, CacheStatus.MISS)).isEqualTo(1);
        assertThat(count(client, CacheStatus.HIT)).isEqualTo(readers - 1);
    }

    @Test
    void aMissKeepsTheQueryTimeoutJooqSet() throws Exception {
        KeyspaceClient client = fixture.client(b -> {});
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try (CacheFixture.TableLock lock = fixture.lock("cache_probe")) {
            Future<?> read = reader.submit(() -> client.dsl()
                    .select(NOTE)
                    .from(PROBE)
                    .where(ID.eq(1L))
                    .queryTimeout(1)
                    .fetch());
            assertThatThrownBy(() -> read.get(20, TimeUnit.SECONDS))
                    .as("cancelled by the server after 1 s, not left waiting")
                    .hasCauseInstanceOf(io.openinsure.db.core.LimitExceededException.class); // the query's own timeout
        } finally {
            reader.shutdownNow();
        }
        assertThat(note(client.dsl(), 1)).isEqualTo("one");
    }

    // ---- read-your-writes --------------------------------------------------------------------------

    @Test
    void readsItsOwnInsertsUpdatesAndDeletes() throws Exception {
        KeyspaceClient client = fixture.client(b -> {});
        DSLContext dsl = client.dsl();
        assertThat(dsl.fetchCount(PROBE)).isEqualTo(3);
        assertThat(note(dsl, 1)).isEqualTo("one");

        dsl.insertInto(PROBE).columns(ID, NOTE).values(4L, "four").execute();
        assertThat(dsl.fetchCount(PROBE)).isEqualTo(4);

        dsl.update(PROBE).set(NOTE, "uno").where(ID.eq(1L)).execute();
        assertThat(note(dsl, 1)).isEqualTo("uno");

        dsl.deleteFrom(PROBE).where(ID.eq(4L)).execute();
        assertThat(dsl.fetchCount(PROBE)).isEqualTo(3);

        client.uncached()
                .update(PROBE)
                .set(NOTE, "written without the cache")
                .where(ID.eq(1L))
                .execute();
        assertThat(note(dsl, 1)).isEqualTo("written without the cache");

        dsl.connection(c -> {
            try (Statement st = c.createStatement()) {
                st.executeUpdate("update cache_probe set note = 'plain JDBC' where id = 1");
            }
        });
        assertThat(note(dsl, 1)).isEqualTo("plain JDBC");

        dsl.batch(
                        dsl.insertInto(PROBE).columns(ID, NOTE).values(5L, "five"),
                        dsl.insertInto(PROBE).columns(ID, NOTE).values(6L, "six"))
                .execute();
        assertThat(dsl.fetchCount(PROBE)).isEqualTo(5);
        assertThat(count(client, CacheStatus.HIT))
                .as("every read after a write went to the database")
                .isZero();
        assertThat(count(client, CacheStatus.NOTAQUERY)).as("seven writes").isEqualTo(7);
    }

    @Test
    void readsItsOwnWritesMadeInTransactions() throws Exception {
        KeyspaceClient client = fixture.client(b -> {});
        assertThat(note(client.dsl(), 1)).isEqualTo("one");
        assertThat(client.dsl().fetchCount(PROBE)).isEqualTo(3);

        client.transaction(tx -> tx.update(PROBE)
                .set(NOTE, "in client.transaction")
                .where(ID.eq(1L))
                .execute());
        assertThat(note(client.dsl(), 1)).isEqualTo("in client.transaction");

        client.dsl()
                .transaction(cfg -> cfg.dsl()
                        .update(PROBE)
                        .set(NOTE, "in dsl().transaction")
                        .where(ID.eq(1L))
                        .execute());
        assertThat(note(client.dsl(), 1)).isEqualTo("in dsl().transaction");

        int deleted = client.transactionResult(
                tx -> tx.deleteFrom(PROBE).where(ID.eq(2L)).execute());
        assertThat(deleted).isEqualTo(1);
        assertThat(client.dsl().fetchCount(PROBE)).isEqualTo(2);

        assertThatThrownBy(() -> client.transaction(tx -> {
                    tx.update(PROBE).set(NOTE, "rolled back").where(ID.eq(1L)).execute();
                    throw new IllegalStateException("no");
                }))
                .isInstanceOf(IllegalStateException.class);
        assertThat(note(client.dsl(), 1)).isEqualTo("in dsl().transaction");
    }

    @Test
    void aReadThatRacedAnOpenTransactionIsDroppedAtCommit() throws Exception {
        KeyspaceClient client = fixture.client(3, b -> {});
        assertThat(note(client.dsl(), 1)).isEqualTo("one");
        CountDownLatch written = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            Future<?> tx = writer.submit(() -> client.transaction(t -> {
                t.update(PROBE).set(NOTE, "committed later").where(ID.eq(1L)).execute();
                written.countDown();
                commit.await(10, TimeUnit.SECONDS);
            }));
            assertThat(written.await(10, TimeUnit.SECONDS)).isTrue();
            // Another caller reads while the write is not committed: the old row, stored again.
            assertThat(note(client.dsl(), 1)).isEqualTo("one");
            assertThat(count(client, CacheStatus.MISS)).isEqualTo(2);
            commit.countDown();
            tx.get(10, TimeUnit.SECONDS);
        } finally {
            commit.countDown();
            writer.shutdownNow();
        }
        assertThat(note(client.dsl(), 1)).as("invalidated again after commit").isEqualTo("committed later");
    }

    @Test
    void aWriteOnlyInvalidatesTheTablesItTouches() throws Exception {
        KeyspaceClient client = fixture.client(b -> {});
        assertThat(note(client.dsl(), 1)).isEqualTo("one");
        assertThat(otherNote(client.dsl())).isEqualTo("other one");

        client.dsl().insertInto(OTHER).columns(ID, NOTE).values(2L, "other two").execute();
        long before = fixture.serverSelects();
        assertThat(note(client.dsl(), 1)).isEqualTo("one");
        assertThat(fixture.serverSelects())
                .as("cache_probe was not written: still a hit")
                .isEqualTo(before);
        assertThat(otherNote(client.dsl())).isEqualTo("other one");
        assertThat(fixture.serverSelects())
                .as("cache_other was written: read again")
                .isEqualTo(before + 1);
    }

    @Test
    void aWriteWhoseTablesCannotBeToldInvalidatesTheWholeCache() throws Exception {
        fixture.admin(
                "DROP PROCEDURE IF EXISTS touch_other",
                server.postgres()
                        ? "CREATE PROCEDURE touch_other() LANGUAGE sql"
                                + " AS $$ UPDATE cache_other SET note = 'by a procedure' WHERE id = 1 $$"
                        : "CREATE PROCEDURE touch_other() UPDATE cache_other SET note = 'by a procedure' WHERE id = 1");
        KeyspaceClient client = fixture.client(b -> {});
        assertThat(client.explain("call touch_other()").tables()).isEmpty();

        assertThat(note(client.dsl(), 1)).isEqualTo("one");
        assertThat(otherNote(client.dsl())).isEqualTo("other one");
        client.dsl().execute("call touch_other()");
        long before = fixture.serverSelects();
        assertThat(otherNote(client.dsl())).isEqualTo("by a procedure");
        assertThat(note(client.dsl(), 1)).isEqualTo("one");
        assertThat(fixture.serverSelects()).as("both tables read again").isEqualTo(before + 2);
        assertThat(count(client, CacheStatus.HIT)).isZero();
    }

    @Test
    void mySqlsReplaceInvalidatesTheWholeCache() throws Exception {
        assumeTrue(!server.postgres(), "REPLACE is MySQL's (PostgreSQL's upserts are QueryCachePostgresTest's)");
        KeyspaceClient client = fixture.client(b -> {});
        assertThat(client.explain("REPLACE INTO cache_probe (id, note) VALUES (1, 'replaced')")
                        .tables())
                .isEmpty();
        assertThat(note(client.dsl(), 1)).isEqualTo("one");
        assertThat(otherNote(client.dsl())).isEqualTo("other one");
        client.dsl().execute("REPLACE INTO cache_probe (id, note) VALUES (1, 'replaced')");
        long before = fixture.serverSelects();
        assertThat(note(client.dsl(), 1)).isEqualTo("replaced");
        assertThat(otherNote(client.dsl())).isEqualTo("other one");
        assertThat(fixture.serverSelects()).as("both tables read again").isEqualTo(before + 2);
    }

    // ---- what is never cached ------------------------------------------------------------------------

    @Test
    void withTheCacheOffEveryReadReachesTheDatabase() throws Exception {
        KeyspaceClient client = fixture.client(b -> b.cacheEnabled(false));
        long before = fixture.serverSelects();
        for (int i = 0; i < 3; i++) {
            assertThat(note(client.dsl(), 1)).isEqualTo("one");
        }
        assertThat(fixture.serverSelects() - before).isEqualTo(3);
        assertThat(count(client, CacheStatus.DISABLED)).isEqualTo(3);
        assertThat(client.cacheStats().entries()).isZero();
        assertThat(client.explain("select note from cache_probe where id = 1"))
                .hasToString(
                        "uncacheable: the cache is disabled for keyspace 'cachetest'; set OI_DB_CACHETEST_CACHE_ENABLED=true (or "
                                + "cacheEnabled(true)) to cache reads");
    }

    @Test
    void anOversizedResultIsReturnedButNotStored() throws Exception {
        KeyspaceClient client = fixture.client(b -> b.cacheMaxResultBytes(1024));
        for (long id = 10; id < 40; id++) {
            fixture.admin("INSERT INTO cache_probe (id, note) VALUES (" + id + ", REPEAT('x', 100))");
        }
        long before = fixture.serverSelects();
        assertThat(client.dsl().selectFrom(PROBE).fetch()).hasSize(33);
        assertThat(client.dsl().selectFrom(PROBE).fetch()).hasSize(33);
        assertThat(fixture.serverSelects() - before).isEqualTo(2);
        assertThat(count(client, CacheStatus.OVERSIZEDRESULT)).isEqualTo(2);
        assertThat(client.cacheStats().entries()).isZero();

        assertThat(note(client.dsl(), 1)).isEqualTo("one");
        assertThat(note(client.dsl(), 1)).as("a small result is still cached").isEqualTo("one");
        assertThat(count(client, CacheStatus.HIT)).isEqualTo(1);
    }

    @Test
    void transactionsNeverReadFromOrWriteToTheCache() throws Exception {
        KeyspaceClient client = fixture.client(b -> {});
        assertThat(note(client.dsl(), 1)).isEqualTo("one");
        fixture.admin("UPDATE cache_probe SET note = 'seen by transactions' WHERE id = 1");
        long before = fixture.serverSelects();

        String inTx = client.<String>transactionResult(tx -> note(tx, 1) + "/" + note(tx, 1));
        String inDslTx = client.dsl().<String>transactionResult(cfg -> note(cfg.dsl(), 1));

        assertThat(inTx).isEqualTo("seen by transactions/seen by transactions");
        assertThat(inDslTx).isEqualTo("seen by transactions");
        assertThat(fixture.serverSelects() - before).isEqualTo(3);
        assertThat(count(client, CacheStatus.TRANSACTION)).isEqualTo(3);
        assertThat(note(client.dsl(), 1)).as("the transactions stored nothing").isEqualTo("one");
    }

    @Test
    void uncachedReadsAlwaysReachTheDatabaseAndStoreNothing() throws Exception {
        KeyspaceClient client = fixture.client(b -> {});
        assertThat(note(client.dsl(), 1)).isEqualTo("one");
        fixture.admin("UPDATE cache_probe SET note = 'fresh' WHERE id = 1");
        long before = fixture.serverSelects();

        assertThat(note(client.uncached(), 1)).isEqualTo("fresh");
        assertThat(note(client.uncached(), 1)).isEqualTo("fresh");
        assertThat(fixture.serverSelects() - before).isEqualTo(2);
        assertThat(count(client, CacheStatus.BYPASS)).isEqualTo(2);
        assertThat(note(client.dsl(), 1))
                .as("dsl() keeps its entry until it expires")
                .isEqualTo("one");
    }

    @Test
    void volatileReadsAreNeverCached() throws Exception {
        KeyspaceClient client = fixture.client(b -> {});
        String uuid = server.postgres() ? "select gen_random_uuid()::text" : "select uuid()";
        long before = fixture.serverSelects();
        String first = client.dsl().resultQuery(uuid).fetchOne(0, String.class);
        String second = client.dsl().resultQuery(uuid).fetchOne(0, String.class);
        client.dsl().fetchValue(server.postgres() ? "select now()" : "select now(6)");
        client.dsl()
                .fetch("select * from cache_probe where created_on < "
                        + (server.postgres() ? "current_date" : "curdate()"));
        assertThat(first).isNotEqualTo(second);
        assertThat(fixture.serverSelects() - before).isEqualTo(4);
        assertThat(count(client, CacheStatus.VOLATILE)).isEqualTo(4);
    }

    @Test
    void lockingReadsSessionVariablesAndUnparsableReadsAreNeverCached() throws Exception {
        assumeTrue(
                !server.postgres(),
                "MySQL's LOCK IN SHARE MODE, @@variables and a function its parser does not read; PostgreSQL's"
                        + " settings and catalog functions are QueryCachePostgresTest's");
        KeyspaceClient client = fixture.client(b -> {});
        long before = fixture.serverSelects();
        for (int i = 0; i < 2; i++) {
            client.dsl().fetch("select * from cache_probe where id = 1 lock in share mode");
            client.dsl().fetch("select note, @@version from cache_probe where id = 1");
            client.dsl().fetch("select timestampdiff(day, created_on, '2026-12-31') from cache_probe where id = 1");
        }
        assertThat(fixture.serverSelects() - before).isEqualTo(6);
        assertThat(count(client, CacheStatus.UNCACHEABLE)).isEqualTo(4);
        assertThat(count(client, CacheStatus.PARSEERROR)).isEqualTo(2);
        assertThat(client.cacheStats().entries()).isZero();
    }

    @Test
    void lockingReadsAreNeverCached() throws Exception {
        KeyspaceClient client = fixture.client(b -> {});
        long before = fixture.serverSelects();
        for (int i = 0; i < 2; i++) {
            client.dsl().fetch("select * from cache_probe where id = 1 for update");
        }
        assertThat(fixture.serverSelects() - before).isEqualTo(2);
        assertThat(count(client, CacheStatus.UNCACHEABLE)).isEqualTo(2);
        assertThat(client.cacheStats().entries()).isZero();
    }

    @Test
    void explainNamesTheProblemAndTheFix() {
        KeyspaceClient client = fixture.client(b -> {});
        CacheDecision now = client.explain("SELECT * FROM policies WHERE created_at > NOW() - INTERVAL "
                + (server.postgres() ? "'1 hour'" : "1 HOUR"));
        assertThat(now.status()).isEqualTo(CacheStatus.VOLATILE);
        assertThat(now)
                .hasToString(
                        "uncacheable: NOW() is volatile; compute the cutoff in the application and bind it as a parameter");

        CacheDecision cached =
                client.explain("select note from cache_probe p join cache_other o on o.id = p.id where p.id = ?");
        assertThat(cached.cacheable()).isTrue();
        assertThat(cached.tables()).containsExactlyInAnyOrder("cache_probe", "cache_other");
        assertThat(count(client, CacheStatus.MISS)).as("explain runs nothing").isZero();
    }
}
