package io.openinsure.db.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import io.openinsure.db.core.BindingConfig;
import io.openinsure.db.core.JdbcDriver;
import io.openinsure.db.testsupport.CredentialForms;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What a binding turns into for HikariCP: names, credentials as properties, keepalive, fail-fast timeouts. */
class HikariPoolsTest {

    @Test
    void defaultsKeepConnectionsAliveUnderTheServerIdleLimitAndFailFast() {
        HikariConfig hc = HikariPools.hikariConfig(BindingConfig.builder("policies")
                .url("mysql://app:s%40cret@db.internal:3306/oi_policies?sslMode=REQUIRED")
                .build());
        assertThat(hc.getPoolName()).isEqualTo("oi-policies");
        assertThat(hc.getJdbcUrl()).isEqualTo("jdbc:mysql://db.internal:3306/oi_policies?sslMode=REQUIRED");
        assertThat(hc.getUsername()).isEqualTo("app");
        assertThat(hc.getPassword()).isEqualTo("s@cret");
        assertThat(hc.getDriverClassName()).isEqualTo("com.mysql.cj.jdbc.Driver");
        assertThat(hc.getKeepaliveTime()).isEqualTo(Duration.ofMinutes(2).toMillis());
        assertThat(hc.getMaxLifetime())
                .isEqualTo(Duration.ofMinutes(25).toMillis())
                .isLessThan(Duration.ofMinutes(30).toMillis());
        assertThat(hc.getConnectionTimeout()).isEqualTo(1_000L);
        assertThat(hc.getInitializationFailTimeout())
                .as("start never blocks on a dead keyspace")
                .isEqualTo(-1L);
        assertThat(hc.getMaximumPoolSize()).isEqualTo(10);
        assertThat(hc.getMinimumIdle()).isEqualTo(1);
        assertThat(hc.getDataSourceProperties())
                .containsEntry("connectTimeout", "1000")
                .containsEntry("cachePrepStmts", "true");
    }

    @Test
    void urlParametersWinOverDriverDefaultsAndPostgresGetsSecondsForItsConnectTimeout() {
        HikariConfig mysql = HikariPools.hikariConfig(BindingConfig.builder("claims")
                .url("mysql://h/oi_claims?cachePrepStmts=false")
                .build());
        assertThat(mysql.getDataSourceProperties()).doesNotContainKey("cachePrepStmts");
        assertThat(mysql.getJdbcUrl()).endsWith("?cachePrepStmts=false");

        HikariConfig pg = HikariPools.hikariConfig(BindingConfig.builder("billing")
                .url("postgres://u:p@h/oi_billing")
                .connectionTimeout(Duration.ofMillis(1500))
                .maxPoolSize(3)
                .build());
        assertThat(pg.getDriverClassName()).isEqualTo("org.postgresql.Driver");
        assertThat(pg.getJdbcUrl()).isEqualTo("jdbc:postgresql://h:5432/oi_billing");
        assertThat(pg.getDataSourceProperties()).containsEntry("connectTimeout", "2");
        assertThat(pg.getMaximumPoolSize()).isEqualTo(3);
    }

    @Test
    void vitessUrlsGoToVtgateThroughConnectorJWithTheTabletInTheDatabase() {
        HikariConfig hc = HikariPools.hikariConfig(BindingConfig.builder("claims")
                .url("vitess://app:pw@vtgate:15306/oi_claims@replica")
                .build());
        assertThat(hc.getDriverClassName()).isEqualTo("com.mysql.cj.jdbc.Driver");
        assertThat(hc.getJdbcUrl()).isEqualTo("jdbc:mysql://vtgate:15306/oi_claims%40replica");
    }

    static List<CredentialForms.Form> forms() {
        return CredentialForms.all("app_user", "db.internal", 3306, 5432, "oi_policies").stream()
                .filter(f -> !f.family().equals(CredentialForms.MARIADB))
                .toList(); // MariaDB Connector/J is not a dependency
    }

    /**
     * HikariCP logs the JDBC URL at DEBUG and masks only {@code password=} parameters in it; whatever form the
     * binding's URL (or its direct URL) takes, the pool gets the credentials as its user and password and a URL
     * without them.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("forms")
    void thePoolGetsTheCredentialsAsUserAndPasswordAndAUrlWithoutThem(CredentialForms.Form form) {
        BindingConfig config = BindingConfig.builder("policies").url(form.url()).build();
        HikariConfig hc = HikariPools.hikariConfig(config);

        assertThat(hc.getUsername()).isEqualTo(form.user());
        assertThat(hc.getPassword()).isEqualTo(form.password());
        assertThat(hc.getJdbcUrl())
                .doesNotContain(form.password())
                .doesNotContain(form.encodedPassword())
                .doesNotContain("app_user")
                .doesNotContainIgnoringCase("password")
                .contains("db.internal");
        assertThat(hc.getDataSourceProperties().values())
                .noneMatch(v -> String.valueOf(v).contains(form.password()));
        assertThat(hc.getDriverClassName())
                .isEqualTo(
                        form.family().equals(CredentialForms.POSTGRESQL)
                                ? JdbcDriver.PGJDBC.className()
                                : JdbcDriver.MYSQL_CONNECTOR_J.className());
    }
}
