package io.openinsure.db.bench;

import io.openinsure.db.domains.Keyspace;
import io.openinsure.db.domains.OpenInsureDb;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Throughput of four keyspaces (global, submissions, claims, billing: one benchmark thread each, a
 * primary-key lookup per call, cache off) while the fifth (policies) is
 * <ul>
 * <li>{@code healthy}: four background callers look policies up, each pausing 1 ms between calls;
 * <li>{@code blackholed}: its URL points at a port that accepts TCP connections and never answers (a
 *     blackholed load balancer); the same four callers hang until the acquisition timeout (250 ms) or
 *     get a fast "circuit open", and pause 1 ms after each failure;
 * <li>{@code saturated}: eight background callers hold all four of its connections with {@code SELECT SLEEP(1)}.
 * </ul>
 * The isolation ratio is {@code blackholed / healthy} (and {@code saturated / healthy}). Every pool: 4 connections.
 */
@Threads(4)
public class IsolationBench extends ShortRun {

    static final Keyspace[] FOUR = {Keyspace.GLOBAL, Keyspace.SUBMISSIONS, Keyspace.CLAIMS, Keyspace.BILLING};
    static final String[] TABLES = {"organization", "submission", "claim", "invoice"};
    static final int POOL = 4;

    @State(Scope.Benchmark)
    public static class World {
        @Param({"healthy", "blackholed", "saturated"})
        public String fifth;

        OpenInsureDb db;
        ServerSocket blackhole;
        final List<Socket> swallowed = new ArrayList<>();
        final List<Thread> background = new ArrayList<>();
        final AtomicLong fifthCalls = new AtomicLong();
        final AtomicLong fifthFailures = new AtomicLong();
        volatile boolean running = true;

        @Setup(Level.Trial)
        public void setUp(Server server) throws IOException {
            UUID[] ids = BenchDb.ids();
            if (fifth.equals("blackholed")) {
                blackhole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                Thread acceptor = new Thread(
                        () -> {
                            while (running) {
                                try {
                                    Socket s = blackhole.accept();
                                    synchronized (swallowed) {
                                        swallowed.add(s); // held open, never read from or written to
                                    }
                                } catch (IOException e) {
                                    return;
                                }
                            }
                        },
                        "blackhole");
                acceptor.setDaemon(true);
                acceptor.start();
            }
            db = BenchDb.open(POOL, false, b -> {
                if (blackhole != null) {
                    b.binding(
                            Keyspace.POLICIES,
                            p -> p.url("mysql://127.0.0.1:" + blackhole.getLocalPort() + "/oi_policies")
                                    .connectionTimeout(Duration.ofMillis(250)));
                }
            });
            for (Keyspace k : FOUR) {
                BenchDb.warm(db.client(k), POOL);
            }
            int callers = fifth.equals("saturated") ? 2 * POOL : 4;
            for (int t = 0; t < callers; t++) {
                int offset = t * 1000;
                Thread th = new Thread(
                        () -> {
                            int i = offset;
                            while (running) {
                                fifthCalls.incrementAndGet();
                                try {
                                    if (fifth.equals("saturated")) {
                                        db.policies().uncached().fetch("select sleep(1)");
                                    } else {
                                        db.policies()
                                                .uncached()
                                                .fetchOne(BenchDb.PK_SQL, BenchDb.bytes(ids[i++ % ids.length]));
                                    }
                                    if (!fifth.equals("saturated")) {
                                        LockSupport.parkNanos(1_000_000);
                                    }
                                } catch (RuntimeException e) {
                                    fifthFailures.incrementAndGet();
                                    LockSupport.parkNanos(1_000_000);
                                }
                            }
                        },
                        "fifth-keyspace-" + t);
                th.setDaemon(true);
                th.start();
                background.add(th);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            running = false;
            for (Thread t : background) {
                t.join(3_000);
            }
            System.out.printf(
                    "%nfifth keyspace (%s): %d calls, %d failed; its pool %s%n",
                    fifth, fifthCalls.get(), fifthFailures.get(), db.policies().poolStats());
            db.close();
            if (blackhole != null) {
                blackhole.close();
                synchronized (swallowed) {
                    for (Socket s : swallowed) {
                        s.close();
                    }
                }
            }
        }
    }

    /** Each benchmark thread owns one of the four keyspaces. */
    @State(Scope.Thread)
    public static class Mine {
        private static final AtomicInteger NEXT = new AtomicInteger();
        int k = NEXT.getAndIncrement() % FOUR.length;
        String sql = "select id from " + TABLES[k] + " where id = ?";
        long n;
    }

    @Benchmark
    public Object fourKeyspaces(World w, Mine m) {
        UUID id = new UUID(0x0190_0000_0000_7000L, m.n++);
        return w.db.client(FOUR[m.k]).dsl().fetchOne(m.sql, BenchDb.bytes(id));
    }
}
