package io.openinsure.db.domains;

import io.openinsure.db.core.ForwardingKeyspaceClient;
import io.openinsure.db.core.KeyspaceClient;

/**
 * The client for the claim lifecycle: keyspace {@code claims} (database
 * {@code oi_claims}). Thread-safe.
 */
public final class ClaimsDb extends ForwardingKeyspaceClient {

    ClaimsDb(KeyspaceClient client) {
        super(client);
    }
}
