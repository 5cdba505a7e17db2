package io.openinsure.db.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.openinsure.db.core.ServerErrorException;
import io.openinsure.db.core.ServerErrorException.Kind;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * The error texts here were read off a real vtgate (vtcombo v24.0.4 over MariaDB 11.4, December 2026), and
 * MariaDB, MySQL and PostgreSQL. The vtgate tests in db-testkit provoke each of them for real.
 */
class ServerErrorsTest {

    private static final String SENTINEL = "SENTINEL_BIND_7f3a";

    static final String VTGATE_DUPLICATE =
            "target: oi_global.0.primary: vttablet: rpc error: code = AlreadyExists desc = Duplicate entry '"
                    + SENTINEL
                    + "' for key 'uk_organization_slug' (errno 1062) (sqlstate 23000) (CallerID: userData1): Sql: \"insert into"
                    + " organization values (:vtg1 /* INT64 */, :vtg2 /* VARCHAR */)\", BindVars: {vtg1: \"type:INT64 value:\\\"1\\\"\"vtg2:"
                    + " \"type:VARCHAR value:\\\"" + SENTINEL + "\\\"\"}";
    static final String VTGATE_ROW_CAP =
            "target: oi_global.0.primary: vttablet: rpc error: code = Aborted desc = Row count exceeded 100"
                    + " (CallerID: userData1)";
    static final String VTGATE_QUERY_TIMEOUT =
            "target: oi_global.0.primary: vttablet: rpc error: code = Canceled desc = (errno 3024)"
                    + " (sqlstate HY000): Query execution was interrupted, maximum statement execution time exceeded, elapsed time: 500.512856ms,"
                    + " killing query ID 132 (CallerID: userData1)";
    static final String VTGATE_TX_KILLED =
            "target: oi_global.0.primary: vttablet: rpc error: code = Aborted desc = transaction"
                    + " 1796362576431374481: ended at 2026-12-04 05:36:26.893 UTC (exceeded timeout: 2s) (CallerID: userData1)";
    static final String VTGATE_POOL_FULL =
            "target: oi_global.0.primary: vttablet: rpc error: code = ResourceExhausted desc = transaction"
                    + " pool connection limit exceeded (CallerID: userData1)";
    static final String VTGATE_NOT_SERVING =
            "target: oi_policies.0.primary: primary is not serving, there is a reparent operation in" + " progress";

    @Test
    void vtgatesDuplicateKeyIsTypedNamesTheKeyAndKeyspaceAndCarriesNoStatementOrValues() {
        ServerErrorException e = ServerErrors.translate(
                "global", new SQLIntegrityConstraintViolationException(VTGATE_DUPLICATE, "23000", 1062));
        assertThat(e.kind()).isEqualTo(Kind.DUPLICATE_KEY);
        assertThat(e.constraint()).contains("uk_organization_slug");
        assertThat(e.keyspace()).contains("global");
        assertThat(e.errorCode()).isEqualTo(1062);
        assertThat(e.sqlState()).contains("23000");
        assertThat(e.isRetryable()).isFalse();
        assertThat(e.getMessage())
                .isEqualTo("[global] duplicate key 'uk_organization_slug': a row with the same unique value exists"
                        + " (error 1062, SQLState 23000): target: oi_global.0.primary: vttablet: rpc error: code = AlreadyExists desc ="
                        + " Duplicate entry '?' for key 'uk_organization_slug' (errno 1062) (sqlstate 23000)");
        assertThat(e.getCause())
                .isInstanceOf(SQLIntegrityConstraintViolationException.class)
                .hasMessageNotContaining(SENTINEL)
                .hasMessageNotContaining("Sql:")
                .hasMessageNotContaining("BindVars");
        assertThat(((SQLException) e.getCause()).getErrorCode()).isEqualTo(1062);
    }

    @Test
    void postgresDuplicateKeyNamesTheConstraintFromTheFieldOfTheServersErrorBeforeMasking() {
        // Quotes and a dot in the name, and a server whose lc_messages is German: the message's words say nothing.
        PSQLException pg = new PSQLException(new ServerErrorMessage("SERROR\0C23505\0Mdoppelter Schlüsselwert verletzt"
                + " Unique-Constraint »uk \"odd\".name«\0DSchlüssel »(slug)=(" + SENTINEL + ")« existiert bereits.\0n"
                + "uk \"odd\".name\0\0"));
        ServerErrorException e = ServerErrors.translate("global", pg);
        assertThat(e.kind()).isEqualTo(Kind.DUPLICATE_KEY);
        assertThat(e.constraint()).contains("uk \"odd\".name");
        assertThat(e.getMessage())
                .startsWith(
                        "[global] duplicate key 'uk \"odd\".name': a row with the same unique value exists (error 0,"
                                + " SQLState 23505): ERROR: doppelter Schlüsselwert verletzt");
        assertThat(e.getCause())
                .as("the masked copy is no PSQLException; the constraint was read before")
                .isNotInstanceOf(PSQLException.class)
                .isInstanceOf(SQLIntegrityConstraintViolationException.class);

        ServerErrorException withoutField = ServerErrors.translate(
                "global",
                new SQLException("ERROR: duplicate key value violates unique constraint \"uk_slug\"", "23505"));
        assertThat(withoutField.kind()).isEqualTo(Kind.DUPLICATE_KEY);
        assertThat(withoutField.constraint())
                .as("PostgreSQL's message is not parsed")
                .isEmpty();
        assertThat(withoutField.getMessage())
                .startsWith("[global] duplicate key: a row with the same unique value exists");
    }

