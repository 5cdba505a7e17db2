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

    public DomainException(Keyspace keyspace, Reason reason, String message) {
        super(keyspace.bindingName(), "Keyspace '" + keyspace.bindingName() + "': " + message, null);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    static DomainException notFound(Keyspace keyspace, String entity, Object key) {
        return new DomainException(keyspace, Reason.NOT_FOUND, entity + " " + key + " does not exist.");
    }

    static DomainException illegalTransition(Keyspace keyspace, String entity, Object key, String status, String action,
                                             String hint) {
        return new DomainException(keyspace, Reason.ILLEGAL_TRANSITION, "cannot " + action + " " + entity + " " + key
                + ": it is " + status + ". " + hint);
    }

    static DomainException invalid(Keyspace keyspace, String message) {
        return new DomainException(keyspace, Reason.INVALID, message);
    }

    static DomainException missingReference(Keyspace keyspace, String message) {
        return new DomainException(keyspace, Reason.MISSING_REFERENCE, message);
    }

    static DomainException conflict(Keyspace keyspace, String entity, Object key) {
        return new DomainException(keyspace, Reason.CONFLICT, entity + " " + key
                + " was changed by another writer; read it again and retry.");
    }
}
