package io.openinsure.db.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.openinsure.db.domains.BillingDb;
import io.openinsure.db.domains.OpenInsureDb;
import io.openinsure.db.domains.PoliciesDb;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** {@link OpenInsureDbTest} resolves clients, keeps one {@link OpenInsureDb} per class, and honours the backend. */
@OpenInsureDbTest(backend = TestBackend.MARIADB)
class ExtensionTest {

    private final OpenInsureDb perClass;

    ExtensionTest(OpenInsureDb db) {
        this.perClass = db;
    }

    @Test
    void resolvesTheTypedClientsOfTheClassesOpenInsureDb(
            OpenInsureDb db, PoliciesDb policies, BillingDb billing, Topology topology) {
        assertThat(db).isSameAs(perClass);
        assertThat(policies).isSameAs(db.policies());
        assertThat(billing).isSameAs(db.billing());
        assertThat(topology.backend()).isEqualTo(TestBackend.MARIADB);
        assertThat(policies.dsl().resultQuery("select database()").fetchOne(0, String.class))
                .isEqualTo("oi_policies");
    }

    @Nested
    class NestedClasses {
        @Test
        void inheritTheBackend(Topology topology) {
            assertThat(topology.backend()).isEqualTo(TestBackend.MARIADB);
        }
    }

    @Nested
    @OpenInsureDbTest(backend = TestBackend.POSTGRES)
    class OnPostgres {
        @Test
        void runsOnEmbeddedPostgres(PoliciesDb policies, EmbeddedPostgresDb server) {
            assertThat(policies.dsl().resultQuery("select current_database()").fetchOne(0, String.class))
                    .isEqualTo("oi_policies");
            assertThat(policies.config().url().port()).isEqualTo(server.port());
        }
    }
}
