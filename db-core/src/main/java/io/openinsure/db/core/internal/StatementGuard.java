package io.openinsure.db.core.internal;

import io.openinsure.db.core.Settings;
import io.openinsure.db.core.StatementRefusedException;
import io.openinsure.db.core.internal.StatementShapes.Shape;
import io.openinsure.db.core.internal.StatementShapes.Shapes;
import java.util.Objects;
import org.jooq.SQLDialect;

/**
 * Refuses, before they reach the server, the statements a runtime client must not run: several
 * statements in one string, {@code USE}, {@code DROP} (also {@code ALTER … DROP}), {@code TRUNCATE},
 * and {@code DELETE}/{@code UPDATE} without a top-level {@code WHERE} (or with one that is always true,
 * such as {@code WHERE 1 = 1}). Typed jOOQ queries and plain SQL are judged alike, by their rendered
 * text, read with {@link SqlLexer} (comments and literals skipped, MySQL executable comments read as
 * the code they are); each statement of a batch is judged too.
 *
 * <p>The admin/migration path ({@code Migrator}, Flyway over the binding's admin URL) uses its own
 * connections and is not guarded. Immutable and thread-safe.
 */
final class StatementGuard extends TextCheckingListener {

    private static final long serialVersionUID = 1L;

    static final String MULTI_STATEMENT = "multi-statement";
    static final String USE = "use";
    static final String DROP = "drop";
    static final String TRUNCATE = "truncate";
    static final String DELETE_WITHOUT_WHERE = "delete-without-where";
    static final String UPDATE_WITHOUT_WHERE = "update-without-where";

    private final String binding;
    private final boolean mysql;

    StatementGuard(String binding, SQLDialect family) {
        this.binding = Objects.requireNonNull(binding, "binding");
        this.mysql = family != SQLDialect.POSTGRES;
    }

    /**
     * Refuses {@code sql} if it breaks a rule.
     *
     * @throws StatementRefusedException naming the keyspace and the rule
     */
    @Override
    void check(String sql) {
        Shapes shapes = StatementShapes.of(sql, mysql);
        if (shapes.shapes().size() > 1) {
            throw refused(
                    MULTI_STATEMENT,
                    shapes.shapes().size() + " statements in one string are refused",
                    "send one statement per call (values as bind parameters)");
        }
        for (Shape shape : shapes.shapes()) {
            switch (shape.verb()) {
                case "use" ->
                    throw refused(
                            USE,
                            "USE is refused",
                            "a client stays on its own keyspace: use the client of the "
                                    + "keyspace you want (one client per keyspace)");
                case "truncate" ->
                    throw refused(
                            TRUNCATE,
                            "TRUNCATE is refused",
                            "delete in chunks with Keyset.deleteInChunks, or run it through the admin/migration path");
                case "delete", "update" -> {
                    if (!shape.where() || shape.alwaysTrueWhere()) {
                        String verb = StatementShapes.display(shape.verb());
                        throw refused(
                                shape.verb().equals("delete") ? DELETE_WITHOUT_WHERE : UPDATE_WITHOUT_WHERE,
                                verb + (shape.where() ? " with a WHERE that is always true" : " without WHERE")
                                        + " is refused",
                                "add a WHERE clause, or use "
                                        + (shape.verb().equals("delete")
                                                ? "Keyset.deleteInChunks"
                                                : "Keyset.forEachPage to update page by page")
                                        + ", or run it through the admin/migration path");
                    }
                }
                default -> {
                    if (shape.drops()) {
                        throw refused(
                                DROP,
                                "DROP is refused",
                                "schema changes belong in a migration, run over " + Settings.ADMIN_URL.key(binding)
                                        + " (Migrator)");
                    }
                }
            }
        }
    }

    private StatementRefusedException refused(String rule, String what, String fix) {
        return new StatementRefusedException(
                binding,
                rule,
                "Keyspace '" + binding + "': " + what + " on runtime clients (rule " + rule + "); " + fix + ".",
                null);
    }

    @Override
    public String toString() {
        return "StatementGuard[" + binding + "]";
    }
}
