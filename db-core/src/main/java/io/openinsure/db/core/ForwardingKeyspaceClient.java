package io.openinsure.db.core;

import java.util.Objects;
import org.jooq.DSLContext;

/**
 * A {@link KeyspaceClient} that forwards every call to another, for typed clients that add domain
 * operations (like Guava's {@code Forwarding*} classes).
 */
public abstract class ForwardingKeyspaceClient implements KeyspaceClient {

    private final KeyspaceClient delegate;

    protected ForwardingKeyspaceClient(KeyspaceClient delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The client calls are forwarded to. */
    protected final KeyspaceClient delegate() {
        return delegate;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public BindingConfig config() {
        return delegate.config();
    }

    @Override
    public ConnectionMode mode() {
        return delegate.mode();
    }

    @Override
    public DSLContext dsl() {
        return delegate.dsl();
    }

    @Override
    public DSLContext uncached() {
        return delegate.uncached();
    }

    @Override
    public DSLContext replica() {
        return delegate.replica();
    }

    @Override
    public CacheDecision explain(String sql) {
        return delegate.explain(sql);
    }

    @Override
    public CacheStats cacheStats() {
        return delegate.cacheStats();
    }

    @Override
    public <T> T transactionResult(TransactionWork<T> work) {
        return delegate.transactionResult(work);
    }

    @Override
    public void transaction(TransactionAction work) {
        delegate.transaction(work);
    }

    @Override
    public String serverVersion() {
        return delegate.serverVersion();
    }

    @Override
    public boolean servedByVtgate() {
        return delegate.servedByVtgate();
    }

    @Override
    public PoolStats poolStats() {
        return delegate.poolStats();
    }

    @Override
    public Health health() {
        return delegate.health();
    }

    @Override
    public DatabaseReport.ClientReport report() {
        return delegate.report();
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public void invalidateCachedReads(java.util.Collection<String> tables) {
        delegate.invalidateCachedReads(tables);
    }

    @Override
    public void onWrite(java.util.function.Consumer<java.util.Set<String>> listener) {
        delegate.onWrite(listener);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name() + ", " + mode().label() + ", "
                + config().url().describe() + "]";
    }
}
