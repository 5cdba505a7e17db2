package io.openinsure.db.core.internal;

import io.openinsure.db.core.CacheStatus;
import org.jooq.ExecuteContext;

/**
 * What one statement carries from its start to its end: when it started, what the cache did with it, the
 * timeout it runs under (and which limit that is), the rows and bytes read so far, and whether it runs in a short
 * transaction of its own. One per statement, never shared between statements:
 * <ul>
 *   <li>jOOQ's path: {@link ExecutionListener} opens it when jOOQ starts the statement and keeps it in the
 *       {@link ExecuteContext}'s data; the same listener hands it to the connection jOOQ will borrow for the
 *       statement ({@link ClientConnections#forExecution}), which hands it to the cache that may answer it;
 *       {@link LimitsListener} fills in the timeout and counts rows into it; {@link ExecutionListener} reports its
 *       timing and status when the statement ends;</li>
 *   <li>the direct typed reads ({@link ClientTypedReads}) open one themselves and pass it along explicitly.</li>
 * </ul>
 * Used by one thread at a time, like the statement it belongs to.
 */
final class Execution {

    /** The key of the statement's execution in {@link ExecuteContext#data()}: an object only this class knows. */
    private static final Object KEY = new Object();

    final long startNanos = System.nanoTime();
    private CacheStatus status;
    /** The cache entry that answered the statement (hit, stale or a stored miss), for the typed reads to remember their records on. */
    private QueryCache.CachedResult served;
    /** The timeout the limits gave it; {@code null} before {@link LimitsListener} ran. */
    StatementLimits.Timeout timeout;

    long rows;
    long bytes;
    /** It runs in a transaction of its own that the limits began (a bulk write outside a transaction), to be able to undo it. */
    boolean ownTransaction;
    /**
     * The connection whose session {@code max_statement_time} {@link LimitsListener} raised above the session's default
     * for this statement, to be put back when it ends; {@code null} when it did not.
     */
    java.sql.Connection sessionRaised;
    /** Its written rows were judged before it ran ({@code INSERT … VALUES}), not after. */
    boolean countedBeforehand;
    /**
     * The endpoint its connection came from when that was not simply the client's active one (a read sent to the
     * replica): a lost connection is that endpoint's failure. {@code null}: the active endpoint.
     */
    Endpoint endpoint;

    /** A new execution, kept in {@code ctx}'s data. */
    static Execution open(ExecuteContext ctx) {
        Execution e = new Execution();
        ctx.data(KEY, e);
        return e;
    }

    /** A new execution for a statement that does not go through jOOQ (a direct typed read). */
    static Execution direct(CacheStatus status) {
        Execution e = new Execution();
        e.status = status;
        return e;
    }

    /** {@code ctx}'s execution, or {@code null} when none was opened (a context that is not a client's). */
    static Execution of(ExecuteContext ctx) {
        return (Execution) ctx.data(KEY);
    }

    /** What the cache did with the statement; {@code null} when nothing was decided (e.g. it was refused before it ran). */
    CacheStatus status() {
        return status;
    }

    void status(CacheStatus status) {
        this.status = status;
    }

    QueryCache.CachedResult served() {
        return served;
    }

    void served(QueryCache.CachedResult entry) {
        this.served = entry;
    }
}
