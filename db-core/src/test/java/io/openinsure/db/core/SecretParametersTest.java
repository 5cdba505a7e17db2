package io.openinsure.db.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.openinsure.db.core.spi.Secrets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Driver parameters that carry secrets under other names than "password" are masked too. */
class SecretParametersTest {

    @ParameterizedTest
    @ValueSource(strings = {"sslpassword", "trustCertificateKeyStorePassword", "clientCertificateKeyStorePassword", "SSLPASSWORD"})
    void anyParameterEndingInPasswordIsMasked(String name) {
        String raw = "postgres://app@db:5432/oi_policies?sslmode=verify-full&" + name + "=s3cr3t-value&x=1";
        assertThat(Secrets.mask(raw)).doesNotContain("s3cr3t-value").contains(name + "=****").contains("sslmode=verify-full");
        assertThat(DatabaseUrl.parse(raw).toString()).doesNotContain("s3cr3t-value");
        assertThat(BindingConfig.builder("policies").url(raw).build().toString()).doesNotContain("s3cr3t-value");
    }
}
