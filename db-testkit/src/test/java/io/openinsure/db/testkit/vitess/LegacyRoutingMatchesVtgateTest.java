package io.openinsure.db.testkit.vitess;

import static io.openinsure.db.testkit.vitess.VitessLocalFiles.generatedTables;
import static io.openinsure.db.testkit.vitess.VitessLocalFiles.json;
import static io.openinsure.db.testkit.vitess.VitessLocalFiles.migrationFolders;
import static io.openinsure.db.testkit.vitess.VitessLocalFiles.vitessLocal;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.openinsure.db.domains.Keyspace;
import io.openinsure.db.domains.RoutingRules;
import io.openinsure.db.domains.internal.LegacyRouter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.jooq.SQLDialect;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SDK's client-side routing ({@link RoutingRules#packaged()} and {@link LegacyRouter}), fed the
 * same {@code routing_rules.json} as vtgate, sends every legacy table reference where vtgate would.
 *
 * <p>vtgate's side is modelled on {@code VSchema.FindRoutedTable} and {@code VCursorImpl.FindRoutedTable}
 * (vitess {@code go/vt/vtgate/vindexes/vschema.go}, {@code go/vt/vtgate/vcursor_impl.go}): a reference's
 * qualifier {@code keyspace[@tablet]} (or, when unqualified, the session's target) gives the keyspace and
 * tablet type; the rule for {@code keyspace.table@tablet} wins, then {@code keyspace.table}, and without any
 * keyspace the bare {@code table}; with no rule the table stays in that keyspace. Sessions on the legacy
 * keyspace's primary, replica and rdonly tablets, and on no keyspace, are all checked. The model is
 * read from the raw JSON file, not through the SDK's parser.
 */
class LegacyRoutingMatchesVtgateTest {

    private static final String LEGACY = Keyspace.LEGACY.database();
    private static final LegacyRouter SDK = new LegacyRouter(RoutingRules.packaged(), SQLDialect.MYSQL, true);

    /** vtgate's rule table: from_table as written to its single target. */
    private static final Map<String, String> VTGATE_RULES = new HashMap<>();

    static {
        for (JsonNode rule : json(vitessLocal().resolve("routing_rules.json")).path("rules")) {
            VTGATE_RULES.put(
                    rule.path("from_table").asText(),
                    rule.path("to_tables").get(0).asText());
        }
    }

    /** Where vtgate sends {@code [qualifier.]table} for a session targeting {@code session} ({@code null}: no keyspace). */
    static String vtgate(String session, String qualifier, String table) {
        String target = qualifier != null ? qualifier : session;
        String keyspace = "";
        String tablet = "primary";
        if (target != null) {
            int at = target.indexOf('@');
            keyspace = at < 0 ? target : target.substring(0, at);
            if (at >= 0) {
                tablet = target.substring(at + 1);
            } else if (qualifier != null && session != null && session.indexOf('@') >= 0) {
                tablet = session.substring(
                        session.indexOf('@') + 1); // a qualifier without @ keeps the session's tablet type
            }
        }
        String qualified = keyspace.isEmpty() ? table : keyspace + "." + table;
        for (String name : List.of(qualified + "@" + tablet, qualified)) {
            String to = VTGATE_RULES.get(name);
            if (to != null) {
                return to;
            }
        }
        return keyspace.isEmpty() ? "(global) " + table : keyspace + "." + table;
    }

    static Stream<Arguments> references() {
        List<Arguments> cases = new ArrayList<>();
        List<String> tables = new ArrayList<>();
        migrationFolders()
                .values()
                .forEach(ks -> tables.addAll(generatedTables(ks).keySet()));
        for (String table : tables) {
            for (String session : new String[] {LEGACY, LEGACY + "@replica", LEGACY + "@rdonly", null}) {
                cases.add(Arguments.of(session, null, table));
                cases.add(Arguments.of(session, LEGACY, table));
                cases.add(Arguments.of(session, LEGACY + "@replica", table));
            }
        }
        // A table with no rule stays in the legacy keyspace on both sides.
        cases.add(Arguments.of(LEGACY, null, "oi_contract_probe"));
        cases.add(Arguments.of(LEGACY, LEGACY, "oi_contract_probe"));
        return cases.stream();
    }

    @ParameterizedTest(name = "session {0}: {1}.{2}")
    @MethodSource("references")
    void theSdkRoutesEachLegacyReferenceWhereVtgateWould(String session, String qualifier, String table) {
        String expected = vtgate(session, qualifier, table);
        String reference = qualifier == null ? table : "`" + qualifier + "`." + table;

        for (String sql : List.of(
                "select * from " + reference + " where id = ?", "update " + reference + " set id = id where id = ?")) {
            LegacyRouter.Routed routed = SDK.route(sql);
            if (expected.startsWith(LEGACY + ".")) {
                assertThat(routed.keyspaces()).as(sql).isEmpty();
                assertThat(routed.sql()).as("unrouted: left as written").isEqualTo(sql);
            } else {
                String keyspace = expected.substring(0, expected.indexOf('.'));
                assertThat(routed.keyspaces()).as(sql).isEqualTo(Set.of(keyspace));
                assertThat(routed.sql().toLowerCase(Locale.ROOT))
                        .as(sql)
                        .contains(" " + expected + " ")
                        .doesNotContain(LEGACY);
            }
        }
    }
}
