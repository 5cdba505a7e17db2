package io.openinsure.db.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigSourceTest {

    private static final String PROPERTY = "oi.db.policies.url";

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "OI_DB_POLICIES_URL,            oi.db.policies.url",
        "OI_DB_POLICIES_POOL_MAX_SIZE,  oi.db.policies.pool.max.size",
        "OI_DB_URL,                     oi.db.url",
        "DATABASE_URL,                  database.url",
    })
    void propertyKeyIsTheLowerCaseDottedKey(String envKey, String property) {
        assertThat(ConfigSource.propertyKey(envKey)).isEqualTo(property);
    }

    @Test
    void systemPropertiesAnswerEnvironmentStyleKeys() {
        String previous = System.getProperty(PROPERTY);
        try {
            System.setProperty(PROPERTY, "  mysql://prop-host/oi_policies  ");

            assertThat(ConfigSource.systemProperties().get("OI_DB_POLICIES_URL"))
                    .contains("mysql://prop-host/oi_policies");

            BindingConfig config = BindingConfig.builder("policies").build(ConfigSource.systemProperties());
            assertThat(config.url().jdbcUrl()).isEqualTo("jdbc:mysql://prop-host:3306/oi_policies");
            assertThat(config.urlSource()).isEqualTo("OI_DB_POLICIES_URL");

            System.setProperty(PROPERTY, "   ");
            assertThat(ConfigSource.systemProperties().get("OI_DB_POLICIES_URL"))
                    .isEmpty();
        } finally {
            if (previous == null) {
                System.clearProperty(PROPERTY);
            } else {
                System.setProperty(PROPERTY, previous);
            }
        }
        assertThat(ConfigSource.systemProperties().get("OI_DB_POLICIES_URL")).isEqualTo(Optional.ofNullable(previous));
    }

    @Test
    void ofStripsValuesAndTreatsBlankAsAbsent() {
        ConfigSource source = ConfigSource.of(Map.of("A", " 1 ", "B", "", "C", " \t "));

        assertThat(source.get("A")).contains("1");
        assertThat(source.get("B")).isEmpty();
        assertThat(source.get("C")).isEmpty();
        assertThat(source.get("D")).isEmpty();
    }

    @Test
    void ofCopiesTheMap() {
        Map<String, String> values = new HashMap<>(Map.of("A", "1"));
        ConfigSource source = ConfigSource.of(values);

        values.put("A", "2");
        values.put("B", "3");

        assertThat(source.get("A")).contains("1");
        assertThat(source.get("B")).isEmpty();
    }

    @Test
    void orElseAsksTheFallbackOnlyForMissingKeys() {
        ConfigSource source = ConfigSource.of(Map.of("A", "first", "B", " "))
                .orElse(ConfigSource.of(Map.of("A", "second", "B", "fallback", "C", "only-here")));

        assertThat(source.get("A")).contains("first");
        assertThat(source.get("B")).contains("fallback");
        assertThat(source.get("C")).contains("only-here");
        assertThat(source.get("D")).isEmpty();
        assertThatNullPointerException()
                .isThrownBy(() -> ConfigSource.empty().orElse(null))
                .withMessage("fallback");
    }

    @Test
    void emptyHasNoValues() {
        assertThat(ConfigSource.empty().get("DATABASE_URL")).isEmpty();
    }
}
