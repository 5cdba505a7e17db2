package io.openinsure.db.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CacheStatusTest {

    @Test
    void labelsAreHyperdrivesWords() {
        assertThat(Arrays.stream(CacheStatus.values()).map(CacheStatus::label))
                .containsExactly(
                        "hit",
                        "miss",
                        "stale",
                        "uncacheable",
                        "volatile",
                        "multiplestatements",
                        "notaquery",
                        "transaction",
                        "oversizedresult",
                        "parseerror",
                        "disabled",
                        "bypass");
        assertThat(Arrays.stream(CacheStatus.values()).filter(CacheStatus::cacheable))
                .containsExactly(CacheStatus.HIT, CacheStatus.MISS, CacheStatus.STALE);
    }

    @Test
    void statsCountEveryStatusAndAHitRatio() {
        CacheStats stats = new CacheStats(
                Map.of(
                        CacheStatus.HIT,
                        6L,
                        CacheStatus.STALE,
                        2L,
                        CacheStatus.MISS,
                        1L,
                        CacheStatus.OVERSIZEDRESULT,
                        1L,
                        CacheStatus.NOTAQUERY,
                        9L),
                3,
                4096);
        assertThat(stats.counts()).hasSize(CacheStatus.values().length);
        assertThat(stats.count(CacheStatus.VOLATILE)).isZero();
        assertThat(stats.hitRatio()).isEqualTo(0.8);
        assertThat(stats)
                .hasToString(
                        "CacheStats{hit=6, miss=1, stale=2, notaquery=9, oversizedresult=1, entries=3, bytes=4096}");
        assertThat(new CacheStats(Map.of(), 0, 0).hitRatio()).isZero();
    }

    @Test
    void aDecisionReadsAsOneLine() {
        CacheDecision d =
                new CacheDecision(CacheStatus.VOLATILE, "uncacheable: NOW() is volatile", "bind it", Set.of("policy"));
        assertThat(d).hasToString("uncacheable: NOW() is volatile; bind it");
        assertThat(d.cacheable()).isFalse();
        assertThat(new CacheDecision(CacheStatus.MISS, "cacheable: …", "", Set.of()))
                .hasToString("cacheable: …");
    }
}
