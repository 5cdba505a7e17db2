package io.openinsure.db.testkit.vitess;

import static io.openinsure.db.testkit.vitess.VitessLocalFiles.children;
import static io.openinsure.db.testkit.vitess.VitessLocalFiles.generatedTables;
import static io.openinsure.db.testkit.vitess.VitessLocalFiles.json;
import static io.openinsure.db.testkit.vitess.VitessLocalFiles.migrationFolders;
import static io.openinsure.db.testkit.vitess.VitessLocalFiles.names;
import static io.openinsure.db.testkit.vitess.VitessLocalFiles.tablesCreatedByMigrations;
import static io.openinsure.db.testkit.vitess.VitessLocalFiles.text;
import static io.openinsure.db.testkit.vitess.VitessLocalFiles.vitessLocal;
import static io.openinsure.db.testkit.vitess.VitessLocalFiles.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.openinsure.db.domains.Keyspace;
import io.openinsure.db.domains.RoutingRules;
import io.openinsure.db.testkit.VttestserverContainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The files of {@code vitess-local/} parse and agree with each other, with the migrations, with the
 * generated jOOQ schema and with the testkit's {@link VttestserverContainer}. Runs everywhere: no
 * Docker, no server.
 */
class VitessLocalFilesTest {

    private static final String LEGACY = Keyspace.LEGACY.database();
    private static final Pattern VTTESTSERVER_IMAGE =
            Pattern.compile("vitess/vttestserver:(v\\d+\\.\\d+\\.\\d+)-mysql80");
    private static final Pattern VTCTLDCLIENT_IMAGE = Pattern.compile("vitess/vtctldclient:(v\\d+\\.\\d+\\.\\d+)");

    private final JsonNode compose = yaml(vitessLocal().resolve("docker-compose.yml"));
    private final JsonNode vttestserver = compose.path("services").path("vttestserver");
    private final JsonNode rules = compose.path("services").path("rules");

    // ---------------------------------------------------------------- docker-compose.yml

    @Test
    void composeRunsAPinnedMysql80VttestserverAndAVtctldclientOfTheSameRelease() {
        assertThat(names(compose.path("services"))).containsExactlyInAnyOrder("vttestserver", "rules");
        String server = vttestserver.path("image").asText();
        String client = rules.path("image").asText();
        Matcher s = VTTESTSERVER_IMAGE.matcher(server);
        Matcher c = VTCTLDCLIENT_IMAGE.matcher(client);
        assertThat(s.matches())
                .as("pinned -mysql80 tag, not latest: %s", server)
                .isTrue();
        assertThat(c.matches()).as("pinned tag: %s", client).isTrue();
        assertThat(c.group(1))
                .as("vtctldclient and vttestserver from the same release")
                .isEqualTo(s.group(1));
        assertThat(server).as("the testkit starts the same image").isEqualTo(VttestserverContainer.DEFAULT_IMAGE);
        assertThat(client).isEqualTo(VttestserverContainer.VTCTLDCLIENT_IMAGE);
    }

    @Test
    void composeEnvironmentMatchesTheTestkitsContainer() {
        Map<String, String> env = new LinkedHashMap<>();
        vttestserver
                .path("environment")
                .fields()
                .forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        assertThat(env).isEqualTo(VttestserverContainer.environment());
        assertThat(env.get("KEYSPACES"))
                .isEqualTo("openinsure,oi_global,oi_policies,oi_submissions,oi_claims,oi_billing");
        assertThat(env.get("NUM_SHARDS").split(","))
                .hasSameSizeAs(env.get("KEYSPACES").split(","))
                .containsOnly("1");
        assertThat(env)
                .containsEntry("MYSQL_BIND_HOST", "0.0.0.0")
                .containsEntry("VTCOMBO_BIND_HOST", "0.0.0.0")
                .containsEntry("PORT", String.valueOf(VttestserverContainer.BASE_PORT));
    }

    @Test
    void composePublishesVtgateAndVtctldAndMountsTheVschemasWhereTheImageReadsThem() {
        int port =
                Integer.parseInt(vttestserver.path("environment").path("PORT").asText());
        List<String> containerPorts = new ArrayList<>();
        vttestserver.path("ports").forEach(p -> containerPorts.add(p.asText().replaceFirst("^.*:", "")));
        assertThat(containerPorts).contains(String.valueOf(port + 3), String.valueOf(port + 1));
        assertThat(port + 3).isEqualTo(VttestserverContainer.MYSQL_PORT);
        assertThat(port + 1).isEqualTo(VttestserverContainer.GRPC_PORT);

        List<String> volumes = new ArrayList<>();
        vttestserver.path("volumes").forEach(v -> volumes.add(v.asText()));
        assertThat(volumes).contains("./vschema:" + VttestserverContainer.SCHEMA_DIR + ":ro");
        assertThat(vitessLocal().resolve("vschema")).isDirectory();

        JsonNode health = vttestserver.path("healthcheck");
        List<String> test = new ArrayList<>();
        health.path("test").forEach(t -> test.add(t.asText()));
        assertThat(test).as("the health check asks vtgate's MySQL port").contains("-P" + (port + 3));
        assertThat(health.path("retries").asInt()).isPositive();
    }

