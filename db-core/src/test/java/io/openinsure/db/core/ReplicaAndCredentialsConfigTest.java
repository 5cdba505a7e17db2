package io.openinsure.db.core;

import static io.openinsure.db.core.TestSupport.assertNoSecret;
import static io.openinsure.db.core.TestSupport.configurationError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replica and credentials settings of a binding: defaults, sources, shorthands and the errors users read. */
class ReplicaAndCredentialsConfigTest {

    private static BindingConfig build(Map<String, String> env) {
        return BindingConfig.builder("policies").defaultDatabase("oi_policies").build(ConfigSource.of(env));
    }

    @Test
    void noReplicaByDefault() {
        BindingConfig config = build(Map.of("OI_DB_POLICIES_URL", "mysql://h/oi_policies"));

        assertThat(config.replica().replicaUrl()).isEmpty();
        assertThat(config.replica().reads()).isEqualTo(ReplicaReads.OFF);
        assertThat(config.replica().readYourWritesWindow()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.replica().maxLag()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.replica().enabled()).isFalse();
        assertThat(config.credentialsProvider()).isEmpty();
    }

    @Test
    void replicaFromTheEnvironmentGetsTheBindingsDatabase() {
        BindingConfig config = build(Map.of(
                "OI_DB_POLICIES_URL",
                "mysql://primary/oi_policies",
                "OI_DB_POLICIES_REPLICA_URL",
                "mysql://replica-host",
                "OI_DB_POLICIES_REPLICA_READS",
                "Reads",
                "OI_DB_POLICIES_READ_YOUR_WRITES_WINDOW",
                "2s",
                "OI_DB_POLICIES_REPLICA_MAX_LAG",
                "1500ms"));

        assertThat(config.replica().url().describe()).isEqualTo("replica-host:3306/oi_policies");
        assertThat(config.replica().reads()).isEqualTo(ReplicaReads.READS);
        assertThat(config.replica().readYourWritesWindow()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.replica().maxLag()).isEqualTo(Duration.ofMillis(1500));
        assertThat(config.replica().enabled()).isTrue();
        assertThat(config.toString())
                .contains("replica=ReplicaSettings{url=mysql://replica-host:3306/oi_policies, reads=reads, "
                        + "readYourWritesWindow=2s, maxLag=1500ms}");
    }

    @Test
    void onVitessTheTabletShorthandAndTheDefaultTargetTheSameVtgate() {
        BindingConfig shorthand = BindingConfig.builder("claims")
                .url("vitess://app:pw@vtgate:15306/oi_claims@primary")
                .replicaUrl("@rdonly")
                .replicaReads(ReplicaReads.EXPLICIT)
                .build();
        assertThat(shorthand.replica().url().describe()).isEqualTo("vtgate:15306/oi_claims@rdonly");
        assertThat(shorthand.replica().url().user()).contains("app");

        BindingConfig derived = BindingConfig.builder("claims")
                .url("vitess://vtgate:15306/oi_claims")
                .replicaReads(ReplicaReads.READS)
                .build();
        assertThat(derived.replica().url().describe()).isEqualTo("vtgate:15306/oi_claims@replica");
    }

    @Test
    void replicaReadsWithoutAReplicaNameTheSettingToAdd() {
        ConfigurationException e = configurationError(() ->
                build(Map.of("OI_DB_POLICIES_URL", "mysql://h/oi_policies", "OI_DB_POLICIES_REPLICA_READS", "reads")));
        assertThat(e.getMessage())
                .isEqualTo("Keyspace 'policies': OI_DB_POLICIES_REPLICA_READS=reads needs a replica: set "
                        + "OI_DB_POLICIES_REPLICA_URL to the replica's connection string ("
                        + DatabaseUrl.SUPPORTED_FORMS + ").");
        assertThat(e.setting()).contains("OI_DB_POLICIES_REPLICA_URL");
    }

    @Test
    void theTabletShorthandNeedsAVitessUrl() {
        ConfigurationException e = configurationError(() -> BindingConfig.builder("claims")
                .url("mysql://h/oi_claims")
                .replicaUrl("@replica")
                .build());
        assertThat(e.getMessage())
                .isEqualTo("Keyspace 'claims': OI_DB_CLAIMS_REPLICA_URL '@replica' names a tablet type of the "
                        + "binding's own URL; that needs a vitess://host:port/keyspace URL and @replica or @rdonly. Otherwise give the "
                        + "replica's connection string (" + DatabaseUrl.SUPPORTED_FORMS + ").");
    }

    @Test
    void badReplicaValuesNameTheKeyAndTheExpectation() {
        assertThat(configurationError(() -> build(
                                Map.of("OI_DB_POLICIES_URL", "mysql://h/x", "OI_DB_POLICIES_REPLICA_READS", "some")))
                        .getMessage())
                .isEqualTo(
                        "Keyspace 'policies': OI_DB_POLICIES_REPLICA_READS: expected `off`, `reads` or `explicit` but "
                                + "was 'some'.");
        assertThat(configurationError(() -> BindingConfig.builder("policies").replicaMaxLag(Duration.ofMillis(10)))
                        .getMessage())
                .isEqualTo(
                        "Keyspace 'policies': OI_DB_POLICIES_REPLICA_MAX_LAG: replica max lag must be between 1s and 1h but was 10ms.");
        assertThat(configurationError(() -> BindingConfig.builder("policies").replicaUrl("ftp://x"))
                        .setting())
                .contains("OI_DB_POLICIES_REPLICA_URL");
    }

    @Test
    void aPasswordFileIsReadForEveryConnectionAndNeverShown(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("password");
        Files.writeString(file, "first-SENTINEL-pw\n");
        BindingConfig config = build(Map.of(
                "OI_DB_POLICIES_URL", "mysql://app@h/oi_policies", "OI_DB_POLICIES_PASSWORD_FILE", file.toString()));

        CredentialsProvider provider = config.credentialsProvider().orElseThrow();
        assertThat(provider.credentials()).isEqualTo(new CredentialsProvider.Credentials("app", "first-SENTINEL-pw"));
        Files.writeString(file, "second-SENTINEL-pw");
        assertThat(provider.credentials().password()).isEqualTo("second-SENTINEL-pw");
        assertThat(config.credentialsFor(config.url())).isSameAs(provider);
        assertNoSecret(config.toString() + provider + provider.credentials(), "SENTINEL-pw");

        Files.delete(file);
        assertThatThrownBy(provider::credentials)
                .isInstanceOf(UncheckedIOException.class)
                .hasMessage("could not read the password file " + file);
    }

    @Test
    void aProviderInCodeWinsAndCoversOtherUrlsWithoutTheirOwnUser() {
        CredentialsProvider vault = () -> new CredentialsProvider.Credentials("rotating", "s3cret");
        BindingConfig config = BindingConfig.builder("policies")
                .url("mysql://app:pw@primary/oi_policies")
                .directUrl("mysql://direct/oi_policies")
                .replicaUrl("mysql://reader:rpw@replica/oi_policies")
                .credentialsProvider(vault)
                .build();

        assertThat(config.credentialsFor(config.url())).isSameAs(vault);
        assertThat(config.credentialsFor(config.directUrl().orElseThrow())).isSameAs(vault);
        assertThat(config.credentialsFor(config.replica().url()).credentials())
                .as("a URL's own user info is never replaced")
                .isEqualTo(new CredentialsProvider.Credentials("reader", "rpw"));
        assertThat(config.toString()).contains("credentials=provided").doesNotContain("s3cret");
    }
}
