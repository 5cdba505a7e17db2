#!/usr/bin/env bash
# Builds the JMH uber-jar and runs every benchmark once, on an embedded MariaDB per forked JVM over
# loopback (VtgateBench and ReplicaBench's vitess fork: vtcombo over it); the Postgres* benchmarks
# (PairedBench's and PkLookupBench's lookups: typed findPolicy vs raw PgJDBC, the cache hit vs the PostgreSQL
# round trip) on an embedded PostgreSQL instead. Short iterations (see the @Warmup/@Measurement annotations:
# 2 × 2 s warm-up, 3 × 3 s measurement, 1 fork per benchmark; the interleaved pairs (PairedBench, ReplicaBench,
# VtgateBench) warm up 5 × 3 s; start-up is 10 single shots): about 13 minutes on 2 cores, plus the build.
#
#   bench/run.sh                          # everything; results in bench/results/
#   bench/run.sh -wi 0 -i 1 -r 1s -w 1s   # a smoke run (extra arguments go to JMH)
#   bench/run.sh 'PairedBench' -prof gc
#   bench/run.sh Postgres                 # only the PostgreSQL lookups (about 2 minutes)
#   bench/run.sh '\.Paired1ThreadBench'   # MariaDB only: 'Paired1ThreadBench' matches the Postgres one too
#   bench/run.sh ReplicaBench -p backend=mariadb
#
# Writes bench/results/jmh.json (JMH), jmh.txt (its console), scale-connections.csv (pool and server
# connection maxima), paired.csv (per variant and measurement iteration of the interleaved benchmarks,
# PairedTimings: calls, nanoseconds, median, bytes allocated, client CPU) and summary.md (the README's tables:
# ratios against the raw JDBC floor, the replica reads' ratio of ratios, and the targets).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -Pbench -pl bench -am package -DskipTests
results="$PWD/bench/results"
mkdir -p "$results"
rm -f "$results/jmh.json" "$results/jmh.txt" "$results/scale-connections.csv" "$results/paired.csv" "$results/summary.md"
# BENCH_PIN: which forks get the client JVM on CPU 0 and the servers it starts on CPU 1 (Server.pinIfWanted,
# needs taskset and two CPUs or more). paired (the default): the one-thread interleaved pairs, whose variants'
# pools would otherwise be served by server threads placed by chance, which biased one against another (two raw
# pools on the same database: 0.91-0.93 of each other unpinned, 0.94-1.02 pinned; bench/README.md). true: every
# fork (the CPU-bound cache hits at eight threads then share one client core); false: none.
pin="${BENCH_PIN:-paired}"
if ! command -v taskset > /dev/null || [ "$(nproc)" -lt 2 ]; then
    pin=false
fi
# -Dbench.* reach the forked JVMs: JMH passes the host's JVM options on.
java -Dbench.results="$results" -Dbench.pin="$pin" -jar bench/target/benchmarks.jar -rf json -rff "$results/jmh.json" "$@" 2>&1 \
    | tee "$results/jmh.txt"
java -cp bench/target/benchmarks.jar io.openinsure.db.bench.Report "$results/jmh.json" "$results/scale-connections.csv" "$results/paired.csv" \
    | tee "$results/summary.md"
