package io.openinsure.db.domains;

import io.openinsure.db.core.KeyspaceClient;
import io.openinsure.db.domains.internal.Prepared;
import io.openinsure.db.domains.internal.Rows;
import io.openinsure.db.domains.internal.SqlErrors;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.TableRecord;

/** Building blocks the domain clients share for pre-rendered writes, optimistic locking and idempotency. */
final class Statements {

    private Statements() {
    }

    /** Inserts {@code record} (every column, as set in memory) with a statement from {@link Rows#insertRow}. */
    static <R extends TableRecord<R>> R insert(DSLContext tx, Prepared<Record> insertRow, R record) {
        insertRow.execute(tx, record.intoArray());
        record.changed(false);
        return record;
    }

    /**
     * Runs an optimistic-lock update ({@code … where id = ? and version = ?}); no row changed means
     * another writer got there first.
     *
     * @throws DomainException {@code CONFLICT} naming the entity and key
     */
    static void versioned(Keyspace keyspace, String entity, Object key, DSLContext tx, Prepared<Record> update, Object... binds) {
        int changed;
        try {
            changed = update.execute(tx, binds);
        } catch (RuntimeException e) {
            if (SqlErrors.writeConflict(e)) {
                DomainException conflict = DomainException.conflict(keyspace, entity, key);
                conflict.addSuppressed(e); // its cause is fixed at construction
                throw conflict;
            }
            throw e;
        }
        if (changed == 0) {
            throw DomainException.conflict(keyspace, entity, key);
        }
    }

    /**
     * The row written earlier with an idempotency key, if any, once it is known to answer the same
     * request: a key reused for a different request is refused rather than silently answered
     * with the other request's row.
     *
     * @param describeEarlier names the earlier row and what it was for, e.g. "payment X of 10.0000 USD on claim Y"
     * @param describeRequest what this request is for, in the same terms
     * @param noun            what a new key would make, e.g. "payment"
     * @throws DomainException {@code INVALID} if the earlier row answers another request
     */
    static <R> Optional<R> earlier(Keyspace keyspace, String key, Optional<R> earlier, Predicate<R> sameRequest,
                                   Function<R, String> describeEarlier, String describeRequest, String noun) {
        earlier.ifPresent(r -> {
            if (!sameRequest.test(r)) {
                throw DomainException.invalid(keyspace, "idempotency key '" + key + "' was already used for " + describeEarlier.apply(r)
                        + ", not " + describeRequest + "; use a new key for a new " + noun + ".");
            }
        });
        return earlier;
    }

    /**
     * Runs {@code attempt} (a whole transaction); when it fails because another writer committed
     * the same idempotency key first, re-reads that writer's row in a fresh transaction, which sees
     * it (the failed one's snapshot may not).
     */
    static <T> T idempotent(KeyspaceClient client, String uniqueKey, Supplier<T> attempt,
                            KeyspaceClient.TransactionWork<Optional<T>> reread) {
        try {
            return attempt.get();
        } catch (RuntimeException e) {
            if (!SqlErrors.duplicateKey(e, uniqueKey)) {
                throw e;
            }
            return client.transactionResult(reread).orElseThrow(() -> e);
        }
    }

    /**
     * Runs {@code attempt} (a whole transaction) and, if it failed because another writer
     * committed a row with the same value of {@code uniqueKey} first, once more: the second run
     * finds that row.
     */
    static <T> T retryOnDuplicate(String uniqueKey, Supplier<T> attempt) {
        try {
            return attempt.get();
        } catch (RuntimeException e) {
            if (!SqlErrors.duplicateKey(e, uniqueKey)) {
                throw e;
            }
            return attempt.get();
        }
    }
}
