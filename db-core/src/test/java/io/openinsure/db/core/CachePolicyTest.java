package io.openinsure.db.core;

import static io.openinsure.db.core.TestSupport.configurationError;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The cache policy: defaults, the builder's checks and messages, and its resolution from settings. */
class CachePolicyTest {

    private static final String URL = "mysql://h/oi_policies";

    @Test
    void hasHyperdrivesDefaults() {
        CachePolicy p = CachePolicy.ofDefaults();
        assertThat(p.enabled()).isTrue();
        assertThat(p.maxAge()).isEqualTo(Duration.ofSeconds(60));
        assertThat(p.staleWhileRevalidate()).isEqualTo(Duration.ofSeconds(15));
        assertThat(p.maxEntries()).isEqualTo(10_000);
        assertThat(p.maxBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(p.maxResultBytes()).isEqualTo(50L * 1024 * 1024);
        assertThat(p)
                .hasToString(
                        "CachePolicy{maxAge=1m, staleWhileRevalidate=15s, maxEntries=10000, maxBytes=64MB, maxResultBytes=50MB}");
    }

    @Test
    void disabledIsTheDefaultsTurnedOff() {
        assertThat(CachePolicy.disabled().enabled()).isFalse();
        assertThat(CachePolicy.disabled().maxAge())
                .isEqualTo(CachePolicy.ofDefaults().maxAge());
        assertThat(CachePolicy.disabled()).hasToString("CachePolicy{disabled}");
        assertThat(CachePolicy.from(CachePolicy.disabled()).enabled(true).build())
                .isEqualTo(CachePolicy.ofDefaults());
    }

    @Test
    void customAndFromBuildEqualPolicies() {
        CachePolicy custom = CachePolicy.custom()
                .maxAge(Duration.ofSeconds(30))
                .staleWhileRevalidate(Duration.ZERO)
                .maxEntries(500)
                .maxBytes(8L * 1024 * 1024)
                .maxResultBytes(1024 * 1024)
                .build();
        CachePolicy copy = CachePolicy.from(custom).build();
        assertThat(copy).isEqualTo(custom).hasSameHashCodeAs(custom).isNotEqualTo(CachePolicy.ofDefaults());
        assertThat(CachePolicy.from(custom).maxEntries(501).build()).isNotEqualTo(custom);
        assertThat(custom.staleWhileRevalidate()).isZero();
    }

    @Test
    void eachSetterSaysWhatWasExpected() {
        assertThat(configurationError(() -> CachePolicy.custom().maxAge(Duration.ofHours(2))))
                .hasMessage("maxAge must be between 1s and 1h but was 2h");
        assertThat(configurationError(() -> CachePolicy.custom().maxAge(Duration.ofMillis(500))))
                .hasMessage("maxAge must be between 1s and 1h but was 500ms");
        assertThat(configurationError(() -> CachePolicy.custom().staleWhileRevalidate(Duration.ofMinutes(61))))
                .hasMessage("staleWhileRevalidate must be between 0ms and 1h but was 61m");
        assertThat(configurationError(() -> CachePolicy.custom().maxEntries(0)))
                .hasMessage("maxEntries must be between 1 and 10000000 but was 0");
        assertThat(configurationError(() -> CachePolicy.custom().maxBytes(1000)))
                .hasMessage("maxBytes must be between 1MB and 16GB but was 1000B");
        assertThat(configurationError(() -> CachePolicy.custom().maxResultBytes(2L * 1024 * 1024 * 1024)))
                .hasMessage("maxResultBytes must be between 1KB and 1GB but was 2GB");
        assertThat(configurationError(
                        () -> CachePolicy.custom().maxBytes(2L * 1024 * 1024).build()))
                .hasMessage("maxResultBytes (50MB) must not exceed maxBytes (2MB).");
    }

    @Test
    void theBoundsThemselvesAreAccepted() {
        CachePolicy p = CachePolicy.custom()
                .maxAge(Duration.ofSeconds(1))
                .maxAge(Duration.ofHours(1))
                .staleWhileRevalidate(Duration.ZERO)
                .staleWhileRevalidate(Duration.ofHours(1))
                .maxEntries(1)
                .maxEntries(10_000_000)
                .maxBytes(1024 * 1024)
                .maxResultBytes(1024)
                .build();
        assertThat(p.maxBytes()).isEqualTo(1024 * 1024);
    }

    // ---- from settings ---------------------------------------------------------------------------

    private static BindingConfig build(Map<String, String> env, Consumer<BindingConfig.Builder> code) {
        Map<String, String> all = new HashMap<>(env);
        all.put("OI_DB_POLICIES_URL", URL);
        BindingConfig.Builder b = BindingConfig.builder("policies");
        code.accept(b);
        return b.build(ConfigSource.of(all));
    }

    @Test
    void aBindingUsesTheDefaultPolicyUnlessToldOtherwise() {
        assertThat(build(Map.of(), b -> {}).cachePolicy()).isEqualTo(CachePolicy.ofDefaults());
    }

    @Test
    void readsEveryCacheSettingFromTheSource() {
        CachePolicy p = build(
                        Map.of(
                                "OI_DB_POLICIES_CACHE_ENABLED",
                                "FALSE",
                                "OI_DB_POLICIES_CACHE_MAX_AGE",
                                "30s",
                                "OI_DB_POLICIES_CACHE_STALE_WHILE_REVALIDATE",
                                "0ms",
                                "OI_DB_POLICIES_CACHE_MAX_ENTRIES",
                                "250",
                                "OI_DB_POLICIES_CACHE_MAX_BYTES",
                                "8MB",
                                "OI_DB_POLICIES_CACHE_MAX_RESULT_BYTES",
                                "512kb"),
                        b -> {})
                .cachePolicy();
        assertThat(p)
                .isEqualTo(CachePolicy.custom()
                        .enabled(false)
                        .maxAge(Duration.ofSeconds(30))
                        .staleWhileRevalidate(Duration.ZERO)
                        .maxEntries(250)
                        .maxBytes(8L * 1024 * 1024)
                        .maxResultBytes(512 * 1024)
                        .build());
    }

    @Test
    void codeWinsOverTheSourceAndAPolicyInCodeSetsEverySetting() {
        Map<String, String> env =
                Map.of("OI_DB_POLICIES_CACHE_MAX_AGE", "30s", "OI_DB_POLICIES_CACHE_ENABLED", "false");
        assertThat(build(env, b -> b.cacheMaxAge(Duration.ofMinutes(5)))
                        .cachePolicy()
                        .maxAge())
                .isEqualTo(Duration.ofMinutes(5));
        assertThat(build(env, b -> b.cachePolicy(CachePolicy.ofDefaults())).cachePolicy())
                .isEqualTo(CachePolicy.ofDefaults());
        assertThat(build(Map.of(), b -> b.cacheEnabled(false)).cachePolicy().enabled())
                .isFalse();
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "CACHE_ENABLED                | yes   | expected boolean but was 'yes'.",
                "CACHE_MAX_AGE                | 2h    | cache max age must be between 1s and 1h but was 2h.",
                "CACHE_MAX_AGE                | soon  | expected duration 1s–1h but was 'soon'.",
                "CACHE_STALE_WHILE_REVALIDATE | 90m   | cache stale while revalidate must be between 0ms and 1h but was 90m.",
                "CACHE_MAX_ENTRIES            | 0     | cache max entries must be between 1 and 10000000 but was 0.",
                "CACHE_MAX_BYTES              | 17GB  | cache max bytes must be between 1MB and 16GB but was 17GB.",
                "CACHE_MAX_BYTES              | 1.5MB | expected size 1MB–16GB but was '1.5MB'.",
                "CACHE_MAX_RESULT_BYTES       | 100B  | cache max result bytes must be between 1KB and 1GB but was 100B.",
            })
    void rejectsBadValuesNamingTheKey(String name, String raw, String problem) {
        String key = "OI_DB_POLICIES_" + name;
        ConfigurationException e = configurationError(() -> build(Map.of(key, raw), b -> {}));
        assertThat(e).hasMessage("Keyspace 'policies': " + key + ": " + problem);
        assertThat(e.setting()).contains(key);
    }

