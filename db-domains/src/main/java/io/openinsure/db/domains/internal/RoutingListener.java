package io.openinsure.db.domains.internal;

import io.openinsure.db.core.CrossKeyspaceTransactionException;
import io.openinsure.db.domains.Keyspace;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.jooq.TransactionContext;
import org.jooq.TransactionListener;

/**
 * Routes each statement of the legacy client just before it is prepared, and refuses a
 * transaction that would touch a second keyspace (Vitess {@code MULTI} commits are not atomic).
 */
public final class RoutingListener implements ExecuteListener, TransactionListener {

    private static final long serialVersionUID = 1L;
    private static final String TOUCHED = RoutingListener.class.getName() + ".touched";

    private final transient Supplier<LegacyRouter> router;
    private final boolean allowCrossKeyspaceTransactions;

    private final transient Consumer<Set<String>> requireTargets;

    public RoutingListener(Supplier<LegacyRouter> router, boolean allowCrossKeyspaceTransactions) {
        this(router, allowCrossKeyspaceTransactions, keyspaces -> {});
    }

    /** @param requireTargets checks, before a routed statement runs, that the keyspaces it routes to are reachable (or throws) */
    public RoutingListener(
            Supplier<LegacyRouter> router,
            boolean allowCrossKeyspaceTransactions,
            Consumer<Set<String>> requireTargets) {
        this.router = router;
        this.allowCrossKeyspaceTransactions = allowCrossKeyspaceTransactions;
        this.requireTargets = requireTargets;
    }

    @Override
    public void renderEnd(ExecuteContext ctx) {
        String sql = ctx.sql();
        if (sql == null) {
            return;
        }
        LegacyRouter.Routed routed = router.get().route(sql);
        requireTargets.accept(routed.keyspaces());
        @SuppressWarnings("unchecked")
        Set<String> touched = (Set<String>) ctx.configuration().data(TOUCHED);
        if (touched != null && !allowCrossKeyspaceTransactions) {
            Set<String> after = new LinkedHashSet<>(touched);
            after.addAll(routed.keyspaces());
            if (after.size() > 1) {
                List<String> all = new ArrayList<>(after);
                throw new CrossKeyspaceTransactionException(
                        Keyspace.LEGACY.bindingName(),
                        "Keyspace 'legacy': this transaction would touch " + String.join(" and ", all)
                                + "; Vitess commits a transaction across keyspaces one keyspace at a time, not atomically. "
                                + "Run each part in its own keyspace client's transaction, or allow it explicitly with "
                                + "OpenInsureDb.builder().allowCrossKeyspaceLegacyTransactions(true).",
                        all);
            }
            touched.addAll(routed.keyspaces());
        }
        if (!routed.sql().equals(sql)) {
            ctx.sql(routed.sql());
        }
    }

    @Override
    public void beginEnd(TransactionContext ctx) {
        if (ctx.configuration().data(TOUCHED) == null) {
            ctx.configuration().data(TOUCHED, new LinkedHashSet<String>());
        }
    }
}
