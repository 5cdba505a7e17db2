package io.openinsure.db.core;

import java.util.Locale;

/**
 * Which reads of a binding go to its read replica ({@link Settings#REPLICA_READS}). Whatever the choice, writes,
 * transactions, reads answered by the cache and reads through {@code uncached()} never go to the replica, and a table
 * written through the same {@code OpenInsureDb} is read from the primary for {@link Settings#READ_YOUR_WRITES_WINDOW}.
 */
public enum ReplicaReads {
    /** None: every statement goes to the primary; {@link KeyspaceClient#replica()} is {@link KeyspaceClient#dsl()}. */
    OFF,
    /** Eligible reads through {@link KeyspaceClient#dsl()} (and {@link KeyspaceClient#replica()}). */
    READS,
    /** Only eligible reads through {@link KeyspaceClient#replica()}; {@code dsl()} reads the primary. */
    EXPLICIT;

    /** Lower-case name, as written in settings and reports. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code off}, {@code reads} or {@code explicit} (any case).
     *
     * @throws IllegalArgumentException for anything else
     */
    public static ReplicaReads parse(String text) {
        String t = text.strip().toUpperCase(Locale.ROOT);
        for (ReplicaReads r : values()) {
            if (r.name().equals(t)) {
                return r;
            }
        }
        throw new IllegalArgumentException("not one of off, reads, explicit: " + text);
    }
}
