package io.openinsure.db.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.openinsure.db.core.KeyspaceClient;
import io.openinsure.db.domains.InsuranceFlows;
import io.openinsure.db.domains.Keyspace;
import io.openinsure.db.domains.LegacyDb;
import io.openinsure.db.domains.OpenInsureDb;
import io.openinsure.db.domains.PoliciesDb;
import io.openinsure.db.testkit.EmbeddedMariaDb;
import io.openinsure.db.testkit.TestBackend;
import io.openinsure.db.testkit.Topology;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A whole Spring Boot application on the testkit's embedded MariaDB: one {@code openinsure.db.url} for the server,
 * the six databases created and migrated by the testkit's {@link Topology} and migrated again on start
 * (idempotent), every client answering from its own database, health UP, meters in the application's registry.
 */
@SpringBootTest(
        classes = OpenInsureDbSpringBootTest.App.class,
        properties = {
            "openinsure.db.sdk-environment=false",
            "openinsure.db.migrate-on-start=true",
            "openinsure.db.defaults.pool.max-size=4",
            "openinsure.db.defaults.pool.min-idle=0",
            // spring-boot-jdbc is on this test class path (for the test of an application with a DataSource of its
            // own);
            // an application with it but without a spring.datasource of its own excludes Boot's DataSource, as here.
            "spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"
        })
class OpenInsureDbSpringBootTest {

    @DynamicPropertySource
    static void embeddedMariaDb(DynamicPropertyRegistry registry) {
        Topology topology = Topology.of(TestBackend.MARIADB);
        registry.add(
                "openinsure.db.url",
                () -> "mysql://127.0.0.1:" + EmbeddedMariaDb.shared().port() + "/");
        registry.add(
                "openinsure.db.defaults.user", () -> topology.server().user().orElse("root"));
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {}

    @Autowired
    OpenInsureDb db;

    @Autowired
    PoliciesDb policies;

    @Autowired
    LegacyDb legacy;

    @Autowired
    InsuranceFlows flows;

    @Autowired
    @OpenInsureDsl(Keyspace.BILLING)
    DSLContext billing;

    @Autowired
    @Qualifier("globalDsl")
    DSLContext global;

    @Autowired
    MeterRegistry registry;

    @Autowired
    @Qualifier("openinsureDbHealthContributor")
    HealthContributor health;

    @Test
    void everyClientAnswersFromItsOwnDatabase() {
        for (KeyspaceClient client : db.clients()) {
            assertThat(client.dsl().fetchValue("select database()"))
                    .as(client.name())
                    .isEqualTo(Keyspace.valueOf(client.name().toUpperCase(java.util.Locale.ROOT))
                            .database());
        }
        assertThat(billing.fetchValue("select database()")).isEqualTo("oi_billing");
        assertThat(global.fetchValue("select database()")).isEqualTo("oi_global");
        assertThat(policies).isSameAs(db.policies());
        assertThat(flows).isNotNull();
    }

    @Test
    void migratedTablesAreThereAndTheLegacyClientRoutesToThem() {
        assertThat(billing.fetchCount(DSL.table("invoice"))).isGreaterThanOrEqualTo(0);
        // The legacy keyspace has no tables: the routing rules send `policy` to oi_policies.policy.
        assertThat(legacy.dsl().fetchCount(DSL.table("policy")))
                .isEqualTo(policies.dsl().fetchCount(DSL.table("policy")));
    }

    @Test
    void healthIsUpForEveryKeyspaceOnARealServer() {
        policies.dsl().fetchValue("select 1");
        CompositeHealthContributor composite = (CompositeHealthContributor) health;
        composite.forEach(entry -> {
            var h = ((HealthIndicator) entry.contributor()).health();
            assertThat(h.getStatus()).as(entry.name()).isEqualTo(Status.UP);
            assertThat(h.getDetails())
                    .as(entry.name())
                    .containsEntry("status", "HEALTHY")
                    .containsEntry("circuit", "closed");
        });
    }

    @Test
    void queriesAndPoolsAreMeteredInTheApplicationsRegistry() {
        global.fetchValue("select 1");
        assertThat(registry.find("openinsure.db.query")
                        .tag("keyspace", "global")
                        .timers())
                .isNotEmpty();
        assertThat(registry.find("openinsure.db.cache")
                        .tag("keyspace", "global")
                        .functionCounters())
                .isNotEmpty();
        for (Keyspace k : Keyspace.values()) {
            assertThat(registry.find("hikaricp.connections.max")
                            .tag("pool", "oi-" + k.bindingName())
                            .gauge())
                    .as(k.bindingName())
                    .isNotNull();
        }
    }
}
