package io.openinsure.db.domains;

import io.openinsure.db.core.ForwardingKeyspaceClient;
import java.time.Clock;
import io.openinsure.db.core.KeyspaceClient;

/**
 * The client for organizations, users, programs and reference data: keyspace {@code global} (database
 * {@code oi_global}). Thread-safe.
 */
public final class GlobalDb extends ForwardingKeyspaceClient {

    private final Clock clock;

    GlobalDb(KeyspaceClient client, Clock clock) {
        super(client);
        this.clock = clock;
    }

    /** The clock operations use for "now" (UTC). */
    Clock clock() {
        return clock;
    }
}
