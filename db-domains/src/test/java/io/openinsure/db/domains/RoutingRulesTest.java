package io.openinsure.db.domains;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openinsure.db.core.ConfigurationException;
import org.junit.jupiter.api.Test;

class RoutingRulesTest {

    private final RoutingRules packaged = RoutingRules.packaged();

    @Test
    void thePackagedFileRoutesEveryFormOfALegacyTableName() {
        RoutingRules.Target policy = new RoutingRules.Target("oi_policies", "policy");
        assertThat(packaged.route(null, "policy", null)).contains(policy);
        assertThat(packaged.route(null, "POLICY", null))
                .as("table names match case-insensitively")
                .contains(policy);
        assertThat(packaged.route("openinsure", "policy", null)).contains(policy);
        assertThat(packaged.route("openinsure", "policy", "replica")).contains(policy);
        assertThat(packaged.route(null, "gl_entry", null)).contains(new RoutingRules.Target("oi_billing", "gl_entry"));
    }

    @Test
    void tablesAlreadyInTheirKeyspaceAndUnknownTablesAreNotRouted() {
        assertThat(packaged.route("oi_policies", "policy", null)).isEmpty();
        assertThat(packaged.route(null, "no_such_table", null)).isEmpty();
        assertThat(packaged.route("openinsure", "no_such_table", null)).isEmpty();
    }

    @Test
    void everyRuleHasOneQualifiedTargetInAnOpenInsureKeyspace() {
        assertThat(packaged.asMap()).isNotEmpty();
        assertThat(packaged.asMap().values())
                .allSatisfy(t -> assertThat(t.keyspace()).startsWith("oi_"));
    }

    @Test
    void malformedRulesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> RoutingRules.parse("{\"rules\": ["))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("Keyspace 'legacy': routing_rules.json: not valid Vitess routing rules JSON (");
        assertThatThrownBy(() ->
                        RoutingRules.parse("{\"rules\":[{\"from_table\":\"t\",\"to_tables\":[\"a.t\",\"b.t\"]}]}"))
                .hasMessage(
                        "Keyspace 'legacy': routing_rules.json: the rule for 't' must have exactly one target in to_tables, has 2.");
        assertThatThrownBy(() -> RoutingRules.parse("{\"rules\":[{\"from_table\":\"t\",\"to_tables\":[\"t\"]}]}"))
                .hasMessage(
                        "Keyspace 'legacy': routing_rules.json: the target 't' of 't' must be fully qualified as keyspace.table.");
        assertThatThrownBy(
                        () -> RoutingRules.parse(
                                "{\"rules\":[{\"from_table\":\"t\",\"to_tables\":[\"a.t\"]},{\"from_table\":\"T\",\"to_tables\":[\"b.t\"]}]}"))
                .hasMessage("Keyspace 'legacy': routing_rules.json: 'T' is routed twice.");
        assertThatThrownBy(() -> RoutingRules.parse("{\"rules\":[{\"from_table\":\"\",\"to_tables\":[\"a.t\"]}]}"))
                .hasMessage("Keyspace 'legacy': routing_rules.json: a rule has an empty from_table.");
        assertThatThrownBy(() -> RoutingRules.parse("{\"routes\":[]}")).isInstanceOf(ConfigurationException.class);
    }
}
