package io.openinsure.db.testkit.domains;

import static io.openinsure.db.domains.schema.oi_policies.Tables.POLICY;
import static io.openinsure.db.testkit.domains.DomainTestSupport.assumeLegacyReachesKeyspaces;
import static org.assertj.core.api.Assertions.assertThat;

import io.openinsure.db.core.CacheStatus;
import io.openinsure.db.core.spi.TypedReadPath;
import io.openinsure.db.core.spi.TypedReads;
import io.openinsure.db.domains.Ids;
import io.openinsure.db.domains.OpenInsureDb;
import io.openinsure.db.domains.PoliciesDb.CoverageLine;
import io.openinsure.db.domains.PoliciesDb.IssueRequest;
import io.openinsure.db.domains.schema.oi_policies.tables.records.PolicyRecord;
import io.openinsure.db.testkit.OpenInsureDbTest;
import io.openinsure.db.testkit.TestBackend;
import io.openinsure.db.testkit.Topology;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jooq.Configuration;
import org.jooq.Record;
import org.jooq.Result;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

/**
 * Typed lookups ({@code Prepared}, e.g. {@code findPolicy}) answered from the cache above jOOQ
 * ({@link TypedReads}): the same freshness as every cached read, copies for every caller.
 */
@OpenInsureDbTest(backend = TestBackend.DEFAULT)
class TypedCacheHitTest {

    /** Wraps the client's fast path: counts calls, and the calls that ran the query the ordinary way. */
    private static final class Spy implements TypedReadPath {
        final TypedReadPath real;
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger queried = new AtomicInteger();

        Spy(TypedReadPath real) {
            this.real = real;
        }

        @Override
        public <R extends Record> Result<R> fetch(
                Configuration c,
                String sql,
                Object[] binds,
                Table<R> table,
                Function<Configuration, Result<R>> throughJooq) {
            calls.incrementAndGet();
            return real.fetch(c, sql, binds, table, cfg -> {
                queried.incrementAndGet();
                return throughJooq.apply(cfg);
            });
        }

        /** Calls answered without running the query. */
        int fast() {
            return calls.get() - queried.get();
        }
    }

    private static Spy spy(OpenInsureDb db) {
        Configuration c = db.policies().dsl().configuration();
        TypedReadPath real = TypedReads.installed(c).orElse(null);
        assertThat(real).as("the caching dsl() offers the fast path").isNotNull();
        Spy spy = new Spy(real instanceof Spy s ? s.real : real); // the database is shared by the tests
        TypedReads.install(c, spy);
        return spy;
    }

    private static PolicyRecord issue(OpenInsureDb db) {
        IssueRequest request = new IssueRequest(
                Ids.newId(),
                Ids.newId(),
                Ids.newId(),
                Ids.newId(),
                "Acme Widgets LLC",
                LocalDate.of(2026, 4, 1),
                LocalDate.of(2027, 4, 1),
                new BigDecimal("1200.25"),
                "usd",
                List.of(new CoverageLine(
                        "gl_each_occurrence", new BigDecimal("1000000"), null, new BigDecimal("1200.25"))),
                "key-" + UUID.randomUUID());
        return db.policies().issueFromQuote(request);
    }

    private static long count(OpenInsureDb db, CacheStatus status) {
        return db.policies().cacheStats().count(status);
    }

    /** Changes the row in another process: no client of {@code db} hears of it. */
    private static void renameBehindTheBack(UUID id, String name) {
        try (OpenInsureDb other = Topology.selected().open()) {
            other.policies()
                    .uncached()
                    .update(POLICY)
                    .set(POLICY.INSURED_NAME, name)
                    .where(POLICY.ID.eq(id))
                    .execute();
        }
    }

    private static String name(OpenInsureDb db, UUID id) {
        return db.policies().findPolicy(id).orElseThrow().getInsuredName();
    }

    @Test
    void aHitAfterAMissIsAnsweredAboveJooqWithoutTheServer(OpenInsureDb db) {
        UUID id = issue(db).getId();
        Spy spy = spy(db);
        long misses = count(db, CacheStatus.MISS);
        long hits = count(db, CacheStatus.HIT);

        PolicyRecord miss = db.policies().findPolicy(id).orElseThrow();
        assertThat(count(db, CacheStatus.MISS)).isEqualTo(misses + 1);
        renameBehindTheBack(id, "Changed elsewhere");
        PolicyRecord hit = db.policies().findPolicy(id).orElseThrow();

        assertThat(hit.getInsuredName())
                .as("answered from memory, not the server")
                .isEqualTo("Acme Widgets LLC");
        assertThat(spy.fast()).isEqualTo(1);
        assertThat(count(db, CacheStatus.HIT)).isEqualTo(hits + 1);
        assertThat(count(db, CacheStatus.MISS)).isEqualTo(misses + 1);
        assertThat(hit).isEqualTo(miss).isNotSameAs(miss);
        assertThat(hit.intoMap()).isEqualTo(miss.intoMap());
        assertThat(hit.changed()).isFalse();
        assertThat(hit.getId()).isEqualTo(id);
        assertThat(hit.configuration()).as("attached, like a fetched record").isNotNull();
        for (int i = 0; i < hit.size(); i++) {
            assertThat(hit.get(i)).as(hit.field(i).getName()).isEqualTo(miss.get(i));
            assertThat(hit.changed(i)).isFalse();
        }
    }

