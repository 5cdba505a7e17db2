package io.openinsure.db.core;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every setting the SDK reads, declared once. The README's settings table is {@link #markdownTable()}
 * (a test keeps the two equal).
 */
public final class Settings {

    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");
    private static final Pattern BYTE_SIZE = Pattern.compile("(\\d+)\\s*(b|kb|mb|gb)?");
    private static final long KB = 1024;
    private static final long MB = KB * 1024;
    private static final long GB = MB * 1024;

    // ---- connection strings ------------------------------------------------------------------

    /** The binding's pooled endpoint (e.g. PlanetScale/vtgate). Its presence makes the mode {@code pooled}. */
    public static final Setting<String> URL = text(
            "URL",
            Setting.Scope.BINDING,
            "the binding's pooled connection string (mode `pooled`). Without a database, the binding's own is used "
                    + "(`oi_policies`, …). Falls back to `OI_DB_URL`, then the direct URLs");
    /** Direct connection string: the fallback when the pooled endpoint fails, or the only URL (mode {@code direct}). */
    public static final Setting<String> DIRECT_URL = text(
            "DIRECT_URL",
            Setting.Scope.BINDING,
            "direct connection string: the fallback for the pooled URL, or the only URL (mode `direct`). Falls back to "
                    + "`DATABASE_URL`");
    /** Admin/migration connection string. */
    public static final Setting<String> ADMIN_URL = text(
            "ADMIN_URL",
            Setting.Scope.BINDING,
            "connection string for migrations and admin work. Falls back to `DATABASE_URL`, then the runtime URL");
    /** Shared pooled URL for every binding (older single-URL deployments). */
    public static final Setting<String> SHARED_URL = text(
            "OI_DB_URL",
            Setting.Scope.GLOBAL,
            "shared pooled connection string for every binding without its own `URL`; each binding uses its own database on it");
    /** The direct connection string shared by every binding: the last fallback, and the admin URL. */
    public static final Setting<String> DATABASE_URL = text(
            "DATABASE_URL",
            Setting.Scope.GLOBAL,
            "direct connection string for every binding without its own: runtime fallback (mode `direct`) and migrations; "
                    + "each binding uses its own database on it");

    /** A read replica of the binding's database. */
    public static final Setting<String> REPLICA_URL = text(
            "REPLICA_URL",
            Setting.Scope.BINDING,
            "a read replica's connection string, or `@replica` / `@rdonly` for that tablet type on the binding's own "
                    + "`vitess://` URL. It gets its own pool (`oi-<binding>-replica`), circuit and health; which reads go there: "
                    + "`REPLICA_READS`");

    // ---- credentials -------------------------------------------------------------------------

    public static final Setting<String> USER =
            text("USER", Setting.Scope.BINDING, "user name; overrides the one in the URL");
    public static final Setting<String> PASSWORD = new Setting<>(
            "PASSWORD",
            Setting.Scope.BINDING,
            "text (secret)",
            null,
            "—",
            "password; overrides the one in the URL. Never logged",
            true,
            s -> s,
            null);
    public static final Setting<String> PASSWORD_FILE = text(
            "PASSWORD_FILE",
            Setting.Scope.BINDING,
            "file holding the password (a mounted secret), read again for every new connection, so a rotated password "
                    + "needs no restart; wins over `PASSWORD`. In code: `credentialsProvider(…)`");

    // ---- pool ---------------------------------------------------------------------------------

