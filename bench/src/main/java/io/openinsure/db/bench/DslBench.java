package io.openinsure.db.bench;

import static io.openinsure.db.domains.schema.oi_policies.Tables.POLICY;

import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jooq.DSLContext;
import org.jooq.Record4;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * An ad-hoc jOOQ query (built and rendered on every call, four columns by primary key) through a keyspace
 * client's {@code dsl()} with the cache off and on (a hit), vs the same query on plain jOOQ:
 * {@code DSL.using(hikariDataSource, SQLDialect.MARIADB)} over a raw pool of the same size and properties.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
@Threads(1)
public class DslBench {

    static Record4<UUID, String, String, java.math.BigDecimal> adHoc(DSLContext ctx, UUID id) {
        return ctx.select(POLICY.ID, POLICY.POLICY_NUMBER, POLICY.STATUS, POLICY.PREMIUM)
                .from(POLICY)
                .where(POLICY.ID.eq(id))
                .fetchOne();
    }

    @Benchmark
    public Object plainJooq(Fixture f, Fixture.Cursor c) {
        return adHoc(f.plainJooq, c.next(f.ids));
    }

    @Benchmark
    public Object dslCacheOff(Fixture f, Fixture.Cursor c) {
        return adHoc(f.cacheOff.policies().dsl(), c.next(f.ids));
    }

    @Benchmark
    public Object dslCacheHit(Fixture f, Fixture.Cursor c) {
        return adHoc(f.cacheOn.policies().dsl(), c.nextHot(f.ids));
    }
}