    @Test
    void theRulesJobAppliesTheRoutingRulesFileThroughVtctldOnceVttestserverIsHealthy() {
        List<String> command = new ArrayList<>();
        rules.path("command").forEach(c -> command.add(c.asText()));
        int grpc =
                Integer.parseInt(vttestserver.path("environment").path("PORT").asText()) + 1;
        assertThat(command).containsSequence("--server", "vttestserver:" + grpc).contains("ApplyRoutingRules");
        String rulesFile = command.stream()
                .filter(a -> a.startsWith("--rules-file="))
                .findFirst()
                .orElseThrow()
                .substring("--rules-file=".length());
        List<String> volumes = new ArrayList<>();
        rules.path("volumes").forEach(v -> volumes.add(v.asText()));
        assertThat(volumes).contains("./routing_rules.json:" + rulesFile + ":ro");
        assertThat(rules.path("depends_on")
                        .path("vttestserver")
                        .path("condition")
                        .asText())
                .isEqualTo("service_healthy");
        assertThat(rules.path("profiles").toString())
                .as("a one-shot job, not started by `up`")
                .contains("tools");
    }

    @Test
    void theMakefileHasTheDocumentedTargetsAndMigratesOverVitessAdminUrls() {
        String makefile = text(vitessLocal().resolve("Makefile"));
        for (String target : List.of("up", "down", "rules", "migrate", "mysql")) {
            assertThat(makefile).as("target %s", target).containsPattern("(?m)^" + target + ":");
        }
        for (Keyspace k : Keyspace.values()) {
            if (k != Keyspace.LEGACY) {
                assertThat(makefile)
                        .contains("OI_DB_" + k.name() + "_ADMIN_URL=vitess://$(VTGATE)/" + k.database() + "@primary");
            }
        }
        assertThat(makefile).contains("io.openinsure.db.examples.MigrateMain");
    }

    // ---------------------------------------------------------------- keyspaces agree

    @Test
    void composeKeyspacesVschemaFoldersMigrationFoldersAndTheKeyspaceEnumAgree() {
        List<String> composeKeyspaces = Arrays.asList(
                vttestserver.path("environment").path("KEYSPACES").asText().split(","));
        Set<String> fromEnum =
                Arrays.stream(Keyspace.values()).map(Keyspace::database).collect(Collectors.toSet());
        Set<String> fromMigrations = new LinkedHashSet<>(migrationFolders().values());
        fromMigrations.add(LEGACY);

        assertThat(composeKeyspaces).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(fromEnum);
        assertThat(children(vitessLocal().resolve("vschema"))).containsExactlyInAnyOrderElementsOf(fromEnum);
        assertThat(fromMigrations).containsExactlyInAnyOrderElementsOf(fromEnum);
        assertThat(migrationFolders()).doesNotContainValue(LEGACY);
        assertThat(routingTargets().keySet())
                .as("keyspaces the routing rules send tables to")
                .containsExactlyInAnyOrderElementsOf(migrationFolders().values());
    }

    // ---------------------------------------------------------------- VSchemas

    @Test
    void everyVschemaIsUnshardedAndListsExactlyTheTablesOfItsKeyspacesMigrations() {
        for (Keyspace k : Keyspace.values()) {
            JsonNode vschema = vschema(k.database());
            assertThat(names(vschema)).as(k.database()).containsExactlyInAnyOrder("sharded", "tables");
            assertThat(vschema.path("sharded").isBoolean()
                            && !vschema.path("sharded").asBoolean())
                    .as(k.database())
                    .isTrue();
            List<String> listed = names(vschema.path("tables"));
            vschema.path("tables")
                    .forEach(t -> assertThat(names(t))
                            .as("%s: plain unsharded table entries", k.database())
                            .isEmpty());
            if (k == Keyspace.LEGACY) {
                assertThat(listed)
                        .as("the legacy keyspace keeps no tables: they are routed")
                        .isEmpty();
                continue;
            }
            Set<String> generated = generatedTables(k.database()).keySet();
            Set<String> created = tablesCreatedByMigrations(k.bindingName()).keySet();
            assertThat(generated)
                    .as("jOOQ classes were generated from the current migrations")
                    .isEqualTo(created);
            assertThat(listed)
                    .as("VSchema of %s", k.database())
                    .doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(generated);
        }
    }

