package io.openinsure.db.bench;

import io.openinsure.db.domains.schema.oi_policies.tables.records.PolicyRecord;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * Primary-key lookup of one policy (all 20 columns): the raw floor (HikariCP + a JDBC prepared statement,
 * every column read) vs {@code PoliciesDb.findById} (jOOQ, SQL rendered once per shape, mapped to a
 * {@code PolicyRecord}) with the cache off, and with the cache on (a hit: no connection borrowed).
 * Thread counts are the subclasses' ({@link PkLookup1ThreadBench}, {@link PkLookup8ThreadsBench}).
 */
public abstract class PkLookupBench extends ShortRun {

    @Benchmark
    public Object rawJdbc(Fixture f, Fixture.Cursor c) {
        return BenchDb.rawLookup(f.raw, c.next(f.ids));
    }

    /**
     * The floor with the guards every SDK read carries, enforced by the driver: {@code setMaxRows} and
     * {@code setQueryTimeout} (Connector/J schedules a timer task per execution). What the SDK's reads cost
     * where the server cannot enforce the timeout itself (MySQL, Vitess); on MariaDB it does.
     */
    @Benchmark
    public Object rawJdbcTimeout(Fixture f, Fixture.Cursor c) {
        return BenchDb.rawLookup(f.raw, c.next(f.ids), 10_001, 30);
    }

    @Benchmark
    public PolicyRecord typedCacheOff(Fixture f, Fixture.Cursor c) {
        return f.cacheOff.policies().findById(c.next(f.ids)).orElseThrow();
    }

    @Benchmark
    public PolicyRecord typedCacheHit(Fixture f, Fixture.Cursor c) {
        return f.cacheOn.policies().findById(c.nextHot(f.ids)).orElseThrow();
    }
}
