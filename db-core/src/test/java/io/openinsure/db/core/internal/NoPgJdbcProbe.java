package io.openinsure.db.core.internal;

import io.openinsure.db.core.BindingConfig;
import io.openinsure.db.core.KeyspaceClient;
import io.openinsure.db.core.ServerErrorException;
import io.openinsure.db.core.spi.DuplicateKeys;
import java.sql.SQLException;
import java.util.UUID;

/** Runs inside a class loader without PgJDBC (see {@link DuplicateKeysOnRealServersTest}). */
public final class NoPgJdbcProbe {

    private NoPgJdbcProbe() {}

    /**
     * Inserts a slug twice on MariaDB and returns the typed error's kind and key, the key {@link DuplicateKeys} reads
     * from it, and what it reads from a PostgreSQL-like 23505 that is not PgJDBC's.
     */
    public static String run(String connectionString) {
        try (KeyspaceClient client = KeyspaceClient.open(BindingConfig.builder("nopgjdbc")
                .url(connectionString)
                .minIdle(0)
                .build())) {
            String slug = "s-" + UUID.randomUUID().toString().substring(0, 8);
            String insert = "insert into dup_probe (id, slug) values (?, ?)";
            client.dsl().execute(insert, System.nanoTime(), slug);
            try {
                client.dsl().execute(insert, System.nanoTime(), slug);
                return "no error";
            } catch (ServerErrorException e) {
                return e.kind() + " " + e.constraint().orElse("<unnamed>") + "|"
                        + DuplicateKeys.keyName(e).orElse("<unnamed>") + "|"
                        + DuplicateKeys.keyName(new SQLException("duplicate key value", "23505"))
                                .orElse("<unnamed>");
            }
        }
    }
}
