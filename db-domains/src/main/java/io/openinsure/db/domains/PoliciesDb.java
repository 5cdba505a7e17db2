package io.openinsure.db.domains;

import io.openinsure.db.core.ForwardingKeyspaceClient;
import java.time.Clock;
import io.openinsure.db.core.KeyspaceClient;

/**
 * The client for the policy lifecycle: keyspace {@code policies} (database
 * {@code oi_policies}). Thread-safe.
 */
public final class PoliciesDb extends ForwardingKeyspaceClient {

    private final Clock clock;

    PoliciesDb(KeyspaceClient client, Clock clock) {
        super(client);
        this.clock = clock;
    }

    /** The clock operations use for "now" (UTC). */
    Clock clock() {
        return clock;
    }
}
