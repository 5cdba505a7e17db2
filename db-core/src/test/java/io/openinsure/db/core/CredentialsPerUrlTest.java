package io.openinsure.db.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** A password written into one URL is never sent to another server (direct fallback, admin URL). */
class CredentialsPerUrlTest {

    @Test
    void aUrlsOwnCredentialsStayWithThatUrl() {
        BindingConfig c = BindingConfig.builder("policies")
                .defaultDatabase("oi_policies")
                .build(ConfigSource.of(Map.of(
                        "OI_DB_POLICIES_URL", "mysql://app:pooled-secret@vtgate:3306/",
                        "DATABASE_URL", "mysql://admin@primary:3306/")));
        assertThat(c.userFor(c.url())).contains("app");
        assertThat(c.passwordFor(c.url())).contains("pooled-secret");
        assertThat(c.userFor(c.adminUrl())).contains("admin");
        assertThat(c.passwordFor(c.adminUrl()))
                .as("not the pooled URL's password")
                .isEmpty();
        assertThat(c.passwordFor(c.directUrl().orElseThrow())).isEmpty();
    }

    @Test
    void explicitUserAndPasswordSettingsApplyToEveryUrlWithoutItsOwn() {
        BindingConfig c = BindingConfig.builder("billing")
                .defaultDatabase("oi_billing")
                .build(ConfigSource.of(Map.of(
                        "OI_DB_BILLING_URL", "mysql://vtgate:3306/",
                        "OI_DB_BILLING_ADMIN_URL", "mysql://ops:ops-secret@primary:3306/",
                        "DATABASE_URL", "mysql://primary:3306/",
                        "OI_DB_BILLING_USER", "billing_app",
                        "OI_DB_BILLING_PASSWORD", "explicit-secret")));
        assertThat(c.userFor(c.url())).contains("billing_app");
        assertThat(c.passwordFor(c.directUrl().orElseThrow())).contains("explicit-secret");
        assertThat(c.userFor(c.adminUrl())).contains("ops");
        assertThat(c.passwordFor(c.adminUrl())).contains("ops-secret");
    }
}
