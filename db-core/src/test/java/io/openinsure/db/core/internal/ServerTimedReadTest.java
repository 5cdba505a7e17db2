package io.openinsure.db.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.openinsure.db.core.BindingConfig;
import io.openinsure.db.core.ConfigSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jooq.ConnectionProvider;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultConfiguration;
import org.jooq.tools.jdbc.DefaultConnection;
import org.jooq.tools.jdbc.DefaultPreparedStatement;
import org.jooq.tools.jdbc.MockConnection;
import org.jooq.tools.jdbc.MockResult;
import org.junit.jupiter.api.Test;

/**
 * How an autocommit read carries its timeout to MariaDB ({@code SET STATEMENT max_statement_time=… FOR …}) without
 * reading anything private of jOOQ: jOOQ sets a query's own timeout on the statement after preparing it and before
 * binding it, which {@link ServerTimedRead} relies on. The first test holds the jOOQ on the class path to that order,
 * so an upgrade that changes it fails here; the server's side is tested on the embedded MariaDB
 * ({@code GuardsAndLimitsTest}).
 */
class ServerTimedReadTest {

    /** Records, in order, the calls jOOQ makes on the statements it prepares. */
    private static final class Recording extends DefaultPreparedStatement {
        private final List<String> calls;

        Recording(PreparedStatement delegate, List<String> calls) {
            super(delegate);
            this.calls = calls;
        }

        @Override
        public void setQueryTimeout(int seconds) throws SQLException {
            calls.add("setQueryTimeout(" + seconds + ")");
            super.setQueryTimeout(seconds);
        }

        @Override
        public void setInt(int index, int value) throws SQLException {
            calls.add("bind");
            super.setInt(index, value);
        }

        @Override
        public void setObject(int index, Object value) throws SQLException {
            calls.add("bind");
            super.setObject(index, value);
        }

        @Override
        public boolean execute() throws SQLException {
            calls.add("execute");
            return super.execute();
        }

        @Override
        public ResultSet executeQuery() throws SQLException {
            calls.add("execute");
            return super.executeQuery();
        }
    }

    private static DSLContext recording(List<String> calls, Settings settings) {
        MockConnection mock = new MockConnection(ctx -> new MockResult[] {
            new MockResult(0, DSL.using(SQLDialect.MARIADB).newResult())
        });
        Connection connection = new DefaultConnection(mock) {
            @Override
            public PreparedStatement prepareStatement(String sql) throws SQLException {
                calls.add("prepare");
                return new Recording(super.prepareStatement(sql), calls);
            }
        };
        ConnectionProvider provider = new ConnectionProvider() {
            @Override
            public Connection acquire() {
                return connection;
            }

            @Override
            public void release(Connection c) {}
        };
        return DSL.using(
                new DefaultConfiguration().set(SQLDialect.MARIADB).set(provider).set(settings));
    }

    @Test
    void jooqSetsAQuerysOwnTimeoutAfterPreparingAndBeforeBinding() {
        List<String> calls = new ArrayList<>();
        recording(calls, new Settings())
                .resultQuery("select ?", 1)
                .queryTimeout(7)
                .fetch();
        assertThat(calls).containsExactly("prepare", "setQueryTimeout(7)", "bind", "execute");

        calls.clear();
        recording(calls, new Settings().withQueryTimeout(4)).selectOne().fetch();
        assertThat(calls)
                .as("jOOQ's own setting, likewise")
                .containsExactly("prepare", "setQueryTimeout(4)", "execute");

        calls.clear();
        recording(calls, new Settings()).resultQuery("select ?", 1).fetch();
        assertThat(calls).as("no timeout of its own: nothing is set").containsExactly("prepare", "bind", "execute");
    }

    /** A server connection that records the SQL it prepares and the driver timeout it is given. */
    private static final class Server extends DefaultConnection {
        final List<String> prepared = new ArrayList<>();
        final List<Integer> driverTimeouts = new ArrayList<>();

        Server() {
            super(new MockConnection(ctx -> new MockResult[0]));
        }

        @Override
        public PreparedStatement prepareStatement(String sql) throws SQLException {
            prepared.add(sql);
            return new DefaultPreparedStatement(super.prepareStatement(sql)) {
                @Override
                public void setQueryTimeout(int seconds) throws SQLException {
                    driverTimeouts.add(seconds);
                    super.setQueryTimeout(seconds);
                }
            };
        }
    }

    private static StatementLimits limits(Duration queryTimeout, Duration statementTimeout) {
        BindingConfig config = BindingConfig.builder("claims")
                .url("mysql://db:3306/oi_claims")
                .queryTimeout(queryTimeout)
                .statementTimeout(statementTimeout)
                .build(ConfigSource.empty());
        return new StatementLimits("claims", config.limits(), SQLDialect.MARIADB, () -> ServerTimeouts.Server.MARIADB);
    }

