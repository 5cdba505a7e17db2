package io.openinsure.db.spring.boot;

import io.micrometer.core.instrument.MeterRegistry;
import io.openinsure.db.domains.BillingDb;
import io.openinsure.db.domains.ClaimsDb;
import io.openinsure.db.domains.GlobalDb;
import io.openinsure.db.domains.InsuranceFlows;
import io.openinsure.db.domains.Keyspace;
import io.openinsure.db.domains.LegacyDb;
import io.openinsure.db.domains.OpenInsureDb;
import io.openinsure.db.domains.PoliciesDb;
import io.openinsure.db.domains.SubmissionsDb;
import java.util.Map;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of {@link OpenInsureDb} from the {@code openinsure.db.*} properties (and the SDK's own
 * environment variables): one {@code OpenInsureDb} bean, the six clients injectable by type ({@link GlobalDb},
 * {@link PoliciesDb}, {@link SubmissionsDb}, {@link ClaimsDb}, {@link BillingDb}, {@link LegacyDb}),
 * {@link InsuranceFlows}, and each client's {@code DSLContext} under {@link OpenInsureDsl} (not a default
 * candidate, so an application's own {@code DataSource} and {@code DSLContext} are left alone: this configuration
 * defines neither a {@code DataSource} nor a default {@code DSLContext}).
 *
 * <p>Backs off when the application defines its own {@code OpenInsureDb} (the client beans are then taken from it),
 * and entirely with {@code openinsure.db.enabled=false}. Meters go to the application's {@code MeterRegistry} when
 * there is one. The pools close when the context closes, after a graceful shutdown has let requests finish.
 */
@AutoConfiguration(
        afterName = {
            "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"
        })
@ConditionalOnClass(OpenInsureDb.class)
@ConditionalOnBooleanProperty(name = OpenInsureDbProperties.PREFIX + ".enabled", matchIfMissing = true)
@EnableConfigurationProperties(OpenInsureDbProperties.class)
public class OpenInsureDbAutoConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(OpenInsureDbAutoConfiguration.class);

    /**
     * Builds the six clients (no connection is opened yet) and, with {@code openinsure.db.migrate-on-start}, applies
     * the migrations over the admin URLs. A missing or malformed setting fails start-up with the SDK's
     * {@code ConfigurationException}; {@link ConfigurationFailureAnalyzer} adds which property it came from.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public OpenInsureDb openInsureDb(
            OpenInsureDbProperties properties,
            Environment environment,
            ObjectProvider<OpenInsureDbBuilderCustomizer> customizers) {
        OpenInsureDb.Builder builder = OpenInsureDb.builder()
                .configSource(SpringConfigSource.of(environment, properties.isSdkEnvironment()))
                .allowCrossKeyspaceLegacyTransactions(properties.isAllowCrossKeyspaceLegacyTransactions());
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        OpenInsureDb db = builder.build();
        if (properties.isMigrateOnStart()) {
            try {
                Map<Keyspace, Integer> applied = db.migrate();
                LOG.info("openinsure-db migrations applied on start: {}", applied);
            } catch (RuntimeException e) {
                try {
                    db.close();
                } catch (RuntimeException closing) {
                    e.addSuppressed(closing);
                }
                throw e;
            }
        }
        return db;
    }

    // The clients belong to the OpenInsureDb bean, which closes them: none has a destroy method of its own.

    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    public GlobalDb globalDb(OpenInsureDb db) {
        return db.global();
    }

    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    public PoliciesDb policiesDb(OpenInsureDb db) {
        return db.policies();
    }

    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    public SubmissionsDb submissionsDb(OpenInsureDb db) {
        return db.submissions();
    }

    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    public ClaimsDb claimsDb(OpenInsureDb db) {
        return db.claims();
    }

    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    public BillingDb billingDb(OpenInsureDb db) {
        return db.billing();
    }

    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    public LegacyDb legacyDb(OpenInsureDb db) {
        return db.legacy();
    }

    @Bean
    @ConditionalOnMissingBean
    public InsuranceFlows insuranceFlows(OpenInsureDb db) {
        return db.flows();
    }

    // Each client's DSLContext: selected by @OpenInsureDsl(Keyspace.X) or by bean name, never by type alone.
    // Lazy, so that start-up does not connect (the client asks the server for its dialect on first use).

    @Bean(destroyMethod = "", defaultCandidate = false)
    @OpenInsureDsl(Keyspace.GLOBAL)
    public DSLContext globalDsl(OpenInsureDb db) {
        return LazyDsl.of(db.global());
    }

    @Bean(destroyMethod = "", defaultCandidate = false)
    @OpenInsureDsl(Keyspace.POLICIES)
    public DSLContext policiesDsl(OpenInsureDb db) {
        return LazyDsl.of(db.policies());
    }

    @Bean(destroyMethod = "", defaultCandidate = false)
    @OpenInsureDsl(Keyspace.SUBMISSIONS)
    public DSLContext submissionsDsl(OpenInsureDb db) {
        return LazyDsl.of(db.submissions());
    }

    @Bean(destroyMethod = "", defaultCandidate = false)
    @OpenInsureDsl(Keyspace.CLAIMS)
    public DSLContext claimsDsl(OpenInsureDb db) {
        return LazyDsl.of(db.claims());
    }

    @Bean(destroyMethod = "", defaultCandidate = false)
    @OpenInsureDsl(Keyspace.BILLING)
    public DSLContext billingDsl(OpenInsureDb db) {
        return LazyDsl.of(db.billing());
    }

    @Bean(destroyMethod = "", defaultCandidate = false)
    @OpenInsureDsl(Keyspace.LEGACY)
    public DSLContext legacyDsl(OpenInsureDb db) {
        return LazyDsl.of(db.legacy());
    }

    /** Publishes every client's meters and HikariCP's to the application's {@code MeterRegistry}, when it has one. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    static class Metrics {

        @Bean
        OpenInsureDbBuilderCustomizer openInsureDbMeterRegistry(ObjectProvider<MeterRegistry> registry) {
            return builder -> {
                MeterRegistry meterRegistry = registry.getIfUnique();
                if (meterRegistry != null) {
                    builder.meterRegistry(meterRegistry);
                }
            };
        }
    }
}
