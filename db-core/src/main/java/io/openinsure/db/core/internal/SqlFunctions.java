package io.openinsure.db.core.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * What the analyser knows about SQL functions (MySQL, MariaDB, PostgreSQL): which are volatile or
 * stable, and which are known to be deterministic. Any other function is treated as not deterministic
 * (a user-defined function may read the clock or write tables), so its statements are not cached.
 */
final class SqlFunctions {

    /** Why a function makes a statement's result change without a write. */
    enum Volatility {
        /** Reads the clock. */
        TIME,
        /** Returns a new random value or id on each call. */
        RANDOM,
        /** Depends on the connection, session or transaction. */
        SESSION,
        /** Reads or advances a sequence. */
        SEQUENCE,
        /** Waits, locks, or otherwise acts on the server. */
        SIDE_EFFECT
    }

    private static final Map<String, Volatility> VOLATILE = new HashMap<>();

    static {
        names(Volatility.TIME, "now", "sysdate", "curdate", "curtime", "current_timestamp", "current_date", "current_time",
                "localtime", "localtimestamp", "utc_date", "utc_time", "utc_timestamp", "unix_timestamp", "transaction_timestamp",
                "statement_timestamp", "clock_timestamp", "timeofday", "age", "getdate", "sysdatetime");
        names(Volatility.RANDOM, "rand", "random", "uuid", "uuid_short", "gen_random_uuid", "uuid_generate_v1",
                "uuid_generate_v1mc", "uuid_generate_v4", "sys_guid", "random_bytes", "setseed", "uuid_v4", "uuid_v7",
                "random_normal");
        names(Volatility.SESSION, "last_insert_id", "found_rows", "row_count", "connection_id", "current_user", "session_user",
                "system_user", "user", "database", "schema", "current_schema", "current_schemas", "current_database",
                "current_catalog", "current_role", "version", "lastval", "currval", "txid_current", "txid_current_if_assigned",
                "txid_current_snapshot", "pg_current_xact_id", "pg_current_xact_id_if_assigned", "pg_current_snapshot",
                "pg_backend_pid", "inet_client_addr", "inet_client_port", "inet_server_addr", "inet_server_port",
                "current_setting", "pg_postmaster_start_time", "pg_conf_load_time", "pg_my_temp_schema", "pg_trigger_depth",
                "master_pos_wait", "source_pos_wait", "last_value_of_sequence");
        names(Volatility.SEQUENCE, "nextval", "setval");
        names(Volatility.SIDE_EFFECT, "sleep", "pg_sleep", "pg_sleep_for", "pg_sleep_until", "benchmark", "get_lock",
                "release_lock", "release_all_locks", "is_free_lock", "is_used_lock", "pg_advisory_lock",
                "pg_advisory_lock_shared", "pg_advisory_xact_lock", "pg_advisory_xact_lock_shared", "pg_try_advisory_lock",
                "pg_try_advisory_lock_shared", "pg_try_advisory_xact_lock", "pg_try_advisory_xact_lock_shared",
                "pg_advisory_unlock", "pg_advisory_unlock_shared", "pg_advisory_unlock_all", "pg_notify", "set_config",
                "load_file", "pg_read_file", "pg_read_binary_file", "lo_import", "lo_export", "dblink", "dblink_exec");
    }

    /**
     * Keywords that call a volatile function without parentheses (MySQL and PostgreSQL). The parser
     * reads some of them ({@code LOCALTIME}, {@code LOCALTIMESTAMP}) as column names.
     */
    static final Set<String> NILADIC = Set.of("current_timestamp", "current_date", "current_time", "localtime", "localtimestamp",
            "current_user", "session_user", "current_role", "current_schema", "current_catalog", "utc_date", "utc_time",
            "utc_timestamp");

    /** PostgreSQL date/time input values that read the clock when cast ({@code 'now'::timestamp}). */
    static final Set<String> CLOCK_LITERALS = Set.of("now", "today", "tomorrow", "yesterday");

