package io.openinsure.db.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The read path's design rules, checked on db-core's sources: no side channels between the parts of a statement's
 * way to the server (no static {@code ThreadLocal}, no reaching into the connection to plant values, no reflection
 * into jOOQ), no public constructor taking an {@code Object}, and nothing public in {@code internal} but the client
 * {@code KeyspaceClient.open} returns and the one method of the lexer that the SPI's {@code SqlTokens.lex} runs.
 */
class ReadPathRulesTest {

    private static final Path MAIN = Path.of("src/main/java/io/openinsure/db/core");

    private static List<String> offending(Pattern pattern) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    if (pattern.matcher(lines.get(i)).find()) {
                        found.add(MAIN.relativize(file) + ":" + (i + 1) + ": "
                                + lines.get(i).strip());
                    }
                }
            }
        }
        return found;
    }

    @Test
    void noThreadLocalsNoUnwrapBackChannelNoReflectionIntoJooq() throws IOException {
        assertThat(offending(Pattern.compile("\\bThreadLocal\\b"))).isEmpty();
        assertThat(offending(Pattern.compile("\\.unwrap\\((CacheAwareConnection|ServerTimedRead)")))
                .isEmpty();
        assertThat(offending(Pattern.compile(
                        "privateLookupIn|setAccessible|getDeclaredField|VarHandle|forName\\(\"org\\.jooq")))
                .isEmpty();
    }

    @Test
    void noPublicConstructorTakesAnObject() throws IOException {
        assertThat(offending(Pattern.compile("public [A-Z]\\w*\\([^)]*\\bObject \\w+")))
                .isEmpty();
    }

    @Test
    void internalsArePackagePrivateButTheClient() throws IOException {
        List<String> publicInternals = new ArrayList<>();
        try (Stream<Path> files = Files.list(MAIN.resolve("internal"))) {
            for (Path file : files.toList()) {
                if (Files.readAllLines(file).stream()
                        .anyMatch(l -> l.matches("^public (final |abstract )?(class|interface|record|enum) .*"))) {
                    publicInternals.add(file.getFileName().toString());
                }
            }
        }
        assertThat(publicInternals).containsExactlyInAnyOrder("HikariKeyspaceClient.java", "SqlLexer.java");
        assertThat(Files.readAllLines(MAIN.resolve("internal/SqlLexer.java")).stream()
                        .filter(l -> l.matches("^\\s*public .*"))
                        .map(String::strip))
                .containsExactly(
                        "public final class SqlLexer {", "public static SqlTokens tokens(String sql, boolean mysql) {");
    }
}
