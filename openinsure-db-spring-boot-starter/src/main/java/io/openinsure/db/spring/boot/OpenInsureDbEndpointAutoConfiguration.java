package io.openinsure.db.spring.boot;

import io.openinsure.db.domains.OpenInsureDb;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** The {@link OpenInsureDbEndpoint} when the actuator is present and the endpoint is available (enabled and exposed). */
@AutoConfiguration(after = OpenInsureDbAutoConfiguration.class)
@ConditionalOnClass({Endpoint.class, ConditionalOnAvailableEndpoint.class})
@ConditionalOnBean(OpenInsureDb.class)
public class OpenInsureDbEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint
    public OpenInsureDbEndpoint openInsureDbEndpoint(OpenInsureDb db) {
        return new OpenInsureDbEndpoint(db);
    }
}
