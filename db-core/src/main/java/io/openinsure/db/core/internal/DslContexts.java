package io.openinsure.db.core.internal;

import io.openinsure.db.core.BindingConfig;
import io.openinsure.db.core.DatabaseUrl;
import io.openinsure.db.core.OpenInsureDbException;
import io.openinsure.db.core.spi.TypedReads;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jooq.ConnectionProvider;
import org.jooq.DSLContext;
import org.jooq.ExecuteListener;
import org.jooq.SQLDialect;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultConfiguration;
import org.jooq.impl.DefaultTransactionProvider;

/**
 * Builds a client's jOOQ contexts, {@code dsl()}, {@code uncached()} and (with {@code REPLICA_READS=explicit})
 * {@code replica()}, on first use, each one {@code DSL.using(configuration)} of its own:
 * <ul>
 *   <li>dialect: the URL's, told apart for MySQL and MariaDB by the server's version (asked once);</li>
 *   <li>connections: {@link ClientConnections} (cacheable reads answered from the cache in {@code dsl()} and
 *       {@code replica()}; eligible reads sent to the replica by {@code replica()}, and by {@code dsl()} with
 *       {@code REPLICA_READS=reads}, see {@link ReadRouting});
 *       transactions get theirs from connections that never answer from the cache, timed by
 *       {@link LimitsListener.TimedTransactions};</li>
 *   <li>execute listeners, in order: {@link ExecutionListener} (each statement's {@link Execution}, timing),
 *       {@link ReplicaWriteGuard} ({@code vitess://…@replica|@rdonly} only), {@link StatementGuard} (the runtime
 *       rules), {@link LimitsListener} (the PlanetScale limits);</li>
 *   <li>the typed read path ({@link ClientTypedReads}), installed for {@link TypedReads}.</li>
 * </ul>
 * Nothing changes a configuration after it is handed out. Thread-safe.
 */
final class DslContexts {

    private final BindingConfig config;
    private final ConnectionProvider pool;
    private final CacheAwareConnection.Wiring wiring;
    private final Runnable requireOpen;
    private final List<ExecuteListener> listeners;
    private final StatementLimits limits;
    private final ClientTypedReads typedReads;
    private final Object lock = new Object();
    private volatile DSLContext dsl;
    private volatile DSLContext uncached;
    private volatile DSLContext replica;
    private volatile String serverVersion;

    DslContexts(
            BindingConfig config,
            ConnectionProvider pool,
            CacheAwareConnection.Wiring wiring,
            Runnable requireOpen,
            ExecutionListener executions,
            StatementLimits limits,
            ClientTypedReads typedReads) {
        this.config = config;
        this.pool = pool;
        this.wiring = wiring;
        this.requireOpen = requireOpen;
        this.limits = limits;
        this.typedReads = typedReads;
        List<ExecuteListener> l = new ArrayList<>();
        l.add(executions); // first: opens each statement's execution, times it from the start
        ReplicaWriteGuard.forBinding(config).ifPresent(l::add); // vitess://…@replica|@rdonly: refuse writes client-side
        l.add(new StatementGuard(config.name(), config.url().dialect().family())); // runtime rules
        l.add(new LimitsListener(limits)); // PlanetScale limits
        this.listeners = List.copyOf(l);
    }

    /** jOOQ's settings for every client context (and the cache's materialiser). */
    static Settings jooqSettings() {
        return new Settings()
                // The database name differs per environment (oi_policies, oi_policies@replica…):
                // never qualify tables with it.
                .withRenderSchema(false)
                .withRenderCatalog(false)
                .withRenderQuotedNames(RenderQuotedNames.EXPLICIT_DEFAULT_UNQUOTED)
                .withExecuteLogging(false);
    }

    /** The contexts a client has. */
    private enum Kind {
        DSL,
        UNCACHED,
        REPLICA
    }

    DSLContext dsl() {
        DSLContext ctx = dsl;
        return ctx != null ? ctx : context(Kind.DSL);
    }

    DSLContext uncached() {
        DSLContext ctx = uncached;
        return ctx != null ? ctx : context(Kind.UNCACHED);
    }

    /** {@code dsl()} unless {@code REPLICA_READS=explicit}: then a context like it whose eligible reads go to the replica. */
    DSLContext replica() {
        if (!wiring.routing().explicitOnly()) {
            return dsl();
        }
        DSLContext ctx = replica;
        return ctx != null ? ctx : context(Kind.REPLICA);
    }

    private DSLContext context(Kind kind) {
        synchronized (lock) {
            DSLContext ctx = switch (kind) {
                case DSL -> dsl;
                case UNCACHED -> uncached;
                case REPLICA -> replica;
            };
            if (ctx == null) {
                boolean cacheReads = kind != Kind.UNCACHED;
                boolean replicaReads = kind == Kind.REPLICA
                        || (kind == Kind.DSL && wiring.routing().dslReadsReplica());
                DefaultConfiguration configuration = new DefaultConfiguration();
                configuration
                        .set(detectDialect())
                        .set(jooqSettings())
                        .set(new ClientConnections(wiring, cacheReads, replicaReads, requireOpen))
                        .set(new LimitsListener.TimedTransactions(
                                new DefaultTransactionProvider(
                                        new ClientConnections(wiring, false, false, requireOpen)),
                                limits))
                        .set(listeners.toArray(ExecuteListener[]::new));
                TypedReads.install(configuration, typedReads.pathFor(configuration, cacheReads, replicaReads));
                ctx = DSL.using(configuration);
                switch (kind) {
                    case DSL -> dsl = ctx;
                    case UNCACHED -> uncached = ctx;
                    case REPLICA -> replica = ctx;
                }
            }
            return ctx;
        }
    }

    private SQLDialect detectDialect() {
        DatabaseUrl url = config.url();
        SQLDialect family = url.dialect().family();
        if (family == SQLDialect.POSTGRES) {
            return SQLDialect.POSTGRES;
        }
        if (family == SQLDialect.MYSQL || family == SQLDialect.MARIADB) {
            return serverVersion().toLowerCase(Locale.ROOT).contains("mariadb") ? SQLDialect.MARIADB : SQLDialect.MYSQL;
        }
        return url.dialect();
    }

    /** The server's version string, asked once (borrowing a connection). */
    String serverVersion() {
        String v = serverVersion;
        if (v == null) {
            Connection c = pool.acquire();
            try {
                v = c.getMetaData().getDatabaseProductVersion();
            } catch (SQLException e) {
                throw OpenInsureDbException.driverFailed(
                        config.name(),
                        "read the server version from " + config.url().describe(),
                        e);
            } finally {
                pool.release(c);
            }
            serverVersion = v;
        }
        return v;
    }
}
