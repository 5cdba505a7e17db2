package io.openinsure.db.core.internal;

import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;

/**
 * An execute listener that judges the SQL text of each execution before it reaches the server: once
 * rendered, and again just before it runs (batches carry their SQL only then, and later listeners may
 * have rewritten it). Typed queries and plain SQL are judged alike, by their text.
 */
abstract class TextCheckingListener implements ExecuteListener {

    private static final long serialVersionUID = 1L;

    @Override
    public void renderEnd(ExecuteContext ctx) {
        check(ctx);
    }

    @Override
    public void executeStart(ExecuteContext ctx) {
        check(ctx);
    }

    /** Judges one execution: by default each statement text of a batch, then its SQL. */
    void check(ExecuteContext ctx) {
        String[] batch = ctx.batchSQL();
        if (batch != null) {
            for (String statement : batch) {
                if (statement != null) {
                    check(statement);
                }
            }
        }
        if (ctx.sql() != null) {
            check(ctx.sql());
        }
    }

    /** Judges one statement text; throws to refuse it. */
    abstract void check(String sql);
}
