package io.openinsure.db.domains;

import java.util.Locale;

/**
 * The OpenInsure bindings: five keyspaces and the legacy monolithic one served by Vitess routing
 * rules during the cutover.
 */
public enum Keyspace {
    GLOBAL("oi_global"),
    POLICIES("oi_policies"),
    SUBMISSIONS("oi_submissions"),
    CLAIMS("oi_claims"),
    BILLING("oi_billing"),
    /** The monolithic keyspace; its tables are routed to the five above. */
    LEGACY("openinsure");

    private final String database;

    Keyspace(String database) {
        this.database = database;
    }

    /** The binding name: {@code global}, {@code policies}, … {@code legacy}. */
    public String bindingName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The database (Vitess keyspace) name, e.g. {@code oi_policies}; {@code openinsure} for legacy. */
    public String database() {
        return database;
    }
}