    @Test
    void theResultBoundMustFitTheCacheNamingBothKeys() {
        ConfigurationException e =
                configurationError(() -> build(Map.of("OI_DB_POLICIES_CACHE_MAX_BYTES", "2MB"), b -> {}));
        assertThat(e)
                .hasMessage("Keyspace 'policies': OI_DB_POLICIES_CACHE_MAX_RESULT_BYTES (50MB) must not exceed "
                        + "OI_DB_POLICIES_CACHE_MAX_BYTES (2MB).");
        assertThat(e.setting()).contains("OI_DB_POLICIES_CACHE_MAX_RESULT_BYTES");
    }

    @Test
    void builderSettersCheckAtOnce() {
        assertThat(configurationError(() -> BindingConfig.builder("policies").cacheMaxAge(Duration.ofHours(2))))
                .hasMessage(
                        "Keyspace 'policies': OI_DB_POLICIES_CACHE_MAX_AGE: cache max age must be between 1s and 1h but was 2h.");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "1024, 1024",
        "0, 0",
        "512KB, 524288",
        "512 kb, 524288",
        "50MB, 52428800",
        "1GB, 1073741824",
        "16gb, 17179869184",
        "10b, 10"
    })
    void parsesByteSizes(String text, long bytes) {
        assertThat(Settings.parseByteSize(text)).isEqualTo(bytes);
    }

    @ParameterizedTest(name = "''{0}''")
    @CsvSource({"''", "1.5MB", "-1", "MB", "1TB", "10 megabytes", "99999999999999999999"})
    void rejectsMalformedByteSizes(String text) {
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> Settings.parseByteSize(text)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a byte size: " + text);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"1024, 1KB", "1500, 1500B", "0, 0B", "52428800, 50MB", "1073741824, 1GB", "1049600, 1025KB"})
    void formatsByteSizesInTheLargestUnitThatDividesThem(long bytes, String text) {
        assertThat(Settings.formatByteSize(bytes)).isEqualTo(text);
    }
}
