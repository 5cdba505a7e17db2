package io.openinsure.db.testkit.vitess;

import static io.openinsure.db.domains.schema.oi_global.Tables.ORGANIZATION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.openinsure.db.core.BindingConfig;
import io.openinsure.db.core.CacheStatus;
import io.openinsure.db.core.ConfigSource;
import io.openinsure.db.core.CrossKeyspaceTransactionException;
import io.openinsure.db.core.DatabaseUrl;
import io.openinsure.db.core.KeyspaceClient;
import io.openinsure.db.core.LimitExceededException;
import io.openinsure.db.core.ServerErrorException;
import io.openinsure.db.core.ServerErrorException.Kind;
import io.openinsure.db.domains.Ids;
import io.openinsure.db.domains.Keyspace;
import io.openinsure.db.domains.OpenInsureDb;
import io.openinsure.db.testkit.VtcomboServer;
import io.openinsure.db.testkit.internal.AdminConnections;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jooq.Record;
import org.jooq.Result;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.slf4j.LoggerFactory;

/**
 * What a real vtgate does that documentation alone did not tell us, on a vtcombo of its own with tight vttablet
 * limits (2 s query timeout, 4 s transaction timeout, a 100-row cap, 4 transactions per tablet) and an advertised MySQL
 * version without {@code -Vitess} ({@code --mysql-server-version 8.0.40}).
 */
@EnabledIf(
        value = "vtcomboBuilt",
        disabledReason = "needs a vtcombo binary (vitess-local/vtcombo/build.sh, or OI_TEST_VTCOMBO)")
class VtgateBehaviourTest {

    private static final String SENTINEL = "SENTINEL_BIND_5c1e";
    private static final int ROW_CAP = 100;
    private static final int TX_CAP = 4;

    private static VtcomboServer vtgate;
    private static OpenInsureDb db;
    private ListAppender<ILoggingEvent> logs;

    static boolean vtcomboBuilt() {
        return VtcomboServer.binary().isPresent();
    }

    @BeforeAll
    static void startStrictVtgate() throws SQLException {
        VtcomboServer.Options defaults =
                VtcomboServer.Options.defaults(VtcomboServer.binary().orElseThrow());
        VtcomboServer.Options strict = new VtcomboServer.Options(
                defaults.binary(),
                "8.0.40",
                Duration.ofSeconds(2),
                Duration.ofSeconds(4),
                ROW_CAP,
                defaults.readyTimeout(),
                List.of(
                        "--queryserver-config-transaction-cap",
                        String.valueOf(TX_CAP),
                        "--queryserver-config-txpool-timeout",
                        "300ms"));
        vtgate = VtcomboServer.start(strict);
        OpenInsureDb.Builder builder = OpenInsureDb.builder().configSource(ConfigSource.empty());
        for (Keyspace k : VtcomboServer.keyspaces()) {
            builder.binding(
                    k,
                    b -> b.url(vtgate.url(k))
                            .queryTimeout(Duration.ofSeconds(30))
                            .transactionTimeout(Duration.ofSeconds(30)));
        }
        db = builder.build();
        // 150 rows, past the tablets' cap of 100, written straight into MariaDB.
        try (Connection c = AdminConnections.open(
                        DatabaseUrl.parse(vtgate.backendConnectionString(Keyspace.GLOBAL.database())));
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE rowcap_probe (id INT PRIMARY KEY, label VARCHAR(40))");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO rowcap_probe VALUES (?, ?)")) {
                for (int i = 0; i < 150; i++) {
                    ps.setInt(1, i);
                    ps.setString(2, "row " + i);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }

    @AfterAll
    static void stop() {
        if (db != null) {
            db.close();
        }
        if (vtgate != null) {
            vtgate.close();
        }
    }

    @BeforeEach
    void captureEveryLogLineAtDebug() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        root.setLevel(Level.DEBUG);
    }

