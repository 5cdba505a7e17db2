package io.openinsure.db.domains;

import io.openinsure.db.core.ForwardingKeyspaceClient;
import io.openinsure.db.core.KeyspaceClient;
import io.openinsure.db.core.OpenInsureDbException;
import io.openinsure.db.domains.internal.LegacyRouter;
import io.openinsure.db.domains.internal.RoutingListener;
import java.util.Set;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
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
    /** PostgreSQL: the schemas of the legacy database, read when a statement routes to one not seen yet. */
    private volatile Set<String> schemas = Set.of();

    private volatile DSLContext routed;
    private volatile DSLContext routedUncached;
    private volatile DSLContext routedReplica;

    LegacyDb(KeyspaceClient client, RoutingRules rules, boolean allowCrossKeyspaceTransactions) {
        super(client);
        this.rules = rules;
        this.listener = new RoutingListener(this::router, allowCrossKeyspaceTransactions, this::requireSchemas);
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

    /**
     * On PostgreSQL the client routes a table to a schema of the legacy database ({@code policy} → {@code oi_policies.policy}):
     * that needs the schemas layout. In the databases layout (each keyspace its own database) a statement that routes
     * to another keyspace is refused here, saying why and what to configure, rather than failing on the server with
     * "relation does not exist".
     */
    private void requireSchemas(Set<String> keyspaces) {
        if (keyspaces.isEmpty() || delegate().dsl().dialect().family() != SQLDialect.POSTGRES || servedByVtgate()) {
            return;
        }
        Set<String> known = schemas;
        if (!known.containsAll(keyspaces)) {
            known = Set.copyOf(delegate()
                    .uncached()
                    .fetch("select nspname from pg_catalog.pg_namespace")
                    .getValues(0, String.class));
            schemas = known;
        }
        for (String keyspace : keyspaces) {
            if (!known.contains(keyspace)) {
                String database = delegate().config().url().database().orElse(Keyspace.LEGACY.database());
                String client = java.util.Arrays.stream(Keyspace.values())
                        .filter(k -> k.database().equals(keyspace))
                        .map(k -> "db." + k.bindingName() + "()")
                        .findFirst()
                        .orElse("the keyspace's own client");
                throw new OpenInsureDbException(
                        Keyspace.LEGACY.bindingName(),
                        "Keyspace 'legacy': on PostgreSQL the legacy client"
                                + " routes tables to schemas of its own database, but database " + database
                                + " has no schema " + keyspace
                                + ": the keyspaces are separate databases (PostgreSQL's default layout), which one statement cannot reach."
                                + " Use the schemas layout (the keyspaces as schemas of the legacy database: each binding's URL names its"
                                + " schema, e.g. postgres://host/" + database + "?currentSchema=" + keyspace
                                + ", and db.migrate() creates it),"
                                + " or run the statement through " + client + ".",
                        null);
            }
        }
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
        return DSL.using(base.configuration()
                .deriveAppending(new DefaultExecuteListenerProvider(listener))
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
