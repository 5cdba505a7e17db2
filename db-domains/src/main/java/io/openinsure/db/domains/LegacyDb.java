package io.openinsure.db.domains;

import io.openinsure.db.core.ForwardingKeyspaceClient;
import io.openinsure.db.core.KeyspaceClient;

/**
 * The client for the legacy monolithic keyspace (tables routed to the new keyspaces): keyspace {@code legacy} (database
 * {@code openinsure}). Thread-safe.
 */
public final class LegacyDb extends ForwardingKeyspaceClient {

    LegacyDb(KeyspaceClient client) {
        super(client);
    }
}
