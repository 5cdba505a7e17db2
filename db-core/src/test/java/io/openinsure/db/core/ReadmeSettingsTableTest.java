package io.openinsure.db.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's settings table is {@link Settings#markdownTable()}, character for character. */
class ReadmeSettingsTableTest {

    @Test
    void readmeTableMatchesTheDeclaredSettings() throws IOException {
        Path readme = Path.of("..", "README.md");
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        String start = "<!-- settings-table:start -->\n";
        String end = "<!-- settings-table:end -->";
        int from = text.indexOf(start);
        int to = text.indexOf(end);
        assertThat(from).as("README.md has the settings-table markers").isNotNegative();
        assertThat(to).isGreaterThan(from);
        assertThat(text.substring(from + start.length(), to))
                .as("README settings table; regenerate it from Settings.markdownTable()")
                .isEqualTo(Settings.markdownTable());
    }
}
