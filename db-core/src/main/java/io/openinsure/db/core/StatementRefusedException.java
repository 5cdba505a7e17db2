package io.openinsure.db.core;

/**
 * A statement was refused before reaching the server: it breaks a rule of the client that runs it
 * (for example the legacy client cannot route it, or a runtime client was asked to {@code DROP}).
 * The message names the keyspace and the rule, and says what to do instead.
 */
public class StatementRefusedException extends OpenInsureDbException {

    private static final long serialVersionUID = 1L;

    private final String rule;

    public StatementRefusedException(String keyspace, String rule, String message, Throwable cause) {
        super(keyspace, message, cause);
        this.rule = rule;
    }

    /** A short, stable name of the rule that refused the statement, e.g. {@code unroutable}. */
    public String rule() {
        return rule;
    }
}
