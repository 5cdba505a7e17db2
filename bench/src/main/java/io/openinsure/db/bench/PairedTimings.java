package io.openinsure.db.bench;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * One thread's rounds of an {@link Interleaved} benchmark: the order of each round's variants, and per variant and
 * measurement iteration its calls with their wall-clock nanoseconds (total and median), the bytes they allocated and
 * the client thread's CPU nanoseconds ({@code ThreadMXBean}, read outside the timed call). Allocation is exact per
 * thread and does not depend on the host's load: it shows what a code path adds per call. Client CPU leaves out the
 * wait for the server, so it is less noisy than wall-clock time, but on the shared 2-core VM it rose and fell with the
 * host's load (a raw lookup: 47–88 µs between runs of the same build): compare it between the variants of one run,
 * not between runs. A median far from the mean says that a few calls were held up (other processes on the cores).
 *
 * <p>Each measurement iteration appends a line per variant to {@code paired.csv} ({@link #HEADER}; the benchmark is
 * {@code Class.method}, with {@code :<value>} per JMH parameter, e.g. {@code ReplicaBench.round:mariadb}) and prints
 * the same per call to the console.
 */
@State(Scope.Thread)
public class PairedTimings {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    static final String HEADER = "benchmark,threads,iteration,variant,calls,nanos,median_nanos,bytes,cpu_nanos";

    private String[] variants;
    private int[][] orders;
    private final SplittableRandom shuffle = new SplittableRandom(17);
    private long[] calls;
    private long[] nanos;
    private long[] bytes;
    private long[] cpu;
    private long[][] samples;
    private int rounds;
    private int iteration;
    private boolean measuring;
    private long startBytes;
    private long startCpu;
    private long startNanos;

    /**
     * The order in which this round runs {@code variants} (the same array on every call): the orders of
     * {@link Interleaved#orders} in turn, shuffled for every pass so that which variant ends a round before which one
     * starts the next is not fixed either.
     */
    int[] order(String[] variants) {
        if (this.variants == null) {
            this.variants = variants;
            orders = Interleaved.orders(variants.length);
            calls = new long[variants.length];
            nanos = new long[variants.length];
            bytes = new long[variants.length];
            cpu = new long[variants.length];
            samples = new long[variants.length][4096];
        }
        int i = rounds++ % orders.length;
        if (i == 0) {
            for (int j = orders.length - 1; j > 0; j--) {
                int k = shuffle.nextInt(j + 1);
                int[] o = orders[j];
                orders[j] = orders[k];
                orders[k] = o;
            }
        }
        return orders[i];
    }

    /** Right before a variant's call. */
    void start() {
        startBytes = THREADS.getCurrentThreadAllocatedBytes();
        startCpu = THREADS.getCurrentThreadCpuTime();
        startNanos = System.nanoTime();
    }

    /** Right after {@code variant}'s call. */
    void stop(int variant) {
        long elapsed = System.nanoTime() - startNanos;
        long cpuTime = THREADS.getCurrentThreadCpuTime() - startCpu;
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - startBytes;
        int n = (int) calls[variant];
        if (n == samples[variant].length) {
            samples[variant] = Arrays.copyOf(samples[variant], n * 2);
        }
        samples[variant][n] = elapsed;
        calls[variant]++;
        nanos[variant] += elapsed;
        bytes[variant] += allocated;
        cpu[variant] += cpuTime;
    }

    @Setup(Level.Iteration)
    public void begin(IterationParams params) {
        if (variants != null) {
            Arrays.fill(calls, 0);
            Arrays.fill(nanos, 0);
            Arrays.fill(bytes, 0);
            Arrays.fill(cpu, 0);
        }
        measuring = params.getType() == IterationType.MEASUREMENT;
        if (measuring) {
            iteration++;
        }
    }

    @TearDown(Level.Iteration)
    public void end(BenchmarkParams params) {
        if (!measuring || variants == null) {
            return;
        }
        StringBuilder benchmark = new StringBuilder(params.getBenchmark().replace("io.openinsure.db.bench.", ""));
        params.getParamsKeys().forEach(k -> benchmark.append(':').append(params.getParam(k)));
        StringBuilder console = new StringBuilder();
        for (int v = 0; v < variants.length; v++) {
            long[] sorted = Arrays.copyOf(samples[v], (int) calls[v]);
            Arrays.sort(sorted);
            long median = sorted.length == 0 ? 0 : sorted[sorted.length / 2];
            long perCall = bytes[v] / Math.max(1, calls[v]);
            BenchDb.appendResult(
                    "paired.csv",
                    HEADER,
                    String.join(
                            ",",
                            benchmark,
                            Integer.toString(params.getThreads()),
                            Integer.toString(iteration),
                            variants[v],
                            Long.toString(calls[v]),
                            Long.toString(nanos[v]),
                            Long.toString(median),
                            Long.toString(bytes[v]),
                            Long.toString(cpu[v])));
            console.append(String.format(
                    Locale.ROOT,
                    "%n  %-22s mean %8.1f µs  median %8.1f µs  client CPU %6.1f µs  %,7d B/call",
                    variants[v],
                    nanos[v] / 1000.0 / Math.max(1, calls[v]),
                    median / 1000.0,
                    cpu[v] / 1000.0 / Math.max(1, calls[v]),
                    perCall));
        }
        System.out.printf("%n%s, iteration %d (this thread):%s%n", benchmark, iteration, console);
    }
}
