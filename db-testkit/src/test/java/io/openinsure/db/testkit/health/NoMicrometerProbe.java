package io.openinsure.db.testkit.health;

import io.openinsure.db.core.BindingConfig;
import io.openinsure.db.core.DatabaseReport;
import io.openinsure.db.core.KeyspaceClient;
import java.util.List;

/** Runs inside a class loader without Micrometer (see {@link MicrometerAbsentTest}). */
public final class NoMicrometerProbe {

    private NoMicrometerProbe() {}

    /** Opens a client, runs reads, asks for health and a report; returns what it saw. */
    public static String run(String connectionString) {
        try (KeyspaceClient client = KeyspaceClient.open(BindingConfig.builder("nometrics")
                .url(connectionString)
                .minIdle(0)
                .build())) {
            Object one = client.dsl().fetchValue("SELECT v FROM probe WHERE id = 1");
            client.dsl().fetchValue("SELECT v FROM probe WHERE id = 1");
            return one + "|" + client.health().status() + "|"
                    + DatabaseReport.of(List.of(client)).toJson().contains("\"hitRate\" : 0.5");
        }
    }
}
