package io.openinsure.db.spring.boot;

import io.openinsure.db.core.KeyspaceClient;
import io.openinsure.db.domains.OpenInsureDb;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;

/**
 * The health contributor {@code openinsureDb}: one child per keyspace ({@code global}, {@code policies}, …,
 * {@code legacy}), each mapped by {@link KeyspaceHealthIndicator}. Needs {@code spring-boot-health} (brought by
 * {@code spring-boot-starter-actuator}); off with {@code management.health.openinsuredb.enabled=false}.
 */
@AutoConfiguration(after = OpenInsureDbAutoConfiguration.class)
@ConditionalOnClass({HealthContributor.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnBean(OpenInsureDb.class)
@ConditionalOnEnabledHealthIndicator("openinsuredb")
public class OpenInsureDbHealthContributorAutoConfiguration {

    /** The bean name minus its suffix is the contributor's name in {@code /actuator/health}: {@code openinsureDb}. */
    @Bean
    @ConditionalOnMissingBean(name = "openinsureDbHealthContributor")
    public HealthContributor openinsureDbHealthContributor(OpenInsureDb db) {
        Map<String, HealthContributor> keyspaces = new LinkedHashMap<>();
        for (KeyspaceClient client : db.clients()) {
            keyspaces.put(client.name(), new KeyspaceHealthIndicator(client));
        }
        return CompositeHealthContributor.fromMap(keyspaces);
    }
}
