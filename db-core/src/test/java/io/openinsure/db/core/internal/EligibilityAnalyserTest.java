package io.openinsure.db.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.openinsure.db.core.CacheStatus;
import io.openinsure.db.core.internal.Verdict.Effect;
import org.jooq.SQLDialect;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
        assertThat(MYSQL.analyse(sql == null ? "" : sql).status()).as(MYSQL.analyse(sql == null ? "" : sql).reason()).isEqualTo(expected);
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
        assertThat(POSTGRES.analyse(sql).status()).as(POSTGRES.analyse(sql).reason()).isEqualTo(expected);
    }
}
