package io.openinsure.db.core.internal;

import static io.openinsure.db.core.internal.CacheFixture.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import io.openinsure.db.core.CacheStatus;
import io.openinsure.db.core.KeyspaceClient;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Result;
import org.jooq.Table;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the read cache does on PostgreSQL alone: its volatile and stable functions, known from lists and from the
 * server's catalog, are never cached, and PostgreSQL's types and {@code RETURNING} writes go through the cache's paths
 * intact. Hits, misses, expiry, invalidation and the rest run on PostgreSQL as on MariaDB in {@link QueryCacheTest}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueryCachePostgresTest {

    private static final Table<?> PROBE = table(name("cache_probe"));
    private static final Field<Long> ID = field(name("id"), Long.class);
    private static final Field<String> NOTE = field(name("note"), String.class);

    private CacheFixture fixture;

    @BeforeAll
    void startServer() throws Exception {
        fixture = CacheFixture.postgres();
    }

    @BeforeEach
    void freshTable() throws Exception {
        fixture.admin(
                "DROP TABLE IF EXISTS cache_probe",
                "DROP SEQUENCE IF EXISTS cache_seq",
                "CREATE SEQUENCE cache_seq",
                "CREATE TABLE cache_probe (id bigint PRIMARY KEY, note text, ref uuid, doc jsonb, at timestamptz, amount numeric(12,2))",
                "INSERT INTO cache_probe VALUES (1, 'one', '6f1c3a52-1d1e-4c51-9a5e-2f6f0b9c0a01', '{\"kind\": \"home\"}', "
                        + "'2026-01-31T10:15:00Z', 12.50), (2, 'two', NULL, NULL, NULL, NULL)");
    }

    @AfterEach
    void closeClients() {
        fixture.close();
    }

    @AfterAll
    void dropTable() throws Exception {
        fixture.admin("DROP TABLE IF EXISTS cache_probe", "DROP SEQUENCE IF EXISTS cache_seq");
    }

    private static String note(DSLContext dsl, long id) {
        return dsl.select(NOTE).from(PROBE).where(ID.eq(id)).fetchOne(NOTE);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "select now()",
                "select current_timestamp",
                "select clock_timestamp()",
                "select statement_timestamp()",
                "select transaction_timestamp()",
                "select timeofday()",
                "select random()",
                "select gen_random_uuid()",
                "select txid_current()",
                "select nextval('cache_seq')",
                "select 'now'::timestamp",
                "select localtimestamp",
                "select current_user",
                "select pg_backend_pid()",
                "select note from cache_probe where at < now() - interval '1 hour'"
            })
    void volatileAndStableFunctionsAreNeverCached(String sql) {
        KeyspaceClient client = fixture.client(b -> {});
        client.dsl().fetch(sql);
        client.dsl().fetch(sql);
        assertThat(count(client, CacheStatus.VOLATILE)).isEqualTo(2);
        assertThat(client.cacheStats().entries()).isZero();
    }

    @Test
    void functionsTheListsDoNotKnowAreClassifiedByTheServersCatalog() throws Exception {
        fixture.admin(
                "CREATE OR REPLACE FUNCTION oi_twice(x bigint) RETURNS bigint IMMUTABLE LANGUAGE sql AS 'SELECT x * 2'",
                "CREATE OR REPLACE FUNCTION oi_setting() RETURNS text STABLE LANGUAGE sql AS 'SELECT current_setting(''TimeZone'')'",
                "CREATE OR REPLACE FUNCTION oi_dice() RETURNS double precision VOLATILE LANGUAGE sql AS 'SELECT random()'");
        KeyspaceClient client = fixture.client(b -> {});
        String immutable = "select oi_twice(id) from cache_probe where id = 1";
        // Before pg_proc has been read the analyser fails closed; the first such statement starts the (background)
        // read.
        assertThat(client.explain(immutable).toString())
                .startsWith("uncacheable: OI_TWICE() is not known to be deterministic");
        assertThat(fixture.runRefreshes())
                .as("the catalog read, queued on the client's background executor")
                .isEqualTo(1);
        assertThat(client.explain(immutable).toString()).startsWith("cacheable");
        assertThat(client.explain("select oi_setting()"))
                .hasToString("uncacheable: OI_SETTING() is STABLE in the server's catalog"
                        + " (pg_proc.provolatile = 's'): its result may change between statements without a write (it reads settings, the"
                        + " clock or the catalog); compute OI_SETTING()'s result in the application and bind it, or declare the function"
                        + " IMMUTABLE if its result depends only on its arguments");
        assertThat(client.explain("select oi_dice()").toString())
                .startsWith("uncacheable: OI_DICE() is VOLATILE in the server's"
                        + " catalog (pg_proc.provolatile = 'v'): its result may change on every call");
        // A built-in STABLE function that no list names: the catalog knows it.
        assertThat(client.explain("select to_regclass('cache_probe')").toString())
                .startsWith("uncacheable: TO_REGCLASS() is STABLE in the server's catalog");
        assertThat(client.explain("select 'today'::date").toString()).startsWith("uncacheable: 'today'");

        client.dsl().fetch(immutable);
        client.dsl().fetch(immutable);
        assertThat(count(client, CacheStatus.HIT)).isEqualTo(1);
    }

    @Test
    void volatileFunctionsReturnNewValuesOnEveryCall() {
        KeyspaceClient client = fixture.client(b -> {});
        for (String sql : List.of(
                "select gen_random_uuid()::text",
                "select txid_current()::text",
                "select nextval('cache_seq')::text",
                "select clock_timestamp()::text")) {
            String first = client.dsl().resultQuery(sql).fetchOne(0, String.class);
            String second = client.dsl().resultQuery(sql).fetchOne(0, String.class);
            assertThat(second).as(sql).isNotEqualTo(first);
        }
    }

    @Test
    void postgresTypesAndTypedNullsReadTheSameOnAMissAndAHit() {
        KeyspaceClient client = fixture.client(b -> {});
        String sql = "select id, note, ref, doc, at, amount from cache_probe "
                + "where ref = ? and at <= ?::timestamptz and doc ->> 'kind' = ? and note is distinct from ?";
        Object[] binds = {
            UUID.fromString("6f1c3a52-1d1e-4c51-9a5e-2f6f0b9c0a01"),
            OffsetDateTime.of(2026, 2, 1, 0, 0, 0, 0, ZoneOffset.UTC),
            "home",
            null
        };
        Result<Record> database = client.uncached().resultQuery(sql, binds).fetch();
        Result<Record> miss = client.dsl().resultQuery(sql, binds).fetch();
        Result<Record> hit = client.dsl().resultQuery(sql, binds).fetch();

        assertThat(count(client, CacheStatus.MISS)).isEqualTo(1);
        assertThat(count(client, CacheStatus.HIT)).isEqualTo(1);
        assertThat(miss).hasSize(1);
        List<Map<String, Object>> rows = hit.intoMaps();
        assertThat(rows).isEqualTo(miss.intoMaps()).isEqualTo(database.intoMaps());
        assertThat(hit.get(0).get("ref", UUID.class))
                .isEqualTo(UUID.fromString("6f1c3a52-1d1e-4c51-9a5e-2f6f0b9c0a01"));
        assertThat(hit.get(0).get("at", OffsetDateTime.class).toInstant())
                .isEqualTo(OffsetDateTime.of(2026, 1, 31, 10, 15, 0, 0, ZoneOffset.UTC)
                        .toInstant());
        assertThat(hit.get(0).get("doc", String.class)).contains("\"kind\"");
    }

    @Test
    void insertReturningAndUpsertsInvalidateWhatTheyTouch() {
        KeyspaceClient client = fixture.client(b -> {});
        DSLContext dsl = client.dsl();
        assertThat(dsl.fetchCount(PROBE)).isEqualTo(2);

        Long id = dsl.insertInto(PROBE)
                .columns(ID, NOTE)
                .values(3L, "three")
                .returning(ID)
                .fetchOne(ID);
        assertThat(id).isEqualTo(3L);
        assertThat(dsl.fetchCount(PROBE)).isEqualTo(3);

        assertThat(note(dsl, 1)).isEqualTo("one");
        dsl.execute(
                "insert into cache_probe (id, note) values (1, 'upserted') on conflict (id) do update set note = excluded.note");
        assertThat(note(dsl, 1)).isEqualTo("upserted");

        dsl.execute("with gone as (delete from cache_probe where id = 3 returning id) select count(*) from gone");
        assertThat(dsl.fetchCount(PROBE)).isEqualTo(2);
        assertThat(count(client, CacheStatus.HIT)).isZero();
    }
}
