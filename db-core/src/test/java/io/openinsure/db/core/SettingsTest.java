package io.openinsure.db.core;

import static io.openinsure.db.core.TestSupport.configurationError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SettingsTest {

    // ---- durations ----------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "500ms,      PT0.5S",
        "1s,         PT1S",
        "25m,        PT25M",
        "2h,         PT2H",
        "0ms,        PT0S",
        "1S,         PT1S",
        "90M,        PT1H30M",
        "'10 m',     PT10M",
        "' 250ms ',  PT0.25S",
        "PT30S,      PT30S",
        "pt30s,      PT30S",
        "PT1H30M,    PT1H30M",
        "P1D,        PT24H",
    })
    void parsesDurations(String text, Duration expected) {
        assertThat(Settings.parseDuration(text)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", "soon", "1d", "-1s", "1.5s", "ms", "10 minutes", "1,5s", "s1", "30", "PT", "1h30m"})
    void rejectsMalformedDurations(String text) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Settings.parseDuration(text))
                .withMessage("not a duration: " + text);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "PT0.5S,   500ms",
        "PT1.5S,   1500ms",
        "PT0S,     0ms",
        "PT1S,     1s",
        "PT90S,    90s",
        "PT25M,    25m",
        "PT1H30M,  90m",
        "PT2H,     2h",
        "PT23H,    23h",
    })
    void formatsDurationsTheWayTheyAreWritten(Duration duration, String text) {
        assertThat(Settings.format(duration)).isEqualTo(text);
        assertThat(Settings.parseDuration(text)).isEqualTo(duration);
    }

    @Test
    void formatsOtherValuesWithToString() {
        assertThat(Settings.format(42)).isEqualTo("42");
    }

    // ---- keys -------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{1}")
    @CsvSource({
        "URL,            OI_DB_POLICIES_URL,                      oi.db.policies.url",
        "DIRECT_URL,     OI_DB_POLICIES_DIRECT_URL,               oi.db.policies.direct.url",
        "ADMIN_URL,      OI_DB_POLICIES_ADMIN_URL,                oi.db.policies.admin.url",
        "USER,           OI_DB_POLICIES_USER,                     oi.db.policies.user",
        "PASSWORD,       OI_DB_POLICIES_PASSWORD,                 oi.db.policies.password",
        "POOL_MAX_SIZE,  OI_DB_POLICIES_POOL_MAX_SIZE,            oi.db.policies.pool.max.size",
        "POOL_MIN_IDLE,  OI_DB_POLICIES_POOL_MIN_IDLE,            oi.db.policies.pool.min.idle",
        "POOL_CONNECTION_TIMEOUT, OI_DB_POLICIES_POOL_CONNECTION_TIMEOUT, oi.db.policies.pool.connection.timeout",
        "POOL_MAX_LIFETIME,  OI_DB_POLICIES_POOL_MAX_LIFETIME,    oi.db.policies.pool.max.lifetime",
        "POOL_KEEPALIVE_TIME, OI_DB_POLICIES_POOL_KEEPALIVE_TIME, oi.db.policies.pool.keepalive.time",
        "POOL_IDLE_TIMEOUT,  OI_DB_POLICIES_POOL_IDLE_TIMEOUT,    oi.db.policies.pool.idle.timeout",
        "OI_DB_URL,      OI_DB_URL,                               oi.db.url",
        "DATABASE_URL,   DATABASE_URL,                            database.url",
    })
    void keysAreDerivedFromTheBinding(String name, String key, String property) {
        Setting<?> setting = setting(name);

        assertThat(setting.key("policies")).isEqualTo(key);
        assertThat(ConfigSource.propertyKey(key)).isEqualTo(property);
        assertThat(setting.documentedKey())
                .isEqualTo(setting.scope() == Setting.Scope.GLOBAL ? name : "OI_DB_<BINDING>_" + name)
                .isEqualTo(setting.toString());
    }

    @Test
    void listsBindingSettingsFirstThenGlobalOnes() {
        List<Setting<?>> all = Settings.all();

        assertThat(all).hasSize(37).doesNotHaveDuplicates();
        assertThat(all.subList(0, 35)).allMatch(s -> s.scope() == Setting.Scope.BINDING);
        assertThat(all.subList(35, 37)).containsExactly(Settings.SHARED_URL, Settings.DATABASE_URL);
        assertThat(all).filteredOn(Setting::isSecret).containsExactly(Settings.PASSWORD);
    }

    @Test
    void declaresDefaults() {
        assertThat(Settings.POOL_MAX_SIZE.defaultValue()).isEqualTo(10);
        assertThat(Settings.POOL_MIN_IDLE.defaultValue()).isEqualTo(1);
        assertThat(Settings.POOL_CONNECTION_TIMEOUT.defaultValue()).isEqualTo(Duration.ofSeconds(1));
        assertThat(Settings.POOL_MAX_LIFETIME.defaultValue()).isEqualTo(Duration.ofMinutes(25));
        assertThat(Settings.POOL_KEEPALIVE_TIME.defaultValue()).isEqualTo(Duration.ofMinutes(2));
        assertThat(Settings.POOL_IDLE_TIMEOUT.defaultValue()).isEqualTo(Duration.ofMinutes(10));
        assertThat(Settings.URL.defaultValue()).isNull();
        assertThat(Settings.PASSWORD.defaultText()).isEqualTo("—");
        assertThat(Settings.MAX_ROWS.defaultValue()).isEqualTo(100_000);
        assertThat(Settings.MAX_WRITE_ROWS.defaultValue()).isEqualTo(100_000);
        assertThat(Settings.MAX_RESULT_BYTES.defaultValue()).isEqualTo(64L * 1024 * 1024);
        assertThat(Settings.TRANSACTION_TIMEOUT.defaultValue()).isEqualTo(Duration.ofSeconds(20));
        assertThat(Settings.STATEMENT_TIMEOUT.defaultValue()).isEqualTo(Duration.ofSeconds(900));
        assertThat(Settings.QUERY_TIMEOUT.defaultValue()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void markdownTableHasOneRowPerSetting() {
        List<String> lines = Settings.markdownTable().lines().toList();

        assertThat(lines).hasSize(2 + Settings.all().size());
        assertThat(lines.get(0)).isEqualTo("| key (environment) | system property | type | default | description |");
        assertThat(lines)
                .contains(
                        "| `OI_DB_<BINDING>_POOL_MAX_SIZE` | `oi.db.<binding>.pool.max.size` | integer 1–500 | 10 | "
                                + "maximum connections in the binding's pool |",
                        "| `OI_DB_<BINDING>_POOL_CONNECTION_TIMEOUT` | `oi.db.<binding>.pool.connection.timeout` | duration 250ms–1m | 1s | "
                                + Settings.POOL_CONNECTION_TIMEOUT.description() + " |",
                        "| `DATABASE_URL` | `database.url` | text | — | " + Settings.DATABASE_URL.description() + " |");
    }

    // ---- parsing and checking values ----------------------------------------------------------------

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "POOL_MAX_SIZE           | ten   | expected integer 1–500 but was 'ten'.",
                "POOL_MAX_SIZE           | 1.5   | expected integer 1–500 but was '1.5'.",
                "POOL_MIN_IDLE           | -     | expected integer 0–500 but was '-'.",
                "POOL_CONNECTION_TIMEOUT | fast  | expected duration 250ms–1m but was 'fast'.",
                "POOL_MAX_LIFETIME       | 1d    | expected duration 30s–23h but was '1d'.",
                "POOL_KEEPALIVE_TIME     | 5     | expected duration 30s–1h but was '5'.",
                "POOL_IDLE_TIMEOUT       | 10min | expected duration 10s–23h but was '10min'.",
                "POOL_MAX_SIZE           | 0     | pool max size must be between 1 and 500 but was 0.",
                "POOL_MAX_SIZE           | 501   | pool max size must be between 1 and 500 but was 501.",
                "POOL_MIN_IDLE           | -1    | pool min idle must be between 0 and 500 but was -1.",
                "POOL_CONNECTION_TIMEOUT | 100ms | pool connection timeout must be between 250ms and 1m but was 100ms.",
                "POOL_CONNECTION_TIMEOUT | PT2M  | pool connection timeout must be between 250ms and 1m but was 2m.",
                "POOL_MAX_LIFETIME       | 24h   | pool max lifetime must be between 30s and 23h but was 24h.",
                "POOL_KEEPALIVE_TIME     | 29s   | pool keepalive time must be between 30s and 1h but was 29s.",
                "POOL_IDLE_TIMEOUT       | 5s    | pool idle timeout must be between 10s and 23h but was 5s.",
            })
    void rejectsBadValuesNamingTheKey(String name, String raw, String problem) {
        Setting<?> setting = setting(name);
        String key = setting.key("policies");

        ConfigurationException e = configurationError(() -> setting.parse(raw, "policies"));

        assertThat(e).hasMessage("Keyspace 'policies': " + key + ": " + problem);
        assertThat(e.keyspace()).contains("policies");
        assertThat(e.setting()).contains(key);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
        "POOL_MAX_SIZE,            1",
        "POOL_MAX_SIZE,            500",
        "POOL_MIN_IDLE,            0",
        "POOL_CONNECTION_TIMEOUT,  250ms",
        "POOL_CONNECTION_TIMEOUT,  1m",
        "POOL_MAX_LIFETIME,        30s",
        "POOL_MAX_LIFETIME,        23h",
        "POOL_KEEPALIVE_TIME,      1h",
        "POOL_IDLE_TIMEOUT,        10s",
    })
    void acceptsTheBoundsThemselves(String name, String raw) {
        assertThat(setting(name).parse(raw, "policies")).isNotNull();
    }

    @Test
    void checkRejectsNullNamingTheKey() {
        assertThatNullPointerException()
                .isThrownBy(() -> Settings.POOL_MAX_SIZE.check(null, "policies"))
                .withMessage("OI_DB_POLICIES_POOL_MAX_SIZE must not be null");
    }

    private static Setting<?> setting(String name) {
        return Settings.all().stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow();
    }
}
