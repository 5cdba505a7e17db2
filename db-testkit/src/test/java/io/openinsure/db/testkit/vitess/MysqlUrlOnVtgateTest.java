package io.openinsure.db.testkit.vitess;

import static org.assertj.core.api.Assertions.assertThat;

import io.openinsure.db.domains.Keyspace;
import io.openinsure.db.domains.OpenInsureDb;
import io.openinsure.db.testkit.OpenInsureDbTest;
import io.openinsure.db.testkit.TestBackend;
import io.openinsure.db.testkit.Topology;
import org.junit.jupiter.api.Test;

/**
 * A {@code mysql://} URL pointed at vtgate (how a PlanetScale connection string may be written): the pool's
 * connection init statement, {@code SET @openinsure_db = 1} with MariaDB's session timeout in a {@code /*M!…*}{@code /}
 * comment, must be accepted by vtgate, which ignores the comment, and the client must work as on a {@code vitess://}
 * URL.
 */
@OpenInsureDbTest(backend = TestBackend.VITESS)
class MysqlUrlOnVtgateTest {

    @Test
    void vtgateAcceptsTheConnectionInitStatementOfAMysqlUrl(Topology topology) {
        String vitess = topology.connectionString(Keyspace.GLOBAL);
        assertThat(vitess).startsWith("vitess://");
        String mysql = "mysql://" + vitess.substring("vitess://".length());
        try (OpenInsureDb db = topology.builder().url(Keyspace.GLOBAL, mysql).build()) {
            assertThat(db.global().config().url().scheme()).isEqualTo("mysql");
            assertThat(db.global().uncached().fetchValue("SELECT @openinsure_db"))
                    .as("the init statement ran on vtgate")
                    .hasToString("1");
            assertThat(db.global().uncached().fetchValue("SELECT COUNT(*) FROM organization"))
                    .isNotNull();
        }
    }
}
