package io.openinsure.db.domains;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.EnumSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Textual rules for the Flyway migrations packaged under {@code db/migration/<keyspace>/}. */
class MigrationFilesTest {

    private static final Pattern FORBIDDEN = Pattern.compile(
            "FOREIGN\\s+KEY|\\bREFERENCES\\b|AUTO_INCREMENT|\\bENUM\\s*\\(|\\bDELIMITER\\b"
                    + "|CREATE\\s+(DEFINER\\s*=\\s*\\S+\\s+)?(TRIGGER|PROCEDURE|FUNCTION|EVENT)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern CREATE_TABLE = Pattern.compile(
            "CREATE\\s+TABLE\\s+(\\w+)\\s*\\((.*?)\\)\\s*ENGINE\\s*=\\s*(\\w+)([^;]*);",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern VERSIONED_NAME = Pattern.compile("V\\d+__[a-z0-9_]+\\.sql");

    static Stream<Keyspace> keyspaces() {
        return EnumSet.complementOf(EnumSet.of(Keyspace.LEGACY)).stream();
    }

    static Path migrationRoot() throws URISyntaxException {
        URL url = MigrationFilesTest.class.getClassLoader().getResource("db/migration");
        assertThat(url).as("db/migration on the classpath").isNotNull();
        return Paths.get(url.toURI());
    }

    static Stream<Path> migrationFiles() throws IOException, URISyntaxException {
        try (Stream<Path> walk = Files.walk(migrationRoot())) {
            return walk.filter(Files::isRegularFile).sorted().collect(Collectors.toList()).stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keyspaces")
    void everyKeyspaceHasAVersionOneMigration(Keyspace keyspace) throws Exception {
        Path dir = migrationRoot().resolve(keyspace.bindingName());
        assertThat(dir).isDirectory();
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).collect(Collectors.toList());
            assertThat(names).anyMatch(n -> n.startsWith("V1__"));
            assertThat(names).allMatch(n -> VERSIONED_NAME.matcher(n).matches(), "named V<n>__<lower_snake>.sql");
        }
    }

    @Test
    void onlyKeyspaceFoldersAreUnderDbMigration() throws Exception {
        try (Stream<Path> dirs = Files.list(migrationRoot())) {
            assertThat(dirs.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(
                            keyspaces().map(Keyspace::bindingName).toArray(String[]::new));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("migrationFiles")
    void noForeignKeysAutoIncrementEnumsOrRoutines(Path file) throws IOException {
        String sql = Files.readString(file, StandardCharsets.UTF_8);
        Matcher m = FORBIDDEN.matcher(sql);
        assertThat(m.find() ? m.group() : null)
                .as("forbidden construct in %s", file.getFileName())
                .isNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("migrationFiles")
    void everyTableIsInnoDbUtf8mb4WithAPrimaryKey(Path file) throws IOException {
        String sql = stripComments(Files.readString(file, StandardCharsets.UTF_8));
        Matcher m = CREATE_TABLE.matcher(sql);
        int tables = 0;
        while (m.find()) {
            tables++;
            String table = m.group(1);
            assertThat(m.group(3)).as("engine of %s", table).isEqualToIgnoringCase("InnoDB");
            assertThat(m.group(4)).as("options of %s", table).containsIgnoringCase("CHARSET=utf8mb4");
            assertThat(m.group(2)).as("primary key of %s", table).containsIgnoringCase("PRIMARY KEY");
        }
        long creates = Pattern.compile("CREATE\\s+TABLE", Pattern.CASE_INSENSITIVE)
                .matcher(sql)
                .results()
                .count();
        assertThat(tables)
                .as("CREATE TABLE statements understood in %s", file.getFileName())
                .isEqualTo((int) creates);
    }

    private static String stripComments(String sql) {
        return sql.replaceAll("(?m)--.*$", "");
    }
}
