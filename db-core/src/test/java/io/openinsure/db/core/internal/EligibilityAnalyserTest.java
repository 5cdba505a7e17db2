package io.openinsure.db.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.openinsure.db.core.CacheStatus;
import io.openinsure.db.core.internal.Verdict.Effect;
import java.util.Arrays;
import org.jooq.SQLDialect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which statements are cached, on MySQL/MariaDB and PostgreSQL syntax, in Hyperdrive's statuses. */
class EligibilityAnalyserTest {

    private static final EligibilityAnalyser MYSQL = new EligibilityAnalyser(SQLDialect.MYSQL, 1_000);
    private static final EligibilityAnalyser POSTGRES = new EligibilityAnalyser(SQLDialect.POSTGRES, 1_000);

    @ParameterizedTest(name = "[{index}] {0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            MISS               | select * from policy where id = ?
            MISS               | SELECT p.id, p.status FROM policy p JOIN insured i ON i.id = p.insured_id WHERE p.id = ?
            MISS               | select count(*) from claim group by status having count(*) > 1 order by 1 limit 10
            MISS               | select lower(name), upper(code), coalesce(a, b), concat(a, '-', b), abs(x), round(y, 2) from t
            MISS               | select date_format(created_at, '%Y-%m') from policy where created_at > ?
            MISS               | select * from policy where note = 'NOW() is not called here'
            MISS               | select id /* NOW() in a comment */ from policy -- RAND() here too
            MISS               | select id from policy # CURDATE() in a hash comment
            MISS               | select 'it''s NOW()', "and RAND()" from policy
            MISS               | select 'it\\'s NOW()' from policy
            MISS               | with recent as (select * from policy where id > ?) select * from recent
            MISS               | select a from policy union select b from claim
            MISS               | select * from policy where id in (select policy_id from claim where amount > ?)
            MISS               | select x.a from (select a from policy) x where exists (select 1 from claim c where c.policy_id = x.a)
            MISS               | select 40 + 2
            MISS               | select * from policy where id = ?;
            MISS               | select unix_timestamp(created_at) from policy
            MISS               | select * from `policy` where `status` = 'bound'
            MISS               | select * from oi_policies.policy where id = ?
            MISS               | select p.* from policy p left join claim c on c.policy_id = p.id where c.id is null
            VOLATILE           | SELECT * FROM policies WHERE created_at > NOW() - INTERVAL 1 HOUR
            VOLATILE           | select now()
            VOLATILE           | select * from policy where created_at > current_timestamp
            VOLATILE           | select current_timestamp() from dual
            VOLATILE           | select * from claim where reported_on = curdate()
            VOLATILE           | select * from claim where reported_on = current_date
            VOLATILE           | select sysdate() from dual
            VOLATILE           | select unix_timestamp()
            VOLATILE           | select * from policy order by rand() limit 1
            VOLATILE           | select uuid()
            VOLATILE           | select last_insert_id()
            VOLATILE           | select connection_id()
            VOLATILE           | select found_rows()
            VOLATILE           | select localtime, localtimestamp
            VOLATILE           | select utc_timestamp()
            VOLATILE           | select sleep(1)
            VOLATILE           | select get_lock('job', 10)
            VOLATILE           | select database()
            UNCACHEABLE        | select my_premium(id) from policy
            UNCACHEABLE        | select oi.calc(id) from policy
            UNCACHEABLE        | select * from policy where id = @policy_id
            UNCACHEABLE        | select @@version
            UNCACHEABLE        | select /*! SQL_NO_CACHE */ * from policy
            UNCACHEABLE        | select /*+ MAX_EXECUTION_TIME(1000) */ * from policy
            UNCACHEABLE        | select sql_no_cache * from policy
            UNCACHEABLE        | select sql_calc_found_rows * from policy limit 10
            UNCACHEABLE        | select straight_join * from policy p join claim c on c.policy_id = p.id
            UNCACHEABLE        | select * from policy where id = ? for update
            UNCACHEABLE        | select * from policy where id = ? for share
            UNCACHEABLE        | select * from policy where id = ? lock in share mode
            MULTIPLESTATEMENTS | select 1; select 2
            MULTIPLESTATEMENTS | select * from policy; delete from policy
            NOTAQUERY          | insert into policy (id, status) values (?, ?)
            NOTAQUERY          | insert into policy (id) values (1) on duplicate key update status = 'x'
            NOTAQUERY          | update policy set status = ? where id = ?
            NOTAQUERY          | delete from policy where id = ?
            NOTAQUERY          | replace into policy (id, status) values (?, ?)
            NOTAQUERY          | insert ignore into policy (id) values (1)
            NOTAQUERY          | create table policy_copy (id bigint primary key)
            NOTAQUERY          | drop table policy_copy
            NOTAQUERY          | truncate table policy
            NOTAQUERY          | alter table policy add column note varchar(10)
            NOTAQUERY          | use oi_claims
            NOTAQUERY          | set @x = 1
            NOTAQUERY          | set names utf8mb4
            NOTAQUERY          | call refresh_totals()
            NOTAQUERY          | show tables
            NOTAQUERY          | explain select * from policy
            NOTAQUERY          | select id into @id from policy limit 1
            NOTAQUERY          | select * from policy into outfile '/tmp/p.csv'
            NOTAQUERY          | ~~
            PARSEERROR         | selec * from policy
            PARSEERROR         | select * from policy where
            """)
    void mysql(CacheStatus expected, String sql) {
        assertThat(MYSQL.analyse(sql == null ? "" : sql).status())
                .as(MYSQL.analyse(sql == null ? "" : sql).reason())
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] {0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            MISS        | select * from policy where id = $1
            MISS        | select * from policy where id = ?
            MISS        | select * from policy where note = 'now()'
            MISS        | select $$ now() $$ from policy
            MISS        | select e'it\\'s now()' from policy
            MISS        | select "Policy"."id" from "Policy"
            MISS        | select date_trunc('day', created_at), to_char(created_at, 'YYYY'), extract(year from created_at) from policy
            MISS        | select age(ended_at, started_at) from policy
            MISS        | select * from policy where tags @> array['fire'] and data ->> 'kind' = 'home'
            MISS        | select cast(x as date), x::text from policy
            MISS        | with recursive r(n) as (select 1 union all select n + 1 from r where n < 5) select * from r
            MISS        | select * from policy /* nested /* comment */ with now() */ where id = 1
            VOLATILE    | select now()
            VOLATILE    | select * from policy where created_at > now() - interval '1 hour'
            VOLATILE    | select current_timestamp, current_date
            VOLATILE    | select random()
            VOLATILE    | select lastval()
            VOLATILE    | select currval('policy_id_seq')
            VOLATILE    | select nextval('policy_id_seq')
            VOLATILE    | select txid_current()
            VOLATILE    | select timeofday()
            VOLATILE    | select clock_timestamp()
            VOLATILE    | select statement_timestamp()
            VOLATILE    | select transaction_timestamp()
            VOLATILE    | select gen_random_uuid()
            VOLATILE    | select pg_backend_pid()
            VOLATILE    | select age(started_at) from policy
            VOLATILE    | select localtimestamp
            VOLATILE    | select 'now'::timestamp
            VOLATILE    | select * from policy where created_at > timestamp 'today'
            VOLATILE    | select current_setting('timezone')
            VOLATILE    | select pg_sleep(1)
            UNCACHEABLE | select * from policy for no key update
            UNCACHEABLE | select * from policy for key share
            UNCACHEABLE | select premium_of(id) from policy
            NOTAQUERY   | insert into policy (a) values (1) returning id
            NOTAQUERY   | insert into policy (a) values (1) on conflict (a) do update set a = excluded.a
            NOTAQUERY   | with gone as (delete from policy where id = 1 returning *) select * from gone
            NOTAQUERY   | select * into policy_copy from policy
            NOTAQUERY   | set search_path to oi_policies
            NOTAQUERY   | vacuum policy
            MULTIPLESTATEMENTS | select 1; select 2;
            """)
    void postgres(CacheStatus expected, String sql) {
        assertThat(POSTGRES.analyse(sql).status())
                .as(POSTGRES.analyse(sql).reason())
                .isEqualTo(expected);
    }

