package io.openinsure.db.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import io.openinsure.db.core.KeyspaceClient;
import io.openinsure.db.core.ServerErrorException;
import io.openinsure.db.core.spi.DuplicateKeys;
import io.openinsure.db.testsupport.ClassPathWithout;
import java.net.URLClassLoader;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A duplicate in a named unique key is reported with that key's name: on PostgreSQL from the constraint field of the
 * server's error (a name with quotes and a dot, which no pattern over the message would read whole), on MariaDB from
 * its message; and on a class path without PgJDBC the MySQL path needs nothing of it.
 */
@Timeout(120)
class DuplicateKeysOnRealServersTest {

    /** A constraint name that a pattern over {@code unique constraint "…"} would cut at the first quote or dot. */
    static final String ODD_NAME = "uk \"odd\".slug's";

    private static final Table<Record> DUP = table(name("dup_probe"));
    private static final Field<Long> ID = field(name("id"), Long.class);
    private static final Field<String> SLUG = field(name("slug"), String.class);

    private static String slug() {
        return "s-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void onPostgresTheKeyIsNamedFromTheServersConstraintField() throws Exception {
        try (CacheFixture fixture = CacheFixture.postgres()) {
            fixture.admin(
                    "DROP TABLE IF EXISTS dup_probe",
                    "CREATE TABLE dup_probe (id bigint PRIMARY KEY, slug text CONSTRAINT \""
                            + ODD_NAME.replace("\"", "\"\"") + "\" UNIQUE)");
            KeyspaceClient client = fixture.client(1, b -> {});
            DSLContext dsl = client.dsl();
            String slug = slug();
            dsl.insertInto(DUP, ID, SLUG).values(1L, slug).execute();

            ServerErrorException single = catchThrowableOfType(
                    ServerErrorException.class,
                    () -> dsl.insertInto(DUP, ID, SLUG).values(2L, slug).execute());
            assertThat(single.kind()).isEqualTo(ServerErrorException.Kind.DUPLICATE_KEY);
            assertThat(single.sqlState()).contains("23505");
            assertThat(single.constraint()).contains(ODD_NAME);
            assertThat(single.getMessage())
                    .startsWith("[cachetest] duplicate key '" + ODD_NAME
                            + "': a row with the same unique value exists (error 0, SQLState 23505): ERROR: ")
                    .doesNotContain(slug);
            assertThat(DuplicateKeys.keyName(single)).contains(ODD_NAME);
            assertThat(catchThrowableOfType(
                                    ServerErrorException.class,
                                    () -> client.transaction(tx -> tx.insertInto(DUP, ID, SLUG)
                                            .values(3L, slug)
                                            .execute()))
                            .constraint())
                    .as("in a transaction")
                    .contains(ODD_NAME);

            // A batch: PgJDBC's BatchUpdateException carries the server's error as its next exception.
            assertThatThrownBy(() -> dsl.batch(
                                    dsl.insertInto(DUP, ID, SLUG).values(4L, slug()),
                                    dsl.insertInto(DUP, ID, SLUG).values(5L, slug))
                            .execute())
                    .isInstanceOfSatisfying(
                            ServerErrorException.class,
                            e -> assertThat(e.constraint()).contains(ODD_NAME));
            assertThat(client.uncached().fetchCount(DUP)).isEqualTo(1);
            fixture.admin("DROP TABLE dup_probe");
        }
    }

    @Test
    void onMariaDbTheKeyIsNamedFromTheMessage() throws Exception {
        try (CacheFixture fixture = CacheFixture.mariaDb()) {
            fixture.admin(
                    "DROP TABLE IF EXISTS dup_probe",
                    "CREATE TABLE dup_probe (id BIGINT PRIMARY KEY, slug VARCHAR(40), UNIQUE KEY uk_dup_slug (slug))");
            KeyspaceClient client = fixture.client(1, b -> {});
            String slug = slug();
            client.dsl().insertInto(DUP, ID, SLUG).values(1L, slug).execute();
            ServerErrorException e = catchThrowableOfType(
                    ServerErrorException.class,
                    () -> client.dsl()
                            .insertInto(DUP, ID, SLUG)
                            .values(2L, slug)
                            .execute());
            assertThat(e.kind()).isEqualTo(ServerErrorException.Kind.DUPLICATE_KEY);
            assertThat(e.errorCode()).isEqualTo(1062);
            assertThat(e.constraint()).contains("uk_dup_slug");
            fixture.admin("DROP TABLE dup_probe");
        }
    }

    @Test
    void withoutPgJdbcOnTheClassPathTheMySqlPathWorks() throws Exception {
        String server = ServerFixture.mariaDb(
                        "CREATE DATABASE IF NOT EXISTS oi_no_pgjdbc CHARACTER SET utf8mb4",
                        "CREATE TABLE IF NOT EXISTS oi_no_pgjdbc.dup_probe (id BIGINT PRIMARY KEY, slug VARCHAR(40),"
                                + " UNIQUE KEY uk_dup_slug (slug))")
                .connectionString("oi_no_pgjdbc");
        try (URLClassLoader loader = ClassPathWithout.jars("postgresql-")) {
            assertThatThrownBy(() -> Class.forName("org.postgresql.util.PSQLException", false, loader))
                    .isInstanceOf(ClassNotFoundException.class);
            Class<?> probe = Class.forName(NoPgJdbcProbe.class.getName(), true, loader);
            assertThat(probe.getClassLoader()).isSameAs(loader);
            assertThat(probe.getMethod("run", String.class).invoke(null, server))
                    .isEqualTo("DUPLICATE_KEY uk_dup_slug|uk_dup_slug|<unnamed>");
        }
    }
}
