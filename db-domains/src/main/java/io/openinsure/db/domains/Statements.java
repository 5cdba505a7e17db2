package io.openinsure.db.domains;

import io.openinsure.db.core.KeyspaceClient;
import io.openinsure.db.domains.internal.BusinessNumbers;
import io.openinsure.db.domains.internal.Prepared;
import io.openinsure.db.domains.internal.Rows;
import io.openinsure.db.domains.internal.SqlErrors;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.TableRecord;

/**
 * What the domain clients' writes share: pre-rendered inserts, the optimistic version check, and
 * the one skeleton of every write that must happen once ({@link #writeOnce}).
 */
final class Statements {

    /** Runs of a write whose business number collided (50 random bits: a second collision in a row means something else is wrong). */
    private static final int ATTEMPTS = 3;

    private Statements() {}

    /** Inserts {@code record} (every column, as set in memory) with a statement from {@link Rows#insertRow}. */
    static <R extends TableRecord<R>> R insert(DSLContext tx, Prepared<Record> insertRow, R record) {
        insertRow.execute(tx, record.intoArray());
        record.changed(false);
        return record;
    }

    /**
     * Runs an optimistic-lock update ({@code … where id = ? and version = ?}, the version last in
     * {@code binds}); no row changed, or a write conflict reported by the server, means another writer
     * got there first.
     *
     * @param expectedVersion the version the writer read, for the message
     * @throws DomainException {@code CONFLICT} naming the entity, its key and the version
     */
    static void versioned(
            Keyspace keyspace,
            String entity,
            Object key,
            int expectedVersion,
            DSLContext tx,
            Prepared<Record> update,
            Object... binds) {
        int changed;
        try {
            changed = update.execute(tx, binds);
        } catch (RuntimeException e) {
            if (SqlErrors.writeConflict(e)) {
                DomainException conflict = DomainException.stale(keyspace, entity, key, expectedVersion);
                conflict.addSuppressed(e); // its cause is fixed at construction
                throw conflict;
            }
            throw e;
        }
        if (changed == 0) {
            throw DomainException.stale(keyspace, entity, key, expectedVersion);
        }
    }

    /**
     * Runs a write that must happen once (an idempotent request, or a row with a unique business key)
     * as one transaction of {@code client}: {@code existing} looks for the answer already stored (the
     * row an earlier call with the same idempotency key wrote, checked with {@link #sameRequest}; the
     * row that holds the business key) and returns it, throws a refusal, or answers empty; when empty,
     * {@code write} writes, drawing any business number afresh.
     *
     * <p>When the transaction fails on a duplicate in a unique key:
     * <ul>
     *   <li>one of {@code retryKeys} (a business number that collided; a row, such as a policy's billing
     *       account, that a concurrent call created and the next run reuses): the whole transaction
     *       runs again, at most three times;</li>
     *   <li>any other key (another writer committed the same request first): {@code existing} runs
     *       again in a new transaction, whose snapshot sees the winner's row (the failed one's may not),
     *       and its answer is returned; when it finds nothing, the failure propagates.</li>
     * </ul>
     * Other failures propagate.
     */
    static <T> T writeOnce(
            KeyspaceClient client,
            Function<DSLContext, Optional<T>> existing,
            Function<DSLContext, T> write,
            String... retryKeys) {
        Set<String> retry = Set.of(retryKeys);
        try {
            return BusinessNumbers.retryOnCollision(
                    ATTEMPTS,
                    () -> client.transactionResult(tx -> existing.apply(tx).orElseGet(() -> write.apply(tx))),
                    e -> SqlErrors.duplicateKeyName(e).filter(retry::contains).isPresent());
        } catch (RuntimeException e) {
            if (SqlErrors.duplicateKeyName(e)
                    .filter(key -> !retry.contains(key))
                    .isEmpty()) {
                throw e;
            }
            return client.transactionResult(existing::apply).orElseThrow(() -> e);
        }
    }

    /**
     * The row written earlier with idempotency key {@code key}, once it is known to answer the same
     * request: a key reused for a different request is refused rather than answered with the other
     * request's row.
     *
     * @param describeEarlier names the earlier row and what it was for, e.g. "payment X of 10.0000 USD on claim Y"
     * @param describeRequest what this request is for, in the same terms, e.g. "20.0000 USD on claim Y"
     * @param noun            what a new key would make, e.g. "payment"
     * @throws DomainException {@code CONFLICT}: "idempotency key 'k' was already used for {earlier}, not
     *                         {request}; use a new key for a new {noun}."
     */
    static <R> Optional<R> sameRequest(
            Keyspace keyspace,
            String key,
            Optional<R> earlier,
            Predicate<R> sameRequest,
            Function<R, String> describeEarlier,
            String describeRequest,
            String noun) {
        earlier.ifPresent(r -> {
            if (!sameRequest.test(r)) {
                throw DomainException.conflict(
                        keyspace,
                        "idempotency key '" + key + "' was already used for " + describeEarlier.apply(r) + ", not "
                                + describeRequest + "; use a new key for a new " + noun + ".");
            }
        });
        return earlier;
    }
}
