package io.openinsure.db.domains;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openinsure.db.core.ConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Vitess routing rules, in Vitess's own format: {@code {"rules":[{"from_table":"policy","to_tables":["oi_policies.policy"]}]}}.
 *
 * <p>The file {@code vitess-local/routing_rules.json} is the single source of truth: vtgate applies
 * it server side, and the legacy client applies the same file itself on servers that are not
 * vtgate. It is packaged in this jar as {@value #RESOURCE}. {@code from_table} may be
 * {@code table}, {@code keyspace.table} or {@code keyspace.table@tablet}; every rule must have exactly
 * one fully qualified target. Immutable and thread-safe.
 */
public final class RoutingRules {

    /** Class-path location of the packaged rules. */
    public static final String RESOURCE = "/io/openinsure/db/domains/routing_rules.json";

    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    private final Map<String, Target> rules;

    /** Where a table goes: keyspace (database) and table name. */
    public record Target(String keyspace, String table) {
        @Override
        public String toString() {
            return keyspace + "." + table;
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = false)
    private record RuleFile(
            @JsonProperty(value = "rules", required = true) List<Rule> rules) {}

    private record Rule(
            @JsonProperty(value = "from_table", required = true)
            String fromTable,

            @JsonProperty(value = "to_tables", required = true)
            List<String> toTables) {}

    private RoutingRules(Map<String, Target> rules) {
        this.rules = Collections.unmodifiableMap(rules);
    }

    /** The rules packaged with the SDK (a copy of {@code vitess-local/routing_rules.json}). */
    public static RoutingRules packaged() {
        try (InputStream in = RoutingRules.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("routing rules missing from the class path: " + RESOURCE);
            }
            return parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + RESOURCE, e);
        }
    }

    /**
     * Parses rules in Vitess's JSON format.
     *
     * @throws ConfigurationException if the JSON is malformed, a rule has no or several targets, a
     *                                target is not {@code keyspace.table}, or a table is routed twice
     */
    public static RoutingRules parse(String json) {
        RuleFile file;
        try {
            file = JSON.readValue(json, RuleFile.class);
        } catch (IOException e) {
            throw invalid("not valid Vitess routing rules JSON (" + firstLine(e.getMessage()) + ")");
        }
        Map<String, Target> map = new LinkedHashMap<>();
        for (Rule rule : file.rules()) {
            String from = rule.fromTable() == null ? "" : rule.fromTable().strip();
            if (from.isEmpty()) {
                throw invalid("a rule has an empty from_table");
            }
            if (rule.toTables() == null || rule.toTables().size() != 1) {
                throw invalid("the rule for '" + from + "' must have exactly one target in to_tables, has "
                        + (rule.toTables() == null ? 0 : rule.toTables().size()));
            }
            String to = rule.toTables().get(0).strip();
            int dot = to.indexOf('.');
            if (dot <= 0 || dot == to.length() - 1 || to.indexOf('.', dot + 1) >= 0 || to.indexOf('@') >= 0) {
                throw invalid("the target '" + to + "' of '" + from + "' must be fully qualified as keyspace.table");
            }
            Target target = new Target(to.substring(0, dot), to.substring(dot + 1));
            if (map.put(from.toLowerCase(Locale.ROOT), target) != null) {
                throw invalid("'" + from + "' is routed twice");
            }
        }
        return new RoutingRules(map);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "no message";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static ConfigurationException invalid(String why) {
        return new ConfigurationException(
                Keyspace.LEGACY.bindingName(),
                "routing_rules.json",
                "Keyspace 'legacy': routing_rules.json: " + why + ".");
    }

    /**
     * Where a table reference goes, as vtgate would send it: the rule for {@code schema.table}
     * (with {@code @tablet} if given) first, then for the bare table name when the reference is
     * unqualified or names the legacy keyspace.
     */
    public Optional<Target> route(String schema, String table, String tablet) {
        String t = table.toLowerCase(Locale.ROOT);
        if (schema != null) {
            String s = schema.toLowerCase(Locale.ROOT);
            if (tablet != null) {
                Target withTablet = rules.get(s + "." + t + "@" + tablet.toLowerCase(Locale.ROOT));
                if (withTablet != null) {
                    return Optional.of(withTablet);
                }
            }
            Target qualified = rules.get(s + "." + t);
            if (qualified != null || !s.equals(Keyspace.LEGACY.database())) {
                return Optional.ofNullable(qualified);
            }
        }
        return Optional.ofNullable(rules.get(t));
    }

    /** Every rule, {@code from_table} (lower case) to target, in file order. */
    public Map<String, Target> asMap() {
        return rules;
    }
}
