package io.openinsure.db.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns JMH's JSON, the interleaved pairs' timings ({@link PairedBench}) and the scale benchmark's connection
 * counts into the README's Markdown table of ratios against the raw JDBC floor and the targets.
 * Reports; asserts nothing.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.openinsure.db.bench.Report bench/results/jmh.json bench/results/scale-connections.csv bench/results/paired.csv</pre>
 */
public final class Report {

    private final Map<String, JsonNode> results = new LinkedHashMap<>();
    private final List<String> rows = new ArrayList<>();
    /** {@code Paired1ThreadBench.pkLookup:rawJdbc} → per measurement iteration and thread {calls, nanos}. */
    private final Map<String, List<long[]>> paired = new LinkedHashMap<>();

    private final Map<String, Integer> pairedThreads = new LinkedHashMap<>();

    private Report(JsonNode json, List<String> pairedCsv) {
        for (String line : pairedCsv) {
            String[] f = line.split(",");
            if (f.length >= 6 && !f[0].equals("benchmark")) { // PairedTimings.HEADER; older files have six columns
                String key = f[0] + ":" + f[3];
                paired.computeIfAbsent(key, k -> new ArrayList<>())
                        .add(new long[] {Long.parseLong(f[4]), Long.parseLong(f[5])});
                pairedThreads.put(key, Integer.parseInt(f[1]));
            }
        }
        for (JsonNode r : json) {
            String name = r.get("benchmark").asText().replace("io.openinsure.db.bench.", "");
            JsonNode params = r.get("params");
            if (params != null && params.has("fifth")) {
                name += ":" + params.get("fifth").asText();
            }
            results.put(name, r);
        }
    }

    public static void main(String[] args) throws IOException {
        JsonNode json = new ObjectMapper()
                .readTree(Path.of(args.length > 0 ? args[0] : "bench/results/jmh.json")
                        .toFile());
        Path scale = Path.of(args.length > 1 ? args[1] : "bench/results/scale-connections.csv");
        Path pairs = Path.of(args.length > 2 ? args[2] : "bench/results/paired.csv");
        System.out.print(new Report(json, Files.exists(pairs) ? Files.readAllLines(pairs) : List.of())
                .render(Files.exists(scale) ? Files.readAllLines(scale) : List.of()));
    }

    /**
     * JMH's score, or for a variant of an interleaved pair ({@code Paired1ThreadBench.pkLookup:rawJdbc}) its
     * calls per second of its own time, times the threads.
     */
    private Double score(String name) {
        List<long[]> p = paired.get(name);
        if (p != null) {
            long calls = p.stream().mapToLong(x -> x[0]).sum();
            long nanos = p.stream().mapToLong(x -> x[1]).sum();
            return nanos == 0 ? null : pairedThreads.get(name) * (calls * 1e9 / nanos);
        }
        JsonNode r = results.get(name);
        return r == null ? null : r.get("primaryMetric").get("score").asDouble();
    }

    private String unit(String name) {
        if (paired.containsKey(name)) {
            return "ops/s";
        }
        JsonNode r = results.get(name);
        return r == null ? "" : r.get("primaryMetric").get("scoreUnit").asText();
    }

