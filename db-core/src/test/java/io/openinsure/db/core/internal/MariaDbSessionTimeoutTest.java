package io.openinsure.db.core.internal;

import static io.openinsure.db.core.internal.GuardsAndLimitsTest.ID;
import static io.openinsure.db.core.internal.GuardsAndLimitsTest.NOTE;
import static io.openinsure.db.core.internal.GuardsAndLimitsTest.ROWS;
import static io.openinsure.db.core.internal.GuardsAndLimitsTest.timeoutErrorCodes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.jooq.impl.DSL.field;

import io.openinsure.db.core.BindingConfig;
import io.openinsure.db.core.ConfigSource;
import io.openinsure.db.core.DatabaseUrl;
import io.openinsure.db.core.KeyspaceClient;
import io.openinsure.db.core.LimitExceededException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * On MariaDB every pooled connection carries the binding's default timeout as its session's
 * {@code max_statement_time} ({@link ServerTimeouts#sessionInitSql}): a read under the default is sent bare, and a
 * statement with a longer timeout of its own raises the session's for as long as it runs.
 */
@Timeout(120)
class MariaDbSessionTimeoutTest {

    private static final TestServer SERVER = TestServer.MARIADB;

    private String url;

    @BeforeEach
    void rows() throws Exception {
        url = GuardsAndLimitsTest.createDatabase(SERVER);
        SERVER.admin(
                GuardsAndLimitsTest.DATABASE, "DELETE FROM guard_rows", "INSERT INTO guard_rows VALUES (1, 'row 1')");
    }

    /** One pooled connection, so that what a statement leaves in its session is what the next one finds. */
    private KeyspaceClient client(UnaryOperator<BindingConfig.Builder> settings) {
        return GuardsAndLimitsTest.client(url, b -> settings.apply(b.maxPoolSize(1)));
    }

    private static BigDecimal sessionTimeout(KeyspaceClient claims) {
        return claims.dsl().connectionResult(c -> {
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("select @@session.max_statement_time")) {
                rs.next();
                return rs.getBigDecimal(1).stripTrailingZeros();
            }
        });
    }

    @Test
    void thePoolGivesEachSessionTheDefaultTimeout() {
        try (KeyspaceClient claims = client(b -> b.queryTimeout(Duration.ofSeconds(2)))) {
            assertThat(sessionTimeout(claims)).isEqualByComparingTo("2");
        }
        try (KeyspaceClient claims = client(b -> b)) {
            assertThat(sessionTimeout(claims)).as("QUERY_TIMEOUT's default").isEqualByComparingTo("30");
        }
    }

    @Test
    void onlyConnectorJUrlsTheSdkBuildsGetTheInitSql() {
        BindingConfig config = BindingConfig.builder("claims")
                .url("mysql://db:3306/oi_claims")
                .queryTimeout(Duration.ofSeconds(30))
                .build(ConfigSource.empty());
        assertThat(HikariPools.hikariConfig(config).getConnectionInitSql())
                .isEqualTo("SET @openinsure_db = 1 /*M!100101 , SESSION max_statement_time = 30.000 */");
        assertThat(HikariPools.sessionTimeoutMillis(config, DatabaseUrl.parse("vitess://vtgate:15306/oi_claims")))
                .isZero();
        assertThat(HikariPools.sessionTimeoutMillis(config, DatabaseUrl.parse("postgres://db:5432/oi_claims")))
                .isZero();
        assertThat(HikariPools.sessionTimeoutMillis(config, DatabaseUrl.parse("jdbc:mysql://db:3306/oi_claims")))
                .as("pass-through")
                .isZero();
    }

    @Test
    void aReadUnderTheDefaultIsSentBareAndStoppedByTheSession() throws Exception {
        try (KeyspaceClient claims = client(b -> b.queryTimeout(Duration.ofSeconds(1)))) {
            claims.uncached().fetch("select 1"); // the first borrow learns the server
            SERVER.admin(
                    GuardsAndLimitsTest.DATABASE,
                    "SET GLOBAL log_output = 'TABLE'",
                    "TRUNCATE TABLE mysql.general_log",
                    "SET GLOBAL general_log = 'ON'");
            try {
                readsAreSentBare(claims);
            } finally {
                SERVER.admin(
                        GuardsAndLimitsTest.DATABASE,
                        "SET GLOBAL general_log = 'OFF'",
                        "SET GLOBAL log_output = 'FILE'");
            }
        }
    }

    private static void readsAreSentBare(KeyspaceClient claims) throws Exception {
        Throwable thrown = catchThrowable(() -> claims.uncached().fetch("select sleep(3) as bare_marker"));
        assertThat(thrown)
                .isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("OI_DB_CLAIMS_QUERY_TIMEOUT (1s)");
        assertThat(((LimitExceededException) thrown).limit()).isEqualTo("OI_DB_CLAIMS_QUERY_TIMEOUT");
        assertThat(((LimitExceededException) thrown).allowed()).isEqualTo(1000);
        assertThat(timeoutErrorCodes(() -> {
                    throw thrown;
                }))
                .as("the server stopped it (max_statement_time), not Connector/J's timer")
                .contains(1969);
        assertThat(generalLog("bare_marker"))
                .as("sent without the SET STATEMENT prefix")
                .containsExactly("select sleep(3) as bare_marker");

        assertThat(claims.uncached()
                        .resultQuery("select sleep(1.5) as own_marker")
                        .queryTimeout(5)
                        .fetchOne(0, Integer.class))
                .isZero();
        assertThat(generalLog("own_marker"))
                .as("a timeout of its own keeps the prefix")
                .containsExactly("SET STATEMENT max_statement_time=5.000 FOR select sleep(1.5) as own_marker");
    }

    /** Runs with the server's general log on (a table) and returns the texts it logged that contain {@code marker}. */
    private static java.util.List<String> generalLog(String marker) throws Exception {
        java.util.List<String> texts = new java.util.ArrayList<>();
        try (Connection c = SERVER.open(GuardsAndLimitsTest.DATABASE);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select convert(argument using utf8mb4) from mysql.general_log"
                        + " where command_type = 'Query' and argument like '%" + marker + "%'"
                        + " and argument not like '%general_log%'")) {
            while (rs.next()) {
                texts.add(rs.getString(1));
            }
        }
        return texts;
    }

    @Test
    void aLongerTimeoutOfItsOwnRunsPastTheDefaultAndTheSessionIsPutBack() {
        try (KeyspaceClient claims = client(b -> b.queryTimeout(Duration.ofSeconds(1)))) {
            assertThat(claims.uncached()
                            .resultQuery("select sleep(1.5)")
                            .queryTimeout(5)
                            .fetchOne(0, Integer.class))
                    .as("a read")
                    .isZero();
            assertThat(claims.uncached()
                            .update(ROWS)
                            .set(NOTE, field("concat('slow', sleep(1.5))", String.class))
                            .where(ID.eq(1))
                            .queryTimeout(5)
                            .execute())
                    .as("a write")
                    .isEqualTo(1);
            assertThat(sessionTimeout(claims)).as("put back").isEqualByComparingTo("1");
            java.util.List<Integer> slept = new java.util.ArrayList<>();
            claims.transaction(tx -> slept.add(
                    tx.resultQuery("select sleep(1.5)").queryTimeout(5).fetchOne(0, Integer.class)));
            assertThat(slept).as("a read in a transaction, which has time left").containsExactly(0);
            assertThat(sessionTimeout(claims)).isEqualByComparingTo("1");
            assertThatThrownBy(() -> claims.uncached()
                            .insertInto(ROWS)
                            .columns(ID, NOTE)
                            .values(1, "duplicate")
                            .queryTimeout(5)
                            .execute())
                    .as("a statement that fails");
            assertThat(sessionTimeout(claims))
                    .as("put back after a failure too")
                    .isEqualByComparingTo("1");
            assertThat(timeoutErrorCodes(() -> claims.uncached()
                            .update(ROWS)
                            .set(NOTE, field("concat('slow', sleep(3))", String.class))
                            .where(ID.eq(1))
                            .queryTimeout(2)
                            .execute()))
                    .as("its own timeout still stops it, on the server")
                    .contains(1969);
            assertThat(sessionTimeout(claims)).isEqualByComparingTo("1");
            assertThat(timeoutErrorCodes(() -> claims.uncached().fetch("select sleep(3)")))
                    .as("the next default read: the default again")
                    .contains(1969);
        }
    }

    @Test
    void aShorterTimeoutStillFires() {
        try (KeyspaceClient claims = client(b -> b)) {
            LimitExceededException read = (LimitExceededException) catchThrowable(() -> claims.uncached()
                    .resultQuery("select sleep(3)")
                    .queryTimeout(1)
                    .fetch());
            assertThat(read.getMessage()).contains("its own query timeout (1s");
            LimitExceededException write = (LimitExceededException) catchThrowable(() -> claims.uncached()
                    .update(ROWS)
                    .set(NOTE, field("concat('slow', sleep(3))", String.class))
                    .where(ID.eq(1))
                    .queryTimeout(1)
                    .execute());
            assertThat(write.getMessage()).contains("its own query timeout (1s");
            assertThat(sessionTimeout(claims)).isEqualByComparingTo("30");
        }
        try (KeyspaceClient claims =
                client(b -> b.queryTimeout(Duration.ofSeconds(2)).transactionTimeout(Duration.ofSeconds(1)))) {
            assertThat(timeoutErrorCodes(() -> claims.transaction(tx -> tx.fetch("select sleep(3)"))))
                    .as("the time a transaction has left, shorter than the default: the driver's timer")
                    .doesNotContain(1969);
        }
    }
}
