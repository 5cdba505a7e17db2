package io.openinsure.db.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.openinsure.db.core.internal.StatementShapes.Shape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The statement shapes the guards judge by: verb, top-level WHERE, drops and VALUES rows, read as the server runs the text. */
class StatementShapesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            delete from t where id = 1                                  | delete | true  | false | false | -1
            delete from t                                               | delete | false | false | false | -1
            delete from t where 1 = 1                                   | delete | true  | true  | false | -1
            delete from t where 1 = 1 and id = 2                        | delete | true  | false | false | -1
            update t set a = (select 1 from u where u.id = 2)           | update | false | false | false | -1
            update t set a = 'where' where id in (select id from u)     | update | true  | false | false | -1
            with c as (select id from t where id < 3) delete from t     | delete | false | false | false | -1
            with c as (select id from t) select * from c where id = 1   | select | true  | false | false | -1
            (select 1) union (select 2)                                 | select | false | false | false | -1
            /*!40101 drop table t */                                    | drop   | false | false | true  | -1
            /*M!100100 truncate t */                                    | truncate | false | false | false | -1
            alter table t drop column c                                 | alter  | false | false | true  | -1
            alter table t add column c int                              | alter  | false | false | false | -1
            insert into t values (1, 'a'), (2, 'b'), (3, '(')           | insert | false | false | false | 3
            insert into t (a, b) values (1, 2) on duplicate key update b = values(b) | insert | false | false | false | 1
            insert into t select * from u                               | insert | false | false | false | -1
            select 'delete from t' -- drop table t                      | select | false | false | false | -1
            """)
    void readsTheShapeOfAStatement(
            String sql, String verb, boolean where, boolean alwaysTrue, boolean drops, int valueRows) {
        assertThat(StatementShapes.of(sql, true).shapes())
                .containsExactly(new Shape(verb, where, alwaysTrue, drops, valueRows));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            select 1                              | 1
            select 1;                             | 1
            select 1; select 2                    | 2
            select ';'; select 2;;                | 2
            select 1 /*! ; select 2 */            | 2
            select 1 /* ; select 2 */             | 1
            """)
    void countsStatementsAsTheServerSeesThem(String sql, int statements) {
        assertThat(StatementShapes.of(sql, true).shapes()).hasSize(statements);
    }
}
