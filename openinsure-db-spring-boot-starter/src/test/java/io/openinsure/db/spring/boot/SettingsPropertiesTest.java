package io.openinsure.db.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openinsure.db.core.Setting;
import io.openinsure.db.core.Settings;
import io.openinsure.db.domains.Keyspace;
import java.io.InputStream;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every SDK setting has its {@code openinsure.db.*} property, per binding and (except the connection strings) shared
 * under {@code openinsure.db.defaults}, in the configuration metadata that the processor generated from
 * {@link OpenInsureDbProperties}; no property exists that the SDK would not read; descriptions state the SDK's default.
 */
class SettingsPropertiesTest {

    private static final Set<String> STARTER_FLAGS = Set.of(
            "openinsure.db.enabled",
            "openinsure.db.migrate-on-start",
            "openinsure.db.sdk-environment",
            "openinsure.db.allow-cross-keyspace-legacy-transactions");

    private static Map<String, JsonNode> metadata;

    @BeforeAll
    static void readMetadata() throws Exception {
        metadata = new HashMap<>();
        try (InputStream in =
                SettingsPropertiesTest.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("generated configuration metadata").isNotNull();
            for (JsonNode property : new ObjectMapper().readTree(in).path("properties")) {
                String name = property.path("name").asText();
                if (name.startsWith("openinsure.db.")) {
                    metadata.put(name, property);
                }
            }
        }
    }

    @Test
    void everySettingHasItsPropertiesAndNothingElseIsDeclared() {
        Set<String> expected = new HashSet<>(STARTER_FLAGS);
        for (Setting<?> setting : Settings.all()) {
            if (setting.scope() == Setting.Scope.GLOBAL) {
                expected.add("openinsure.db." + SpringConfigSource.path(setting));
                continue;
            }
            for (Keyspace k : Keyspace.values()) {
                expected.add("openinsure.db." + k.bindingName() + "." + SpringConfigSource.path(setting));
            }
            if (SpringConfigSource.isSharable(setting)) {
                expected.add("openinsure.db.defaults." + SpringConfigSource.path(setting));
            }
        }
        assertThat(metadata.keySet()).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void descriptionsStateTheSdkDefault() {
        for (Setting<?> setting : Settings.all()) {
            if (setting.defaultValue() == null) {
                continue;
            }
            for (String owner : List.of("policies", "defaults")) {
                JsonNode property = metadata.get("openinsure.db." + owner + "." + SpringConfigSource.path(setting));
                assertThat(property.path("description").asText())
                        .as(setting.documentedKey())
                        .contains("default " + setting.defaultText() + ")");
                assertThat(property.path("type").asText()).isEqualTo("java.lang.String");
            }
        }
    }

    @Test
    void sdkKeysMapToPropertiesMostSpecificFirst() {
        assertThat(SpringConfigSource.propertyNames("OI_DB_POLICIES_POOL_MAX_SIZE"))
                .containsExactly("openinsure.db.policies.pool.max-size", "openinsure.db.defaults.pool.max-size");
        assertThat(SpringConfigSource.propertyNames("OI_DB_LEGACY_CACHE_STALE_WHILE_REVALIDATE"))
                .containsExactly(
                        "openinsure.db.legacy.cache.stale-while-revalidate",
                        "openinsure.db.defaults.cache.stale-while-revalidate");
        assertThat(SpringConfigSource.propertyNames("OI_DB_CLAIMS_MAX_RESULT_BYTES"))
                .containsExactly("openinsure.db.claims.max-result-bytes", "openinsure.db.defaults.max-result-bytes");
        assertThat(SpringConfigSource.propertyNames("OI_DB_BILLING_URL")).containsExactly("openinsure.db.billing.url");
        assertThat(SpringConfigSource.propertyNames("OI_DB_BILLING_ADMIN_URL"))
                .containsExactly("openinsure.db.billing.admin-url");
        assertThat(SpringConfigSource.propertyNames("OI_DB_URL")).containsExactly("openinsure.db.url");
        assertThat(SpringConfigSource.propertyNames("DATABASE_URL")).containsExactly("openinsure.db.database-url");
        assertThat(SpringConfigSource.propertyNames("OI_DB_NOPE_URL")).isEmpty();
    }
}
