package io.openinsure.db.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.openinsure.db.core.BindingConfig;
import io.openinsure.db.core.ConfigSource;
import io.openinsure.db.core.ConfigurationException;
import io.openinsure.db.core.ConnectionMode;
import io.openinsure.db.core.ConnectionUnavailableException;
import io.openinsure.db.core.KeyspaceClient;
import io.openinsure.db.domains.BillingDb;
import io.openinsure.db.domains.ClaimsDb;
import io.openinsure.db.domains.GlobalDb;
import io.openinsure.db.domains.InsuranceFlows;
import io.openinsure.db.domains.Keyspace;
import io.openinsure.db.domains.LegacyDb;
import io.openinsure.db.domains.OpenInsureDb;
import io.openinsure.db.domains.PoliciesDb;
import io.openinsure.db.domains.SubmissionsDb;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jooq.autoconfigure.JooqAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The auto-configuration without a database server: pools open lazily, so beans, properties, back-off, errors,
 * health on an unreachable keyspace and the DSLContext qualifiers are all checked without one.
 */
class OpenInsureDbAutoConfigurationTest {

    /** A server nothing listens on: port 1 on loopback refuses at once. */
    private static final String NOWHERE = "mysql://app:s3cret-pw@127.0.0.1:1/";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    OpenInsureDbAutoConfiguration.class,
                    OpenInsureDbHealthContributorAutoConfiguration.class,
                    OpenInsureDbEndpointAutoConfiguration.class))
            // The machine's OI_DB_* variables must not leak in (sdkKeysWin… turns them on on purpose); no idle
            // connections to nowhere.
            .withPropertyValues("openinsure.db.sdk-environment=false", "openinsure.db.defaults.pool.min-idle=0");

    private static BindingConfig config(AssertableApplicationContext context, Keyspace keyspace) {
        return context.getBean(OpenInsureDb.class).client(keyspace).config();
    }

    @Test
    void sharedUrlGivesSixClientsEachOnItsOwnDatabase() {
        runner.withPropertyValues("openinsure.db.url=" + NOWHERE)
                .withUserConfiguration(PlainDslUser.class)
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(OpenInsureDb.class);
                    assertThat(context)
                            .hasSingleBean(GlobalDb.class)
                            .hasSingleBean(PoliciesDb.class)
                            .hasSingleBean(SubmissionsDb.class)
                            .hasSingleBean(ClaimsDb.class)
                            .hasSingleBean(BillingDb.class)
                            .hasSingleBean(LegacyDb.class)
                            .hasSingleBean(InsuranceFlows.class);
                    OpenInsureDb db = context.getBean(OpenInsureDb.class);
                    assertThat(context.getBean(PoliciesDb.class)).isSameAs(db.policies());
                    assertThat(context.getBean(LegacyDb.class)).isSameAs(db.legacy());
                    for (Keyspace k : Keyspace.values()) {
                        BindingConfig c = config(context, k);
                        assertThat(c.mode()).isEqualTo(ConnectionMode.POOLED);
                        assertThat(c.url().describe()).isEqualTo("127.0.0.1:1/" + k.database());
                        assertThat(c.user()).contains("app");
                        assertThat(c.urlSource()).isEqualTo("OI_DB_URL");
                    }
                    // No DataSource and no default DSLContext: an application's own stay the ones injected by type.
                    assertThat(context).doesNotHaveBean(DataSource.class);
                    assertThat(context.getBean(PlainDslUser.class).dsl.getIfAvailable())
                            .isNull();
                    assertThat(context.getBeansOfType(DSLContext.class))
                            .containsOnlyKeys(
                                    "globalDsl",
                                    "policiesDsl",
                                    "submissionsDsl",
                                    "claimsDsl",
                                    "billingDsl",
                                    "legacyDsl");
                });
    }

    @Test
    void perBindingPropertiesWinOverSharedDefaults() {
        runner.withPropertyValues(
                        "openinsure.db.url=" + NOWHERE,
                        "openinsure.db.defaults.pool.max-size=7",
                        "openinsure.db.defaults.user=shared-user",
                        "openinsure.db.billing.pool.max-size=3",
                        "openinsure.db.billing.user=billing-user",
                        "openinsure.db.billing.password=billing-pw",
                        "openinsure.db.policies.cache.max-age=30s",
                        "openinsure.db.policies.cache.enabled=false",
                        "openinsure.db.claims.url=vitess://vtgate:15306/oi_claims@replica",
                        "openinsure.db.claims.max-rows=10000",
                        "openinsure.db.claims.query-timeout=PT5S",
                        "openinsure.db.submissions.health.degraded-latency=200ms",
                        "openinsure.db.submissions.circuit.failures=5",
                        "openinsure.db.global.cache.max-bytes=8MB",
                        "openinsure.db.global.cache.max-result-bytes=512KB")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(config(context, Keyspace.GLOBAL).pool().maxSize())
                            .isEqualTo(7);
                    assertThat(config(context, Keyspace.GLOBAL).user()).contains("shared-user");
                    assertThat(config(context, Keyspace.BILLING).pool().maxSize())
                            .isEqualTo(3);
                    assertThat(config(context, Keyspace.BILLING).user()).contains("billing-user");
                    assertThat(config(context, Keyspace.BILLING).password()).contains("billing-pw");
                    assertThat(config(context, Keyspace.POLICIES).cachePolicy().maxAge())
                            .isEqualTo(Duration.ofSeconds(30));
                    assertThat(config(context, Keyspace.POLICIES).cachePolicy().enabled())
                            .isFalse();
                    assertThat(config(context, Keyspace.GLOBAL).cachePolicy().enabled())
                            .isTrue();
                    assertThat(config(context, Keyspace.CLAIMS).url().describe())
                            .isEqualTo("vtgate:15306/oi_claims@replica");
                    assertThat(config(context, Keyspace.CLAIMS).urlSource()).isEqualTo("OI_DB_CLAIMS_URL");
                    assertThat(config(context, Keyspace.CLAIMS).limits().maxRows())
                            .isEqualTo(10_000);
                    assertThat(config(context, Keyspace.CLAIMS).limits().queryTimeout())
                            .isEqualTo(Duration.ofSeconds(5));
                    assertThat(config(context, Keyspace.SUBMISSIONS)
                                    .healthThresholds()
                                    .degradedLatency())
                            .isEqualTo(Duration.ofMillis(200));
                    assertThat(config(context, Keyspace.SUBMISSIONS)
                                    .healthThresholds()
                                    .connectionFailuresToOpen())
                            .isEqualTo(5);
                    assertThat(config(context, Keyspace.GLOBAL).cachePolicy().maxBytes())
                            .isEqualTo(8L * 1024 * 1024);
                });
    }

    @Test
    void relaxedBindingReadsCamelCaseAndEnvironmentStyleNames() {
        runner.withPropertyValues("openinsure.db.url=" + NOWHERE, "openinsure.db.policies.pool.maxSize=5")
                .withInitializer(context -> context.getEnvironment()
                        .getPropertySources()
                        .addFirst(new SystemEnvironmentPropertySource(
                                "test-systemEnvironment",
                                Map.of(
                                        "OPENINSURE_DB_BILLING_POOL_MAXSIZE",
                                        "6",
                                        "OPENINSURE_DB_DEFAULTS_CACHE_MAXAGE",
                                        "45s"))))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(config(context, Keyspace.POLICIES).pool().maxSize())
                            .isEqualTo(5);
                    assertThat(config(context, Keyspace.BILLING).pool().maxSize())
                            .isEqualTo(6);
                    assertThat(config(context, Keyspace.CLAIMS).cachePolicy().maxAge())
                            .isEqualTo(Duration.ofSeconds(45));
                });
    }

    @Test
    void sdkKeysWinOverPropertiesUnlessTurnedOff() {
        ApplicationContextRunner withSdkKeys = runner.withPropertyValues(
                        "openinsure.db.url=" + NOWHERE,
                        "openinsure.db.policies.pool.max-size=4",
                        "openinsure.db.billing.pool.max-size=4")
                .withSystemProperties("oi.db.policies.pool.max.size=9", "oi.db.claims.url=mysql://claims-host:3307/");
        withSdkKeys.withPropertyValues("openinsure.db.sdk-environment=true").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(config(context, Keyspace.POLICIES).pool().maxSize()).isEqualTo(9);
            assertThat(config(context, Keyspace.BILLING).pool().maxSize()).isEqualTo(4);
            assertThat(config(context, Keyspace.CLAIMS).url().describe()).isEqualTo("claims-host:3307/oi_claims");
        });
        withSdkKeys.run(context -> {
            assertThat(config(context, Keyspace.POLICIES).pool().maxSize()).isEqualTo(4);
            assertThat(config(context, Keyspace.CLAIMS).url().describe()).isEqualTo("127.0.0.1:1/oi_claims");
        });
    }

    @Test
    void directAndAdminUrlsMapOntoTheSdkSettings() {
        runner.withPropertyValues(
                        "openinsure.db.database-url=mysql://admin:admin-pw@db-host:3306/",
                        "openinsure.db.policies.url=vitess://vtgate:15306/oi_policies@primary",
                        "openinsure.db.billing.direct-url=mysql://db-host:3310/",
                        "openinsure.db.billing.admin-url=mysql://migrator@db-host:3311/")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(config(context, Keyspace.GLOBAL).mode()).isEqualTo(ConnectionMode.DIRECT);
                    assertThat(config(context, Keyspace.GLOBAL).url().describe())
                            .isEqualTo("db-host:3306/oi_global");
                    assertThat(config(context, Keyspace.POLICIES).mode()).isEqualTo(ConnectionMode.POOLED);
                    assertThat(config(context, Keyspace.POLICIES)
                                    .directUrl()
                                    .orElseThrow()
                                    .describe())
                            .isEqualTo("db-host:3306/oi_policies");
                    assertThat(config(context, Keyspace.BILLING).url().describe())
                            .isEqualTo("db-host:3310/oi_billing");
                    assertThat(config(context, Keyspace.BILLING).adminUrl().describe())
                            .isEqualTo("db-host:3311/oi_billing");
                    assertThat(config(context, Keyspace.CLAIMS).adminUrl().describe())
                            .isEqualTo("db-host:3306/oi_claims");
                });
    }

    @Test
    void malformedValueFailsWithTheSdkMessageAndTheProperty() {
        AtomicReference<Environment> environment = new AtomicReference<>();
        runner.withInitializer(c -> environment.set(c.getEnvironment()))
                .withPropertyValues("openinsure.db.url=" + NOWHERE, "openinsure.db.policies.pool.max-size=lots")
                .run(context -> {
                    assertThat(context).hasFailed();
                    Throwable failure = context.getStartupFailure();
                    ConfigurationException cause = findCause(failure, ConfigurationException.class);
                    assertThat(cause.getMessage())
                            .isEqualTo(
                                    "Keyspace 'policies': OI_DB_POLICIES_POOL_MAX_SIZE: expected integer 1–500 but was 'lots'.");
                    FailureAnalysis analysis = new ConfigurationFailureAnalyzer(environment.get()).analyze(failure);
                    assertThat(analysis.getDescription()).isEqualTo("""
                    openinsure-db could not be configured:

                    Keyspace 'policies': OI_DB_POLICIES_POOL_MAX_SIZE: expected integer 1–500 but was 'lots'.

                    OI_DB_POLICIES_POOL_MAX_SIZE came from the property 'openinsure.db.policies.pool.max-size' \
                    ("openinsure.db.policies.pool.max-size" from property source "test").""");
                    assertThat(analysis.getAction())
                            .startsWith("Correct the value where it is set.")
                            .contains("openinsure.db.defaults.<setting>");
                });
    }

    @Test
    void outOfBoundsSharedDefaultNamesEveryBindingAndTheDefaultsProperty() {
        AtomicReference<Environment> environment = new AtomicReference<>();
        runner.withInitializer(c -> environment.set(c.getEnvironment()))
                .withPropertyValues("openinsure.db.url=" + NOWHERE, "openinsure.db.defaults.cache.max-age=2h")
                .run(context -> {
                    assertThat(context).hasFailed();
                    ConfigurationException cause = findCause(context.getStartupFailure(), ConfigurationException.class);
                    assertThat(cause.getMessage())
                            .startsWith("6 bindings are misconfigured:\n")
                            .contains(
                                    "  - Keyspace 'global': OI_DB_GLOBAL_CACHE_MAX_AGE: cache max age must be between 1s and 1h but was 2h.");
                    FailureAnalysis analysis =
                            new ConfigurationFailureAnalyzer(environment.get()).analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription())
                            .contains(
                                    "OI_DB_LEGACY_CACHE_MAX_AGE came from the property 'openinsure.db.defaults.cache.max-age'");
                });
    }

    @Test
    void passwordsNeverAppearInStartupFailures() {
        AtomicReference<Environment> environment = new AtomicReference<>();
        runner.withInitializer(c -> environment.set(c.getEnvironment()))
                .withPropertyValues(
                        "openinsure.db.url=" + NOWHERE,
                        "openinsure.db.policies.url=mysql://app:hunter2-secret@db-host:notaport/",
                        "openinsure.db.claims.password=claims-secret-pw",
                        "openinsure.db.claims.pool.min-idle=11",
                        "openinsure.db.claims.pool.max-size=10")
                .run(context -> {
                    assertThat(context).hasFailed();
                    Throwable failure = context.getStartupFailure();
                    ConfigurationException cause = findCause(failure, ConfigurationException.class);
                    assertThat(cause.getMessage())
                            .contains("OI_DB_POLICIES_URL")
                            .contains("OI_DB_CLAIMS_POOL_MIN_IDLE")
                            .doesNotContain("hunter2-secret")
                            .doesNotContain("claims-secret-pw")
                            .doesNotContain("s3cret-pw");
                    FailureAnalysis analysis = new ConfigurationFailureAnalyzer(environment.get()).analyze(failure);
                    assertThat(analysis.getDescription() + analysis.getAction())
                            .doesNotContain("hunter2-secret")
                            .doesNotContain("claims-secret-pw")
                            .doesNotContain("s3cret-pw")
                            .contains("OI_DB_POLICIES_URL came from the property 'openinsure.db.policies.url'");
                });
    }

    @Test
    void noConnectionStringSaysWhichPropertiesToSet() {
        AtomicReference<Environment> environment = new AtomicReference<>();
        runner.withInitializer(c -> environment.set(c.getEnvironment())).run(context -> {
            assertThat(context).hasFailed();
            ConfigurationException cause = findCause(context.getStartupFailure(), ConfigurationException.class);
            assertThat(cause.getMessage())
                    .startsWith("6 bindings are misconfigured:")
                    .contains("Keyspace 'policies': no connection string. Set OI_DB_POLICIES_URL");
            FailureAnalysis analysis =
                    new ConfigurationFailureAnalyzer(environment.get()).analyze(context.getStartupFailure());
            assertThat(analysis.getAction())
                    .startsWith("Set openinsure.db.url to a server")
                    .contains("OI_DB_POLICIES_URL (property openinsure.db.policies.url)");
        });
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwnOpenInsureDb() {
        runner.withUserConfiguration(OwnDb.class).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(OpenInsureDb.class);
            OpenInsureDb own = context.getBean(OpenInsureDb.class);
            assertThat(context.getBean("ownDb")).isSameAs(own);
            assertThat(context.getBean(ClaimsDb.class)).isSameAs(own.claims());
            assertThat(own.claims().config().url().describe()).isEqualTo("own-host:3306/oi_claims");
        });
    }

    @Test
    void turnedOffEntirely() {
        runner.withPropertyValues("openinsure.db.enabled=false").run(context -> {
            assertThat(context)
                    .hasNotFailed()
                    .doesNotHaveBean(OpenInsureDb.class)
                    .doesNotHaveBean(PoliciesDb.class);
            assertThat(context.getBeansOfType(DSLContext.class)).isEmpty();
        });
    }

    @Test
    void customizersRunAfterThePropertiesAndWin() {
        runner.withPropertyValues("openinsure.db.url=" + NOWHERE, "openinsure.db.billing.pool.max-size=8")
                .withBean(
                        OpenInsureDbBuilderCustomizer.class,
                        () -> b -> b.binding(Keyspace.BILLING, c -> c.maxPoolSize(2)))
                .run(context -> assertThat(
                                config(context, Keyspace.BILLING).pool().maxSize())
                        .isEqualTo(2));
    }

    @Test
    void dslContextsAreSelectedByQualifierAndNeverConnectOnStart() {
        runner.withPropertyValues("openinsure.db.url=" + NOWHERE)
                .withUserConfiguration(DslUser.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    DslUser user = context.getBean(DslUser.class);
                    assertThat(Proxy.isProxyClass(user.policies.getClass())).isTrue();
                    assertThat(user.policies).hasToString("DSLContext of keyspace 'policies'");
                    assertThat(user.claims).hasToString("DSLContext of keyspace 'claims'");
                    assertThat(user.legacy).hasToString("DSLContext of keyspace 'legacy'");
                    // The first statement goes to the client, which fails fast with the SDK's error (nothing listens
                    // there).
                    assertThatThrownBy(() -> user.policies.fetchValue("select 1"))
                            .isInstanceOf(ConnectionUnavailableException.class)
                            .hasMessageContaining("Keyspace 'policies'")
                            .hasMessageNotContaining("s3cret-pw");
                });
    }

    @Test
    void leavesTheApplicationsOwnDataSourceAndDslContextAlone() {
        runner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, JooqAutoConfiguration.class))
                .withPropertyValues(
                        "openinsure.db.url=" + NOWHERE,
                        "spring.datasource.url=jdbc:mysql://127.0.0.1:1/app_own",
                        "spring.datasource.username=app",
                        "spring.jooq.sql-dialect=MYSQL")
                .withUserConfiguration(DslUser.class, OwnDslUser.class)
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(DataSource.class);
                    assertThat(((HikariDataSource) context.getBean(DataSource.class)).getJdbcUrl())
                            .isEqualTo("jdbc:mysql://127.0.0.1:1/app_own");
                    DSLContext own = context.getBean(OwnDslUser.class).dsl;
                    assertThat(Proxy.isProxyClass(own.getClass())).isFalse();
                    assertThat(context.getBean(DSLContext.class)).isSameAs(own);
                    assertThat(context.getBean(DslUser.class).policies)
                            .hasToString("DSLContext of keyspace 'policies'");
                    assertThat(context).hasSingleBean(OpenInsureDb.class);
                });
    }

    @Test
    void healthHasAChildPerKeyspaceAndIsDownWhenTheCircuitOpens() {
        runner.withPropertyValues(
                        "openinsure.db.url=" + NOWHERE,
                        "openinsure.db.policies.circuit.failures=1",
                        "openinsure.db.policies.circuit.probe-interval=5m")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    CompositeHealthContributor health = (CompositeHealthContributor)
                            context.getBean("openinsureDbHealthContributor", HealthContributor.class);
                    List<String> names = new ArrayList<>();
                    health.forEach(entry -> names.add(entry.name()));
                    assertThat(names)
                            .containsExactly("global", "policies", "submissions", "claims", "billing", "legacy");

                    Health claims = ((HealthIndicator) health.getContributor("claims")).health();
                    assertThat(claims.getStatus()).isEqualTo(Status.UP);
                    assertThat(claims.getDetails())
                            .containsEntry("status", "HEALTHY")
                            .containsEntry("mode", "pooled")
                            .containsEntry("server", "127.0.0.1:1/oi_claims")
                            .containsEntry("circuit", "closed")
                            .containsKeys(
                                    "reason",
                                    "pool",
                                    "latencyMs",
                                    "errorRate",
                                    "samples",
                                    "cacheHitRate",
                                    "consecutiveConnectionFailures");
                    assertThat(String.valueOf(claims.getDetails()))
                            .doesNotContain("s3cret-pw")
                            .doesNotContain("app@");

                    OpenInsureDb db = context.getBean(OpenInsureDb.class);
                    assertThatThrownBy(() -> db.policies().dsl().fetchValue("select 1"))
                            .isInstanceOf(ConnectionUnavailableException.class);
                    Health policies = ((HealthIndicator) health.getContributor("policies")).health();
                    assertThat(policies.getStatus()).isEqualTo(Status.DOWN);
                    assertThat(policies.getDetails())
                            .containsEntry("status", "UNHEALTHY")
                            .containsEntry("circuit", "open")
                            .containsEntry("consecutiveConnectionFailures", 1);
                    assertThat(String.valueOf(policies.getDetails())).doesNotContain("s3cret-pw");
                });
    }

    @Test
    void healthContributorCanBeTurnedOff() {
        runner.withPropertyValues("openinsure.db.url=" + NOWHERE, "management.health.openinsuredb.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("openinsureDbHealthContributor"));
    }

    @Test
    void reportEndpointOnlyWhenExposed() {
        runner.withPropertyValues("openinsure.db.url=" + NOWHERE)
                .run(context -> assertThat(context).doesNotHaveBean(OpenInsureDbEndpoint.class));
        runner.withPropertyValues(
                        "openinsure.db.url=" + NOWHERE, "management.endpoints.web.exposure.include=health,openinsuredb")
                .run(context -> {
                    assertThat(context).hasSingleBean(OpenInsureDbEndpoint.class);
                    OpenInsureDbEndpoint endpoint = context.getBean(OpenInsureDbEndpoint.class);
                    var report = endpoint.report();
                    assertThat(report.clients())
                            .extracting(c -> c.name())
                            .containsExactly("global", "policies", "submissions", "claims", "billing", "legacy");
                    assertThat(report.clients().get(0).roundTripMs()).isNull(); // nothing answers on port 1
                    assertThat(endpoint.keyspace("billing").name()).isEqualTo("billing");
                    assertThat(endpoint.keyspace("nope")).isNull();
                    assertThat(report.toJson()).doesNotContain("s3cret-pw");
                });
    }

    @Test
    void metersGoToTheApplicationsRegistry() {
        runner.withPropertyValues("openinsure.db.url=" + NOWHERE)
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    OpenInsureDb db = context.getBean(OpenInsureDb.class);
                    assertThatThrownBy(() -> db.billing().dsl().fetchValue("select 1"))
                            .isInstanceOf(ConnectionUnavailableException.class);
                    assertThat(registry.find("openinsure.db.errors")
                                    .tag("keyspace", "billing")
                                    .counters())
                            .isNotEmpty();
                    assertThat(registry.find("hikaricp.connections.max")
                                    .tag("pool", "oi-billing")
                                    .gauge())
                            .isNotNull();
                    assertThat(registry.find("hikaricp.connections.max")
                                    .tag("pool", "oi-legacy")
                                    .gauge())
                            .isNotNull();
                });
    }

    @Test
    void closingTheContextClosesEveryClient() {
        List<KeyspaceClient> clients = new ArrayList<>();
        runner.withPropertyValues("openinsure.db.url=" + NOWHERE)
                .run(context ->
                        clients.addAll(context.getBean(OpenInsureDb.class).clients()));
        assertThat(clients).hasSize(6);
        for (KeyspaceClient client : clients) {
            assertThatThrownBy(() -> client.transaction(tx -> {}))
                    .hasMessage("Keyspace '" + client.name() + "': the client is closed.");
        }
    }

    private static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in " + failure, failure);
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnDb {
        @Bean(destroyMethod = "close")
        OpenInsureDb ownDb() {
            return OpenInsureDb.builder()
                    .configSource(ConfigSource.of(Map.of("OI_DB_URL", "mysql://own-host:3306/")))
                    .build();
        }
    }

    static class DslUser {
        final DSLContext policies;
        final DSLContext claims;
        final DSLContext legacy;

        DslUser(
                @OpenInsureDsl(Keyspace.POLICIES) DSLContext policies,
                @Qualifier("claimsDsl") DSLContext claims,
                @OpenInsureDsl(Keyspace.LEGACY) DSLContext legacy) {
            this.policies = policies;
            this.claims = claims;
            this.legacy = legacy;
        }
    }

    static class PlainDslUser {
        final ObjectProvider<DSLContext> dsl;

        PlainDslUser(ObjectProvider<DSLContext> dsl) {
            this.dsl = dsl;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnDslUser {
        final DSLContext dsl;

        OwnDslUser(DSLContext dsl) {
            this.dsl = dsl;
        }
    }
}
