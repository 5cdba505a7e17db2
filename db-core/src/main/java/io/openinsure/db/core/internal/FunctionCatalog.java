package io.openinsure.db.core.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A PostgreSQL server's own word on its functions' volatility ({@code pg_proc.provolatile}): {@code i} IMMUTABLE,
 * {@code s} STABLE, {@code v} VOLATILE, per function name, read once per client. Overloads of one name (in any
 * schema) count as their most volatile one, since the analyser does not resolve argument types (fail closed).
 * Immutable.
 */
final class FunctionCatalog {

    /** The catalog query: one row per function name, with its most volatile overload. */
    static final String QUERY = "SELECT proname, max(CASE provolatile WHEN 'v' THEN 3 WHEN 's' THEN 2 ELSE 1 END)"
            + " FROM pg_catalog.pg_proc GROUP BY proname";

    /** How a function's results may change, as PostgreSQL declares it. */
    enum Declared {
        IMMUTABLE,
        STABLE,
        VOLATILE;

        /** The {@code provolatile} letter. */
        char letter() {
            return Character.toLowerCase(name().charAt(0));
        }
    }

    private final Map<String, Declared> byName;

    FunctionCatalog(Map<String, Declared> byName) {
        this.byName = Map.copyOf(byName);
    }

    /** Reads the catalog over {@code connection}. */
    static FunctionCatalog load(Connection connection) throws SQLException {
        Map<String, Declared> byName = new HashMap<>();
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery(QUERY)) {
            while (rs.next()) {
                int rank = rs.getInt(2);
                byName.put(
                        rs.getString(1).toLowerCase(Locale.ROOT),
                        rank == 3 ? Declared.VOLATILE : rank == 2 ? Declared.STABLE : Declared.IMMUTABLE);
            }
        }
        return new FunctionCatalog(byName);
    }

    /** How the server declares {@code name} (lower case, without schema), or {@code null} when it has no such function. */
    Declared declared(String name) {
        return byName.get(name);
    }

    int size() {
        return byName.size();
    }
}
