package io.openinsure.db.examples;

import io.openinsure.db.core.OpenInsureDbException;
import io.openinsure.db.domains.Keyspace;
import io.openinsure.db.domains.OpenInsureDb;
import java.util.Locale;
import java.util.Map;

/**
 * Applies the SDK's Flyway migrations to every keyspace over its admin URL, as a deploy step would.
 *
 * <p>Configuration comes from the environment, as in production ({@link OpenInsureDb#fromEnv()}):
 * migrations use {@code OI_DB_<BINDING>_ADMIN_URL}, else {@code DATABASE_URL}, else the runtime URL
 * ({@code OI_DB_<BINDING>_URL} or {@code OI_DB_URL}), which every binding needs anyway. For the local
 * Vitess in {@code vitess-local/} ({@code make -C vitess-local migrate} does this):
 *
 * <pre>
 * OI_DB_URL=vitess://root@127.0.0.1:33577/openinsure \
 * OI_DB_CLAIMS_ADMIN_URL=vitess://root@127.0.0.1:33577/oi_claims@primary … \
 * mvn -q -B -DskipTests -pl examples -am package exec:exec -Dexec.mainClass=io.openinsure.db.examples.MigrateMain
 * </pre>
 *
 * Exit code 0 when every keyspace is up to date, 1 when a migration failed (the message names the keyspace).
 */
public final class MigrateMain {

    private MigrateMain() {}

    public static void main(String[] args) {
        int exit = 0;
        try (OpenInsureDb db = OpenInsureDb.fromEnv()) {
            Map<Keyspace, Integer> applied = db.migrate();
            applied.forEach((keyspace, count) -> System.out.printf(
                    Locale.ROOT,
                    "%-12s %-16s %d migration(s) applied (%s)%n",
                    keyspace.bindingName(),
                    keyspace.database(),
                    count,
                    db.client(keyspace).config().adminUrl().describe()));
            System.out.printf(
                    Locale.ROOT,
                    "%d keyspaces up to date; %s has no migrations of its own (its tables are routed)%n",
                    applied.size(),
                    Keyspace.LEGACY.database());
        } catch (OpenInsureDbException e) {
            System.err.println("migration failed: " + e.getMessage());
            exit = 1;
        }
        System.exit(exit);
    }
}
