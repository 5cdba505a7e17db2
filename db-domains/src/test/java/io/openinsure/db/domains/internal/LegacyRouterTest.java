package io.openinsure.db.domains.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openinsure.db.core.StatementRefusedException;
import io.openinsure.db.domains.RoutingRules;
import org.jooq.SQLDialect;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class LegacyRouterTest {

    private final LegacyRouter router = new LegacyRouter(RoutingRules.packaged(), SQLDialect.MARIADB, true);

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "select * from policy where id = ?                         | select * from oi_policies.policy where id = ?                    | oi_policies",
        "select p.policy_number from policy p where p.id = ?       | select p.policy_number from oi_policies.policy as p where p.id = ? | oi_policies",
        "select * from openinsure.claim where claim_number = 'C-1' | select * from oi_claims.claim where claim_number = 'C-1'         | oi_claims",
        "insert into invoice (id, amount) values (?, ?)            | insert into oi_billing.invoice (id, amount) values (?, ?)       | oi_billing",
        "update claim set status = ? where id = ?                  | update oi_claims.claim set status = ? where id = ?               | oi_claims",
        "delete from quote where id = ?                            | delete from oi_submissions.quote where id = ?                    | oi_submissions",
        "select count(*) from organization where name = 'policy'   | select count(*) from oi_global.organization where name = 'policy' | oi_global",
    })
    void rewritesTableReferencesOnly(String sql, String expected, String keyspace) {
        LegacyRouter.Routed routed = router.route(sql);
        assertThat(routed.sql()).isEqualTo(expected);
        assertThat(routed.keyspaces()).containsExactly(keyspace);
    }

    @Test
    void aJoinAcrossKeyspacesTouchesBoth() {
        LegacyRouter.Routed routed = router.route("select c.claim_number, p.policy_number from claim c join policy p on p.id = c.policy_id");
        assertThat(routed.sql()).isEqualTo("select c.claim_number, p.policy_number from oi_claims.claim as c join oi_policies.policy as p on p.id = c.policy_id");
        assertThat(routed.keyspaces()).containsExactlyInAnyOrder("oi_claims", "oi_policies");
    }

    @Test
    void statementsWithoutRoutedTablesPassThroughUnchanged() {
        String sql = "SELECT  1 FROM   oi_contract_probe  WHERE id = ?";
        assertThat(router.route(sql)).isEqualTo(new LegacyRouter.Routed(sql, java.util.Set.of()));
    }

    @Test
    void againstVtgateTheSqlIsUntouchedButTheKeyspacesAreKnown() {
        LegacyRouter serverSide = new LegacyRouter(RoutingRules.packaged(), SQLDialect.MYSQL, false);
        LegacyRouter.Routed routed = serverSide.route("select * from policy where id = ?");
        assertThat(routed.sql()).isEqualTo("select * from policy where id = ?");
        assertThat(routed.keyspaces()).containsExactly("oi_policies");
    }

    @Test
    void anUnparseableStatementIsRefusedWithAWayOut() {
        assertThatThrownBy(() -> router.route("select * from policy where id = ? lock in share mode"))
                .isInstanceOf(StatementRefusedException.class)
                .hasMessageStartingWith("Keyspace 'legacy': cannot route this statement (")
                .hasMessageEndingWith("Run it through the keyspace client that owns the table, or qualify the table as keyspace.table.")
                .satisfies(e -> assertThat(((StatementRefusedException) e).rule()).isEqualTo("unroutable"));
        assertThatThrownBy(() -> router.route("select 1; select 2")).isInstanceOf(StatementRefusedException.class)
                .hasMessageContaining("expected one statement, found 2");
    }
}