    @Test
    void theTestkitPackagesTheSameVschemas() throws Exception {
        for (Keyspace k : Keyspace.values()) {
            String resource = VttestserverContainer.VSCHEMA_RESOURCES + k.database() + "/vschema.json";
            try (var in = VttestserverContainer.class.getResourceAsStream(resource)) {
                assertThat(in).as(resource).isNotNull();
                assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                        .isEqualTo(text(vitessLocal()
                                .resolve("vschema")
                                .resolve(k.database())
                                .resolve("vschema.json")));
            }
        }
    }

    // ---------------------------------------------------------------- routing rules

    @Test
    void everyRuleHasExactlyOneFullyQualifiedTargetThatIsInItsKeyspacesVschema() {
        JsonNode file = json(vitessLocal().resolve("routing_rules.json"));
        assertThat(names(file)).containsExactly("rules");
        Set<String> froms = new LinkedHashSet<>();
        for (JsonNode rule : file.path("rules")) {
            assertThat(names(rule)).containsExactlyInAnyOrder("from_table", "to_tables");
            String from = rule.path("from_table").asText();
            assertThat(froms.add(from)).as("%s is routed once", from).isTrue();
            assertThat(rule.path("to_tables")).as(from).hasSize(1);
            String to = rule.path("to_tables").get(0).asText();
            assertThat(to).as(from).matches("[a-z_]+\\.[a-z_]+");
            String keyspace = to.substring(0, to.indexOf('.'));
            String table = to.substring(to.indexOf('.') + 1);
            assertThat(keyspace).as(from).isNotEqualTo(LEGACY);
            assertThat(Files.isRegularFile(vschemaFile(keyspace)))
                    .as("%s: keyspace %s has a VSchema", from, keyspace)
                    .isTrue();
            assertThat(names(vschema(keyspace).path("tables")))
                    .as("%s -> %s", from, to)
                    .contains(table);
            assertThat(from).as("a legacy name").matches("(" + LEGACY + "\\.)?[a-z_]+(@replica)?");
            assertThat(from.replaceFirst("^" + LEGACY + "\\.", "").replaceFirst("@replica$", ""))
                    .as(from)
                    .isEqualTo(table);
        }
        assertThat(RoutingRules.parse(text(vitessLocal().resolve("routing_rules.json")))
                        .asMap())
                .as("the SDK reads the same file, and the packaged copy is current")
                .isEqualTo(RoutingRules.packaged().asMap())
                .hasSize(froms.size());
    }

