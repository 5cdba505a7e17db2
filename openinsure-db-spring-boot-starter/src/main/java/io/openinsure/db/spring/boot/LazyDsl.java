package io.openinsure.db.spring.boot;

import io.openinsure.db.core.KeyspaceClient;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import org.jooq.DSLContext;

/**
 * A {@code DSLContext} bean that asks its client for {@link KeyspaceClient#dsl()} on every call. The client makes its
 * context on first use and asks the server for its dialect then, so creating the bean never connects: an application
 * starts while a keyspace is down, and the first statement fails fast with the SDK's error instead.
 */
final class LazyDsl {

    private LazyDsl() {}

    static DSLContext of(KeyspaceClient client) {
        return (DSLContext) Proxy.newProxyInstance(
                DSLContext.class.getClassLoader(),
                new Class<?>[] {DSLContext.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "toString" ->
                        args == null ? "DSLContext of keyspace '" + client.name() + "'" : invoke(client, method, args);
                    case "hashCode" -> args == null ? System.identityHashCode(proxy) : invoke(client, method, args);
                    case "equals" ->
                        args != null && args.length == 1 && method.getParameterTypes()[0] == Object.class
                                ? proxy == args[0]
                                : invoke(client, method, args);
                    default -> invoke(client, method, args);
                });
    }

    private static Object invoke(KeyspaceClient client, java.lang.reflect.Method method, Object[] args)
            throws Throwable {
        try {
            return method.invoke(client.dsl(), args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
