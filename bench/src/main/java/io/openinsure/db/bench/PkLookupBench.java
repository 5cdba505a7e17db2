package io.openinsure.db.bench;

import io.openinsure.db.domains.schema.oi_policies.tables.records.PolicyRecord;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * A typed cache hit: {@code PoliciesDb.findPolicy} with the cache on and the id cached (no connection
 * borrowed, the record copied from the cache). The lookups that reach the server (the raw floor, the floor
 * with the SDK's statement guards, {@code findPolicy} with the cache off) run as interleaved pairs in
 * {@link PairedBench}. Thread counts are the subclasses' ({@link PkLookup1ThreadBench}, {@link PkLookup8ThreadsBench}).
 */
public abstract class PkLookupBench extends ShortRun {

    @Benchmark
    public PolicyRecord typedCacheHit(Fixture f, Fixture.Cursor c) {
        return f.cacheOn.policies().findPolicy(c.nextHot(f.ids)).orElseThrow();
    }
}