    /** For two variants of one interleaved pair: the lowest and highest ratio over the measurement iterations. */
    private String spread(String name, String base) {
        if (base == null || name.equals(base) || !name.split(":")[0].equals(base.split(":")[0])) {
            return "";
        }
        double[] a = perIteration(name);
        double[] b = perIteration(base);
        if (a == null || b == null || a.length != b.length) {
            return "";
        }
        double[] ratios = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            ratios[i] = a[i] / b[i];
        }
        return range(ratios);
    }

    /** A paired variant's calls per nanosecond in each measurement iteration (and thread), in the file's order. */
    private double[] perIteration(String name) {
        List<long[]> p = paired.get(name);
        return p == null
                ? null
                : p.stream().mapToDouble(x -> (double) x[0] / x[1]).toArray();
    }

    private static String range(double[] ratios) {
        double lo = Double.MAX_VALUE;
        double hi = 0;
        for (double r : ratios) {
            lo = Math.min(lo, r);
            hi = Math.max(hi, r);
        }
        return ratios.length == 0 ? "" : String.format(Locale.ROOT, " (%.2f–%.2f)", lo, hi);
    }

    /**
     * A {@link ReplicaBench} row: the SDK's replica ÷ primary throughput divided by raw JDBC's, overall and per
     * iteration (e.g. {@code ReplicaBench.round:mariadb:} and {@code typed}).
     */
    private void replicaRow(String what, String prefix, String sdk) {
        Double[] s = {
            score(prefix + sdk + "Replica"),
            score(prefix + sdk + "Primary"),
            score(prefix + "rawReplica"),
            score(prefix + "rawPrimary")
        };
        boolean complete = java.util.Arrays.stream(s).allMatch(java.util.Objects::nonNull);
        Double ratio = complete ? (s[0] / s[1]) / (s[2] / s[3]) : null;
        String spread = "";
        double[][] it = {
            perIteration(prefix + sdk + "Replica"),
            perIteration(prefix + sdk + "Primary"),
            perIteration(prefix + "rawReplica"),
            perIteration(prefix + "rawPrimary")
        };
        if (complete && java.util.Arrays.stream(it).allMatch(a -> a.length == it[0].length)) {
            double[] ratios = new double[it[0].length];
            for (int i = 0; i < ratios.length; i++) {
                ratios[i] = (it[0][i] / it[1][i]) / (it[2][i] / it[3][i]);
            }
            spread = range(ratios);
        }
        rows.add("| " + what + " | " + num(s[0]) + " " + unit(prefix + sdk + "Replica") + " | "
                + (ratio == null ? "n/a" : String.format(Locale.ROOT, "%.2f", ratio) + spread) + " | ≥ 0.95 | "
                + (ratio == null ? "not run" : ratio >= 0.95 ? "met" : "**missed**") + " |");
    }

    private static String num(Double v) {
        if (v == null) {
            return "n/a";
        }
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String ratio(Double a, Double b) {
        return a == null || b == null ? "n/a" : String.format(Locale.ROOT, "%.2f", a / b);
    }

    private static String verdict(Double a, Double b, double atLeast) {
        if (a == null || b == null) {
            return "not run";
        }
        return a / b >= atLeast ? "met" : "**missed**";
    }

    private void row(String what, String name, String base, String target, double atLeast) {
        Double a = score(name);
        Double b = base == null ? null : score(base);
        rows.add("| " + what + " | " + num(a) + " " + unit(name) + " | "
                + (base == null ? "" : ratio(a, b) + spread(name, base)) + " | " + target + " | "
                + (target.isEmpty() ? "" : verdict(a, b, atLeast)) + " |");
    }

    private String render(List<String> scaleCsv) {
        String floor = "Paired1ThreadBench.pkLookup:rawJdbc";
        String plain = "Paired1ThreadBench.adHoc:plainJooq";
        // MariaDB, then the same benchmarks on PostgreSQL (the Postgres* subclasses; every ratio against its own
        // floor).
        for (String on : new String[] {"", "Postgres"}) {
            for (String t : new String[] {"1Thread", "8Threads"}) {
                String what = (on.isEmpty() ? "" : "PostgreSQL: ") + "PK lookup, "
                        + (t.equals("1Thread") ? "1 thread" : "8 threads") + ": ";
                String p = on + "Paired" + t + "Bench.pkLookup:";
                row(what + "raw HikariCP + JDBC (floor)", p + "rawJdbc", p + "rawJdbc", "", 0);
                row(what + "raw JDBC + `setMaxRows` + `setQueryTimeout`", p + "rawJdbcTimeout", p + "rawJdbc", "", 0);
                if (on.isEmpty()) {
                    row(
                            what + "raw JDBC + `setMaxRows` + `SET STATEMENT max_statement_time=… FOR`",
                            p + "rawJdbcServerTimeout",
                            p + "rawJdbc",
                            "",
                            0);
                }
                row(what + "typed `findPolicy`, cache off", p + "typedCacheOff", p + "rawJdbc", "≥ 0.95", 0.95);
                row(
                        what + "typed `findPolicy`, cache hit",
                        on + "PkLookup" + t + "Bench.typedCacheHit",
                        p + "rawJdbc",
                        "≥ 50",
                        50);
            }
        }
        row("ad-hoc jOOQ query: plain `DSL.using(hikari, MARIADB)` (vs floor)", plain, floor, "", 0);
        row(
                "ad-hoc jOOQ query: `dsl()`, cache off (vs plain jOOQ)",
                "Paired1ThreadBench.adHoc:dslCacheOff",
                plain,
                "≥ 0.95",
                0.95);
        row("ad-hoc jOOQ query: `dsl()`, cache hit (vs plain jOOQ)", "DslBench.dslCacheHit", plain, "", 0);
        row(
                "plain-SQL lookup of `policy`: direct policies client (vs floor)",
                "RoutingBench.directClient",
                floor,
                "",
                0);
        row(
                "plain-SQL lookup of `policy`: legacy routed client (vs direct client)",
                "RoutingBench.legacyRouted",
                "RoutingBench.directClient",
                "",
                0);
        row(
                "plain-SQL lookup of `policy`: ShardingSphere-JDBC 5.5.2 single-table rule (vs floor)",
                "RoutingBench.shardingSphere",
                floor,
                "",
                0);
        row(
                "raw pool with ShardingSphere's properties, server-side prepared statements (vs floor)",
                "RoutingBench.rawServerPrep",
                floor,
                "",
                0);
        row(
                "ShardingSphere-JDBC vs a raw pool with its properties",
                "RoutingBench.shardingSphere",
                "RoutingBench.rawServerPrep",
                "",
                0);
        row(
                "legacy routed client vs ShardingSphere-JDBC",
                "RoutingBench.legacyRouted",
                "RoutingBench.shardingSphere",
                "",
                0);
        String vt = "VtgateBench.round:";
        row("through vtgate: PK lookup, raw HikariCP + JDBC (vs floor on MariaDB)", vt + "rawJdbc", floor, "", 0);
        row(
                "through vtgate: PK lookup, typed `findPolicy`, cache off (vs raw JDBC through vtgate)",
                vt + "typedCacheOff",
                vt + "rawJdbc",
                "≥ 0.95",
                0.95);
        row(
                "through vtgate: PK lookup, raw JDBC + `setMaxRows` + `/*vt+ QUERY_TIMEOUT_MS */` (vs raw JDBC through vtgate)",
                vt + "rawJdbcDirective",
                vt + "rawJdbc",
                "",
                0);
        row(
                "through vtgate: PK lookup, raw JDBC + `setMaxRows` + `setQueryTimeout` (vs raw JDBC through vtgate)",
                vt + "rawJdbcTimeout",
                vt + "rawJdbc",
                "",
                0);
        row(
                "through vtgate: plain-SQL lookup, legacy routed client (vs direct policies client)",
                vt + "legacyRouted",
                vt + "directClient",
                "≥ 0.95",
                0.95);
        for (String backend : new String[] {"mariadb", "vitess"}) {
            String where = backend.equals("mariadb")
                    ? "replica reads, MariaDB (the same database through a pool of its own)"
                    : "replica reads through vtgate (`@replica` tablets)";
            String r = "ReplicaBench.round:" + backend + ":";
            row(where + ": raw JDBC, replica ÷ primary", r + "rawReplica", r + "rawPrimary", "", 0);
            replicaRow(where + ": typed `findPolicy`, cache off, replica ÷ primary (vs raw JDBC's)", r, "typed");
            replicaRow(where + ": plain-SQL `dsl()` lookup, cache off, replica ÷ primary (vs raw JDBC's)", r, "dsl");
        }
        row("isolation: four keyspaces, all healthy", "IsolationBench.fourKeyspaces:healthy", null, "", 0);
        row(
                "isolation: four keyspaces, fifth blackholed (vs healthy)",
                "IsolationBench.fourKeyspaces:blackholed",
                "IsolationBench.fourKeyspaces:healthy",
                "≥ 0.95",
                0.95);
        row(
                "isolation: four keyspaces, fifth's pool saturated (vs healthy)",
                "IsolationBench.fourKeyspaces:saturated",
                "IsolationBench.fourKeyspaces:healthy",
                "≥ 0.95",
                0.95);

        StringBuilder out = new StringBuilder();
        out.append("| measure | result | ratio | target | |\n|---|---:|---:|---:|---|\n");
        rows.forEach(r -> out.append(r).append('\n'));

        out.append("\nScale: `findPolicy` (cache off) from many application threads, every pool at 8 connections.\n\n");
        out.append(
                "| application threads | throughput (JMH) | calls per wall-clock second | pool size seen (max) | callers waiting (max) | server connections opened (max) |\n|---:|---:|---:|---:|---:|---:|\n");
        for (String threads : new String[] {"8", "64", "512"}) {
            String name = "Scale" + threads + "ThreadsBench.findPolicy";
            String[] csv = scaleCsv.stream()
                    .filter(l -> l.startsWith(threads + ","))
                    .reduce((x, y) -> y)
                    .map(l -> l.split(","))
                    .orElse(null);
            out.append("| ")
                    .append(threads)
                    .append(" | ")
                    .append(num(score(name)))
                    .append(' ')
                    .append(unit(name))
                    .append(" | ")
                    .append(
                            csv == null || csv.length < 6
                                    ? "n/a"
                                    : String.format(Locale.ROOT, "%,d", Long.parseLong(csv[5])))
                    .append(" | ")
                    .append(csv == null ? "n/a" : csv[2] + " of " + csv[1])
                    .append(" | ")
                    .append(csv == null ? "n/a" : csv[3])
                    .append(" | ")
                    .append(csv == null ? "n/a" : csv[4])
                    .append(" |\n");
        }

        JsonNode build = results.get("StartupBench.buildToFirstAnswer");
        JsonNode first = results.get("StartupBench.firstQuery");
        Double steady = score("StartupBench.steadyState");
        out.append("\nStart-up (single shot, 10 builds in one JVM; the first pays class loading):\n\n");
        out.append("| measure | first build | mean | min |\n|---|---:|---:|---:|\n");
        startupRow(out, "`build()` to the first answered `findPolicy`", build);
        startupRow(out, "first `findPolicy` after `build()` (connects, asks the server version)", first);
        out.append("| steady-state `findPolicy`, pools warm | | ")
                .append(steady == null ? "n/a" : String.format(Locale.ROOT, "%.3f ms", steady))
                .append(" | |\n");
        if (first != null && steady != null) {
            double mean = first.get("primaryMetric").get("score").asDouble();
            out.append(String.format(
                    Locale.ROOT,
                    "\nFirst query / steady state: %.0f× (mean of the first queries), %.0f× (best).%n",
                    mean / steady,
                    min(first) / steady));
        }
        return out.toString();
    }

    private static double min(JsonNode r) {
        double m = Double.MAX_VALUE;
        for (JsonNode fork : r.get("primaryMetric").get("rawData")) {
            for (JsonNode v : fork) {
                m = Math.min(m, v.asDouble());
            }
        }
        return m;
    }

    private static void startupRow(StringBuilder out, String what, JsonNode r) {
        if (r == null) {
            out.append("| ").append(what).append(" | n/a | n/a | n/a |\n");
            return;
        }
        JsonNode pm = r.get("primaryMetric");
        double firstValue = pm.get("rawData").get(0).get(0).asDouble();
        out.append(String.format(
                Locale.ROOT,
                "| %s | %.1f ms | %.1f ms | %.1f ms |%n",
                what,
                firstValue,
                pm.get("score").asDouble(),
                min(r)));
    }
}
