package io.openinsure.db.domains.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openinsure.db.core.StatementRefusedException;
import io.openinsure.db.domains.RoutingRules;
import java.util.Set;
import org.jooq.SQLDialect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LegacyRouterTest {

    private static final String WAY_OUT =
            "Run it through the keyspace client that owns the table, or qualify the table as keyspace.table.";

    private final LegacyRouter router = new LegacyRouter(RoutingRules.packaged(), SQLDialect.MARIADB, true);
    private final LegacyRouter postgres = new LegacyRouter(RoutingRules.packaged(), SQLDialect.POSTGRES, true);

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "select * from policy where id = ?                         | select * from oi_policies.policy where id = ?                    | oi_policies",
                "select p.policy_number from policy p where p.id = ?       | select p.policy_number from oi_policies.policy p where p.id = ?  | oi_policies",
                "select * from openinsure.claim where claim_number = 'C-1' | select * from oi_claims.claim where claim_number = 'C-1'         | oi_claims",
                "insert into invoice (id, amount) values (?, ?)            | insert into oi_billing.invoice (id, amount) values (?, ?)       | oi_billing",
                "update claim set status = ? where id = ?                  | update oi_claims.claim set status = ? where id = ?               | oi_claims",
                "delete from quote where id = ?                            | delete from oi_submissions.quote where id = ?                    | oi_submissions",
                "select count(*) from organization where name = 'policy'   | select count(*) from oi_global.organization where name = 'policy' | oi_global",
            })
    void rewritesTableReferencesOnly(String sql, String expected, String keyspace) {
        LegacyRouter.Routed routed = router.route(sql);
        assertThat(routed.sql()).isEqualTo(expected);
        assertThat(routed.keyspaces()).containsExactly(keyspace);
    }

    /** Everything but table references stays byte for byte as written, read by MySQL's lexical rules. */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            SELECT "policy" AS s FROM policy                                   | SELECT "policy" AS s FROM oi_policies.policy
            SELECT 'a\\'b', 'C:\\\\x', "x\\"y" FROM  policy                    | SELECT 'a\\'b', 'C:\\\\x', "x\\"y" FROM  oi_policies.policy
            SELECT 'it''s from policy', "say ""claim""\" FROM `policy`           | SELECT 'it''s from policy', "say ""claim""\" FROM `oi_policies`.`policy`
            SELECT 'C:\\\\' FROM policy WHERE x = 'from claim'                 | SELECT 'C:\\\\' FROM oi_policies.policy WHERE x = 'from claim'
            SELECT policy_x.a AS policyholder FROM policy policy_x            | SELECT policy_x.a AS policyholder FROM oi_policies.policy policy_x
            SELECT policy.id, @policy, @`claim` FROM policy                    | SELECT policy.id, @policy, @`claim` FROM oi_policies.policy
            SELECT 1 FROM policy_event e JOIN policy AS p ON p.id = e.policy_id | SELECT 1 FROM oi_policies.policy_event e JOIN oi_policies.policy AS p ON p.id = e.policy_id
            SELECT a /* FROM claim */ FROM policy -- JOIN claim                | SELECT a /* FROM claim */ FROM oi_policies.policy -- JOIN claim
            SELECT a FROM policy # JOIN claim                                  | SELECT a FROM oi_policies.policy # JOIN claim
            SELECT 1--1 FROM policy                                            | SELECT 1--1 FROM oi_policies.policy
            SELECT /*!32312 SQL_NO_CACHE */ a FROM /*! policy */               | SELECT /*!32312 SQL_NO_CACHE */ a FROM /*! oi_policies.policy */
            SELECT a FROM policy p /*M!100000 JOIN coverage c ON 1 */          | SELECT a FROM oi_policies.policy p /*M!100000 JOIN oi_policies.coverage c ON 1 */
            SELECT a /*! /*!50000 , b */ FROM policy                          | SELECT a /*! /*!50000 , b */ FROM oi_policies.policy
            SELECT /*+ INDEX(policy ix) */ a FROM policy                       | SELECT /*+ INDEX(policy ix) */ a FROM oi_policies.policy
            SELECT a FROM policy UNION ALL (SELECT b FROM coverage)            | SELECT a FROM oi_policies.policy UNION ALL (SELECT b FROM oi_policies.coverage)
            SELECT (SELECT 1 FROM coverage) FROM policy WHERE id IN (SELECT policy_id FROM endorsement) | SELECT (SELECT 1 FROM oi_policies.coverage) FROM oi_policies.policy WHERE id IN (SELECT policy_id FROM oi_policies.endorsement)
            SELECT * FROM (SELECT * FROM policy) AS policy                     | SELECT * FROM (SELECT * FROM oi_policies.policy) AS policy
            SELECT * FROM policy p, coverage c, endorsement                    | SELECT * FROM oi_policies.policy p, oi_policies.coverage c, oi_policies.endorsement
            SELECT * FROM (policy p JOIN coverage c ON c.x = p.id), endorsement e | SELECT * FROM (oi_policies.policy p JOIN oi_policies.coverage c ON c.x = p.id), oi_policies.endorsement e
            SELECT * FROM policy p JOIN coverage c ON c.x = p.id AND offset = 1 JOIN endorsement e USING (id) | SELECT * FROM oi_policies.policy p JOIN oi_policies.coverage c ON c.x = p.id AND offset = 1 JOIN oi_policies.endorsement e USING (id)
            SELECT * FROM policy p USE INDEX (ix) LEFT OUTER JOIN coverage c FORCE INDEX FOR JOIN (ix) ON 1 STRAIGHT_JOIN endorsement | SELECT * FROM oi_policies.policy p USE INDEX (ix) LEFT OUTER JOIN oi_policies.coverage c FORCE INDEX FOR JOIN (ix) ON 1 STRAIGHT_JOIN oi_policies.endorsement
            SELECT EXTRACT(YEAR FROM d), TRIM(LEADING 'x' FROM policy) FROM policy | SELECT EXTRACT(YEAR FROM d), TRIM(LEADING 'x' FROM policy) FROM oi_policies.policy
            SELECT STRAIGHT_JOIN claim FROM policy                             | SELECT STRAIGHT_JOIN claim FROM oi_policies.policy
            WITH coverage AS (SELECT * FROM policy) SELECT * FROM coverage     | WITH coverage AS (SELECT * FROM oi_policies.policy) SELECT * FROM coverage
            WITH policy AS (SELECT * FROM policy) SELECT * FROM policy         | WITH policy AS (SELECT * FROM oi_policies.policy) SELECT * FROM policy
            WITH RECURSIVE claim (n) AS (SELECT 1 UNION SELECT n + 1 FROM claim) SELECT * FROM claim, quote | WITH RECURSIVE claim (n) AS (SELECT 1 UNION SELECT n + 1 FROM claim) SELECT * FROM claim, oi_submissions.quote
            SELECT * FROM (WITH x AS (SELECT 1) SELECT * FROM x, invoice) d    | SELECT * FROM (WITH x AS (SELECT 1) SELECT * FROM x, oi_billing.invoice) d
            SELECT a FROM policy GROUP BY a WITH ROLLUP                        | SELECT a FROM oi_policies.policy GROUP BY a WITH ROLLUP
            SELECT openinsure.policy.id, openinsure.policy.* FROM openinsure.policy | SELECT oi_policies.policy.id, oi_policies.policy.* FROM oi_policies.policy
            SELECT * FROM `openinsure@replica`.policy                          | SELECT * FROM oi_policies.policy
            SELECT * FROM openinsure@replica.policy                            | SELECT * FROM oi_policies.policy
            SELECT * FROM OpenInsure . Policy                                  | SELECT * FROM oi_policies.policy
            SELECT * FROM policy@replica p JOIN openinsure.coverage@replica c  | SELECT * FROM oi_policies.policy p JOIN oi_policies.coverage c
            SELECT * FROM policy@nowhere                                       | SELECT * FROM policy@nowhere
            SELECT * FROM policy WHERE id = ? FOR UPDATE                       | SELECT * FROM oi_policies.policy WHERE id = ? FOR UPDATE
            SELECT * FROM policy WHERE id = ? LOCK IN SHARE MODE               | SELECT * FROM oi_policies.policy WHERE id = ? LOCK IN SHARE MODE
            SELECT * FROM JSON_TABLE('[]', '$[*]' COLUMNS (policy INT PATH '$')) AS policy | SELECT * FROM JSON_TABLE('[]', '$[*]' COLUMNS (policy INT PATH '$')) AS policy
            SELECT * FROM dual                                                 | SELECT * FROM dual
            INSERT INTO policy (id, claim) SELECT id, 'policy' FROM claim     | INSERT INTO oi_policies.policy (id, claim) SELECT id, 'policy' FROM oi_claims.claim
            INSERT LOW_PRIORITY IGNORE policy SET claim = "claim"              | INSERT LOW_PRIORITY IGNORE oi_policies.policy SET claim = "claim"
            INSERT INTO coverage VALUES (1) ON DUPLICATE KEY UPDATE policy = 2, quote = VALUES(quote) | INSERT INTO oi_policies.coverage VALUES (1) ON DUPLICATE KEY UPDATE policy = 2, quote = VALUES(quote)
            INSERT INTO coverage SELECT * FROM policy ON DUPLICATE KEY UPDATE policy = 2, quote = 3 | INSERT INTO oi_policies.coverage SELECT * FROM oi_policies.policy ON DUPLICATE KEY UPDATE policy = 2, quote = 3
            REPLACE INTO coverage (id) VALUES ('x')                            | REPLACE INTO oi_policies.coverage (id) VALUES ('x')
            UPDATE LOW_PRIORITY policy p JOIN coverage c ON c.p = p.id SET c.quote = 1, p.claim = 'x' WHERE 1 | UPDATE LOW_PRIORITY oi_policies.policy p JOIN oi_policies.coverage c ON c.p = p.id SET c.quote = 1, p.claim = 'x' WHERE 1
            DELETE QUICK FROM policy WHERE claim = (SELECT 1 FROM claim)       | DELETE QUICK FROM oi_policies.policy WHERE claim = (SELECT 1 FROM oi_claims.claim)
            DELETE c FROM coverage c JOIN policy p ON p.id = c.policy_id WHERE 1 | DELETE c FROM oi_policies.coverage c JOIN oi_policies.policy p ON p.id = c.policy_id WHERE 1
            DELETE coverage, p FROM coverage JOIN policy p WHERE 1             | DELETE oi_policies.coverage, p FROM oi_policies.coverage JOIN oi_policies.policy p WHERE 1
            DELETE FROM c, policy USING coverage AS c JOIN policy WHERE 1      | DELETE FROM c, oi_policies.policy USING oi_policies.coverage AS c JOIN oi_policies.policy WHERE 1
            EXPLAIN SELECT * FROM policy                                       | EXPLAIN SELECT * FROM oi_policies.policy
            EXPLAIN FORMAT=JSON UPDATE policy SET a = 1 WHERE 1                | EXPLAIN FORMAT=JSON UPDATE oi_policies.policy SET a = 1 WHERE 1
            CREATE TABLE x AS SELECT * FROM policy                             | CREATE TABLE x AS SELECT * FROM oi_policies.policy
            SET @n = (SELECT count(*) FROM policy)                             | SET @n = (SELECT count(*) FROM oi_policies.policy)
            """)
    void mysqlRoutesTablesAndKeepsEveryOtherByte(String sql, String expected) {
        assertThat(router.route(sql).sql()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            SELECT 'policy', "x" FROM oi_contract_probe                        | []
            SELECT @policy, `policy`.a, policy_x FROM probe policy             | []
            SELECT * FROM oi_policies.policy                                   | []
            SELECT * FROM other.policy                                         | []
            SELECT * FROM a.b.policy                                           | []
            SELECT * FROM policy JOIN claim                                    | [oi_policies, oi_claims]
            SELECT * FROM invoice WHERE x IN (SELECT id FROM quote)            | [oi_billing, oi_submissions]
            SELECT * FROM probe /*! JOIN claim */                              | [oi_claims]
            SELECT * FROM probe /* JOIN claim */                               | []
            SELECT * FROM probe /*m! JOIN claim */                             | []
            """)
    void touchedKeyspaces(String sql, String keyspaces) {
        LegacyRouter.Routed routed = router.route(sql);
        assertThat(routed.keyspaces().toString()).isEqualTo(keyspaces);
        if (routed.keyspaces().isEmpty()) {
            assertThat(routed.sql()).isSameAs(sql);
        }
    }

    /** On PostgreSQL double quotes delimit names, backslashes are text (except in E'…'), $$…$$ is a string and # an operator. */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            SELECT "policy".id FROM "policy"                                   | SELECT "policy".id FROM "oi_policies"."policy"
            SELECT 'C:\\' FROM policy                                          | SELECT 'C:\\' FROM oi_policies.policy
            SELECT E'it\\'s from claim' FROM policy                            | SELECT E'it\\'s from claim' FROM oi_policies.policy
            SELECT $$ from claim $$, $q$ ' $q$ FROM policy WHERE a = $1        | SELECT $$ from claim $$, $q$ ' $q$ FROM oi_policies.policy WHERE a = $1
            SELECT a /* x /* FROM claim */ y */ FROM policy --FROM claim       | SELECT a /* x /* FROM claim */ y */ FROM oi_policies.policy --FROM claim
            SELECT a # 1 FROM policy                                           | SELECT a # 1 FROM oi_policies.policy
            SELECT 1 FROM policy WHERE a IS DISTINCT FROM b                    | SELECT 1 FROM oi_policies.policy WHERE a IS DISTINCT FROM b
            UPDATE ONLY policy AS p SET a = c.a FROM coverage c WHERE c.x = p.id | UPDATE ONLY oi_policies.policy AS p SET a = c.a FROM oi_policies.coverage c WHERE c.x = p.id
            DELETE FROM policy p USING coverage c WHERE c.x = p.id RETURNING p.id | DELETE FROM oi_policies.policy p USING oi_policies.coverage c WHERE c.x = p.id RETURNING p.id
            INSERT INTO policy AS p (a) SELECT a FROM claim ON CONFLICT (a) DO UPDATE SET policy = 1, quote = 2 | INSERT INTO oi_policies.policy AS p (a) SELECT a FROM oi_claims.claim ON CONFLICT (a) DO UPDATE SET policy = 1, quote = 2
            SELECT * FROM policy p CROSS JOIN LATERAL (SELECT * FROM claim) x, generate_series(1, 2) AS claim | SELECT * FROM oi_policies.policy p CROSS JOIN LATERAL (SELECT * FROM oi_claims.claim) x, generate_series(1, 2) AS claim
            WITH d AS (DELETE FROM policy WHERE a RETURNING *) SELECT * FROM d | WITH d AS (DELETE FROM oi_policies.policy WHERE a RETURNING *) SELECT * FROM d
            SELECT * FROM policy OFFSET 1 FETCH FIRST 1 ROWS ONLY               | SELECT * FROM oi_policies.policy OFFSET 1 FETCH FIRST 1 ROWS ONLY
            """)
    void postgresRoutesByItsOwnLexicalRules(String sql, String expected) {
        assertThat(postgres.route(sql).sql()).isEqualTo(expected);
    }

    /** As MariaDB reads it: the # comment hides the first {@code *&#47;}, so "FROM claim" is a comment and the next line is code. */
    @Test
    void aLineCommentInsideAnExecutableCommentRunsToTheEndOfTheLine() {
        LegacyRouter.Routed routed = router.route("SELECT 1 /*! # */ FROM claim\n */ FROM policy");
        assertThat(routed.sql()).isEqualTo("SELECT 1 /*! # */ FROM claim\n */ FROM oi_policies.policy");
        assertThat(routed.keyspaces()).containsExactly("oi_policies");
    }

    @Test
    void aJoinAcrossKeyspacesTouchesBoth() {
        LegacyRouter.Routed routed =
                router.route("select c.claim_number, p.policy_number from claim c join policy p on p.id = c.policy_id");
        assertThat(routed.sql())
                .isEqualTo(
                        "select c.claim_number, p.policy_number from oi_claims.claim c join oi_policies.policy p on p.id = c.policy_id");
        assertThat(routed.keyspaces()).containsExactly("oi_claims", "oi_policies");
    }

    @Test
    void statementsWithoutRoutedTablesPassThroughUnchanged() {
        String sql = "SELECT  1 FROM   oi_contract_probe  WHERE id = ?";
        assertThat(router.route(sql)).isEqualTo(new LegacyRouter.Routed(sql, Set.of()));
    }

    @Test
    void againstVtgateTheSqlIsUntouchedButTheKeyspacesAreKnown() {
        LegacyRouter serverSide = new LegacyRouter(RoutingRules.packaged(), SQLDialect.MYSQL, false);
        LegacyRouter.Routed routed = serverSide.route("select * from policy where id = ?");
        assertThat(routed.sql()).isEqualTo("select * from policy where id = ?");
        assertThat(routed.keyspaces()).containsExactly("oi_policies");
    }

    @Test
    void theSameTextIsRoutedOnce() {
        String sql = "select * from policy where note = 'a\\'b'";
        assertThat(router.route(sql)).isSameAs(router.route(new String(sql.toCharArray())));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            select 1; select 2                   | expected one statement, found 2
            ~~                                   | expected one statement, found 0
            select * from policy where a = 'x    | the string at character 32 is not closed
            select * from `policy                | the quoted name at character 15 is not closed
            select * from policy /* x            | the comment at character 22 is not closed
            select * from policy /*! x           | an executable comment /*! is not closed
            select * from (select * from policy  | the parenthesis at character 15 is not closed
            select * from policy)                | a closing parenthesis at character 21 closes nothing
            select * from "policy"               | "policy" stands where a table belongs, but is a string in MySQL's default SQL mode; quote table names with backticks
            insert into "claim" values (1)       | "claim" stands where a table belongs, but is a string in MySQL's default SQL mode; quote table names with backticks
            truncate table policy                | it names the routed table policy where the router does not read table references; it routes SELECT, INSERT, REPLACE, UPDATE and DELETE
            describe openinsure.claim            | it names the routed table openinsure.claim where the router does not read table references; it routes SELECT, INSERT, REPLACE, UPDATE and DELETE
            alter table `invoice` add x int      | it names the routed table invoice where the router does not read table references; it routes SELECT, INSERT, REPLACE, UPDATE and DELETE
            """)
    void whatCannotBePlacedIsRefusedWithAWayOut(String sql, String why) {
        assertThatThrownBy(() -> router.route(sql == null ? "" : sql))
                .isInstanceOf(StatementRefusedException.class)
                .hasMessage("Keyspace 'legacy': cannot route this statement (" + why + "). " + WAY_OUT)
                .satisfies(
                        e -> assertThat(((StatementRefusedException) e).rule()).isEqualTo("unroutable"));
    }

    @Test
    void statementsOfOtherKindsWithoutRoutedTablesPassThrough() {
        for (String sql : new String[] {
            "set @x = 'policy'", "show tables like 'policy%'", "truncate table oi_policies.policy", "select 1"
        }) {
            assertThat(router.route(sql)).isEqualTo(new LegacyRouter.Routed(sql, Set.of()));
        }
    }
}
