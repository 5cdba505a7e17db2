package io.openinsure.db.domains;

import io.openinsure.db.core.ForwardingKeyspaceClient;
import java.time.Clock;
import io.openinsure.db.core.KeyspaceClient;

/**
 * The client for invoices, payments and the general ledger: keyspace {@code billing} (database
 * {@code oi_billing}). Thread-safe.
 */
public final class BillingDb extends ForwardingKeyspaceClient {

    private final Clock clock;

    BillingDb(KeyspaceClient client, Clock clock) {
        super(client);
        this.clock = clock;
    }

    /** The clock operations use for "now" (UTC). */
    Clock clock() {
        return clock;
    }
}
