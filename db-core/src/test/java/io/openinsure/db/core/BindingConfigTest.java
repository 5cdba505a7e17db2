package io.openinsure.db.core;

import static io.openinsure.db.core.TestSupport.assertNoSecret;
import static io.openinsure.db.core.TestSupport.configurationError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.openinsure.db.core.DatabaseUrl.TabletType;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class BindingConfigTest {

    // environment-style keys of the binding "policies"
    private static final String URL = "OI_DB_POLICIES_URL";
    private static final String DIRECT_URL = "OI_DB_POLICIES_DIRECT_URL";
    private static final String ADMIN_URL = "OI_DB_POLICIES_ADMIN_URL";
    private static final String SHARED_URL = "OI_DB_URL";
    private static final String DATABASE_URL = "DATABASE_URL";

    private static final Map<String, String> EVERY_URL = Map.of(
            URL, "mysql://per-host/oi_policies",
            SHARED_URL, "mysql://shared-host",
            DIRECT_URL, "mysql://direct-host/oi_policies",
            DATABASE_URL, "mysql://db-host");
    private static final String A_URL = "mysql://h/oi_policies";

    /** The binding under test, as an application declares it. */
    private static BindingConfig.Builder policies() {
        return BindingConfig.builder("policies").defaultDatabase("oi_policies");
    }

    private static BindingConfig build(Map<String, String> env) {
        return policies().build(ConfigSource.of(env));
    }

    private static Map<String, String> with(Map<String, String> base, String... keyValues) {
        Map<String, String> copy = new HashMap<>(base);
        for (int i = 0; i < keyValues.length; i += 2) {
            copy.put(keyValues[i], keyValues[i + 1]);
        }
        return copy;
    }

    private static Map<String, String> without(Map<String, String> base, String... keys) {
        Map<String, String> copy = new HashMap<>(base);
        for (String key : keys) {
            copy.remove(key);
        }
        return copy;
    }

    // ---- binding names ------------------------------------------------------------------------------

    @ParameterizedTest(name = "''{0}''")
    @NullSource
    @ValueSource(
            strings = {
                "",
                "Policies",
                "POLICIES",
                "1policies",
                "_policies",
                "policies-v2",
                "oi.policies",
                "pol icies",
                "polícies",
                "abcdefghijklmnopqrstuvwxyz_abcde"
            })
    void rejectsInvalidBindingNames(String name) {
        ConfigurationException e = configurationError(() -> BindingConfig.builder(name));

        assertThat(e)
                .hasMessage("Binding name '" + name + "' is invalid: use a lower-case identifier such as 'policies'"
                        + " (letters, digits, '_', at most 31 characters).");
        assertThat(e.keyspace()).isEmpty();
        assertThat(e.setting()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"p", "policies", "oi_policies_v2", "abcdefghijklmnopqrstuvwxyz_abcd"})
    void acceptsLowerCaseIdentifiers(String name) {
        assertThat(BindingConfig.builder(name).name()).isEqualTo(name);
        assertThat(BindingConfig.builder(name).url(A_URL).build().name()).isEqualTo(name);
    }

    // ---- builder setters ----------------------------------------------------------------------------

    /** A setter call that must fail at once, the key it must name and the problem after the key. */
    record Rejected(String call, Consumer<BindingConfig.Builder> setter, String key, String problem) {
        @Override
        public String toString() {
            return call;
        }
    }

    static Stream<Rejected> rejectedSetterValues() {
        return Stream.of(
                new Rejected(
                        "maxPoolSize(0)",
                        b -> b.maxPoolSize(0),
                        "OI_DB_POLICIES_POOL_MAX_SIZE",
                        "pool max size must be between 1 and 500 but was 0."),
                new Rejected(
                        "maxPoolSize(501)",
                        b -> b.maxPoolSize(501),
                        "OI_DB_POLICIES_POOL_MAX_SIZE",
                        "pool max size must be between 1 and 500 but was 501."),
                new Rejected(
                        "minIdle(-1)",
                        b -> b.minIdle(-1),
                        "OI_DB_POLICIES_POOL_MIN_IDLE",
                        "pool min idle must be between 0 and 500 but was -1."),
                new Rejected(
                        "minIdle(501)",
                        b -> b.minIdle(501),
                        "OI_DB_POLICIES_POOL_MIN_IDLE",
                        "pool min idle must be between 0 and 500 but was 501."),
                new Rejected(
                        "connectionTimeout(100ms)",
                        b -> b.connectionTimeout(Duration.ofMillis(100)),
                        "OI_DB_POLICIES_POOL_CONNECTION_TIMEOUT",
                        "pool connection timeout must be between 250ms and 1m but was 100ms."),
                new Rejected(
                        "connectionTimeout(61s)",
                        b -> b.connectionTimeout(Duration.ofSeconds(61)),
                        "OI_DB_POLICIES_POOL_CONNECTION_TIMEOUT",
                        "pool connection timeout must be between 250ms and 1m but was 61s."),
                new Rejected(
                        "maxLifetime(10s)",
                        b -> b.maxLifetime(Duration.ofSeconds(10)),
                        "OI_DB_POLICIES_POOL_MAX_LIFETIME",
                        "pool max lifetime must be between 30s and 23h but was 10s."),
                new Rejected(
                        "maxLifetime(24h)",
                        b -> b.maxLifetime(Duration.ofHours(24)),
                        "OI_DB_POLICIES_POOL_MAX_LIFETIME",
                        "pool max lifetime must be between 30s and 23h but was 24h."),
                new Rejected(
                        "keepaliveTime(29s)",
                        b -> b.keepaliveTime(Duration.ofSeconds(29)),
                        "OI_DB_POLICIES_POOL_KEEPALIVE_TIME",
                        "pool keepalive time must be between 30s and 1h but was 29s."),
                new Rejected(
                        "keepaliveTime(2h)",
                        b -> b.keepaliveTime(Duration.ofHours(2)),
                        "OI_DB_POLICIES_POOL_KEEPALIVE_TIME",
                        "pool keepalive time must be between 30s and 1h but was 2h."),
                new Rejected(
                        "idleTimeout(5s)",
                        b -> b.idleTimeout(Duration.ofSeconds(5)),
                        "OI_DB_POLICIES_POOL_IDLE_TIMEOUT",
                        "pool idle timeout must be between 10s and 23h but was 5s."),
                new Rejected(
                        "idleTimeout(-1ms)",
                        b -> b.idleTimeout(Duration.ofMillis(-1)),
                        "OI_DB_POLICIES_POOL_IDLE_TIMEOUT",
                        "pool idle timeout must be between 10s and 23h but was -1ms."),
                new Rejected(
                        "url(localhost)",
                        b -> b.url("localhost"),
                        URL,
                        "invalid connection string: 'localhost' has no scheme. Expected " + DatabaseUrl.SUPPORTED_FORMS
                                + "."),
                new Rejected(
                        "url(null)",
                        b -> b.url(null),
                        URL,
                        "invalid connection string: the connection string is empty. Expected "
                                + DatabaseUrl.SUPPORTED_FORMS + "."),
                new Rejected(
                        "directUrl(port 0)",
                        b -> b.directUrl("mysql://alice:s3cr3t@h:0/db"),
                        DIRECT_URL,
                        "invalid connection string: the port 0 in 'mysql://alice:****@h:0/db' is out of range; expected 1 to 65535."),
                new Rejected(
                        "adminUrl(vitess without keyspace)",
                        b -> b.adminUrl("vitess://vtgate"),
                        ADMIN_URL,
                        "invalid connection string: 'vitess://vtgate' names no keyspace. Expected vitess://host:port/keyspace"
                                + "[@primary|@replica|@rdonly], e.g. vitess://localhost:15306/oi_policies@primary."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejectedSetterValues")
    void settersRejectBadValuesAtOnce(Rejected r) {
        BindingConfig.Builder builder = policies();

        ConfigurationException e = configurationError(() -> r.setter().accept(builder));

        assertThat(e).hasMessage("Keyspace 'policies': " + r.key() + ": " + r.problem());
        assertThat(e.keyspace()).contains("policies");
        assertThat(e.setting()).contains(r.key());
    }

    @Test
    void settersAcceptTheBounds() {
        assertThatNoException()
                .isThrownBy(() -> policies()
                        .maxPoolSize(1)
                        .maxPoolSize(500)
                        .minIdle(0)
                        .minIdle(500)
                        .connectionTimeout(Duration.ofMillis(250))
                        .connectionTimeout(Duration.ofMinutes(1))
                        .maxLifetime(Duration.ofSeconds(30))
                        .maxLifetime(Duration.ofHours(23))
                        .keepaliveTime(Duration.ofSeconds(30))
                        .keepaliveTime(Duration.ofHours(1))
                        .idleTimeout(Duration.ofSeconds(10))
                        .idleTimeout(Duration.ofHours(23)));
    }

    // ---- pool settings --------------------------------------------------------------------------------

    @Test
    void usesTheDefaultPoolSettings() {
        assertThat(build(Map.of(URL, A_URL)).pool())
                .isEqualTo(new PoolSettings(
                        10,
                        1,
                        Duration.ofSeconds(1),
                        Duration.ofMinutes(25),
                        Duration.ofMinutes(2),
                        Duration.ofMinutes(10)));
    }

    @Test
    void readsPoolSettingsFromTheSource() {
        BindingConfig config = build(Map.of(
                URL,
                A_URL,
                "OI_DB_POLICIES_POOL_MAX_SIZE",
                " 20 ",
                "OI_DB_POLICIES_POOL_MIN_IDLE",
                "5",
                "OI_DB_POLICIES_POOL_CONNECTION_TIMEOUT",
                "500ms",
                "OI_DB_POLICIES_POOL_MAX_LIFETIME",
                "PT30M",
                "OI_DB_POLICIES_POOL_KEEPALIVE_TIME",
                "1m",
                "OI_DB_POLICIES_POOL_IDLE_TIMEOUT",
                "2h",
                "OI_DB_CLAIMS_POOL_MAX_SIZE",
                "50"));

        assertThat(config.pool())
                .isEqualTo(new PoolSettings(
                        20,
                        5,
                        Duration.ofMillis(500),
                        Duration.ofMinutes(30),
                        Duration.ofMinutes(1),
                        Duration.ofHours(2)));
    }

    @Test
    void codeWinsOverTheSourceAndBlankValuesCountAsAbsent() {
        BindingConfig config = policies()
                .maxPoolSize(30)
                .connectionTimeout(Duration.ofSeconds(2))
                .build(ConfigSource.of(Map.of(
                        URL,
                        A_URL,
                        "OI_DB_POLICIES_POOL_MAX_SIZE",
                        "20",
                        "OI_DB_POLICIES_POOL_CONNECTION_TIMEOUT",
                        "5s",
                        "OI_DB_POLICIES_POOL_MIN_IDLE",
                        "   ")));

        assertThat(config.pool().maxSize()).isEqualTo(30);
        assertThat(config.pool().connectionTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.pool().minIdle()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "OI_DB_POLICIES_POOL_MAX_SIZE           | ten  | expected integer 1–500 but was 'ten'.",
                "OI_DB_POLICIES_POOL_MAX_SIZE           | 0    | pool max size must be between 1 and 500 but was 0.",
                "OI_DB_POLICIES_POOL_MIN_IDLE           | one  | expected integer 0–500 but was 'one'.",
                "OI_DB_POLICIES_POOL_CONNECTION_TIMEOUT | fast | expected duration 250ms–1m but was 'fast'.",
                "OI_DB_POLICIES_POOL_MAX_LIFETIME       | 48h  | pool max lifetime must be between 30s and 23h but was 48h.",
            })
    void rejectsBadValuesFromTheSourceNamingKeyAndType(String key, String raw, String problem) {
        ConfigurationException e = configurationError(() -> build(Map.of(URL, A_URL, key, raw)));

        assertThat(e).hasMessage("Keyspace 'policies': " + key + ": " + problem);
        assertThat(e.setting()).contains(key);
        assertThat(e.keyspace()).contains("policies");
    }

    @Test
    void minIdleMustNotExceedMaxPoolSize() {
        ConfigurationException e =
                configurationError(() -> policies().url(A_URL).minIdle(20).build());

        assertThat(e)
                .hasMessage("Keyspace 'policies': OI_DB_POLICIES_POOL_MIN_IDLE (20) must not exceed"
                        + " OI_DB_POLICIES_POOL_MAX_SIZE (10).");
        assertThat(e.setting()).contains("OI_DB_POLICIES_POOL_MIN_IDLE");
        assertThat(policies()
                        .url(A_URL)
                        .minIdle(10)
                        .maxPoolSize(10)
                        .build()
                        .pool()
                        .minIdle())
                .isEqualTo(10);
    }

    @Test
    void minIdleIsCheckedAgainstMaxPoolSizeFromTheSource() {
        ConfigurationException e = configurationError(() ->
                build(Map.of(URL, A_URL, "OI_DB_POLICIES_POOL_MAX_SIZE", "4", "OI_DB_POLICIES_POOL_MIN_IDLE", "5")));

        assertThat(e)
                .hasMessage("Keyspace 'policies': OI_DB_POLICIES_POOL_MIN_IDLE (5) must not exceed"
                        + " OI_DB_POLICIES_POOL_MAX_SIZE (4).");
    }

    @Test
    void keepaliveMustBeLessThanMaxLifetime() {
        ConfigurationException e = configurationError(() -> policies()
                .url(A_URL)
                .keepaliveTime(Duration.ofHours(1))
                .maxLifetime(Duration.ofHours(1))
                .build());

        assertThat(e)
                .hasMessage("Keyspace 'policies': OI_DB_POLICIES_POOL_KEEPALIVE_TIME (1h) must be less than"
                        + " OI_DB_POLICIES_POOL_MAX_LIFETIME (1h).");
        assertThat(e.setting()).contains("OI_DB_POLICIES_POOL_KEEPALIVE_TIME");
    }

    @Test
    void defaultKeepaliveIsCheckedAgainstAShortMaxLifetime() {
        ConfigurationException e =
                configurationError(() -> build(Map.of(URL, A_URL, "OI_DB_POLICIES_POOL_MAX_LIFETIME", "90s")));

        assertThat(e)
                .hasMessage("Keyspace 'policies': OI_DB_POLICIES_POOL_KEEPALIVE_TIME (2m) must be less than"
                        + " OI_DB_POLICIES_POOL_MAX_LIFETIME (90s).");
    }

    @Test
    void withDefaultsFromCopiesOnlyWhatIsNotSetHere() {
        BindingConfig.Builder shared =
                BindingConfig.builder("shared").maxPoolSize(25).minIdle(3).url(A_URL);

        BindingConfig config =
                policies().maxPoolSize(40).withDefaultsFrom(shared).build();

        assertThat(config.pool().maxSize()).isEqualTo(40);
        assertThat(config.pool().minIdle()).isEqualTo(3);
        assertThat(config.url().jdbcUrl()).isEqualTo("jdbc:mysql://h:3306/oi_policies");
    }

    // ---- URL resolution -------------------------------------------------------------------------------

    /** Values set in code and in the source, and the resolved runtime URL; {@code direct} is {@code null} when absent. */
    record Resolution(
            String description,
            UnaryOperator<BindingConfig.Builder> code,
            Map<String, String> env,
            ConnectionMode mode,
            String urlSource,
            String url,
            String direct) {
        @Override
        public String toString() {
            return description;
        }
    }

    static Stream<Resolution> resolutions() {
        UnaryOperator<BindingConfig.Builder> none = b -> b;
        return Stream.of(
                new Resolution(
                        "url(...) in code wins over every key",
                        b -> b.url("mysql://code-host/oi_policies"),
                        EVERY_URL,
                        ConnectionMode.POOLED,
                        "code",
                        "jdbc:mysql://code-host:3306/oi_policies",
                        "jdbc:mysql://direct-host:3306/oi_policies"),
                new Resolution(
                        "OI_DB_POLICIES_URL wins over the shared and direct URLs",
                        none,
                        EVERY_URL,
                        ConnectionMode.POOLED,
                        URL,
                        "jdbc:mysql://per-host:3306/oi_policies",
                        "jdbc:mysql://direct-host:3306/oi_policies"),
                new Resolution(
                        "OI_DB_URL wins over the direct URLs",
                        none,
                        without(EVERY_URL, URL),
                        ConnectionMode.POOLED,
                        SHARED_URL,
                        "jdbc:mysql://shared-host:3306/oi_policies",
                        "jdbc:mysql://direct-host:3306/oi_policies"),
                new Resolution(
                        "OI_DB_POLICIES_DIRECT_URL wins over DATABASE_URL",
                        none,
                        without(EVERY_URL, URL, SHARED_URL),
                        ConnectionMode.DIRECT,
                        DIRECT_URL,
                        "jdbc:mysql://direct-host:3306/oi_policies",
                        null),
                new Resolution(
                        "DATABASE_URL is the last fallback",
                        none,
                        Map.of(DATABASE_URL, "mysql://db-host"),
                        ConnectionMode.DIRECT,
                        DATABASE_URL,
                        "jdbc:mysql://db-host:3306/oi_policies",
                        null),
                new Resolution(
                        "DATABASE_URL is the direct fallback of a pooled binding",
                        none,
                        Map.of(URL, "mysql://per-host/oi_policies", DATABASE_URL, "mysql://db-host"),
                        ConnectionMode.POOLED,
                        URL,
                        "jdbc:mysql://per-host:3306/oi_policies",
                        "jdbc:mysql://db-host:3306/oi_policies"),
                new Resolution(
                        "OI_DB_URL alone",
                        none,
                        Map.of(SHARED_URL, "mysql://shared-host"),
                        ConnectionMode.POOLED,
                        SHARED_URL,
                        "jdbc:mysql://shared-host:3306/oi_policies",
                        null),
                new Resolution(
                        "directUrl(...) in code wins over the direct keys",
                        b -> b.directUrl("mysql://code-direct/oi_policies"),
                        without(EVERY_URL, URL, SHARED_URL),
                        ConnectionMode.DIRECT,
                        "code",
                        "jdbc:mysql://code-direct:3306/oi_policies",
                        null),
                new Resolution(
                        "directUrl(...) in code is the fallback of a pooled binding",
                        b -> b.directUrl("mysql://code-direct/oi_policies"),
                        EVERY_URL,
                        ConnectionMode.POOLED,
                        URL,
                        "jdbc:mysql://per-host:3306/oi_policies",
                        "jdbc:mysql://code-direct:3306/oi_policies"),
                new Resolution(
                        "a direct URL equal to the runtime URL is no fallback",
                        none,
                        Map.of(URL, "mysql://h", DIRECT_URL, "mysql://h/oi_policies"),
                        ConnectionMode.POOLED,
                        URL,
                        "jdbc:mysql://h:3306/oi_policies",
                        null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("resolutions")
    void resolvesTheRuntimeUrlInOrder(Resolution r) {
        BindingConfig config = r.code().apply(policies()).build(ConfigSource.of(r.env()));

        assertThat(config.mode()).isEqualTo(r.mode());
        assertThat(config.urlSource()).isEqualTo(r.urlSource());
        assertThat(config.url().jdbcUrl()).isEqualTo(r.url());
        assertThat(config.directUrl().map(DatabaseUrl::jdbcUrl)).isEqualTo(Optional.ofNullable(r.direct()));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {SHARED_URL, DATABASE_URL})
    void sharedUrlsConnectToTheBindingsOwnDatabase(String key) {
        assertThat(build(Map.of(key, "mysql://alice:s3cr3t@shared-host:3307/other_db?useSSL=true"))
                        .url()
                        .jdbcUrl())
                .isEqualTo("jdbc:mysql://shared-host:3307/oi_policies?useSSL=true");

        BindingConfig vitess = build(Map.of(key, "vitess://vtgate:15306/any_keyspace@replica"));
        assertThat(vitess.url().jdbcUrl()).isEqualTo("jdbc:mysql://vtgate:15306/oi_policies%40replica");
        assertThat(vitess.url().tabletType()).contains(TabletType.REPLICA);
        assertThat(vitess.url().keyspace()).contains("oi_policies");
    }

    @Test
    void sharedUrlsKeepTheirDatabaseWithoutADefaultDatabase() {
        ConfigSource source = ConfigSource.of(Map.of(SHARED_URL, "mysql://shared-host/shared_db"));

        assertThat(BindingConfig.builder("policies").build(source).url().database())
                .contains("shared_db");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "mysql://per-host,                          jdbc:mysql://per-host:3306/oi_policies",
        "mysql://per-host/,                         jdbc:mysql://per-host:3306/oi_policies",
        "mysql://per-host/oi_custom,                jdbc:mysql://per-host:3306/oi_custom",
        "postgres://pg?sslmode=require,             jdbc:postgresql://pg:5432/oi_policies?sslmode=require",
        "vitess://vtgate/oi_custom@replica,         jdbc:mysql://vtgate:15306/oi_custom%40replica",
        "jdbc:mysql://per-host:3306/,               jdbc:mysql://per-host:3306/",
    })
    void aBindingsOwnUrlGetsTheDefaultDatabaseOnlyWhenItNamesNone(String perBindingUrl, String jdbcUrl) {
        assertThat(build(Map.of(URL, perBindingUrl)).url().jdbcUrl()).isEqualTo(jdbcUrl);
        assertThat(policies().url(perBindingUrl).build().url().jdbcUrl()).isEqualTo(jdbcUrl);
        assertThat(build(Map.of(DIRECT_URL, perBindingUrl)).url().jdbcUrl()).isEqualTo(jdbcUrl);
    }

    @Test
    void missingUrlNamesEveryKeyThatCouldProvideIt() {
        String expected = "Keyspace 'policies': no connection string. Set OI_DB_POLICIES_URL (or the system property"
                + " oi.db.policies.url), OI_DB_URL, OI_DB_POLICIES_DIRECT_URL or DATABASE_URL to "
                + DatabaseUrl.SUPPORTED_FORMS + ".";

        for (ConfigSource source : new ConfigSource[] {
            ConfigSource.empty(),
            ConfigSource.of(Map.of(URL, "  ", "OI_DB_CLAIMS_URL", A_URL, "OI_DB_POLICIES_POOL_MAX_SIZE", "5"))
        }) {
            ConfigurationException e = configurationError(() -> policies().build(source));
            assertThat(e).hasMessage(expected);
            assertThat(e.getMessage())
                    .contains("OI_DB_POLICIES_URL", "oi.db.policies.url", "OI_DB_URL", "DATABASE_URL");
            assertThat(e.keyspace()).contains("policies");
            assertThat(e.setting()).contains("OI_DB_POLICIES_URL");
        }
        assertThat(configurationError(() -> policies().build())).hasMessage(expected);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {URL, SHARED_URL, DIRECT_URL, ADMIN_URL, DATABASE_URL})
    void malformedUrlsFromTheSourceNameTheirKey(String key) {
        Map<String, String> env = with(Map.of(DIRECT_URL, A_URL), key, "mysql://alice:s3cr3t@h:0/db");

        ConfigurationException e = configurationError(() -> build(env));

        assertThat(e)
                .hasMessage("Keyspace 'policies': " + key + ": invalid connection string: the port 0 in"
                        + " 'mysql://alice:****@h:0/db' is out of range; expected 1 to 65535.");
        assertThat(e.setting()).contains(key);
    }

    @Test
    void buildChecksTheRuntimeUrlsDriver() {
        assumeFalse(JdbcDriver.MARIADB_CONNECTOR_J.isAvailable(), "MariaDB Connector/J is on the test classpath");

        ConfigurationException e = configurationError(() -> build(Map.of(SHARED_URL, "jdbc:mariadb://h/oi")));

        assertThat(e.getMessage())
                .startsWith("Keyspace 'policies': OI_DB_URL: the URL jdbc:mariadb://h/oi needs the JDBC driver"
                        + " org.mariadb.jdbc.Driver");
        assertThat(e.setting()).contains(SHARED_URL);
    }

    // ---- admin URL --------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("adminUrls")
    void resolvesTheAdminUrl(
            String description, UnaryOperator<BindingConfig.Builder> code, Map<String, String> env, String adminUrl) {
        assertThat(code.apply(policies()).build(ConfigSource.of(env)).adminUrl().jdbcUrl())
                .isEqualTo(adminUrl);
    }

    static Stream<Arguments> adminUrls() {
        UnaryOperator<BindingConfig.Builder> none = b -> b;
        Map<String, String> all = with(EVERY_URL, ADMIN_URL, "mysql://admin-host");
        return Stream.of(
                Arguments.of(
                        "adminUrl(...) in code first",
                        (UnaryOperator<BindingConfig.Builder>) b -> b.adminUrl("mysql://code-admin/oi_admin"),
                        all,
                        "jdbc:mysql://code-admin:3306/oi_admin"),
                Arguments.of(
                        "then OI_DB_POLICIES_ADMIN_URL, with the default database",
                        none,
                        all,
                        "jdbc:mysql://admin-host:3306/oi_policies"),
                Arguments.of(
                        "then DATABASE_URL, with the binding's database",
                        none,
                        EVERY_URL,
                        "jdbc:mysql://db-host:3306/oi_policies"),
                Arguments.of(
                        "then the runtime URL",
                        none,
                        without(EVERY_URL, DATABASE_URL),
                        "jdbc:mysql://per-host:3306/oi_policies"));
    }

    @Test
    void adminUrlIsTheRuntimeUrlWhenNothingElseIsSet() {
        BindingConfig config = build(Map.of(URL, A_URL));

        assertThat(config.adminUrl()).isSameAs(config.url());
    }

    // ---- credentials ------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            nullValues = "-",
            value = {
                "url credentials only            | mysql://alice:s3cr3t@h/oi         | -     | -       | alice | s3cr3t",
                "url query credentials           | mysql://h/oi?user=alice&password=s3cr3t | - | -     | alice | s3cr3t",
                "USER and PASSWORD override      | mysql://alice:s3cr3t@h/oi         | bob   | envpass | bob   | envpass",
                "PASSWORD alone overrides        | mysql://alice:s3cr3t@h/oi         | -     | envpass | alice | envpass",
                "USER and PASSWORD without url's | mysql://h/oi                      | bob   | envpass | bob   | envpass",
                "no credentials anywhere         | mysql://h/oi                      | -     | -       | -     | -",
            })
    void userAndPasswordSettingsOverrideTheUrls(
            String description, String url, String envUser, String envPassword, String user, String password) {
        Map<String, String> env = new HashMap<>(Map.of(URL, url));
        if (envUser != null) {
            env.put("OI_DB_POLICIES_USER", envUser);
        }
        if (envPassword != null) {
            env.put("OI_DB_POLICIES_PASSWORD", envPassword);
        }

        BindingConfig config = build(env);

        assertThat(config.user()).isEqualTo(Optional.ofNullable(user));
        assertThat(config.password()).isEqualTo(Optional.ofNullable(password));
    }

    @Test
    void credentialsInCodeWinOverTheSource() {
        BindingConfig config = policies()
                .user("carol")
                .password("c0depass")
                .build(ConfigSource.of(Map.of(
                        URL,
                        "mysql://alice:s3cr3t@h/oi",
                        "OI_DB_POLICIES_USER",
                        "bob",
                        "OI_DB_POLICIES_PASSWORD",
                        "envpass")));

        assertThat(config.user()).contains("carol");
        assertThat(config.password()).contains("c0depass");
    }

    @Test
    void toStringNeverShowsAPassword() {
        BindingConfig config = policies()
                .password("c0d3pw!")
                .build(ConfigSource.of(Map.of(
                        URL, "mysql://alice:s3cr3t@per-host/oi_policies?useSSL=true",
                        DIRECT_URL, "mysql://alice:d1r3ct@direct-host/oi_policies",
                        ADMIN_URL, "mysql://root:r00tpw@admin-host")));

        String text = config.toString();

        assertThat(text)
                .isEqualTo("BindingConfig{policies, mode=pooled,"
                        + " url=mysql://alice:****@per-host:3306/oi_policies?useSSL=true (from OI_DB_POLICIES_URL),"
                        + " directUrl=mysql://alice:****@direct-host:3306/oi_policies, adminUrl=mysql://root:****@admin-host:3306/oi_policies,"
                        + " user=alice, password=****, pool=" + config.pool() + ", cache=" + config.cachePolicy()
                        + ", limits=" + config.limits()
                        + "}");
        for (String secret : new String[] {"s3cr3t", "d1r3ct", "r00tpw", "c0d3pw!"}) {
            assertNoSecret(text, secret);
        }
    }

    @Test
    void toStringOfABindingWithoutCredentials() {
        assertThat(build(Map.of(DATABASE_URL, "mysql://db-host")).toString())
                .isEqualTo("BindingConfig{policies, mode=direct,"
                        + " url=mysql://db-host:3306/oi_policies (from DATABASE_URL), directUrl=none,"
                        + " adminUrl=mysql://db-host:3306/oi_policies, user=none, password=none, pool=PoolSettings[maxSize=10, minIdle=1,"
                        + " connectionTimeout=PT1S, maxLifetime=PT25M, keepaliveTime=PT2M, idleTimeout=PT10M],"
                        + " cache=CachePolicy{maxAge=1m, staleWhileRevalidate=15s, maxEntries=10000, maxBytes=64MB, maxResultBytes=50MB},"
                        + " limits=Limits{maxRows=100000, maxWriteRows=100000, maxResultBytes=64MB, transactionTimeout=20s,"
                        + " statementTimeout=15m, queryTimeout=30s}}");
    }
}
