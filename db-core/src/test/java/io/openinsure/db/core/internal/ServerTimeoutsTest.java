package io.openinsure.db.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

/**
 * What a read sends for MariaDB to time it, and the query's own timeout read before jOOQ prepares it (jOOQ
 * applies {@code queryTimeout(…)} only after preparing). Run against the jOOQ on the class path, so an
 * upgrade that moves the field fails here rather than silently handing every timeout back to the driver.
 * The server's side is tested on embedded MariaDB ({@code GuardsAndLimitsTest}).
 */
class ServerTimeoutsTest {

    private final DSLContext ctx = DSL.using(SQLDialect.MARIADB);

    @Test
    void thisJooqLetsAQuerysOwnTimeoutBeReadBeforeItIsPrepared() {
        assertThat(ServerTimeouts.readsOwnTimeouts()).isTrue();
        assertThat(ServerTimeouts.ownTimeoutSeconds(ctx.selectOne().queryTimeout(7), ctx.settings())).isEqualTo(7);
        assertThat(ServerTimeouts.ownTimeoutSeconds(ctx.resultQuery("select 1").queryTimeout(3), ctx.settings())).isEqualTo(3);
        assertThat(ServerTimeouts.ownTimeoutSeconds(ctx.query("select 1").queryTimeout(2), ctx.settings())).isEqualTo(2);
        // What an ExecuteContext holds: the query proper (a SelectImpl runs its SelectQueryImpl).
        assertThat(ServerTimeouts.ownTimeoutSeconds(ctx.selectQuery(), ctx.settings())).as("none of its own").isZero();
        assertThat(ServerTimeouts.ownTimeoutSeconds(ctx.selectQuery(), new Settings().withQueryTimeout(4))).as("jOOQ's setting").isEqualTo(4);
        assertThat(ServerTimeouts.ownTimeoutSeconds(ctx.resultQuery("select 1").queryTimeout(9), new Settings().withQueryTimeout(4)))
                .as("the query's own wins, as in jOOQ").isEqualTo(9);
        assertThat(ServerTimeouts.ownTimeoutSeconds(null, ctx.settings())).as("not a query: unknown").isEqualTo(-1);
    }

    @Test
    void theTimeoutTravelsInSecondsWithMillisecondsAndTheDefaultsTextIsBuiltOnce() {
        ServerTimeouts timeouts = new ServerTimeouts(1_500, () -> true);
        String sql = "select id from policy where id = ?";
        String timed = timeouts.sql(sql, 1_500);
        assertThat(timed).isEqualTo("SET STATEMENT max_statement_time=1.500 FOR select id from policy where id = ?");
        assertThat(timeouts.sql(new String(sql), 1_500)).as("kept per text").isSameAs(timed);
        assertThat(timeouts.sql(sql, 250)).isEqualTo("SET STATEMENT max_statement_time=0.250 FOR select id from policy where id = ?");
        assertThat(timeouts.sql(sql, 900_000)).startsWith("SET STATEMENT max_statement_time=900.000 FOR ");
        assertThat(timeouts.enabled()).isTrue();
        assertThat(new ServerTimeouts(1_000, () -> false).enabled()).isFalse();
    }
}
