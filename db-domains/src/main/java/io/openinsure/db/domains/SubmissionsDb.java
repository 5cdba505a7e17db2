package io.openinsure.db.domains;

import io.openinsure.db.core.ForwardingKeyspaceClient;
import io.openinsure.db.core.KeyspaceClient;

/**
 * The client for the submission, quote and bind workflow: keyspace {@code submissions} (database
 * {@code oi_submissions}). Thread-safe.
 */
public final class SubmissionsDb extends ForwardingKeyspaceClient {

    SubmissionsDb(KeyspaceClient client) {
        super(client);
    }
}
