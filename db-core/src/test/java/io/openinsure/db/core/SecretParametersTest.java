package io.openinsure.db.core;

import static io.openinsure.db.core.TestSupport.assertNoSecret;
import static io.openinsure.db.core.TestSupport.configurationError;
import static org.assertj.core.api.Assertions.assertThat;

import io.openinsure.db.core.spi.Secrets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Driver parameters that carry secrets under other names than "password" stay in the JDBC URL (the driver reads
 * them there) and are masked everywhere; those HikariCP would not mask in its own log line are refused.
 */
class SecretParametersTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "sslpassword",
                "trustCertificateKeyStorePassword",
                "clientCertificateKeyStorePassword",
                "sslPassword"
            })
    void aParameterEndingInPasswordIsKeptForTheDriverAndMasked(String name) {
        String raw = "postgres://app@db:5432/oi_policies?sslmode=verify-full&" + name + "=s3cr3t-value&x=1";
        assertThat(Secrets.mask(raw))
                .doesNotContain("s3cr3t-value")
                .contains(name + "=****")
                .contains("sslmode=verify-full");
        DatabaseUrl url = DatabaseUrl.parse(raw);
        assertThat(url.parameters()).containsEntry(name, "s3cr3t-value");
        assertThat(url.toString()).doesNotContain("s3cr3t-value");
        assertThat(url.describe()).doesNotContain("s3cr3t-value");
        assertThat(BindingConfig.builder("policies").url(raw).build().toString())
                .doesNotContain("s3cr3t-value");
        // HikariCP masks ([?&;][^&#;=]*[pP]assword=)[^&#;]* in the URL it logs.
        assertThat(url.jdbcUrl().replaceAll("([?&;][^&#;=]*[pP]assword=)[^&#;]*", "$1<masked>"))
                .doesNotContain("s3cr3t-value");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"SSLPASSWORD", "pwd", "PWD", "pass", "password1", "password3", "trustCertificateKeyStorePASSWORD"
            })
    void aSecretParameterHikariCpWouldLogUnmaskedIsRefused(String name) {
        for (String raw : new String[] {
            "mysql://app@db:3306/oi_policies?useSSL=true&" + name + "=s3cr3t-value",
            "jdbc:mysql://db:3306/oi_policies?useSSL=true&" + name + "=s3cr3t-value"
        }) {
            ConfigurationException e =
                    configurationError(() -> BindingConfig.builder("policies").url(raw));
            assertThat(e)
                    .hasMessage(
                            "Keyspace 'policies': OI_DB_POLICIES_URL: invalid connection string: the parameter '" + name
                                    + "' in '" + Secrets.mask(raw)
                                    + "' carries a secret that would stay in the JDBC URL, and HikariCP logs that URL"
                                    + " masking only names that end in 'password' or 'Password'. Write the name as the driver documents it"
                                    + " (sslpassword, trustCertificateKeyStorePassword, …); give the login password as password=… or with"
                                    + " OI_DB_POLICIES_USER and OI_DB_POLICIES_PASSWORD. Connector/J's multi-factor password1…password3 are not"
                                    + " supported.");
            assertNoSecret(e.getMessage(), "s3cr3t-value");
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "password",
                "user",
                "sslpassword",
                "Password",
                "PWD",
                "pass",
                "password2",
                "trustCertificateKeyStorePassword"
            })
    void secretNamesAreRecognised(String name) {
        assertThat(Secrets.isSecretName(name)).isEqualTo(!name.equals("user"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"passwordCharacterEncoding", "disconnectOnExpiredPasswords", "passthrough", "sslmode", "users"})
    void namesThatOnlyMentionPasswordsAreNotSecrets(String name) {
        assertThat(Secrets.isSecretName(name)).isFalse();
        assertThat(DatabaseUrl.parse("mysql://h/oi?" + name + "=x").parameters())
                .containsEntry(name, "x");
    }
}
