package io.openinsure.db.domains;

import io.openinsure.db.core.OpenInsureDbException;

/**
 * A domain operation was refused: the entity is missing, the transition is illegal, the input is
 * invalid, a cross-keyspace reference does not resolve, or the write conflicts with another
 * writer's. Nothing was written.
 */
public class DomainException extends OpenInsureDbException {

    private static final long serialVersionUID = 1L;

    /** Why an operation was refused, for programmatic handling. */
    public enum Reason {
        /** No row with that id or business key. */
        NOT_FOUND,
        /** The entity's status does not allow the operation (e.g. pay a closed claim, bind an expired quote). */
        ILLEGAL_TRANSITION,
        /** The input breaks a rule (e.g. journal entries that do not balance, a negative amount). */
        INVALID,
        /** A referenced row in another keyspace does not exist (keyspaces cannot have foreign keys). */
        MISSING_REFERENCE,
        /**
         * The write collides with what another writer did: the row was changed first (optimistic
         * version check), or a unique business key is already taken (e.g. an organization slug, a
         * quote already issued as a policy, an idempotency key already used for another request).
         */
        CONFLICT
    }

    private final Reason reason;

    /**
     * A refusal in {@code keyspace}; the message is prefixed with {@code Keyspace '<binding>': }.
     *
     * @param keyspace where the operation ran
     * @param reason   why it was refused
     * @param message  what was refused and what to do instead
     */
    public DomainException(Keyspace keyspace, Reason reason, String message) {
        super(keyspace.bindingName(), "Keyspace '" + keyspace.bindingName() + "': " + message, null);
        this.reason = reason;
    }

    /** Why the operation was refused. */
    public Reason reason() {
        return reason;
    }

    /** "{entity} {key} does not exist." */
    static DomainException notFound(Keyspace keyspace, String entity, Object key) {
        return new DomainException(keyspace, Reason.NOT_FOUND, entity + " " + key + " does not exist.");
    }

    /** "{entity} {key} does not exist. {hint}" */
    static DomainException notFound(Keyspace keyspace, String entity, Object key, String hint) {
        return new DomainException(keyspace, Reason.NOT_FOUND, entity + " " + key + " does not exist. " + hint);
    }

    /** "cannot {action} {entity} {key}: it is {status}. {hint}" */
    static DomainException illegalTransition(
            Keyspace keyspace, String entity, Object key, String status, String action, String hint) {
        return new DomainException(
                keyspace,
                Reason.ILLEGAL_TRANSITION,
                "cannot " + action + " " + entity + " " + key + ": it is " + status + ". " + hint);
    }

    /**
     * The input breaks a rule that depends on stored state (e.g. a payment over the open balance); rules
     * on the input alone are {@link Inputs}' refusals.
     */
    static DomainException invalid(Keyspace keyspace, String message) {
        return new DomainException(keyspace, Reason.INVALID, message);
    }

    static DomainException missingReference(Keyspace keyspace, String message) {
        return new DomainException(keyspace, Reason.MISSING_REFERENCE, message);
    }

    /** A unique business key is taken, or an idempotency key was used for another request. */
    static DomainException conflict(Keyspace keyspace, String message) {
        return new DomainException(keyspace, Reason.CONFLICT, message);
    }

    /**
     * The optimistic version check failed: "{entity} {key} was changed by another writer (expected version
     * {expectedVersion}); read it again and retry."
     */
    static DomainException stale(Keyspace keyspace, String entity, Object key, int expectedVersion) {
        return conflict(
                keyspace,
                entity + " " + key + " was changed by another writer (expected version " + expectedVersion
                        + "); read it again and retry.");
    }
}
