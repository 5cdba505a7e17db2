package io.openinsure.db.spring.boot;

import io.openinsure.db.core.ConfigurationException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.Environment;

/**
 * Turns the SDK's {@link ConfigurationException} into Spring Boot's start-up failure report: the SDK's own message
 * (the key, what was expected, what was given; passwords masked), then, for each key, where its value came from
 * (an {@code openinsure.db.*} property with its file and line, an environment variable or a system property), and
 * the property to set.
 */
final class ConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<ConfigurationException> {

    private final Environment environment;

    ConfigurationFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ConfigurationException cause) {
        SpringConfigSource source = SpringConfigSource.of(environment);
        Set<String> keys = new LinkedHashSet<>();
        cause.setting().ifPresent(keys::add);
        for (Throwable suppressed : cause.getSuppressed()) {
            if (suppressed instanceof ConfigurationException e) {
                e.setting().ifPresent(keys::add);
            }
        }
        StringBuilder description = new StringBuilder("openinsure-db could not be configured:\n\n")
                .append(cause.getMessage())
                .append('\n');
        List<String> unset = new ArrayList<>();
        List<String> origins = new ArrayList<>();
        for (String key : keys) {
            List<String> properties = SpringConfigSource.propertyNames(key);
            source.describeOrigin(key)
                    .ifPresentOrElse(
                            origin -> origins.add(key + " came from " + origin + "."),
                            () -> unset.add(
                                    key + (properties.isEmpty() ? "" : " (property " + properties.get(0) + ")")));
        }
        if (!origins.isEmpty()) {
            description.append('\n').append(String.join("\n", origins)).append('\n');
        }
        String action;
        if (!unset.isEmpty() && cause.getMessage().contains("no connection string")) {
            action =
                    "Set openinsure.db.url to a server (each keyspace uses its own database on it: oi_global, oi_policies, …) "
                            + "or each binding's openinsure.db.<binding>.url, e.g. openinsure.db.url=mysql://app@db-host:3306/; "
                            + "or the SDK's environment variables OI_DB_URL, OI_DB_<BINDING>_URL or DATABASE_URL. "
                            + "Not set now: " + String.join(", ", unset) + ".";
        } else {
            action = "Correct the value where it is set. Every SDK key OI_DB_<BINDING>_<SETTING> is also the property "
                    + "openinsure.db.<binding>.<setting> (OI_DB_POLICIES_POOL_MAX_SIZE = openinsure.db.policies.pool.max-size), "
                    + "and openinsure.db.defaults.<setting> sets it for every binding; the SDK's environment variables and "
                    + "system properties win over openinsure.db.* properties.";
        }
        return new FailureAnalysis(description.toString().strip(), action, cause);
    }
}
