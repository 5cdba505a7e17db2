package io.openinsure.db.core;

import java.time.Duration;
import java.util.Optional;

/**
 * A binding's read replica, validated. See {@link Settings} for defaults and bounds.
 *
 * @param url                  {@link Settings#REPLICA_URL} with the binding's database applied; {@code null} when the
 *                             binding has no replica (then nothing goes to one, whatever {@code reads} says)
 * @param reads                {@link Settings#REPLICA_READS}
 * @param readYourWritesWindow {@link Settings#READ_YOUR_WRITES_WINDOW}
 * @param maxLag               {@link Settings#REPLICA_MAX_LAG}
 */
public record ReplicaSettings(DatabaseUrl url, ReplicaReads reads, Duration readYourWritesWindow, Duration maxLag) {

    /** The replica's URL, if the binding has one. */
    public Optional<DatabaseUrl> replicaUrl() {
        return Optional.ofNullable(url);
    }

    /** Whether any read can go to a replica: one is configured and {@link #reads()} is not {@code off}. */
    public boolean enabled() {
        return url != null && reads != ReplicaReads.OFF;
    }

    @Override
    public String toString() {
        return "ReplicaSettings{url=" + (url == null ? "none" : url.toString()) + ", reads=" + reads.label()
                + ", readYourWritesWindow=" + Settings.formatDuration(readYourWritesWindow) + ", maxLag="
                + Settings.formatDuration(maxLag) + "}";
    }
}
