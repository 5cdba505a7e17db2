package io.openinsure.db.core.internal;

import io.openinsure.db.core.CacheDecision;
import io.openinsure.db.core.CacheStatus;
import java.util.Set;

/**
 * The analyser's answer for one SQL text: may its result be cached, why, and what running it may change.
 *
 * @param status     {@link CacheStatus#MISS} when cacheable, else why not
 * @param reason     for a person, starting with {@code cacheable:} or {@code uncacheable:}
 * @param fix        what to change; empty when nothing needs fixing
 * @param tables     tables read (a read) or touched (a write), lower case, unqualified
 * @param effect     what running the statement may change, for invalidation
 * @param normalised the text without ordinary comments and with whitespace collapsed: the cache key's SQL part
 */
record Verdict(CacheStatus status, String reason, String fix, Set<String> tables, Effect effect, String normalised) {

    /** What running a statement may change. */
    enum Effect {
        /** Nothing that a cached read depends on. */
        READ,
        /** The rows of {@link Verdict#tables()}. */
        WRITE,
        /** Anything: invalidate the client's whole cache. */
        UNKNOWN
    }

    /** For statements that may write anything (stored procedures): running one invalidates the whole cache. */
    static final Verdict ANY_WRITE = new Verdict(
            CacheStatus.NOTAQUERY,
            "uncacheable: a stored procedure call is not a query",
            "",
            Set.of(),
            Effect.UNKNOWN,
            "");

    Verdict {
        tables = Set.copyOf(tables);
    }

    boolean cacheable() {
        return status == CacheStatus.MISS;
    }

    CacheDecision decision() {
        return new CacheDecision(status, reason, fix, tables);
    }
}
