package io.openinsure.db.domains;

import io.openinsure.db.core.ForwardingKeyspaceClient;
import io.openinsure.db.core.KeyspaceClient;

/**
 * The client for the policy lifecycle: keyspace {@code policies} (database
 * {@code oi_policies}). Thread-safe.
 */
public final class PoliciesDb extends ForwardingKeyspaceClient {

    PoliciesDb(KeyspaceClient client) {
        super(client);
    }
}
