package io.openinsure.db.domains;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openinsure.db.core.BindingConfig;
import io.openinsure.db.core.ConfigSource;
import io.openinsure.db.core.ConfigurationException;
import io.openinsure.db.core.ConnectionMode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Resolution of all six bindings, without opening anything. */
class OpenInsureDbConfigurationTest {

    @Test
    void withNothingConfiguredEveryBindingIsListedWithTheKeyToSet() {
        assertThatThrownBy(() -> OpenInsureDb.builder()
                        .configSource(ConfigSource.empty())
                        .build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith(
                        "6 bindings are misconfigured:\n  - Keyspace 'global': no connection string. Set OI_DB_GLOBAL_URL")
                .hasMessageContaining(
                        "  - Keyspace 'legacy': no connection string. Set OI_DB_LEGACY_URL (or the system property oi.db.legacy.url), OI_DB_URL, OI_DB_LEGACY_DIRECT_URL or DATABASE_URL")
                .satisfies(e -> assertThat(e.getSuppressed()).hasSize(6));
    }

    @Test
    void oneMisconfiguredBindingIsReportedAlone() {
        ConfigSource env = ConfigSource.of(Map.of("OI_DB_URL", "mysql://db:3306/", "OI_DB_BILLING_POOL_MAX_SIZE", "0"));
        assertThatThrownBy(() -> OpenInsureDb.builder().configSource(env).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage(
                        "Keyspace 'billing': OI_DB_BILLING_POOL_MAX_SIZE: pool max size must be between 1 and 500 but was 0.");
    }

    @Test
    void sharedUrlGivesEachBindingItsOwnDatabaseAndCodeWinsOverTheEnvironment() {
        ConfigSource env = ConfigSource.of(Map.of(
                "OI_DB_URL", "vitess://app:pw@vtgate:15306/openinsure@replica",
                "DATABASE_URL", "mysql://admin:pw@primary:3306/openinsure",
                "OI_DB_CLAIMS_POOL_MAX_SIZE", "3"));
        Map<Keyspace, BindingConfig> configs = OpenInsureDb.builder()
                .configSource(env)
                .defaults(b -> b.maxPoolSize(7))
                .binding(Keyspace.BILLING, b -> b.maxPoolSize(2).connectionTimeout(Duration.ofMillis(300)))
                .resolve();
        for (Keyspace k : Keyspace.values()) {
            BindingConfig c = configs.get(k);
            assertThat(c.mode()).isEqualTo(ConnectionMode.POOLED);
            assertThat(c.url().database()).contains(k.database() + "@replica");
            assertThat(c.url().jdbcUrl()).startsWith("jdbc:mysql://vtgate:15306/" + k.database() + "%40replica");
            assertThat(c.directUrl().orElseThrow().database()).contains(k.database());
            assertThat(c.adminUrl().describe()).isEqualTo("primary:3306/" + k.database());
        }
        assertThat(configs.get(Keyspace.BILLING).pool().maxSize())
                .as("per-binding code")
                .isEqualTo(2);
        assertThat(configs.get(Keyspace.CLAIMS).pool().maxSize())
                .as("shared code defaults win over the environment")
                .isEqualTo(7);
        assertThat(configs.get(Keyspace.POLICIES).pool().maxSize()).isEqualTo(7);
        assertThat(configs.get(Keyspace.BILLING).pool().connectionTimeout()).isEqualTo(Duration.ofMillis(300));
    }

    @Test
    void keyspacesMapToTheirDatabases() {
        assertThat(Keyspace.POLICIES.bindingName()).isEqualTo("policies");
        assertThat(Keyspace.LEGACY.database()).isEqualTo("openinsure");
        assertThat(Keyspace.values())
                .extracting(Keyspace::database)
                .containsExactly("oi_global", "oi_policies", "oi_submissions", "oi_claims", "oi_billing", "openinsure");
    }
}
