package io.openinsure.db.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Per-JVM working directories for embedded servers (never the shared default under the temp dir). */
public final class TempDirs {

    private TempDirs() {}

    /** A new directory under the system temp dir, unique to this JVM. Short, so socket paths fit. */
    public static Path create(String prefix) {
        try {
            return Files.createTempDirectory(prefix + ProcessHandle.current().pid() + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create a working directory for an embedded server", e);
        }
    }

    /** Deletes a directory tree; failures are ignored (it lives under the temp dir). */
    public static void deleteQuietly(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException | UncheckedIOException ignored) {
            // best effort
        }
    }
}