    @Test
    void everyMigratedTableHasItsThreeLegacyRules() {
        Map<String, String> rules = RoutingRules.packaged().asMap().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().toString()));
        int tables = 0;
        for (Map.Entry<String, String> folder : migrationFolders().entrySet()) {
            for (String table : generatedTables(folder.getValue()).keySet()) {
                String target = folder.getValue() + "." + table;
                assertThat(rules)
                        .containsEntry(table, target)
                        .containsEntry(LEGACY + "." + table, target)
                        .containsEntry(LEGACY + "." + table + "@replica", target);
                tables++;
            }
        }
        assertThat(rules)
                .as("nothing but the three forms of each migrated table")
                .hasSize(3 * tables);
    }

    // ---------------------------------------------------------------- the sharded sample (growth path)

    @Test
    void theShardedClaimsSampleReferencesOnlyRealTablesAndColumnsAndGivesEveryClaimsTableAPrimaryVindex() {
        Path sharding = vitessLocal().resolve("sharding");
        JsonNode sample = json(sharding.resolve("oi_claims.sharded.vschema.json"));
        assertThat(sample.path("sharded").asBoolean()).isTrue();
        JsonNode vindexes = sample.path("vindexes");
        JsonNode tables = sample.path("tables");

        Map<String, Set<String>> columns = new LinkedHashMap<>(generatedTables("oi_claims"));
        Map<String, List<String>> lookupTables =
                VitessLocalFiles.createdTables(text(sharding.resolve("oi_claims.lookup_tables.sql")));
        assertThat(lookupTables).isNotEmpty();
        lookupTables.forEach((t, cols) -> assertThat(columns.put(t, new LinkedHashSet<>(cols)))
                .as("%s is a new table", t)
                .isNull());

        Set<String> functionalUnique = Set.of(
                "xxhash", "hash", "unicode_loose_xxhash", "unicode_loose_md5", "binary_md5", "binary", "numeric");
        Set<String> used = new LinkedHashSet<>();
        for (String table : names(tables)) {
            JsonNode def = tables.path(table);
            if (def.has("pinned")) {
                assertThat(table)
                        .as("only Flyway's history table is pinned to one shard")
                        .isEqualTo("flyway_schema_history");
                assertThat(def.path("pinned").asText()).matches("[0-9a-f]+");
                continue;
            }
            assertThat(columns)
                    .as("%s is a claims table or a lookup table of the sample", table)
                    .containsKey(table);
            JsonNode columnVindexes = def.path("column_vindexes");
            assertThat(columnVindexes.size())
                    .as("%s has a primary vindex", table)
                    .isPositive();
            for (int i = 0; i < columnVindexes.size(); i++) {
                JsonNode cv = columnVindexes.get(i);
                String column = cv.path("column").asText();
                String vindex = cv.path("name").asText();
                assertThat(columns.get(table)).as("%s.%s", table, column).contains(column);
                assertThat(vindexes.has(vindex))
                        .as("vindex %s of %s.%s is defined", vindex, table, column)
                        .isTrue();
                used.add(vindex);
                if (i == 0) {
                    assertThat(functionalUnique)
                            .as("the primary vindex of %s is unique and computed from the column", table)
                            .contains(vindexes.path(vindex).path("type").asText());
                }
            }
        }
        assertThat(names(tables))
                .as("every claims table is in the sample")
                .containsAll(generatedTables("oi_claims").keySet())
                .containsAll(lookupTables.keySet());
        assertThat(names(vindexes)).as("no unused vindex").containsExactlyInAnyOrderElementsOf(used);

        for (String name : names(vindexes)) {
            JsonNode v = vindexes.path(name);
            if (!v.path("type").asText().contains("lookup")) {
                continue;
            }
            String lookup = v.path("params").path("table").asText();
            assertThat(lookup).as(name).startsWith("oi_claims.");
            String lookupTable = lookup.substring("oi_claims.".length());
            String from = v.path("params").path("from").asText();
            String to = v.path("params").path("to").asText();
            assertThat(lookupTables).as("%s's table", name).containsKey(lookupTable);
            assertThat(lookupTables.get(lookupTable)).as(lookup).contains(from, to);
            assertThat(tables.path(lookupTable)
                            .path("column_vindexes")
                            .get(0)
                            .path("column")
                            .asText())
                    .as("%s is sharded by its from column, so a lookup reads one shard", lookupTable)
                    .isEqualTo(from);
            String owner = v.path("owner").asText();
            assertThat(columns).as("owner of %s", name).containsKey(owner);
            List<String> ownerColumns = new ArrayList<>();
            tables.path(owner).path("column_vindexes").forEach(cv -> {
                if (cv.path("name").asText().equals(name)) {
                    ownerColumns.add(cv.path("column").asText());
                }
            });
            assertThat(ownerColumns)
                    .as("%s uses %s on the lookup's from column", owner, name)
                    .containsExactly(from);
        }
    }

    @Test
    void theShardedSampleKeepsAClaimAndItsChildrenOnOneShard() {
        JsonNode tables = json(vitessLocal().resolve("sharding/oi_claims.sharded.vschema.json"))
                .path("tables");
        JsonNode claimPrimary = tables.path("claim").path("column_vindexes").get(0);
        assertThat(claimPrimary.path("column").asText()).isEqualTo("id");
        for (Map.Entry<String, Set<String>> child : generatedTables("oi_claims").entrySet()) {
            if (child.getValue().contains("claim_id")) {
                JsonNode primary =
                        tables.path(child.getKey()).path("column_vindexes").get(0);
                assertThat(primary.path("column").asText()).as(child.getKey()).isEqualTo("claim_id");
                assertThat(primary.path("name").asText())
                        .as("%s hashes claim_id like claim hashes id", child.getKey())
                        .isEqualTo(claimPrimary.path("name").asText());
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private static Path vschemaFile(String keyspace) {
        return vitessLocal().resolve("vschema").resolve(keyspace).resolve("vschema.json");
    }

    private static JsonNode vschema(String keyspace) {
        return json(vschemaFile(keyspace));
    }

    /** Target keyspace to its tables, from the routing rules file. */
    private static Map<String, Set<String>> routingTargets() {
        Map<String, Set<String>> targets = new LinkedHashMap<>();
        RoutingRules.parse(text(vitessLocal().resolve("routing_rules.json")))
                .asMap()
                .values()
                .forEach(t -> targets.computeIfAbsent(t.keyspace(), k -> new LinkedHashSet<>())
                        .add(t.table()));
        return targets;
    }
}