    @Test
    void vtgatesRowCapIsARowLimitNotATimeoutThoughBothAre1317() {
        ServerErrorException e = ServerErrors.translate("global", new SQLException(VTGATE_ROW_CAP, "70100", 1317));
        assertThat(e.kind()).isEqualTo(Kind.ROW_LIMIT);
        assertThat(e.limit()).contains(100L);
        assertThat(e.getMessage())
                .startsWith("[global] the result has more rows than the server's row cap of 100")
                .contains("Keyset")
                .doesNotContain("CallerID");
    }

    @Test
    void vtgatesTransactionKillerIsTyped() {
        ServerErrorException e = ServerErrors.translate("global", new SQLException(VTGATE_TX_KILLED, "70100", 1317));
        assertThat(e.kind()).isEqualTo(Kind.TRANSACTION_KILLED);
        assertThat(e.getMessage()).contains("ran longer than its limit of 2s").contains("rolled it back");
    }

    @Test
    void timeoutsFromVttabletMariaDbMySqlPostgresAndTheDriverAreQueryTimeouts() {
        assertThat(ServerErrors.translate("g", new SQLException(VTGATE_QUERY_TIMEOUT, "HY000", 3024))
                        .kind())
                .isEqualTo(Kind.QUERY_TIMEOUT);
        assertThat(ServerErrors.translate("g", new SQLException(VTGATE_QUERY_TIMEOUT, "HY000", 3024))
                        .getCause())
                .isInstanceOf(SQLTimeoutException.class);
        assertThat(ServerErrors.classify(
                        1969, "70100", "Query execution was interrupted (max_statement_time exceeded)"))
                .isEqualTo(Kind.QUERY_TIMEOUT);
        assertThat(ServerErrors.classify(1317, "70100", "Query execution was interrupted"))
                .isEqualTo(Kind.QUERY_TIMEOUT);
        assertThat(ServerErrors.classify(
                        2013, "HY000", "Lost connection to MySQL server during query: context deadline exceeded"))
                .isEqualTo(Kind.QUERY_TIMEOUT);
        assertThat(ServerErrors.classify(0, "57014", "ERROR: canceling statement due to statement timeout"))
                .isEqualTo(Kind.QUERY_TIMEOUT);
    }

    @Test
    void reparentsAndFullPoolsAreRetryable() {
        ServerErrorException full = ServerErrors.translate("global", new SQLException(VTGATE_POOL_FULL, "42000", 1203));
        assertThat(full.kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(full.isRetryable()).isTrue();
        assertThat(full.getCause()).isInstanceOf(SQLTransientException.class);
        ServerErrorException reparent =
                ServerErrors.translate("policies", new SQLException(VTGATE_NOT_SERVING, "HY000", 1105));
        assertThat(reparent.kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(reparent.getMessage())
                .startsWith("[policies] the server cannot serve the statement right now")
                .contains("retry");
    }

    @Test
    void writeConflictsAreRetryableAndEverythingElseIsOther() {
        assertThat(ServerErrors.classify(1213, "40001", "Deadlock found when trying to get lock"))
                .isEqualTo(Kind.WRITE_CONFLICT);
        assertThat(ServerErrors.classify(0, "40P01", "deadlock detected")).isEqualTo(Kind.WRITE_CONFLICT);
        assertThat(ServerErrors.classify(1054, "42S22", "Unknown column 'x' in 'field list'"))
                .isEqualTo(Kind.OTHER);
    }

    @Test
    void valuesTheServersQuoteBackAreMasked() {
        assertThat(ServerErrors.mask("Duplicate entry 'it''s " + SENTINEL + "' for key 'uk_x'"))
                .isEqualTo("Duplicate entry '?' for key 'uk_x'");
        assertThat(ServerErrors.mask(
                        "You have an error in your SQL syntax; check the manual near '" + SENTINEL + "' at line 1"))
                .isEqualTo("You have an error in your SQL syntax; check the manual near '?' at line 1");
        assertThat(ServerErrors.mask("Incorrect integer value: '" + SENTINEL + "' for column `oi`.`t`.`n` at row 1"))
                .isEqualTo("Incorrect integer value: '?' for column `oi`.`t`.`n` at row 1");
        assertThat(ServerErrors.mask(
                        "ERROR: duplicate key value violates unique constraint \"uk_slug\"\n  Detail: Key (slug)=("
                                + SENTINEL + ") already exists."))
                .isEqualTo(
                        "ERROR: duplicate key value violates unique constraint \"uk_slug\"\n  Detail: Key (slug)=(?) already exists.");
        assertThat(ServerErrors.mask(
                        "new row for relation \"t\" violates check constraint \"ck\"\n  Detail: Failing row contains (1, "
                                + SENTINEL + ")."))
                .doesNotContain(SENTINEL);
        assertThat(ServerErrors.mask(VTGATE_DUPLICATE)).doesNotContain(SENTINEL).doesNotContain("insert into");
        assertThat(ServerErrors.mask(null)).isEmpty();
    }
}
