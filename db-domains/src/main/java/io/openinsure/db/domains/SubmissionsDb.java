package io.openinsure.db.domains;

import io.openinsure.db.core.ForwardingKeyspaceClient;
import java.time.Clock;
import io.openinsure.db.core.KeyspaceClient;

/**
 * The client for the submission, quote and bind workflow: keyspace {@code submissions} (database
 * {@code oi_submissions}). Thread-safe.
 */
public final class SubmissionsDb extends ForwardingKeyspaceClient {

    private final Clock clock;

    SubmissionsDb(KeyspaceClient client, Clock clock) {
        super(client);
        this.clock = clock;
    }

    /** The clock operations use for "now" (UTC). */
    Clock clock() {
        return clock;
    }
}
