package io.openinsure.db.domains;

import io.openinsure.db.core.ForwardingKeyspaceClient;
import io.openinsure.db.core.KeyspaceClient;
import io.openinsure.db.domains.internal.LegacyRouter;
import io.openinsure.db.domains.internal.RoutingListener;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultExecuteListenerProvider;
import org.jooq.impl.DefaultTransactionListenerProvider;

/**
 * The legacy routed client for the monolithic keyspace ({@code openinsure}) during the cutover.
 *
 * <p>Tables are routed by {@link RoutingRules} (Vitess's own {@code routing_rules.json}). Against
 * vtgate (recognised from the server, {@link #servedByVtgate()}) routing happens server side and statements
 * pass through unchanged; against plain MySQL/MariaDB the client rewrites each statement itself,
 * typed jOOQ queries and plain SQL alike, so legacy code runs unchanged on both. A transaction that
 * would touch two keyspaces is refused with {@link io.openinsure.db.core.CrossKeyspaceTransactionException}
 * unless allowed. Thread-safe.
 */
public final class LegacyDb extends ForwardingKeyspaceClient {

    private final RoutingRules rules;
    private final RoutingListener listener;
    private volatile LegacyRouter router;
    private volatile DSLContext routed;
    private volatile DSLContext routedUncached;
    private volatile DSLContext routedReplica;

    LegacyDb(KeyspaceClient client, RoutingRules rules, boolean allowCrossKeyspaceTransactions) {
        super(client);
        this.rules = rules;
        this.listener = new RoutingListener(this::router, allowCrossKeyspaceTransactions);
    }

    /** The rules this client applies. */
    public RoutingRules routingRules() {
        return rules;
    }

    /** Whether routing happens server side (the server is vtgate, {@link #servedByVtgate()}) rather than in this client. */
    public boolean routesServerSide() {
        return servedByVtgate();
    }

    private LegacyRouter router() {
        LegacyRouter r = router;
        if (r == null) {
            synchronized (this) {
                r = router;
                if (r == null) {
                    r = new LegacyRouter(rules, delegate().dsl().dialect(), !servedByVtgate());
                    router = r;
                }
            }
        }
        return r;
    }

    /** A jOOQ context whose statements are routed; see the class documentation. */
    @Override
    public DSLContext dsl() {
        DSLContext ctx = routed;
        if (ctx == null) {
            synchronized (this) {
                ctx = routed;
                if (ctx == null) {
                    ctx = route(delegate().dsl());
                    routed = ctx;
                }
            }
        }
        return ctx;
    }

    /** Like {@link #dsl()}, with reads that bypass the cache. */
    @Override
    public DSLContext uncached() {
        DSLContext ctx = routedUncached;
        if (ctx == null) {
            synchronized (this) {
                ctx = routedUncached;
                if (ctx == null) {
                    ctx = route(delegate().uncached());
                    routedUncached = ctx;
                }
            }
        }
        return ctx;
    }

    /** Like {@link #dsl()}, with eligible reads sent to the legacy binding's read replica (see {@link KeyspaceClient#replica()}). */
    @Override
    public DSLContext replica() {
        DSLContext base = delegate().replica();
        if (base == delegate().dsl()) {
            return dsl();
        }
        DSLContext ctx = routedReplica;
        if (ctx == null) {
            synchronized (this) {
                ctx = routedReplica;
                if (ctx == null) {
                    ctx = route(base);
                    routedReplica = ctx;
                }
            }
        }
        return ctx;
    }

    private DSLContext route(DSLContext base) {
        return DSL.using(base.configuration().deriveAppending(new DefaultExecuteListenerProvider(listener))
                .deriveAppending(new DefaultTransactionListenerProvider(listener)));
    }

    @Override
    public <T> T transactionResult(TransactionWork<T> work) {
        return dsl().transactionResult(cfg -> work.apply(cfg.dsl()));
    }

    @Override
    public void transaction(TransactionAction work) {
        dsl().transaction(cfg -> work.accept(cfg.dsl()));
    }
}
