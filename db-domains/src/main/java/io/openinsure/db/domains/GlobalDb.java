package io.openinsure.db.domains;

import io.openinsure.db.core.ForwardingKeyspaceClient;
import io.openinsure.db.core.KeyspaceClient;

/**
 * The client for organizations, users, programs and reference data: keyspace {@code global} (database
 * {@code oi_global}). Thread-safe.
 */
public final class GlobalDb extends ForwardingKeyspaceClient {

    GlobalDb(KeyspaceClient client) {
        super(client);
    }
}