    @AfterEach
    void noLogLineCarriedTheSentinel() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAppender(logs);
        root.setLevel(Level.INFO);
        for (ILoggingEvent e : logs.list) {
            assertThat(e.getFormattedMessage()).doesNotContain(SENTINEL);
            if (e.getThrowableProxy() != null) {
                assertThat(ThrowableProxyUtil.asString(e.getThrowableProxy())).doesNotContain(SENTINEL);
            }
        }
    }

    @Test
    void vtgateIsRecognisedFromTheServerEvenWhenItsAdvertisedVersionDoesNotSayVitess() {
        assertThat(db.legacy().serverVersion()).isEqualTo("8.0.40");
        assertThat(db.legacy().routesServerSide()).isTrue();

        UUID org = Ids.newId();
        String slug = "detect-" + org;
        db.global()
                .dsl()
                .insertInto(ORGANIZATION, ORGANIZATION.ID, ORGANIZATION.SLUG, ORGANIZATION.NAME)
                .values(org, slug, "Detected")
                .execute();
        for (String sql : List.of(
                "select id, slug, name from organization where slug = ?",
                "select o.name, count(*) from organization o where o.slug = ? group by o.name")) {
            Result<Record> legacy = db.legacy()
                    .uncached()
                    .fetch(sql.replace("from organization", "from openinsure.organization"), slug);
            Result<Record> keyspace = db.global().uncached().fetch(sql, slug);
            assertThat(legacy).as(sql).hasSize(1);
            assertThat(legacy.intoArrays()).as(sql).isDeepEqualTo(keyspace.intoArrays());
        }
    }

    @Test
    void aDuplicateKeyIsTypedAndNeitherTheExceptionNorAnyLogCarriesTheStatementOrItsBindValues() {
        UUID first = Ids.newId();
        db.global()
                .dsl()
                .insertInto(ORGANIZATION, ORGANIZATION.ID, ORGANIZATION.SLUG, ORGANIZATION.NAME)
                .values(first, SENTINEL, "First")
                .execute();
        assertThatThrownBy(() -> db.global()
                        .dsl()
                        .insertInto(ORGANIZATION, ORGANIZATION.ID, ORGANIZATION.SLUG, ORGANIZATION.NAME)
                        .values(Ids.newId(), SENTINEL, "Second " + SENTINEL)
                        .execute())
                .isInstanceOfSatisfying(ServerErrorException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.DUPLICATE_KEY);
                    assertThat(e.keyspace()).contains("global");
                    assertThat(e.errorCode()).isEqualTo(1062);
                    assertThat(e.constraint()).isPresent();
                    assertThat(e.getMessage())
                            .startsWith(
                                    "[global] duplicate key '" + e.constraint().get() + "'");
                    assertNoSentinelInChain(e);
                });
    }

    @Test
    void vttabletsRowCapIsATypedRowLimitNamingTheKeyspaceAndTheCap() {
        for (var read : List.<Runnable>of(
                () -> db.global().dsl().fetch("select id, label from rowcap_probe"),
                () -> db.global().uncached().fetch("select id, label from rowcap_probe"),
                () -> db.global().transaction(tx -> tx.fetch("select id, label from rowcap_probe")))) {
            assertThatThrownBy(read::run).isInstanceOfSatisfying(ServerErrorException.class, e -> {
                assertThat(e.kind()).isEqualTo(Kind.ROW_LIMIT);
                assertThat(e.limit()).contains((long) ROW_CAP);
                assertThat(e.getMessage())
                        .startsWith("[global] the result has more rows than the server's row cap of 100");
            });
        }
        assertThat(db.global().uncached().fetch("select id from rowcap_probe where id < 100"))
                .hasSize(100);
    }

    @Test
    void vttabletsQueryTimeoutIsATypedQueryTimeout() {
        // In a transaction the statement carries no directive (the driver times it against the transaction's time
        // left), so the tablet's own 2 s query timeout ends it: the server's limit, not the client's.
        assertThatThrownBy(() -> db.global().transaction(tx -> tx.fetch("select sleep(3) from dual")))
                .isInstanceOfSatisfying(ServerErrorException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.QUERY_TIMEOUT);
                    assertThat(e.errorCode()).isEqualTo(3024);
                    assertThat(e.getMessage()).startsWith("[global] the statement ran out of time on the server");
                });
    }

    @Test
    void theClientsQueryTimeoutIsEnforcedByVtgateThroughTheQueryTimeoutDirective() {
        try (KeyspaceClient global = KeyspaceClient.open(BindingConfig.builder("global")
                .url(vtgate.url(Keyspace.GLOBAL))
                .queryTimeout(Duration.ofSeconds(1))
                .build())) {
            long t0 = System.nanoTime();
            // The directive replaces the tablet's own 2 s: the client's 1 s is what vttablet applies, and its error
            // (3024, "maximum statement execution time exceeded") is the server's, not Connector/J's cancel.
            assertThatThrownBy(() -> global.uncached().fetch("select sleep(3) from dual"))
                    .isInstanceOfSatisfying(LimitExceededException.class, e -> {
                        assertThat(e.limit()).isEqualTo("OI_DB_GLOBAL_QUERY_TIMEOUT");
                        assertThat(e.getCause())
                                .isInstanceOf(SQLException.class)
                                .hasMessageContaining("maximum statement execution time exceeded");
                        assertThat(((SQLException) e.getCause()).getErrorCode()).isEqualTo(3024);
                    });
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(1_900));
        }
    }

    @Test
    void vttabletsTransactionKillerIsTypedAndTheTransactionsWritesAreGone() {
        UUID org = Ids.newId();
        assertThatThrownBy(() -> db.global().transaction(tx -> {
                    tx.insertInto(ORGANIZATION, ORGANIZATION.ID, ORGANIZATION.SLUG, ORGANIZATION.NAME)
                            .values(org, "killed-" + org, "Killed")
                            .execute();
                    sleep(Duration.ofMillis(5_000));
                    tx.fetch("select 1 from dual");
                }))
                .isInstanceOfSatisfying(ServerErrorException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.TRANSACTION_KILLED);
                    assertThat(e.getMessage())
                            .startsWith(
                                    "[global] the server ended the transaction because it ran longer than its limit of 4s");
                });
        assertThat(db.global().uncached().fetchCount(ORGANIZATION, ORGANIZATION.ID.eq(org)))
                .isZero();
    }

    @Test
    void aFullTransactionPoolOnTheTabletIsRetryable() throws SQLException {
        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < TX_CAP; i++) {
                Connection c = AdminConnections.open(DatabaseUrl.parse(vtgate.url(Keyspace.GLOBAL)));
                held.add(c);
                c.setAutoCommit(false);
                try (Statement st = c.createStatement()) {
                    st.executeUpdate("update rowcap_probe set label = 'held' where id = " + (200 + i));
                }
            }
            assertThatThrownBy(() -> db.global()
                            .transaction(tx -> tx.execute("update rowcap_probe set label = 'x' where id = 300")))
                    .isInstanceOfSatisfying(ServerErrorException.class, e -> {
                        assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
                        assertThat(e.isRetryable()).isTrue();
                        assertThat(e.getMessage()).contains("transaction pool connection limit exceeded");
                    });
        } finally {
            for (Connection c : held) {
                c.rollback();
                c.close();
            }
        }
        db.global().transaction(tx -> tx.execute("update rowcap_probe set label = 'x' where id = 300"));
    }

    @Test
    void aLegacyTransactionThatWouldSpanTwoKeyspacesIsRefusedThoughVtgateWouldRunIt() {
        assertThatThrownBy(() -> db.legacy().transaction(tx -> {
                    tx.fetch("select count(*) from organization");
                    tx.fetch("select count(*) from policy");
                }))
                .isInstanceOf(CrossKeyspaceTransactionException.class);
    }

    @Test
    void readsAreCachedThroughVtgateAndAWriteDropsThem() {
        UUID org = Ids.newId();
        String slug = "cache-" + org;
        db.global()
                .dsl()
                .insertInto(ORGANIZATION, ORGANIZATION.ID, ORGANIZATION.SLUG, ORGANIZATION.NAME)
                .values(org, slug, "Before")
                .execute();
        long hits = db.global().cacheStats().counts().getOrDefault(CacheStatus.HIT, 0L);
        String read = "select name from organization where slug = ?";
        assertThat(db.global().dsl().fetchValue(read, slug)).isEqualTo("Before");
        assertThat(db.global().dsl().fetchValue(read, slug)).isEqualTo("Before");
        assertThat(db.global().cacheStats().counts().getOrDefault(CacheStatus.HIT, 0L))
                .isEqualTo(hits + 1);
        db.global()
                .dsl()
                .update(ORGANIZATION)
                .set(ORGANIZATION.NAME, "After")
                .where(ORGANIZATION.ID.eq(org))
                .execute();
        assertThat(db.global().dsl().fetchValue(read, slug)).isEqualTo("After");
    }

    private static void assertNoSentinelInChain(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            assertThat(String.valueOf(t.getMessage()))
                    .as(t.getClass().getName())
                    .doesNotContain(SENTINEL)
                    .doesNotContain("BindVars");
            assertThat(t.toString()).doesNotContain(SENTINEL);
            for (Throwable s : t.getSuppressed()) {
                assertNoSentinelInChain(s);
            }
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