    public static final Setting<Integer> POOL_MAX_SIZE =
            integer("POOL_MAX_SIZE", 10, 1, 500, "maximum connections in the binding's pool");
    public static final Setting<Integer> POOL_MIN_IDLE =
            integer("POOL_MIN_IDLE", 1, 0, 500, "idle connections kept ready (at most `POOL_MAX_SIZE`)");
    public static final Setting<Duration> POOL_CONNECTION_TIMEOUT = duration(
            "POOL_CONNECTION_TIMEOUT",
            Duration.ofSeconds(1),
            Duration.ofMillis(250),
            Duration.ofMinutes(1),
            "how long a caller waits for a connection before `ConnectionUnavailableException`: short, so a dead keyspace fails fast");
    public static final Setting<Duration> POOL_MAX_LIFETIME = duration(
            "POOL_MAX_LIFETIME",
            Duration.ofMinutes(25),
            Duration.ofSeconds(30),
            Duration.ofHours(23),
            "connections are retired after this; keep it under the server's idle limit (PlanetScale: 24 h)");
    public static final Setting<Duration> POOL_KEEPALIVE_TIME = duration(
            "POOL_KEEPALIVE_TIME",
            Duration.ofMinutes(2),
            Duration.ofSeconds(30),
            Duration.ofHours(1),
            "idle connections are pinged this often (less than `POOL_MAX_LIFETIME`)");
    public static final Setting<Duration> POOL_IDLE_TIMEOUT = duration(
            "POOL_IDLE_TIMEOUT",
            Duration.ofMinutes(10),
            Duration.ofSeconds(10),
            Duration.ofHours(23),
            "idle connections above `POOL_MIN_IDLE` are closed after this");

    // ---- read-query cache ---------------------------------------------------------------------

    public static final Setting<Boolean> CACHE_ENABLED = bool(
            "CACHE_ENABLED",
            true,
            "whether the binding caches eligible reads; `false` sends every read to the database (status `disabled`)");
    public static final Setting<Duration> CACHE_MAX_AGE = duration(
            "CACHE_MAX_AGE",
            Duration.ofSeconds(60),
            Duration.ofSeconds(1),
            Duration.ofHours(1),
            "a cached read is served as fresh (status `hit`) for this long");
    public static final Setting<Duration> CACHE_STALE_WHILE_REVALIDATE = duration(
            "CACHE_STALE_WHILE_REVALIDATE",
            Duration.ofSeconds(15),
            Duration.ZERO,
            Duration.ofHours(1),
            "after `CACHE_MAX_AGE`, a cached read is served stale (status `stale`) for this long while one refresh runs; "
                    + "`0ms` turns it off");
    public static final Setting<Integer> CACHE_MAX_ENTRIES = integer(
            "CACHE_MAX_ENTRIES",
            10_000,
            1,
            10_000_000,
            "cached results kept at most; the least valuable are evicted first");
    public static final Setting<Long> CACHE_MAX_BYTES = byteSize(
            "CACHE_MAX_BYTES",
            64 * MB,
            MB,
            16 * GB,
            "estimated memory of all cached results at most (`1MB` = 1024 KB)");
    public static final Setting<Long> CACHE_MAX_RESULT_BYTES = byteSize(
            "CACHE_MAX_RESULT_BYTES",
            50 * MB,
            KB,
            GB,
            "a result estimated larger than this is returned but not stored (status `oversizedresult`); "
                    + "at most `CACHE_MAX_BYTES`");

    // ---- health and circuit breaker --------------------------------------------------------------

    public static final Setting<Duration> HEALTH_DEGRADED_LATENCY = duration(
            "HEALTH_DEGRADED_LATENCY",
            Duration.ofMillis(500),
            Duration.ofMillis(1),
            Duration.ofMinutes(10),
            "mean latency of the recent statements above which `health()` is `DEGRADED`");
    public static final Setting<Duration> HEALTH_UNHEALTHY_LATENCY = duration(
            "HEALTH_UNHEALTHY_LATENCY",
            Duration.ofSeconds(1),
            Duration.ofMillis(1),
            Duration.ofMinutes(10),
            "mean latency above which `health()` is `UNHEALTHY` (at least `HEALTH_DEGRADED_LATENCY`)");
    public static final Setting<Double> HEALTH_DEGRADED_ERROR_RATE = ratio(
            "HEALTH_DEGRADED_ERROR_RATE",
            0.05,
            "share of the recent statements failing with a SQL error above which `health()` is `DEGRADED`");
    public static final Setting<Double> HEALTH_UNHEALTHY_ERROR_RATE = ratio(
            "HEALTH_UNHEALTHY_ERROR_RATE",
            0.10,
            "error rate above which `health()` is `UNHEALTHY` (at least `HEALTH_DEGRADED_ERROR_RATE`)");
    public static final Setting<Integer> HEALTH_WINDOW = integer(
            "HEALTH_WINDOW",
            100,
            1,
            100_000,
            "how many recent statements the latency, error rate and report percentiles cover");
    public static final Setting<Integer> CIRCUIT_FAILURES = integer(
            "CIRCUIT_FAILURES",
            3,
            1,
            100,
            "consecutive connection failures that open the circuit (calls then fail at once with `CircuitOpenException`)");
    public static final Setting<Duration> CIRCUIT_PROBE_INTERVAL = duration(
            "CIRCUIT_PROBE_INTERVAL",
            Duration.ofSeconds(1),
            Duration.ofMillis(100),
            Duration.ofMinutes(5),
            "while the circuit is open (or the client runs on its direct fallback), the pooled endpoint is probed this often");

