package io.openinsure.db.testkit.domains;

import static io.openinsure.db.domains.schema.oi_policies.Tables.POLICY;
import static io.openinsure.db.testkit.domains.DomainTestSupport.assumeLegacyReachesKeyspaces;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openinsure.db.core.CacheStatus;
import io.openinsure.db.core.KeyspaceClient;
import io.openinsure.db.core.LimitExceededException;
import io.openinsure.db.core.spi.TypedReadPath;
import io.openinsure.db.core.spi.TypedReads;
import io.openinsure.db.domains.Ids;
import io.openinsure.db.domains.Keyspace;
import io.openinsure.db.domains.OpenInsureDb;
import io.openinsure.db.domains.PoliciesDb.CoverageLine;
import io.openinsure.db.domains.PoliciesDb.IssueRequest;
import io.openinsure.db.domains.internal.Prepared;
import io.openinsure.db.domains.schema.oi_billing.OiBilling;
import io.openinsure.db.domains.schema.oi_claims.OiClaims;
import io.openinsure.db.domains.schema.oi_global.OiGlobal;
import io.openinsure.db.domains.schema.oi_policies.OiPolicies;
import io.openinsure.db.domains.schema.oi_policies.tables.records.PolicyRecord;
import io.openinsure.db.domains.schema.oi_submissions.OiSubmissions;
import io.openinsure.db.testkit.Topology;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jooq.Configuration;
import org.jooq.Record;
import org.jooq.Result;
import org.jooq.SQLDialect;
import org.jooq.Schema;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Typed reads ({@code Prepared}) with the cache off, or through {@code uncached()}, run straight on JDBC and
 * map rows without jOOQ's cursor: they must give exactly what jOOQ gives, for every table of every keyspace,
 * and keep the limits, the statuses and the health accounting of jOOQ's path.
 */
class DirectTypedReadsTest {

    private static OpenInsureDb db;

    @BeforeAll
    static void open() {
        db = Topology.selected()
                .builder()
                .defaults(d -> d.cacheEnabled(false).maxRows(500))
                .build();
        issue(null);
        issue(UUID.randomUUID()); // a renewal_of_policy_id set: converters on non-null and null values both run
    }

    @AfterAll
    static void close() {
        db.close();
    }

    private static void issue(UUID renewalOf) {
        IssueRequest request = new IssueRequest(
                Ids.newId(),
                Ids.newId(),
                Ids.newId(),
                Ids.newId(),
                "Direct Reads LLC",
                LocalDate.of(2026, 4, 1),
                LocalDate.of(2027, 4, 1),
                new BigDecimal("1200.25"),
                "usd",
                List.of(new CoverageLine(
                        "gl_each_occurrence", new BigDecimal("1000000"), null, new BigDecimal("1200.25"))),
                "direct-" + UUID.randomUUID());
        PolicyRecord p = db.policies().issueFromQuote(request);
        if (renewalOf != null) {
            db.policies()
                    .uncached()
                    .update(POLICY)
                    .set(POLICY.RENEWAL_OF_POLICY_ID, renewalOf)
                    .where(POLICY.ID.eq(p.getId()))
                    .execute();
        }
    }