    @Test
    void explainsTheNowExampleWithAFix() {
        String sql = "SELECT * FROM policies WHERE created_at > NOW() - INTERVAL 1 HOUR";
        assertThat(MYSQL.analyse(sql).decision())
                .hasToString(
                        "uncacheable: NOW() is volatile; compute the cutoff in the application and bind it as a parameter");
        assertThat(POSTGRES.analyse("select * from policies where created_at > now() - interval '1 hour'")
                        .decision())
                .hasToString(
                        "uncacheable: NOW() is volatile; compute the cutoff in the application and bind it as a parameter");
        assertThat(MYSQL.analyse("select now() as asked_at, id from policies").decision())
                .hasToString(
                        "uncacheable: NOW() is volatile; compute the time in the application and bind it as a parameter");
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', textBlock = """
            uncacheable: LAST_INSERT_ID() depends on the connection or session; use the key the insert returns (jOOQ returning(), or getGeneratedKeys()) instead | select last_insert_id()
            uncacheable: RAND() is volatile; generate the value in the application and bind it as a parameter, or read with uncached() | select * from policy order by rand() limit 1
            uncacheable: @id is a user variable, which belongs to the session; bind the value as a parameter instead | select * from policy where id = @id
            uncacheable: FOR UPDATE is a locking read, which must see the latest committed rows; run locking reads in client.transaction(…), where they always reach the database | select * from policy where id = 1 for update
            uncacheable: SQL_NO_CACHE asks for the result not to be cached; remove SQL_NO_CACHE to let the client cache it | select sql_no_cache * from policy
            uncacheable: 2 statements in one string; send one statement per call | select 1; select 2
            uncacheable: INSERT is not a query; running it invalidates the cached reads of policy | insert into policy (id) values (?)
            uncacheable: REPLACE is not a query; the tables it changes cannot be told, so running it invalidates the client's whole cache | replace into policy (id) values (?)
            uncacheable: MY_PREMIUM() is not known to be deterministic (a user-defined or unrecognised function); compute MY_PREMIUM()'s result in the application, or call only built-in deterministic functions in cached reads | select my_premium(id) from policy
            uncacheable: the statement could not be parsed (Unsupported query type at line 1, column 1), so it is not cached (fail closed); if the SQL is valid, write it in standard syntax to make it cacheable | selec * from policy
            cacheable: a single read-only SELECT whose functions are all deterministic; it reads policy, claim | select p.id from policy p join claim c on c.policy_id = p.id
            """)
    void explainsWhyAndHowToFix(String expected, String sql) {
        assertThat(MYSQL.analyse(sql).decision()).hasToString(expected);
    }

    @ParameterizedTest(name = "[{index}] {0} {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            MYSQL    | READ    | policy              | select * from policy where id = ?
            MYSQL    | READ    | policy              | with recent as (select * from policy) select * from recent
            MYSQL    | READ    | policy,claim        | select * from policy where exists (select 1 from claim where claim.policy_id = policy.id)
            MYSQL    | READ    | policy              | select * from oi_policies.policy
            MYSQL    | READ    | ''                  | select * from policy lock in share mode
            MYSQL    | READ    | ''                  | show tables
            MYSQL    | READ    | ''                  | use oi_claims
            MYSQL    | WRITE   | policy              | insert into policy (id) values (?)
            MYSQL    | WRITE   | policy              | insert into oi_policies.policy (id) values (1)
            MYSQL    | WRITE   | policy,claim        | update policy set status = 'x' where id in (select policy_id from claim)
            MYSQL    | WRITE   | policy              | delete from policy where id = ?
            MYSQL    | WRITE   | policy_copy         | drop table policy_copy
            MYSQL    | WRITE   | policy              | create index ix_status on policy (status)
            MYSQL    | WRITE   | policy              | truncate table policy
            MYSQL    | UNKNOWN | ''                  | replace into policy (id) values (1)
            MYSQL    | UNKNOWN | ''                  | call refresh_totals()
            MYSQL    | UNKNOWN | ''                  | select 1; delete from policy
            MYSQL    | UNKNOWN | ''                  | set @x = 1
            MYSQL    | UNKNOWN | policy              | select my_fn(id) from policy
            MYSQL    | UNKNOWN | policy              | select /*! STRAIGHT_JOIN */ * from policy
            MYSQL    | UNKNOWN | ''                  | selec * from policy
            POSTGRES | WRITE   | policy              | insert into policy (a) values (1) returning id
            POSTGRES | WRITE   | policy              | with gone as (delete from policy where id = 1 returning *) select * from gone
            POSTGRES | WRITE   | policy_copy,policy  | select * into policy_copy from policy
            POSTGRES | UNKNOWN | ''                  | vacuum policy
            """)
    void tellsWhatRunningAStatementMayChange(String dialect, Effect effect, String tables, String sql) {
        EligibilityAnalyser analyser = dialect.equals("MYSQL") ? MYSQL : POSTGRES;
        Verdict v = analyser.analyse(sql);
        assertThat(v.effect()).as(v.reason()).isEqualTo(effect);
        assertThat(v.tables()).containsExactlyInAnyOrder(tables.isEmpty() ? new String[0] : tables.split(","));
    }

