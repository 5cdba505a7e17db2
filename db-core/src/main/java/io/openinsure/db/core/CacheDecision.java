package io.openinsure.db.core;

import java.util.Objects;
import java.util.Set;

/**
 * The answer to "would this SQL be cached, and if not, why, and how to fix it"
 * ({@link KeyspaceClient#explain(String)}).
 *
 * <p>{@link #toString()} is the whole answer in one line, e.g.
 * {@code uncacheable: NOW() is volatile; compute the cutoff in the application and bind it as a parameter}.
 *
 * @param status the status the statement gets when run through {@link KeyspaceClient#dsl()} outside a
 *               transaction; {@link CacheStatus#MISS} means "cacheable" (the first run stores it, later ones hit)
 * @param reason why, for a person: starts with {@code cacheable:} or {@code uncacheable:}
 * @param fix    what to change so the statement can be cached; empty when nothing needs fixing
 * @param tables the tables the statement names (lower case, unqualified): for a cacheable read, the tables
 *               whose writes invalidate it; for a write, the tables whose cached reads it invalidates; empty
 *               when there are none or they cannot be told (a write then invalidates the client's whole cache)
 */
public record CacheDecision(CacheStatus status, String reason, String fix, Set<String> tables) {

    public CacheDecision {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(fix, "fix");
        tables = Set.copyOf(tables);
    }

    /** Whether the statement is answered through the cache. */
    public boolean cacheable() {
        return status.cacheable();
    }

    /** The reason, then the fix when there is one. */
    @Override
    public String toString() {
        return fix.isEmpty() ? reason : reason + "; " + fix;
    }
}