    /** Functions known to return the same result for the same arguments (built-ins of MySQL, MariaDB and PostgreSQL). */
    private static final Set<String> DETERMINISTIC = Set.of(
            // numeric
            "abs", "acos", "asin", "atan", "atan2", "atn2", "ceil", "ceiling", "cos", "cosh", "cot", "crc32", "degrees", "div", "exp",
            "floor", "ln", "log", "log10", "log2", "mod", "pi", "pow", "power", "radians", "round", "sign", "sin", "sinh", "sqrt",
            "square", "tan", "tanh", "truncate", "trunc", "cbrt", "gcd", "lcm", "factorial", "width_bucket", "scale", "conv", "bin",
            "oct", "hex", "unhex", "format", "bit_count", "bit_length", "to_number",
            // comparison and null handling
            "greatest", "least", "coalesce", "ifnull", "nullif", "if", "iif", "isnull", "nvl", "nvl2", "interval", "strcmp",
            // strings
            "lower", "upper", "lcase", "ucase", "length", "char_length", "character_length", "octet_length", "concat", "concat_ws",
            "substring", "substr", "substring_index", "left", "right", "trim", "ltrim", "rtrim", "btrim", "lpad", "rpad", "replace",
            "reverse", "repeat", "locate", "instr", "position", "strpos", "ascii", "ord", "char", "chr", "space", "field",
            "find_in_set", "elt", "insert", "mid", "soundex", "initcap", "split_part", "translate", "quote", "quote_ident",
            "quote_literal", "quote_nullable", "md5", "sha", "sha1", "sha2", "to_base64", "from_base64", "encode", "decode",
            "starts_with", "regexp_like", "regexp_replace", "regexp_substr", "regexp_instr", "regexp_match", "regexp_matches",
            "regexp_split_to_array", "regexp_split_to_table", "regexp_count", "string_to_array", "array_to_string", "to_hex",
            "natural_sort_key", "weight_string", "char_octet_length", "inet_aton", "inet_ntoa", "inet6_aton", "inet6_ntoa",
            "is_ipv4", "is_ipv6", "charset", "collation", "coercibility", "convert", "cast", "binary", "compress", "uncompress",
            "uncompressed_length", "export_set", "make_set", "lower_inc", "upper_inc", "octet", "overlay",
            // dates (from arguments, not the clock)
            "date_format", "date_add", "date_sub", "adddate", "subdate", "addtime", "subtime", "datediff", "timediff",
            "timestampdiff", "timestampadd", "date", "time", "timestamp", "year", "month", "day", "dayofmonth", "dayofweek",
            "dayofyear", "hour", "minute", "second", "microsecond", "week", "weekday", "weekofyear", "yearweek", "quarter",
            "monthname", "dayname", "last_day", "makedate", "maketime", "make_date", "make_time", "make_timestamp",
            "make_timestamptz", "make_interval", "str_to_date", "from_days", "to_days", "to_seconds", "time_to_sec", "sec_to_time",
            "extract", "from_unixtime", "convert_tz", "period_add", "period_diff", "get_format", "time_format", "date_trunc",
            "date_part", "date_bin", "to_char", "to_date", "to_timestamp", "justify_days", "justify_hours", "justify_interval",
            "isfinite", "trunc_date",
            // json
            "json_extract", "json_unquote", "json_object", "json_array", "json_contains", "json_contains_path", "json_length",
            "json_keys", "json_value", "json_search", "json_valid", "json_type", "json_set", "json_insert", "json_replace",
            "json_remove", "json_merge_patch", "json_merge_preserve", "json_merge", "json_quote", "json_depth", "json_pretty",
            "json_overlaps", "json_array_append", "json_array_insert", "json_build_object", "json_build_array",
            "jsonb_build_object", "jsonb_build_array", "to_json", "to_jsonb", "json_typeof", "jsonb_typeof",
            "json_array_length", "jsonb_array_length", "jsonb_set", "jsonb_insert", "jsonb_strip_nulls", "json_strip_nulls",
            "jsonb_pretty", "json_each", "jsonb_each", "json_each_text", "jsonb_each_text", "json_array_elements",
            "jsonb_array_elements", "json_array_elements_text", "jsonb_array_elements_text", "json_object_keys",
            "jsonb_object_keys", "jsonb_path_query", "jsonb_path_exists", "jsonb_path_match", "jsonb_extract_path",
            "jsonb_extract_path_text", "json_extract_path", "json_extract_path_text", "row_to_json", "array_to_json",
            "json_table", "json_exists", "json_query", "json_detailed", "json_compact", "json_loose",
            // arrays and sets
            "array_length", "array_upper", "array_lower", "array_position", "array_positions", "array_append", "array_prepend",
            "array_cat", "array_remove", "array_replace", "array_dims", "array_ndims", "cardinality", "unnest", "generate_series",
            "generate_subscripts", "array", "row",
            // aggregates and windows
            "count", "sum", "avg", "min", "max", "group_concat", "string_agg", "array_agg", "json_agg", "jsonb_agg",
            "json_object_agg", "jsonb_object_agg", "json_arrayagg", "json_objectagg", "std", "stddev", "stddev_pop",
            "stddev_samp", "variance", "var_pop", "var_samp", "bit_and", "bit_or", "bit_xor", "bool_and", "bool_or", "every",
            "any_value", "median", "mode", "percentile_cont", "percentile_disc", "corr", "covar_pop", "covar_samp",
            "row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag", "lead", "first_value",
            "last_value", "nth_value", "grouping", "listagg", "product");

    private SqlFunctions() {
    }

    private static void names(Volatility v, String... names) {
        for (String name : names) {
            VOLATILE.put(name, v);
        }
    }

    /**
     * Why calling {@code name} with {@code arguments} arguments changes results without a write, or
     * {@code null} when it does not. {@code arguments} is -1 for a keyword used without parentheses.
     */
    static Volatility volatility(String name, int arguments) {
        Volatility v = VOLATILE.get(name);
        if (v == null) {
            return null;
        }
        // UNIX_TIMESTAMP(x) and two-argument AGE(a, b) only compute from their arguments.
        if ((name.equals("unix_timestamp") && arguments > 0) || (name.equals("age") && arguments > 1)) {
            return null;
        }
        return v;
    }

    /** Whether {@code name} is known to be deterministic (and not volatile). */
    static boolean deterministic(String name) {
        return DETERMINISTIC.contains(name) || name.equals("unix_timestamp") || name.equals("age");
    }

    /** Whether {@code name} is a known volatile or stable function, whatever its arguments. */
    static boolean knownVolatile(String name) {
        return VOLATILE.containsKey(name);
    }
}