    @Test
    void everyCallerGetsItsOwnRecords(OpenInsureDb db) {
        UUID id = issue(db).getId();
        Spy spy = spy(db);
        PolicyRecord first = db.policies().findPolicy(id).orElseThrow();
        first.setInsuredName("mutated by the first caller");
        PolicyRecord second = db.policies().findPolicy(id).orElseThrow();
        second.setInsuredName("mutated by the second caller");
        PolicyRecord third = db.policies().findPolicy(id).orElseThrow();

        assertThat(spy.fast()).isEqualTo(2);
        assertThat(third.getInsuredName()).isEqualTo("Acme Widgets LLC");
        assertThat(third.changed()).isFalse();
        assertThat(third).isNotSameAs(second);
    }

    /** A policy just issued, and the spy that saw it looked up twice: a miss, then a hit above jOOQ. */
    private record Cached(UUID id, Spy spy) {}

    private static Cached issuedAndCached(OpenInsureDb db) {
        UUID id = issue(db).getId();
        Spy spy = spy(db);
        assertThat(name(db, id)).isEqualTo("Acme Widgets LLC");
        assertThat(name(db, id)).isEqualTo("Acme Widgets LLC");
        assertThat(spy.fast()).isEqualTo(1);
        return new Cached(id, spy);
    }

    @Test
    void writesThroughThisClientOrReportedFromElsewhereAreReadFresh(OpenInsureDb db) {
        Cached cached = issuedAndCached(db);
        UUID id = cached.id();
        Spy spy = cached.spy();

        db.policies()
                .dsl()
                .update(POLICY)
                .set(POLICY.INSURED_NAME, "Same client")
                .where(POLICY.ID.eq(id))
                .execute();
        assertThat(name(db, id)).as("read-your-writes").isEqualTo("Same client");
        assertThat(name(db, id)).isEqualTo("Same client");
        assertThat(spy.fast()).isEqualTo(2);

        renameBehindTheBack(id, "Elsewhere");
        assertThat(name(db, id)).as("not heard of yet").isEqualTo("Same client");
        db.policies().invalidateCachedReads(List.of("oi_policies.policy"));
        assertThat(name(db, id)).isEqualTo("Elsewhere");

        renameBehindTheBack(id, "Everything");
        db.policies().invalidateCachedReads(List.of()); // the whole-cache mark
        assertThat(name(db, id)).isEqualTo("Everything");
    }

    @Test
    void aWriteThroughTheLegacyClientOfTheSameDatabaseIsReadFresh(OpenInsureDb db) {
        assumeLegacyReachesKeyspaces();
        Cached cached = issuedAndCached(db);
        UUID id = cached.id();
        Spy spy = cached.spy();

        db.legacy()
                .dsl()
                .execute(
                        "update openinsure.policy set insured_name = 'Legacy client' where id = ?",
                        DSL.val(id, POLICY.ID)); // bound as the column is: BINARY(16) or uuid
        assertThat(name(db, id))
                .as("a write through another client of the same OpenInsureDb")
                .isEqualTo("Legacy client");
        assertThat(name(db, id)).isEqualTo("Legacy client");
        assertThat(spy.fast()).isEqualTo(2);
    }

    @Test
    void transactionsAndUncachedNeverUseIt(OpenInsureDb db) {
        UUID id = issue(db).getId();
        Spy spy = spy(db);
        assertThat(name(db, id)).isEqualTo("Acme Widgets LLC");
        assertThat(name(db, id)).isEqualTo("Acme Widgets LLC"); // the entry now holds typed rows
        int fast = spy.fast();
        long hits = count(db, CacheStatus.HIT);
        renameBehindTheBack(id, "Seen in transactions");

        String inTransaction = db.policies().dsl().transactionResult(tx -> {
            assertThat(TypedReads.installed(tx))
                    .as("jOOQ copies the data map into the transaction")
                    .containsSame(spy);
            return POLICY_NAME.apply(tx, id);
        });
        assertThat(inTransaction).as("the transaction read the server").isEqualTo("Seen in transactions");
        assertThat(spy.calls.get()).as("the seam was asked and ran the query").isEqualTo(spy.queried.get() + fast);
        assertThat(POLICY_NAME.apply(db.policies().uncached().configuration(), id))
                .as("uncached(): the server, not the cache")
                .isEqualTo("Seen in transactions");
        assertThat(spy.fast()).isEqualTo(fast);
        assertThat(count(db, CacheStatus.HIT)).isEqualTo(hits);
        assertThat(name(db, id)).as("outside, the cached rows again").isEqualTo("Acme Widgets LLC");
        assertThat(spy.fast()).isEqualTo(fast + 1);
    }

    /** A typed lookup run on a transaction's configuration. */
    private static final java.util.function.BiFunction<Configuration, UUID, String> POLICY_NAME =
            (tx, id) -> io.openinsure.db.domains.internal.Rows.selectWhere(POLICY, POLICY.ID)
                    .fetchOptional(tx.dsl(), id)
                    .orElseThrow()
                    .getInsuredName();

    @Test
    void withTheCacheOffEveryLookupReadsTheServer() {
        try (OpenInsureDb db = Topology.selected()
                .builder()
                .defaults(b -> b.cacheEnabled(false))
                .build()) {
            UUID id = issue(db).getId();
            assertThat(name(db, id)).isEqualTo("Acme Widgets LLC");
            renameBehindTheBack(id, "Not cached");
            assertThat(name(db, id)).isEqualTo("Not cached");
            assertThat(count(db, CacheStatus.HIT)).isZero();
        }
    }
}