    @Test
    void aFunctionNameInALiteralOrCommentChangesNothing() {
        Verdict plain = MYSQL.analyse("select id from policy where note = ?");
        for (String sql : new String[] {
            "select id from policy where note = 'NOW()'",
            "select id /* RAND() */ from policy where note = ?",
            "select id from policy where note = ? -- SYSDATE()",
            "select id from policy where note = \"LAST_INSERT_ID()\"",
            "select id from policy where note = 'it\\'s NOW()'",
            "select id from policy # UUID()\n where note = ?"
        }) {
            Verdict v = MYSQL.analyse(sql);
            assertThat(v.status()).as(sql).isEqualTo(plain.status());
            assertThat(v.tables()).as(sql).isEqualTo(plain.tables());
        }
        assertThat(POSTGRES.analyse("select id from policy where note = $$now()$$")
                        .status())
                .isEqualTo(CacheStatus.MISS);
    }

    @Test
    void remembersVerdictsPerText() {
        String sql = "select id from policy where id = ? and status = ?";
        assertThat(MYSQL.analyse(sql)).isSameAs(MYSQL.analyse(sql));
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(
            strings = {
                "select 'unterminated",
                "select /* unterminated",
                ";;;",
                "select (((",
                "select ` from",
                "\u0000",
                "select 'a' 'b",
                "select 'a', \"b",
                "select * from \"policy"
            })
    void neverThrowsAndNeverCachesWhatItCannotRead(String sql) {
        for (EligibilityAnalyser analyser : Arrays.asList(MYSQL, POSTGRES)) {
            Verdict v = analyser.analyse(sql);
            assertThat(v.cacheable()).as(analyser.dialect() + ": " + v.reason()).isFalse();
        }
    }
}
