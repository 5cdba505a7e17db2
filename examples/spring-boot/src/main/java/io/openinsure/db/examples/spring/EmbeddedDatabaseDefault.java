package io.openinsure.db.examples.spring;

import io.openinsure.db.domains.Keyspace;
import io.openinsure.db.spring.boot.OpenInsureDbProperties;
import io.openinsure.db.testkit.Topology;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The example's zero-setup default: when no connection string is configured, start the testkit's embedded MariaDB
 * (databases created and migrated) and point every binding at it through ordinary {@code openinsure.db.*}
 * properties, added with the lowest precedence. A real application configures {@code openinsure.db.url} (or
 * {@code OI_DB_URL}, {@code DATABASE_URL}, …) instead and needs nothing like this.
 */
final class EmbeddedDatabaseDefault implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabaseDefault.class);

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        ConfigurableEnvironment environment = event.getEnvironment();
        if (OpenInsureDbProperties.isConnectionStringConfigured(environment)) {
            return;
        }
        Topology topology = Topology.selected();
        Map<String, Object> properties = new HashMap<>();
        for (Keyspace k : Keyspace.values()) {
            properties.put("openinsure.db." + k.bindingName() + ".url", topology.connectionString(k));
        }
        topology.server().user().ifPresent(user -> properties.put("openinsure.db.defaults.user", user));
        topology.server().password().ifPresent(password -> properties.put("openinsure.db.defaults.password", password));
        environment.getPropertySources().addLast(new MapPropertySource("openinsure-embedded-default", properties));
        LOG.info("no openinsure.db.url (or OI_DB_URL, DATABASE_URL, …) configured: using {}", topology);
    }
}
