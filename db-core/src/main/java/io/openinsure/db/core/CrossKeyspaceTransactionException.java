package io.openinsure.db.core;

import java.util.List;

/**
 * A transaction would write or read tables in more than one keyspace. Vitess commits such
 * ({@code MULTI}) transactions shard by shard, not atomically, so the SDK refuses them unless the
 * binding allows it explicitly.
 */
public class CrossKeyspaceTransactionException extends OpenInsureDbException {

    private static final long serialVersionUID = 1L;

    private final List<String> keyspaces;

    public CrossKeyspaceTransactionException(String keyspace, String message, List<String> keyspaces) {
        super(keyspace, message, null);
        this.keyspaces = List.copyOf(keyspaces);
    }

    /** The keyspaces the transaction touched, in the order it touched them. */
    public List<String> keyspaces() {
        return keyspaces;
    }
}
