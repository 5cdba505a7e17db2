package io.openinsure.db.examples;

import io.openinsure.db.core.KeyspaceClient;
import io.openinsure.db.domains.OpenInsureDb;
import io.openinsure.db.testkit.Topology;
import java.util.Locale;

/**
 * Builds all six clients, runs a query on each and prints mode, server version and pool state.
 *
 * <p>With {@code OI_DB_URL}, {@code DATABASE_URL} or {@code OI_DB_<BINDING>_URL} set it uses those
 * (as production code would, through {@link OpenInsureDb#fromEnv()}); otherwise it starts an
 * embedded MariaDB from the testkit (PostgreSQL with {@code -Doi.test.backend=postgres}): no install, no Docker.
 *
 * <pre>mvn -q -B -DskipTests -pl examples -am install exec:exec</pre>
 */
public final class TopologyTour {

    private TopologyTour() {}

    public static void main(String[] args) {
        boolean configured = System.getenv("OI_DB_URL") != null
                || System.getenv("DATABASE_URL") != null
                || System.getenv().keySet().stream().anyMatch(k -> k.startsWith("OI_DB_") && k.endsWith("_URL"));
        long t0 = System.nanoTime();
        int failures = 0;
        try (OpenInsureDb db =
                configured ? OpenInsureDb.fromEnv() : Topology.selected().open()) {
            System.out.printf(
                    Locale.ROOT,
                    "%-12s %-7s %-28s %-22s %-8s %s%n",
                    "binding",
                    "mode",
                    "server",
                    "version",
                    "answer",
                    "pool");
            for (KeyspaceClient client : db.clients()) {
                try {
                    String answer = String.valueOf(client.dsl().fetchValue("select 40 + 2"));
                    System.out.printf(
                            Locale.ROOT,
                            "%-12s %-7s %-28s %-22s %-8s %s%n",
                            client.name(),
                            client.mode().label(),
                            client.config().url().describe(),
                            client.serverVersion(),
                            answer,
                            client.poolStats());
                } catch (RuntimeException e) {
                    failures++;
                    System.out.printf(Locale.ROOT, "%-12s FAILED: %s%n", client.name(), e.getMessage());
                }
            }
        }
        System.out.printf(
                Locale.ROOT, "%d of 6 clients answered in %d ms%n", 6 - failures, (System.nanoTime() - t0) / 1_000_000);
        // Exit explicitly: the embedded server's process watcher is a non-daemon thread.
        System.exit(failures > 0 ? 1 : 0);
    }
}
