package io.openinsure.db.core;

import java.util.Locale;

/**
 * What the read-query cache did with one statement, or would do with it, in Cloudflare Hyperdrive's
 * words ({@link #label()}: {@code hit}, {@code miss}, …), plus {@link #BYPASS} for reads made through
 * {@link KeyspaceClient#uncached()}.
 *
 * <p>Only {@link #HIT}, {@link #MISS} and {@link #STALE} concern cacheable statements; every other
 * status says why a statement went to the database without being cached.
 */
public enum CacheStatus {
    /** Served from the cache, fresh (younger than {@code maxAge}); no connection was borrowed. */
    HIT,
    /** Cacheable, not in the cache: read from the database and stored. */
    MISS,
    /** Served from the cache after {@code maxAge}, within {@code staleWhileRevalidate}, while one refresh runs. */
    STALE,
    /** A read that must not be cached: locking read, session or user variables, hints, unknown functions, … */
    UNCACHEABLE,
    /** A read that calls a volatile or stable function ({@code NOW()}, {@code RAND()}, {@code LAST_INSERT_ID()}, …). */
    VOLATILE,
    /** More than one statement in one string. */
    MULTIPLESTATEMENTS,
    /** Not a query: a write, DDL, {@code USE}, {@code SET}, {@code CALL}, {@code SHOW}, {@code SELECT … INTO}, … */
    NOTAQUERY,
    /** Run inside a transaction, which always reads and writes the database. */
    TRANSACTION,
    /** Cacheable, but the result was larger than {@code maxResultBytes}: returned, not stored. */
    OVERSIZEDRESULT,
    /** The statement could not be analysed, so it is not cached (fail closed). */
    PARSEERROR,
    /** The client's cache is disabled. */
    DISABLED,
    /** Cacheable, but read through {@link KeyspaceClient#uncached()}: fresh from the database, not stored. */
    BYPASS;

    private final String label = name().toLowerCase(Locale.ROOT);

    /** The lower-case name used in metrics and messages, e.g. {@code hit}, {@code multiplestatements}. */
    public String label() {
        return label;
    }

    /** Whether the statement was (or would be) answered through the cache: {@link #HIT}, {@link #MISS} or {@link #STALE}. */
    public boolean cacheable() {
        return this == HIT || this == MISS || this == STALE;
    }
}