    /** Wraps the client's typed-read seam: counts calls, and the calls that fell back to jOOQ's path. */
    private static final class Spy implements TypedReadPath {
        final TypedReadPath real;
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger jooq = new AtomicInteger();

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
                jooq.incrementAndGet();
                return throughJooq.apply(cfg);
            });
        }
    }

    private static Spy spy(org.jooq.DSLContext ctx) {
        Configuration c = ctx.configuration();
        TypedReadPath real = TypedReads.installed(c).orElse(null);
        assertThat(real).as("every client context offers the typed-read seam").isNotNull();
        Spy spy = new Spy(real instanceof Spy s ? s.real : real);
        TypedReads.install(c, spy);
        return spy;
    }

    private static final Map<Keyspace, Schema> SCHEMAS = Map.of(
            Keyspace.GLOBAL,
            OiGlobal.OI_GLOBAL,
            Keyspace.POLICIES,
            OiPolicies.OI_POLICIES,
            Keyspace.SUBMISSIONS,
            OiSubmissions.OI_SUBMISSIONS,
            Keyspace.CLAIMS,
            OiClaims.OI_CLAIMS,
            Keyspace.BILLING,
            OiBilling.OI_BILLING);

    @Test
    void everyTableReadsDirectlyExactlyAsJooqReadsIt() {
        List<String> compared = new ArrayList<>();
        int rows = 0;
        for (Map.Entry<Keyspace, Schema> e : SCHEMAS.entrySet()) {
            KeyspaceClient client = db.client(e.getKey());
            Spy spy = spy(client.dsl());
            for (Table<?> table : e.getValue().getTables()) {
                Result<? extends Record> direct = all(table).fetch(client.dsl());
                Result<? extends Record> jooq = client.uncached()
                        .selectFrom(table)
                        .orderBy(table.fields()[0])
                        .limit(200)
                        .fetch();
                assertThat(direct).as(table.getName()).hasSameSizeAs(jooq);
                for (int i = 0; i < jooq.size(); i++) {
                    Record d = direct.get(i);
                    assertThat(d.getClass()).isEqualTo(jooq.get(i).getClass());
                    assertThat(d.intoList())
                            .as(table.getName() + " row " + i)
                            .isEqualTo(jooq.get(i).intoList());
                    assertThat(d.changed()).as("fetched, not changed").isFalse();
                    assertThat(d.original().intoList()).isEqualTo(d.intoList());
                }
                rows += jooq.size();
                compared.add(table.getName());
            }
            assertThat(spy.jooq)
                    .as("no table of %s fell back to jOOQ's path", e.getKey())
                    .hasValue(0);
            assertThat(spy.calls.get()).isEqualTo(e.getValue().getTables().size());
        }
        assertThat(compared).contains("policy", "coverage", "policy_event");
        assertThat(rows).isGreaterThanOrEqualTo(6);
    }

    private static <R extends Record> Prepared<R> all(Table<R> table) {
        return Prepared.query(
                table, ctx -> ctx.selectFrom(table).orderBy(table.fields()[0]).limit(DSL.inline(200)));
    }

    @Test
    void findPolicyIsDirectCountedAsDisabledAndTimedForHealth() {
        PolicyRecord any = db.policies().dsl().selectFrom(POLICY).limit(1).fetchOne();
        Spy spy = spy(db.policies().dsl());
        long disabled = db.policies().cacheStats().count(CacheStatus.DISABLED);
        long statements = db.policies().report().statements();

        PolicyRecord found = db.policies().findPolicy(any.getId()).orElseThrow();
        found.setInsuredName("changed by the caller");
        found.store(); // attached to the client's configuration, as jOOQ's own records are

        assertThat(spy.calls).hasValue(1);
        assertThat(spy.jooq).hasValue(0);
        assertThat(db.policies().cacheStats().count(CacheStatus.DISABLED)).isGreaterThanOrEqualTo(disabled + 1);
        assertThat(db.policies().report().statements()).isGreaterThanOrEqualTo(statements + 1);
        assertThat(db.policies().findPolicy(any.getId()).orElseThrow().getInsuredName())
                .isEqualTo("changed by the caller");
        assertThat(db.policies().findPolicy(UUID.randomUUID())).isEmpty();
    }

    @Test
    void theRowLimitHoldsOnTheDirectPath() {
        try (OpenInsureDb small = Topology.selected()
                .builder()
                .defaults(d -> d.cacheEnabled(false).maxRows(1))
                .build()) {
            Spy spy = spy(small.policies().dsl());
            assertThatThrownBy(() -> all(POLICY).fetch(small.policies().dsl()))
                    .isInstanceOf(LimitExceededException.class)
                    .hasMessage(
                            "Keyspace 'policies': the query returned more than OI_DB_POLICIES_MAX_ROWS (1) rows; nothing was "
                                    + "truncated. Walk the rows page by page with Keyset.forEachPage, or narrow the query (PlanetScale allows "
                                    + "100,000 rows per query, vanilla Vitess 10,000).");
            assertThat(spy.jooq).as("refused on the direct path, not by jOOQ's").hasValue(0);
        }
    }

    @Test
    void theQueryTimeoutHoldsOnTheDirectPath() {
        try (OpenInsureDb slow = Topology.selected()
                .builder()
                .defaults(d -> d.cacheEnabled(false).queryTimeout(Duration.ofSeconds(1)))
                .build()) {
            Spy spy = spy(slow.policies().dsl());
            boolean postgres = slow.policies().dsl().dialect().family() == SQLDialect.POSTGRES;
            Prepared<PolicyRecord> sleepy = Prepared.query(
                    POLICY,
                    ctx -> ctx.selectFrom(POLICY)
                            .where(DSL.field(
                                            "(select count(*) from information_schema.columns a, information_schema.columns b, "
                                                    + "information_schema.columns c)",
                                            Long.class)
                                    .gt(DSL.inline(0L)))
                            .limit(DSL.inline(1)));
            assertThatThrownBy(() -> sleepy.fetch(slow.policies().dsl()))
                    .isInstanceOf(LimitExceededException.class)
                    .hasMessageStartingWith(
                            "Keyspace 'policies': the statement ran longer than OI_DB_POLICIES_QUERY_TIMEOUT (1s) and "
                                    + "was cancelled;")
                    .satisfies(e -> assertThat(serverErrors(e))
                            .as(
                                    postgres
                                            ? "PostgreSQL cancelled it on PgJDBC's cancel request (SQLState 57014)"
                                            : "MariaDB enforced it (max_statement_time, error 1969), not Connector/J's timer")
                            .contains(postgres ? "57014" : "1969"));
            assertThat(spy.jooq).hasValue(0);
            assertThat(slow.policies().findPolicy(UUID.randomUUID()))
                    .as("the connection went back to the pool")
                    .isEmpty();
        }
    }

    /** The error codes and SQLStates of the SQL exceptions in {@code e}'s chain. */
    private static List<String> serverErrors(Throwable e) {
        List<String> codes = new ArrayList<>();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException s) {
                codes.add(String.valueOf(s.getErrorCode()));
                codes.add(s.getSQLState());
            }
        }
        return codes;
    }

    @Test
    void theLegacyClientsRoutedContextTakesJooqsPathSoItsRulesApply() {
        assumeLegacyReachesKeyspaces();
        PolicyRecord any = db.policies().dsl().selectFrom(POLICY).limit(1).fetchOne();
        Spy spy = spy(db.legacy().dsl());
        Prepared<PolicyRecord> byId = io.openinsure.db.domains.internal.Rows.selectWhere(POLICY, POLICY.ID);
        assertThat(byId.fetchOptional(db.legacy().dsl(), any.getId()))
                .as("routed to oi_policies.policy")
                .hasValueSatisfying(p -> assertThat(p.intoList()).isEqualTo(any.intoList()));
        assertThat(spy.calls).hasValue(1);
        assertThat(spy.jooq).hasValue(1);
    }

    @Test
    void inATransactionTypedReadsTakeJooqsPath() {
        PolicyRecord any = db.policies().dsl().selectFrom(POLICY).limit(1).fetchOne();
        Spy spy = spy(db.policies().dsl());
        PolicyRecord inTx = db.policies()
                .transactionResult(tx -> all(POLICY).fetch(tx).stream()
                        .filter(p -> p.getId().equals(any.getId()))
                        .findFirst()
                        .orElseThrow());
        assertThat(inTx.intoList()).isEqualTo(any.intoList());
        assertThat(spy.jooq.get()).isEqualTo(spy.calls.get());
    }
}
