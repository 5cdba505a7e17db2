package io.openinsure.db.domains;

import io.openinsure.db.core.ForwardingKeyspaceClient;
import io.openinsure.db.core.KeyspaceClient;

/**
 * The client for invoices, payments and the general ledger: keyspace {@code billing} (database
 * {@code oi_billing}). Thread-safe.
 */
public final class BillingDb extends ForwardingKeyspaceClient {

    BillingDb(KeyspaceClient client) {
        super(client);
    }
}