    // ---- read replica ------------------------------------------------------------------------

    public static final Setting<ReplicaReads> REPLICA_READS = new Setting<>(
            "REPLICA_READS",
            Setting.Scope.BINDING,
            "`off`, `reads` or `explicit`",
            ReplicaReads.OFF,
            "off",
            "which reads go to `REPLICA_URL`: `off` none; `reads` single `SELECT`s through `dsl()` outside a transaction "
                    + "that the cache does not answer; `explicit` only those through `replica()`. Writes, transactions and "
                    + "`uncached()` always use the primary",
            false,
            ReplicaReads::parse,
            null,
            ReplicaReads::label);
    public static final Setting<Duration> READ_YOUR_WRITES_WINDOW = duration(
            "READ_YOUR_WRITES_WINDOW",
            Duration.ofSeconds(5),
            Duration.ZERO,
            Duration.ofMinutes(10),
            "after a write through any client of the same `OpenInsureDb`, reads of the tables it touched go to the primary "
                    + "for this long; `0ms` turns it off");
    public static final Setting<Duration> REPLICA_MAX_LAG = duration(
            "REPLICA_MAX_LAG",
            Duration.ofSeconds(5),
            Duration.ofSeconds(1),
            Duration.ofHours(1),
            "a replica reporting more replication lag than this (checked every `CIRCUIT_PROBE_INTERVAL`; MySQL, MariaDB, "
                    + "PostgreSQL) gets no reads until it catches up; keep it at most `READ_YOUR_WRITES_WINDOW`");

    // ---- limits (PlanetScale's, enforced client-side) -----------------------------------------

    public static final Setting<Integer> MAX_ROWS = integer(
            "MAX_ROWS",
            100_000,
            1,
            10_000_000,
            "rows one query may return; one more is a `LimitExceededException`, never a truncated result. Walk larger tables "
                    + "with `Keyset.forEachPage`. Set `10000` against vanilla Vitess (vttablet's non-streaming cap)");
    public static final Setting<Integer> MAX_WRITE_ROWS = integer(
            "MAX_WRITE_ROWS",
            100_000,
            1,
            10_000_000,
            "rows one write statement (or batch) may change; more fails and is undone. Split with `Keyset.insertInChunks` / "
                    + "`Keyset.deleteInChunks`");
    public static final Setting<Long> MAX_RESULT_BYTES = byteSize(
            "MAX_RESULT_BYTES",
            64 * MB,
            KB,
            GB,
            "estimated size of one query's result at most; more is a `LimitExceededException`. Select fewer columns or page");
    public static final Setting<Duration> TRANSACTION_TIMEOUT = seconds(
            "TRANSACTION_TIMEOUT",
            Duration.ofSeconds(20),
            Duration.ofSeconds(1),
            Duration.ofHours(1),
            "a transaction running longer is rolled back (`LimitExceededException`); each of its statements may run only for "
                    + "the time left");
    public static final Setting<Duration> STATEMENT_TIMEOUT = seconds(
            "STATEMENT_TIMEOUT",
            Duration.ofSeconds(900),
            Duration.ofSeconds(1),
            Duration.ofHours(24),
            "ceiling for any statement outside a transaction (autocommit), including per-call query timeouts");
    public static final Setting<Duration> QUERY_TIMEOUT = seconds(
            "QUERY_TIMEOUT",
            Duration.ofSeconds(30),
            Duration.ofSeconds(1),
            Duration.ofHours(24),
            "default timeout of every statement (at most `STATEMENT_TIMEOUT`); a query's own `queryTimeout(…)` overrides it");

