package io.openinsure.db.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.openinsure.db.domains.Keyspace;
import io.openinsure.db.domains.OpenInsureDb;
import io.openinsure.db.testkit.EmbeddedMariaDb;
import io.openinsure.db.testkit.TestBackend;
import io.openinsure.db.testkit.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Behaviour that needs a real server: migrations on start into fresh databases, OUT_OF_SERVICE, pools closed on shutdown. */
class EmbeddedMariaDbContextTest {

    private static String server;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    OpenInsureDbAutoConfiguration.class, OpenInsureDbHealthContributorAutoConfiguration.class))
            .withPropertyValues(
                    "openinsure.db.sdk-environment=false",
                    "openinsure.db.defaults.pool.max-size=2",
                    "openinsure.db.defaults.pool.min-idle=0");

    @BeforeAll
    static void startServer() {
        Topology.of(TestBackend.MARIADB); // the legacy client's routing targets (oi_policies, …) exist and are migrated
        server = "mysql://root@127.0.0.1:" + EmbeddedMariaDb.shared().port() + "/";
    }

    @Test
    void migrateOnStartAppliesEveryKeyspacesMigrationsOverTheAdminUrl() {
        String run = "boot_" + UUID.randomUUID().toString().substring(0, 8) + "_";
        List<String> properties =
                new ArrayList<>(List.of("openinsure.db.url=" + server, "openinsure.db.migrate-on-start=true"));
        for (Keyspace k : Keyspace.values()) {
            if (k != Keyspace.LEGACY) {
                // Fresh databases: Connector/J creates them on first connection, the migrations fill them.
                properties.add("openinsure.db." + k.bindingName() + ".url=" + server + run + k.bindingName()
                        + "?createDatabaseIfNotExist=true");
            }
        }
        runner.withPropertyValues(properties.toArray(String[]::new)).run(context -> {
            assertThat(context).hasNotFailed();
            OpenInsureDb db = context.getBean(OpenInsureDb.class);
            assertThat(db.policies().dsl().fetchValue("select database()")).isEqualTo(run + "policies");
            assertThat(db.policies().dsl().fetchCount(DSL.table("policy"))).isZero();
            assertThat(db.billing().dsl().fetchCount(DSL.table("gl_entry"))).isZero();
            assertThat(db.global().dsl().fetchCount(DSL.table("us_state")))
                    .isPositive(); // reference data from the migrations
        });
    }

    @Test
    void withoutMigrateOnStartNothingIsCreated() {
        String database = "boot_" + UUID.randomUUID().toString().substring(0, 8) + "_claims";
        runner.withPropertyValues(
                        "openinsure.db.url=" + server,
                        "openinsure.db.claims.url=" + server + database + "?createDatabaseIfNotExist=true")
                .run(context -> {
                    OpenInsureDb db = context.getBean(OpenInsureDb.class);
                    assertThat(db.claims()
                                    .dsl()
                                    .fetchOne(
                                            "select count(*) from information_schema.tables where table_schema = database()")
                                    .get(0, Integer.class))
                            .isZero();
                });
    }

    @Test
    void slowKeyspaceIsOutOfServiceWhileReachable() {
        runner.withPropertyValues(
                        "openinsure.db.url=" + server,
                        "openinsure.db.claims.health.degraded-latency=1ms",
                        "openinsure.db.claims.health.unhealthy-latency=5ms")
                .run(context -> {
                    OpenInsureDb db = context.getBean(OpenInsureDb.class);
                    db.claims().uncached().fetch("select sleep(0.05)");
                    CompositeHealthContributor health = (CompositeHealthContributor)
                            context.getBean("openinsureDbHealthContributor", HealthContributor.class);
                    Health claims = ((HealthIndicator) health.getContributor("claims")).health();
                    assertThat(claims.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
                    assertThat(claims.getDetails())
                            .containsEntry("status", "UNHEALTHY")
                            .containsEntry("circuit", "closed");
                    assertThat((String) claims.getDetails().get("reason")).contains("latency");
                    assertThat(((HealthIndicator) health.getContributor("policies"))
                                    .health()
                                    .getStatus())
                            .isEqualTo(Status.UP);
                });
    }

    @Test
    void shutdownClosesThePools() {
        List<OpenInsureDb> seen = new ArrayList<>();
        runner.withPropertyValues("openinsure.db.url=" + server).run(context -> {
            OpenInsureDb db = context.getBean(OpenInsureDb.class);
            assertThat(db.policies().dsl().fetchValue("select 1")).isEqualTo(1);
            assertThat(db.policies().poolStats().total()).isPositive();
            seen.add(db);
        });
        OpenInsureDb closed = seen.get(0);
        assertThat(closed.policies().poolStats().total()).isZero();
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> closed.policies().transaction(tx -> {}))
                .hasMessage("Keyspace 'policies': the client is closed.");
    }
}