    @Test
    void itIsPreparedOnTheServerOnceTheTimeoutIsKnownWithThatTimeoutInItsText() throws SQLException {
        StatementLimits limits = limits(Duration.ofSeconds(30), Duration.ofSeconds(900));
        Server server = new Server();
        ServerTimedRead own = new ServerTimedRead(server, server, "select note from claim where id = ?", limits);
        own.setMaxRows(11);
        own.setQueryTimeout(60); // jOOQ: the query's own
        assertThat(server.prepared).as("nothing prepared before the first bind").isEmpty();
        own.setInt(1, 1);
        assertThat(server.prepared)
                .containsExactly("SET STATEMENT max_statement_time=60.000 FOR select note from claim where id = ?");
        assertThat(own.getMaxRows()).as("replayed").isEqualTo(11);
        own.setQueryTimeout(60); // LimitsListener: the same timeout, worked out by the same rules
        assertThat(server.driverTimeouts)
                .as("the server times it: no driver timer")
                .isEmpty();
        assertThat(own.getQueryTimeout()).as("what was asked for").isEqualTo(60);

        ServerTimedRead byDefault = new ServerTimedRead(server, server, "select 1", limits);
        byDefault.execute();
        assertThat(server.prepared).last().isEqualTo("SET STATEMENT max_statement_time=30.000 FOR select 1");

        ServerTimedRead capped =
                new ServerTimedRead(server, server, "select 2", limits(Duration.ofSeconds(1), Duration.ofSeconds(2)));
        capped.setQueryTimeout(5);
        capped.execute();
        assertThat(server.prepared)
                .as("the autocommit ceiling caps its own")
                .last()
                .isEqualTo("SET STATEMENT max_statement_time=2.000 FOR select 2");
        capped.setQueryTimeout(1);
        assertThat(server.driverTimeouts)
                .as("a shorter driver timeout still reaches the driver")
                .containsExactly(1);
    }

    @Test
    void theTimeoutTravelsInSecondsWithMillisecondsAndTheDefaultsTextIsBuiltOnce() {
        ServerTimeouts timeouts = new ServerTimeouts(1_500, () -> ServerTimeouts.Server.MARIADB);
        String sql = "select id from policy where id = ?";
        String timed = timeouts.sql(sql, 1_500);
        assertThat(timed).isEqualTo("SET STATEMENT max_statement_time=1.500 FOR select id from policy where id = ?");
        assertThat(timeouts.sql(new String(sql), 1_500)).as("kept per text").isSameAs(timed);
        assertThat(timeouts.sql(sql, 250))
                .isEqualTo("SET STATEMENT max_statement_time=0.250 FOR select id from policy where id = ?");
        assertThat(timeouts.sql(sql, 900_000)).startsWith("SET STATEMENT max_statement_time=900.000 FOR ");
        assertThat(timeouts.enabled()).isTrue();
        assertThat(new ServerTimeouts(1_000, () -> ServerTimeouts.Server.OTHER).enabled())
                .isFalse();
    }

    @Test
    void onSessionsThatCarryTheDefaultAReadUnderItIsSentAsItIs() throws SQLException {
        ServerTimeouts timeouts = new ServerTimeouts(1_500, () -> ServerTimeouts.Server.MARIADB_SESSION);
        String sql = "select id from policy where id = ?";
        assertThat(timeouts.sql(sql, 1_500)).isSameAs(sql);
        assertThat(timeouts.sql(sql, 250))
                .as("shorter: its own")
                .isEqualTo("SET STATEMENT max_statement_time=0.250 FOR select id from policy where id = ?");
        assertThat(timeouts.sql(sql, 5_000))
                .as("longer: its own")
                .isEqualTo("SET STATEMENT max_statement_time=5.000 FOR select id from policy where id = ?");
        assertThat(timeouts.enabled()).isTrue();
        assertThat(timeouts.sessionTimed()).isTrue();
        assertThat(timeouts.appliesTo("with t as (select 1) select * from t")).isTrue();
        assertThat(new ServerTimeouts(1_500, () -> ServerTimeouts.Server.MARIADB).sessionTimed())
                .isFalse();
        assertThat(ServerTimeouts.sessionInitSql(1_500))
                .isEqualTo("SET @openinsure_db = 1 /*M!100101 , SESSION max_statement_time = 1.500 */");

        StatementLimits limits = new StatementLimits(
                "claims",
                BindingConfig.builder("claims")
                        .url("mysql://db:3306/oi_claims")
                        .build(ConfigSource.empty())
                        .limits(),
                SQLDialect.MARIADB,
                () -> ServerTimeouts.Server.MARIADB_SESSION);
        Server server = new Server();
        ServerTimedRead byDefault = new ServerTimedRead(server, server, "select 1", limits);
        byDefault.execute();
        ServerTimedRead own = new ServerTimedRead(server, server, "select 2", limits);
        own.setQueryTimeout(60);
        own.execute();
        assertThat(server.prepared).containsExactly("select 1", "SET STATEMENT max_statement_time=60.000 FOR select 2");
        assertThat(server.driverTimeouts).as("no driver timer").isEmpty();
    }

    @Test
    void onVtgateTheTimeoutTravelsAsAQueryTimeoutDirectiveAfterTheSelectKeyword() {
        ServerTimeouts timeouts = new ServerTimeouts(1_500, () -> ServerTimeouts.Server.VTGATE);
        String sql = "select id from policy where id = ?";
        assertThat(timeouts.sql(sql, 1_500))
                .isEqualTo("select /*vt+ QUERY_TIMEOUT_MS=1500 */ id from policy where id = ?");
        assertThat(timeouts.sql("  SELECT 1", 250)).isEqualTo("  SELECT /*vt+ QUERY_TIMEOUT_MS=250 */ 1");
        assertThat(timeouts.appliesTo(sql)).isTrue();
        assertThat(timeouts.appliesTo("with t as (select 1) select * from t"))
                .as("no verb to follow: the driver times it")
                .isFalse();
        assertThat(timeouts.appliesTo("(select 1) union (select 2)")).isFalse();
        assertThat(timeouts.appliesTo("selection_view")).isFalse();
        assertThat(new ServerTimeouts(1_500, () -> ServerTimeouts.Server.MARIADB)
                        .appliesTo("with t as (select 1) select * from t"))
                .isTrue();
        assertThat(new ServerTimeouts(1_500, () -> ServerTimeouts.Server.UNKNOWN).appliesTo(sql))
                .isFalse();
    }
}
