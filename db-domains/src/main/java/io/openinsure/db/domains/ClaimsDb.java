package io.openinsure.db.domains;

import io.openinsure.db.core.ForwardingKeyspaceClient;
import java.time.Clock;
import io.openinsure.db.core.KeyspaceClient;

/**
 * The client for the claim lifecycle: keyspace {@code claims} (database
 * {@code oi_claims}). Thread-safe.
 */
public final class ClaimsDb extends ForwardingKeyspaceClient {

    private final Clock clock;

    ClaimsDb(KeyspaceClient client, Clock clock) {
        super(client);
        this.clock = clock;
    }

    /** The clock operations use for "now" (UTC). */
    Clock clock() {
        return clock;
    }
}
