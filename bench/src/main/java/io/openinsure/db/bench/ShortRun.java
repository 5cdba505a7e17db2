package io.openinsure.db.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The run length of every throughput benchmark, in one place: short on purpose, so the whole suite runs in
 * under 10 minutes on 2 cores (2 × 2 s warm-up, 3 × 3 s measurement, one fork each; the 8-thread lookups
 * warm up for 5 × 3 s). JMH reads these
 * from the superclass; command-line options ({@code -wi -i -w -r -f}) override them.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public abstract class ShortRun {}
