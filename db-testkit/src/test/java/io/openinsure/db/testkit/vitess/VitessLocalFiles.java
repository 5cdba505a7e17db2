package io.openinsure.db.testkit.vitess;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.openinsure.db.domains.Keyspace;
import io.openinsure.db.domains.schema.DefaultCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jooq.Field;
import org.jooq.Schema;
import org.jooq.Table;

/** Reads the files of {@code vitess-local/} and the schema sources they must agree with. Test helper. */
final class VitessLocalFiles {

    static final ObjectMapper JSON = new ObjectMapper();
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static final Pattern CREATE_TABLE = Pattern.compile(
            "(?i)\\bCREATE\\s+TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?`?([A-Za-z0-9_]+)`?\\s*\\((.*?)\\)\\s*ENGINE",
            Pattern.DOTALL);
    private static final Pattern COLUMN = Pattern.compile(
            "(?m)^\\s*`?([a-z][a-z0-9_]*)`?\\s+(?:BINARY|VARBINARY|VARCHAR|CHAR|INT|BIGINT|DECIMAL|DATE|DATETIME|TEXT|JSON)\\b",
            Pattern.CASE_INSENSITIVE);

    private VitessLocalFiles() {}

    /** The repository root: Surefire runs in the module directory ({@code basedir}). */
    static Path repo() {
        Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
                .toAbsolutePath();
        Path root = module.getParent();
        if (!Files.isDirectory(root.resolve("vitess-local"))) {
            throw new IllegalStateException("vitess-local/ not found next to " + module);
        }
        return root;
    }

    static Path vitessLocal() {
        return repo().resolve("vitess-local");
    }

    static Path migrations() {
        return repo().resolve("db-domains/src/main/resources/db/migration");
    }

    static JsonNode yaml(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("not valid YAML: " + file, e);
        }
    }

    static JsonNode json(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("not valid JSON: " + file, e);
        }
    }

    static String text(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> children(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The keyspaces that have migrations: {@code db/migration/<binding>} folder name to Vitess keyspace. */
    static Map<String, String> migrationFolders() {
        Map<String, String> folders = new LinkedHashMap<>();
        for (String folder : children(migrations())) {
            folders.put(
                    folder,
                    Keyspace.valueOf(folder.toUpperCase(java.util.Locale.ROOT)).database());
        }
        return folders;
    }

    /** The tables created by a keyspace's migration files, in file order. */
    static Map<String, List<String>> tablesCreatedByMigrations(String folder) {
        Map<String, List<String>> tables = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(migrations().resolve(folder))) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".sql")).sorted().collect(Collectors.toList())) {
                tables.putAll(createdTables(text(file)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return tables;
    }

    /** {@code CREATE TABLE} name to its column names, from SQL text. */
    static Map<String, List<String>> createdTables(String sql) {
        Map<String, List<String>> tables = new LinkedHashMap<>();
        Matcher m = CREATE_TABLE.matcher(sql);
        while (m.find()) {
            List<String> columns = new ArrayList<>();
            Matcher c = COLUMN.matcher(m.group(2));
            while (c.find()) {
                columns.add(c.group(1).toLowerCase(java.util.Locale.ROOT));
            }
            tables.put(m.group(1).toLowerCase(java.util.Locale.ROOT), columns);
        }
        return tables;
    }

    /** The jOOQ schema generated at build time from the migrations, for a Vitess keyspace. */
    static Schema generatedSchema(String keyspace) {
        Schema schema = DefaultCatalog.DEFAULT_CATALOG.getSchema(keyspace);
        if (schema == null) {
            throw new IllegalStateException("no generated jOOQ schema " + keyspace);
        }
        return schema;
    }

    /** Generated table name to its column names. */
    static Map<String, Set<String>> generatedTables(String keyspace) {
        Map<String, Set<String>> tables = new LinkedHashMap<>();
        for (Table<?> t : generatedSchema(keyspace).getTables()) {
            Set<String> columns = new LinkedHashSet<>();
            for (Field<?> f : t.fields()) {
                columns.add(f.getName());
            }
            tables.put(t.getName(), columns);
        }
        return tables;
    }

    /** Field names of an object node, in order. */
    static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