    private static final List<Setting<?>> ALL = List.of(
            URL,
            DIRECT_URL,
            ADMIN_URL,
            REPLICA_URL,
            USER,
            PASSWORD,
            PASSWORD_FILE,
            POOL_MAX_SIZE,
            POOL_MIN_IDLE,
            POOL_CONNECTION_TIMEOUT,
            POOL_MAX_LIFETIME,
            POOL_KEEPALIVE_TIME,
            POOL_IDLE_TIMEOUT,
            CACHE_ENABLED,
            CACHE_MAX_AGE,
            CACHE_STALE_WHILE_REVALIDATE,
            CACHE_MAX_ENTRIES,
            CACHE_MAX_BYTES,
            CACHE_MAX_RESULT_BYTES,
            HEALTH_DEGRADED_LATENCY,
            HEALTH_UNHEALTHY_LATENCY,
            HEALTH_DEGRADED_ERROR_RATE,
            HEALTH_UNHEALTHY_ERROR_RATE,
            HEALTH_WINDOW,
            CIRCUIT_FAILURES,
            CIRCUIT_PROBE_INTERVAL,
            REPLICA_READS,
            READ_YOUR_WRITES_WINDOW,
            REPLICA_MAX_LAG,
            MAX_ROWS,
            MAX_WRITE_ROWS,
            MAX_RESULT_BYTES,
            TRANSACTION_TIMEOUT,
            STATEMENT_TIMEOUT,
            QUERY_TIMEOUT,
            SHARED_URL,
            DATABASE_URL);

    private Settings() {}

    /** Every setting, binding-scoped first. */
    public static List<Setting<?>> all() {
        return ALL;
    }

    /** The settings table as it appears in the README. */
    public static String markdownTable() {
        StringBuilder sb = new StringBuilder();
        sb.append("| key (environment) | system property | type | default | description |\n");
        sb.append("|---|---|---|---|---|\n");
        for (Setting<?> s : ALL) {
            sb.append("| `")
                    .append(s.documentedKey())
                    .append("` | `")
                    .append(ConfigSource.propertyKey(s.documentedKey()).replace("<binding>", "<binding>"))
                    .append("` | ")
                    .append(s.type())
                    .append(" | ")
                    .append(s.defaultText())
                    .append(" | ")
                    .append(s.description())
                    .append(" |\n");
        }
        return sb.toString();
    }

    /**
     * Parses {@code 500ms}, {@code 1s}, {@code 25m}, {@code 2h} or ISO-8601 ({@code PT25M}).
     *
     * @throws IllegalArgumentException if the text is none of these
     */
    public static Duration parseDuration(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        Matcher m = SIMPLE_DURATION.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        }
        try {
            return Duration.parse(text.strip().toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a duration: " + text, e);
        }
    }

