package io.openinsure.db.core.spi;

import io.openinsure.db.core.ServerErrorException;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which unique key a write violated, from what each server reports for a duplicate key: PostgreSQL (SQLState
 * {@code 23505}) names the constraint in a field of its error, which PgJDBC exposes as
 * {@code PSQLException.getServerErrorMessage().getConstraint()}; MySQL, MariaDB and vtgate (error 1062) have no such
 * field and name the key in the message ({@code for key 'uk_x'}, MySQL 8 {@code for key 'table.uk_x'}). The
 * PostgreSQL message is never parsed: its wording depends on the server's {@code lc_messages}, and a constraint's name
 * may hold quotes or dots. Thread-safe; no state.
 *
 * <p>PgJDBC is a runtime dependency that an application on MySQL alone may exclude: its classes are reached by name,
 * only when an exception is one of them, so nothing of PgJDBC is loaded otherwise.
 */
public final class DuplicateKeys {

    private static final int ER_DUP_ENTRY = 1062;
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String PSQL_EXCEPTION = "org.postgresql.util.PSQLException";
    /** MariaDB {@code for key 'uk_x'}; MySQL 8 and vtgate {@code for key 'table.uk_x'}. */
    private static final Pattern MYSQL_KEY = Pattern.compile("for key ['\"`]([^'\"`]+)['\"`]");

    private DuplicateKeys() {}

    /** Whether {@code e} is a duplicate value in a unique key: error 1062 (MySQL, MariaDB, Vitess) or SQLState 23505. */
    public static boolean isDuplicate(SQLException e) {
        return e.getErrorCode() == ER_DUP_ENTRY || UNIQUE_VIOLATION.equals(e.getSQLState());
    }

    /**
     * The name of the unique key that {@code failure} (or an exception in its cause chain, or a driver's chain of next
     * exceptions) reports as violated, without a table prefix: the {@link ServerErrorException#constraint()} of the
     * SDK's typed error, PgJDBC's constraint field, or MySQL's {@code for key '…'}. Empty when no exception in the chain
     * is a duplicate key, or none names its key.
     */
    public static Optional<String> keyName(Throwable failure) {
        for (Throwable t : chain(failure)) {
            String name = null;
            if (t instanceof ServerErrorException server && server.kind() == ServerErrorException.Kind.DUPLICATE_KEY) {
                name = server.constraint().orElse(null);
            } else if (t instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                name = postgresConstraint(sql);
            } else if (t instanceof SQLException sql && sql.getErrorCode() == ER_DUP_ENTRY) {
                Matcher m = MYSQL_KEY.matcher(String.valueOf(sql.getMessage()));
                name = m.find() ? m.group(1).substring(m.group(1).lastIndexOf('.') + 1) : null;
            }
            if (name != null && !name.isEmpty()) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }

    /** PgJDBC's constraint field of {@code e}, when {@code e} is a {@code PSQLException} that carries one. */
    private static String postgresConstraint(SQLException e) {
        for (Class<?> c = e.getClass(); c != null && c != SQLException.class; c = c.getSuperclass()) {
            if (c.getName().equals(PSQL_EXCEPTION)) {
                try {
                    Object serverError = c.getMethod("getServerErrorMessage").invoke(e);
                    return serverError == null
                            ? null
                            : (String) serverError
                                    .getClass()
                                    .getMethod("getConstraint")
                                    .invoke(serverError);
                } catch (ReflectiveOperationException | RuntimeException | LinkageError unexpected) {
                    return null; // a PgJDBC without the field: the key stays unnamed
                }
            }
        }
        return null;
    }

    /** {@code failure}, its causes, and each {@link SQLException}'s next exceptions (a batch's), each once. */
    private static List<Throwable> chain(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Throwable> todo = new ArrayDeque<>();
        if (failure != null) {
            todo.add(failure);
        }
        List<Throwable> out = new ArrayList<>();
        while (!todo.isEmpty()) {
            Throwable t = todo.poll();
            if (!seen.add(t)) {
                continue;
            }
            out.add(t);
            if (t.getCause() != null) {
                todo.add(t.getCause());
            }
            if (t instanceof SQLException sql && sql.getNextException() != null) {
                todo.add(sql.getNextException());
            }
        }
        return out;
    }
}
