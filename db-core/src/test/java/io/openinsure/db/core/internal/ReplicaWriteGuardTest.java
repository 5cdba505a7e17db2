package io.openinsure.db.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openinsure.db.core.BindingConfig;
import io.openinsure.db.core.ConfigSource;
import io.openinsure.db.core.DatabaseUrl.TabletType;
import java.util.Optional;
import java.util.stream.Stream;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which bindings get the replica write guard, and how it classifies SQL text. Execution through a
 * real server is covered by {@code ReplicaWriteGuardOnMariaDbTest}.
 */
class ReplicaWriteGuardTest {

    private static BindingConfig binding(String url) {
        return BindingConfig.builder("claims").url(url).build(ConfigSource.empty());
    }

    @Test
    void onlyVitessReplicaAndRdonlyTargetsAreGuarded() {
        assertThat(ReplicaWriteGuard.forBinding(binding("vitess://vtgate:15306/oi_claims@replica")))
                .get()
                .hasToString("ReplicaWriteGuard[claims -> oi_claims@replica]");
        assertThat(ReplicaWriteGuard.forBinding(binding("vitess://vtgate:15306/oi_claims@rdonly")))
                .get()
                .hasToString("ReplicaWriteGuard[claims -> oi_claims@rdonly]");
        assertThat(ReplicaWriteGuard.forBinding(binding("vitess://vtgate:15306/oi_claims@primary")))
                .isEmpty();
        assertThat(ReplicaWriteGuard.forBinding(binding("vitess://vtgate:15306/oi_claims")))
                .isEmpty();
        assertThat(ReplicaWriteGuard.forBinding(binding("mysql://db:3306/oi_claims")))
                .isEmpty();
        assertThat(ReplicaWriteGuard.forBinding(binding("postgres://db/oi_claims")))
                .isEmpty();
        // A database literally named like a Vitess target on plain MySQL is not a replica target.
        assertThat(ReplicaWriteGuard.forBinding(binding("jdbc:mysql://db:3306/oi_claims%40replica")))
                .isEmpty();
    }

    @Test
    void installAppendsTheGuardOnlyWhenNeeded() {
        DSLContext ctx = DSL.using(SQLDialect.MYSQL);
        assertThat(ReplicaWriteGuard.install(ctx, binding("vitess://vtgate:15306/oi_claims")))
                .isSameAs(ctx);
        DSLContext guarded = ReplicaWriteGuard.install(ctx, binding("vitess://vtgate:15306/oi_claims@replica"));
        assertThat(guarded).isNotSameAs(ctx);
        assertThat(guarded.configuration().executeListenerProviders())
                .hasSize(ctx.configuration().executeListenerProviders().length + 1)
                .anySatisfy(p -> assertThat(p.provide()).isInstanceOf(ReplicaWriteGuard.class));
        assertThat(ctx.configuration().executeListenerProviders())
                .noneSatisfy(p -> assertThat(p.provide()).isInstanceOf(ReplicaWriteGuard.class));
    }

    @Test
    void aGuardIsNotForThePrimary() {
        assertThatThrownBy(() -> new ReplicaWriteGuard("claims", "oi_claims", TabletType.PRIMARY))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "select * from claim where id = ?",
                "SELECT 1",
                "  (select 1) union (select 2)",
                "with c as (select id from claim) select * from c where id in (1, 2)",
                "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3), m AS (SELECT 2) SELECT * FROM n, m",
                "show tables",
                "describe claim",
                "desc claim",
                "explain select * from claim",
                "table claim",
                "values row(1, 2)",
                "set time_zone = '+00:00'",
                "set @cursor = 5",
                "select 'update claim set x = 1; delete from claim' as text",
                "select `delete`, \"for update\" from claim -- for update\n",
                "/* delete from claim */ select 1",
                "# leading comment\nselect 1",
                "select 1;",
                "select 1; select 2",
                "select 'it''s', 'a \\' quote; drop table x' from dual",
            })
    void readsPass(String sql) {
        assertThat(ReplicaWriteGuard.writeKind(sql)).as(sql).isEmpty();
    }

    static Stream<Arguments> writes() {
        return Stream.of(
                Arguments.of("insert into claim (id) values (1)", "INSERT"),
                Arguments.of("UPDATE claim SET status = 'CLOSED' WHERE id = 1", "UPDATE"),
                Arguments.of("delete from claim where id = 1", "DELETE"),
                Arguments.of("replace into claim values (1)", "REPLACE"),
                Arguments.of("create table t (id int)", "CREATE"),
                Arguments.of("alter table claim add column x int", "ALTER"),
                Arguments.of("drop table claim", "DROP"),
                Arguments.of("truncate claim", "TRUNCATE"),
                Arguments.of("call close_claims()", "CALL"),
                Arguments.of("lock tables claim write", "LOCK"),
                Arguments.of("load data infile 'x' into table claim", "LOAD"),
                Arguments.of("select 1; delete from claim", "DELETE"),
                Arguments.of("/* hint */ delete from claim", "DELETE"),
                Arguments.of("-- comment\nupdate claim set x = 1", "UPDATE"),
                Arguments.of("/*!40101 delete from claim */", "DELETE"),
                Arguments.of("select * from claim where id = 1 for update", "locking read"),
                Arguments.of("select * from claim where id = 1 FOR   SHARE", "locking read"),
                Arguments.of("select * from claim lock in share mode", "locking read"),
                Arguments.of("select * from claim into outfile '/tmp/x'", "SELECT INTO file"),
                Arguments.of(
                        "with c as (select id from claim) delete from claim where id in (select id from c)",
                        "WITH … write"),
                Arguments.of("with c as (select 1) update claim set x = 1", "WITH … write"),
                Arguments.of("set global read_only = 0", "global SET"),
                Arguments.of("set @@global.max_connections = 10", "global SET"),
                Arguments.of("set password = 'x'", "global SET"),
                Arguments.of("'quoted' select 1", "unrecognised"));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("writes")
    void writesAreRecognised(String sql, String kind) {
        assertThat(ReplicaWriteGuard.writeKind(sql)).as(sql).isEqualTo(Optional.of(kind));
    }
}
