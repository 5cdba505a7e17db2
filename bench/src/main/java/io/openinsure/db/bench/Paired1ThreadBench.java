package io.openinsure.db.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@link PairedBench} on one thread: the primary-key lookup, and the same ad-hoc jOOQ query (built and
 * rendered on every call, four columns by primary key) on plain jOOQ over a raw pool
 * ({@code DSL.using(hikariDataSource, SQLDialect.MARIADB)}) and through {@code dsl()} with the cache off.
 */
@Threads(1)
public class Paired1ThreadBench extends PairedBench {

    @Benchmark
    public void adHoc(Fixture f, Fixture.Cursor c, PairedTimings t, Blackhole bh) {
        java.util.UUID id = c.next(f.ids);
        for (int v : t.order(AD_HOC)) {
            t.start();
            Object r =
                    DslBench.adHoc(v == 0 ? f.plainJooq : f.cacheOff.policies().dsl(), id);
            t.stop(v);
            bh.consume(r);
        }
    }
}
