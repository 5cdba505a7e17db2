package io.openinsure.db.bench;

import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link PairedBench}'s primary-key lookup on eight threads (the pools hold eight connections each). A longer
 * warm-up than {@link ShortRun}'s: with eight threads on two cores the JIT compiler competes with them, and
 * after 2 × 2 s the throughput was still rising by a quarter per iteration (first full run, 2026-12-03).
 */
@Threads(8)
@Warmup(iterations = 5, time = 3)
public class Paired8ThreadsBench extends PairedBench {}