    /**
     * Parses a byte size: {@code 1024}, {@code 512KB}, {@code 50MB}, {@code 1GB} (binary units, as in
     * Spring's {@code DataSize}: 1KB = 1024 bytes; case and a space before the unit do not matter).
     *
     * @throws IllegalArgumentException if the text is none of these or does not fit a {@code long}
     */
    public static long parseByteSize(String text) {
        Matcher m = BYTE_SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("not a byte size: " + text);
        }
        long unit = m.group(2) == null
                ? 1
                : switch (m.group(2)) {
                    case "kb" -> KB;
                    case "mb" -> MB;
                    case "gb" -> GB;
                    default -> 1;
                };
        try {
            return Math.multiplyExact(Long.parseLong(m.group(1)), unit);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("not a byte size: " + text, e);
        }
    }

    /** Formats a byte size the way it is written in settings: the largest unit that divides it ({@code 50MB}, {@code 1500B}). */
    public static String formatByteSize(long bytes) {
        if (bytes != 0 && bytes % GB == 0) {
            return bytes / GB + "GB";
        }
        if (bytes != 0 && bytes % MB == 0) {
            return bytes / MB + "MB";
        }
        if (bytes != 0 && bytes % KB == 0) {
            return bytes / KB + "KB";
        }
        return bytes + "B";
    }

    /** Formats a duration the way it is written in settings: {@code 500ms}, {@code 1s}, {@code 25m}, {@code 2h}. */
    public static String formatDuration(Duration duration) {
        return format(duration);
    }

    /** Formats values the way they are written in settings: durations as {@code 500ms}, {@code 1s}, {@code 25m}, {@code 2h}. */
    static String format(Object value) {
        if (value instanceof Duration d) {
            if (d.isZero() || d.toMillis() % 1000 != 0) {
                return d.toMillis() + "ms";
            }
            long s = d.toSeconds();
            if (s % 3600 == 0) {
                return (s / 3600) + "h";
            }
            if (s % 60 == 0) {
                return (s / 60) + "m";
            }
            return s + "s";
        }
        return String.valueOf(value);
    }

    private static Setting<String> text(String name, Setting.Scope scope, String description) {
        return new Setting<>(name, scope, "text", null, "—", description, false, s -> s, null);
    }

    private static Setting<Integer> integer(String name, int def, int min, int max, String description) {
        return new Setting<>(
                name,
                Setting.Scope.BINDING,
                "integer " + min + "–" + max,
                def,
                String.valueOf(def),
                description,
                false,
                Integer::valueOf,
                v -> v < min || v > max ? "between " + min + " and " + max : null);
    }

    private static Setting<Double> ratio(String name, double def, String description) {
        return new Setting<>(
                name,
                Setting.Scope.BINDING,
                "ratio 0–1",
                def,
                String.valueOf(def),
                description,
                false,
                Double::valueOf,
                v -> v.isNaN() || v < 0 || v > 1 ? "between 0 and 1" : null);
    }

    private static Setting<Boolean> bool(String name, boolean def, String description) {
        return new Setting<>(
                name,
                Setting.Scope.BINDING,
                "boolean",
                def,
                String.valueOf(def),
                description,
                false,
                Settings::parseBoolean,
                null);
    }

    private static Boolean parseBoolean(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.equals("true") || t.equals("false")) {
            return Boolean.valueOf(t);
        }
        throw new IllegalArgumentException("not a boolean: " + text);
    }

    private static Setting<Long> byteSize(String name, long def, long min, long max, String description) {
        String range = "between " + formatByteSize(min) + " and " + formatByteSize(max);
        return new Setting<>(
                name,
                Setting.Scope.BINDING,
                "size " + formatByteSize(min) + "–" + formatByteSize(max),
                def,
                formatByteSize(def),
                description,
                false,
                Settings::parseByteSize,
                v -> v < min || v > max ? range : null,
                Settings::formatByteSize);
    }

    /** A duration in whole seconds (JDBC query timeouts are whole seconds). */
    private static Setting<Duration> seconds(
            String name, Duration def, Duration min, Duration max, String description) {
        String range = "a whole number of seconds between " + format(min) + " and " + format(max);
        return new Setting<>(
                name,
                Setting.Scope.BINDING,
                "duration " + format(min) + "–" + format(max) + ", whole seconds",
                def,
                format(def),
                description,
                false,
                Settings::parseDuration,
                v -> v.compareTo(min) < 0 || v.compareTo(max) > 0 || v.toMillis() % 1000 != 0 ? range : null);
    }

    private static Setting<Duration> duration(
            String name, Duration def, Duration min, Duration max, String description) {
        String range = "between " + format(min) + " and " + format(max);
        return new Setting<>(
                name,
                Setting.Scope.BINDING,
                "duration " + format(min) + "–" + format(max),
                def,
                format(def),
                description,
                false,
                Settings::parseDuration,
                v -> v.compareTo(min) < 0 || v.compareTo(max) > 0 ? range : null);
    }
}
