package io.openinsure.db.bench;

import static io.openinsure.db.domains.schema.oi_policies.Tables.POLICY;

import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.Record4;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Threads;

/**
 * An ad-hoc jOOQ query (built and rendered on every call, four columns by primary key) through a keyspace
 * client's {@code dsl()} with the cache on (a hit). With the cache off it runs interleaved with the same
 * query on plain jOOQ ({@code DSL.using(hikariDataSource, SQLDialect.MARIADB)} over a raw pool of the same
 * size and properties) in {@link PairedBench#adHoc}.
 */
@Threads(1)
public class DslBench extends ShortRun {

    static Record4<UUID, String, String, java.math.BigDecimal> adHoc(DSLContext ctx, UUID id) {
        return ctx.select(POLICY.ID, POLICY.POLICY_NUMBER, POLICY.STATUS, POLICY.PREMIUM)
                .from(POLICY)
                .where(POLICY.ID.eq(id))
                .fetchOne();
    }

    @Benchmark
    public Object dslCacheHit(Fixture f, Fixture.Cursor c) {
        return adHoc(f.cacheOn.policies().dsl(), c.nextHot(f.ids));
    }
}
