package io.openinsure.db.core;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A snapshot of one client's read-query cache: how many statements got each {@link CacheStatus}
 * since the client started, and what the cache holds now.
 *
 * @param counts         statements per status (every status present, zero when none)
 * @param entries        results held now (approximate while loads and evictions run)
 * @param estimatedBytes estimated memory of the results held now
 */
public record CacheStats(Map<CacheStatus, Long> counts, long entries, long estimatedBytes) {

    public CacheStats {
        EnumMap<CacheStatus, Long> all = new EnumMap<>(CacheStatus.class);
        for (CacheStatus s : CacheStatus.values()) {
            all.put(s, counts.getOrDefault(s, 0L));
        }
        counts = Collections.unmodifiableMap(all);
    }

    /** Statements that got {@code status}. */
    public long count(CacheStatus status) {
        return counts.get(status);
    }

    /** Hits and stale hits over all cacheable lookups (hits, stale hits, misses, oversized results); 0 when there were none. */
    public double hitRatio() {
        long served = count(CacheStatus.HIT) + count(CacheStatus.STALE);
        long lookups = served + count(CacheStatus.MISS) + count(CacheStatus.OVERSIZEDRESULT);
        return lookups == 0 ? 0 : (double) served / lookups;
    }

    @Override
    public String toString() {
        StringJoiner j = new StringJoiner(", ", "CacheStats{", "}");
        counts.forEach((s, n) -> {
            if (n > 0) {
                j.add(s.label() + "=" + n);
            }
        });
        return j.add("entries=" + entries).add("bytes=" + estimatedBytes).toString();
    }
}
