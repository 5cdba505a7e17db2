package io.openinsure.db.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.openinsure.db.domains.Keyspace;
import io.openinsure.db.domains.OpenInsureDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Backend selection, and the external backend (pointed at the embedded PostgreSQL so no service is needed). */
class TestBackendTest {

    private String backendProperty;
    private String databaseUrlProperty;

    @BeforeEach
    void saveProperties() {
        // -Doi.test.backend=… may come from the build (e.g. make -C vitess-local test): restore it afterwards.
        backendProperty = System.getProperty("oi.test.backend");
        databaseUrlProperty = System.getProperty("oi.test.database.url");
    }

    @AfterEach
    void restoreProperties() {
        restore("oi.test.backend", backendProperty);
        restore("oi.test.database.url", databaseUrlProperty);
    }

    static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    @Test
    void theSystemPropertyChoosesTheBackend() {
        System.setProperty("oi.test.backend", "Postgres");
        assertThat(TestBackend.DEFAULT.resolve()).isEqualTo(TestBackend.POSTGRES);
        assertThat(TestBackend.MARIADB.resolve()).isEqualTo(TestBackend.MARIADB);
    }

    @Test
    void anUnknownBackendNamesTheSettingAndTheChoices() {
        System.setProperty("oi.test.backend", "oracle");
        assertThatThrownBy(TestBackend::selected)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "OI_TEST_BACKEND (or -Doi.test.backend) is 'oracle'; expected one of mariadb, postgres, external, vitess.");
    }

    @Test
    void aDatabaseUrlAloneSelectsTheExternalBackend() {
        assumeTrue(System.getenv("OI_TEST_BACKEND") == null, "OI_TEST_BACKEND is set in this environment");
        System.clearProperty("oi.test.backend");
        System.setProperty("oi.test.database.url", "mysql://root@127.0.0.1:3306/");
        assertThat(TestBackend.selected()).isEqualTo(TestBackend.EXTERNAL);
    }

    @Test
    void theExternalBackendCreatesTheTopologyOnTheGivenServer() {
        assumeTrue(System.getenv("OI_TEST_DATABASE_URL") == null, "OI_TEST_DATABASE_URL is set in this environment");
        EmbeddedPostgresDb server = EmbeddedPostgresDb.shared();
        System.setProperty("oi.test.database.url", server.connectionString(""));
        Topology external = Topology.of(TestBackend.EXTERNAL);
        assertThat(external.connectionString(Keyspace.CLAIMS))
                .isEqualTo("postgres://127.0.0.1:" + server.port() + "/oi_claims");
        try (OpenInsureDb db = external.open()) {
            assertThat(db.claims()
                            .dsl()
                            .resultQuery("select current_database()")
                            .fetchOne(0, String.class))
                    .isEqualTo("oi_claims");
        }
    }
}
