package io.openinsure.db.core.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * The statement jOOQ gets for a read sent to the replica: it forwards everything to the statement prepared on the
 * replica and remembers what was set on it (binds, timeout, row cap, fetch size); when the replica's connection is
 * lost while the read executes (SQL state {@code 08…}), it has the statement prepared again on the primary
 * ({@link Reprepare}, which also records the loss against the replica), sets the same again, and executes there once.
 * Nothing has been read then, so the caller sees one read, from the primary. A read that loses its connection while
 * its rows are fetched fails as before. Not thread-safe, like any JDBC statement.
 */
final class ReplicaReadStatement implements InvocationHandler {

    /** Prepares the statement again on a primary connection after the replica's was lost. */
    @FunctionalInterface
    interface Reprepare {
        PreparedStatement onPrimary(SQLException lost) throws SQLException;
    }

    private PreparedStatement current;
    private final Reprepare reprepare;
    /**
     * What was set, to set again on the primary: method, arguments, method, arguments… (the proxy hands every call an
     * array of its own). A read sets three or four things (timeout, row cap, binds): one small array per statement.
     */
    private Object[] settings = new Object[8];

    private int set;
    private boolean retried;

    private ReplicaReadStatement(PreparedStatement onReplica, Reprepare reprepare) {
        this.current = onReplica;
        this.reprepare = reprepare;
    }

    static PreparedStatement wrap(PreparedStatement onReplica, Reprepare reprepare) {
        return (PreparedStatement) Proxy.newProxyInstance(
                ReplicaReadStatement.class.getClassLoader(),
                new Class<?>[] {PreparedStatement.class},
                new ReplicaReadStatement(onReplica, reprepare));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        if (method.getDeclaringClass() == Object.class) {
            return switch (name) {
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                default -> "ReplicaReadStatement[" + current + "]";
            };
        }
        if (name.startsWith("execute")) {
            try {
                return forward(method, args);
            } catch (SQLException e) {
                if (retried || !ClientMeasurements.lostConnection(e)) {
                    throw e;
                }
                retried = true;
                PreparedStatement next = reprepare.onPrimary(e);
                try {
                    for (int i = 0; i < set; i += 2) {
                        forward(next, (Method) settings[i], (Object[]) settings[i + 1]);
                    }
                } catch (SQLException | RuntimeException replay) {
                    next.close();
                    throw replay;
                }
                PreparedStatement lost = current;
                current = next;
                try {
                    lost.close();
                } catch (SQLException ignored) {
                    // its connection is gone
                }
                return forward(method, args);
            }
        }
        if (name.startsWith("set")
                || name.equals("clearParameters")
                || name.equals("addBatch")
                || name.equals("clearBatch")) {
            if (set == settings.length) {
                settings = Arrays.copyOf(settings, set * 2);
            }
            settings[set++] = method;
            settings[set++] = args;
        }
        return forward(method, args);
    }

    private Object forward(Method method, Object[] args) throws SQLException {
        return forward(current, method, args);
    }

    private static Object forward(PreparedStatement target, Method method, Object[] args) throws SQLException {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SQLException sql) {
                throw sql;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new SQLException(cause);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
