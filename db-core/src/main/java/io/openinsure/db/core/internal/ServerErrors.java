package io.openinsure.db.core.internal;

import io.openinsure.db.core.ServerErrorException;
import io.openinsure.db.core.ServerErrorException.Kind;
import io.openinsure.db.core.spi.DuplicateKeys;
import io.openinsure.db.core.spi.Secrets;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a driver's {@link SQLException} into a {@link ServerErrorException}: classified by error code,
 * SQLState and (for vtgate, whose errors reuse a few codes) the words of the message, and masked so that
 * neither the statement, nor its bind values, nor a value the server echoes reaches a message or a log.
 *
 * <p>The texts it knows were read off a real vtgate (Vitess 24 over MariaDB 11.4) and the servers the SDK
 * supports; see {@code ServerErrorsTest}.
 */
final class ServerErrors {

    private static final Pattern ROW_COUNT = Pattern.compile("Row count exceeded (\\d+)");
    private static final Pattern TX_KILLED = Pattern.compile("exceeded timeout: ([0-9.]+\\w*)");

    private ServerErrors() {}

    /** The typed, masked form of {@code e}, for the keyspace {@code keyspace}. */
    static ServerErrorException translate(String keyspace, SQLException e) {
        String raw = String.valueOf(e.getMessage());
        String masked = mask(raw);
        int code = e.getErrorCode();
        String state = e.getSQLState();
        Kind kind = classify(e);
        String constraint = null;
        long limit = -1;
        String what;
        switch (kind) {
            case DUPLICATE_KEY -> {
                // Read before masking: the masked copy below is no longer PgJDBC's exception with its fields.
                constraint = DuplicateKeys.keyName(e).orElse(null);
                what = "duplicate key" + (constraint == null ? "" : " '" + constraint + "'")
                        + ": a row with the same unique value exists";
            }
            case QUERY_TIMEOUT ->
                what = "the statement ran out of time on the server and was killed; give it a longer timeout, make it"
                        + " cheaper (an index, fewer rows), or page through the rows with Keyset";
            case ROW_LIMIT -> {
                Matcher m = ROW_COUNT.matcher(raw);
                limit = m.find() ? Long.parseLong(m.group(1)) : -1;
                what = "the result has more rows than the server's row cap" + (limit < 0 ? "" : " of " + limit)
                        + " (vttablet --queryserver-config-max-result-size; PlanetScale 100,000); page through the rows with Keyset";
            }
            case TRANSACTION_KILLED -> {
                Matcher m = TX_KILLED.matcher(raw);
                what = "the server ended the transaction because it ran longer than its limit"
                        + (m.find() ? " of " + m.group(1) : "")
                        + " (vttablet --queryserver-config-transaction-timeout; PlanetScale 20s) and rolled it back;"
                        + " keep transactions short and run the work again";
            }
            case UNAVAILABLE ->
                what = "the server cannot serve the statement right now (a primary not serving or being reparented,"
                        + " a full pool, a lost connection); retry after a short pause";
            case WRITE_CONFLICT ->
                what =
                        "another transaction changed the same rows (write conflict or deadlock); run the transaction again";
            default -> what = "the server refused the statement";
        }
        String message = "[" + keyspace + "] " + what + " (error " + code + (state == null ? "" : ", SQLState " + state)
                + "): " + masked;
        return new ServerErrorException(
                keyspace, kind, code, state, constraint, limit, message, maskedCopy(e, kind, masked));
    }

    /** What kind of error {@code e} is: {@link #classify(int, String, String)}, and the driver's own timeouts. */
    static Kind classify(SQLException e) {
        Kind kind = classify(e.getErrorCode(), e.getSQLState(), e.getMessage());
        return kind == Kind.OTHER && e instanceof SQLTimeoutException ? Kind.QUERY_TIMEOUT : kind;
    }

    /** What kind of error this is. vtgate reports its row cap and transaction killer as 1317 too: the words decide. */
    static Kind classify(int code, String state, String message) {
        String m = message == null ? "" : message;
        String lower = m.toLowerCase(Locale.ROOT);
        if (code == 1062 || "23505".equals(state)) {
            return Kind.DUPLICATE_KEY;
        }
        if (code == 10001 || ROW_COUNT.matcher(m).find()) {
            return Kind.ROW_LIMIT;
        }
        if (lower.contains("exceeded timeout:") && lower.contains("transaction")) {
            return Kind.TRANSACTION_KILLED;
        }
        if (code == 3024
                || code == 1969
                || "57014".equals(state)
                || code == 1317
                || (code == 2013 && lower.contains("deadline exceeded"))
                || lower.contains("deadlineexceeded")
                || lower.contains("context deadline exceeded")) {
            return Kind.QUERY_TIMEOUT;
        }
        if (lower.contains("primary is not serving")
                || lower.contains("reparent")
                || lower.contains("connection limit exceeded")
                || lower.contains("pool connection limit")
                || lower.contains("resourceexhausted")
                || lower.contains("code = unavailable")
                || code == 1203
                || code == 1040
                || (state != null && state.startsWith("08"))) {
            return Kind.UNAVAILABLE;
        }
        if (code == 1020 || code == 1213 || code == 1205 || "40001".equals(state) || "40P01".equals(state)) {
            return Kind.WRITE_CONFLICT;
        }
        return Kind.OTHER;
    }

    /** {@code message} without what must not be logged ({@link Secrets#serverMessage}) and without passwords. */
    static String mask(String message) {
        return Secrets.mask(Secrets.serverMessage(message));
    }

    /** A copy of {@code e} with its message {@link #mask masked}, same SQLState, error code and kind of exception. */
    static SQLException masked(SQLException e) {
        return maskedCopy(e, classify(e), mask(e.getMessage()));
    }

    private static SQLException maskedCopy(SQLException e, Kind kind, String masked) {
        String state = e.getSQLState();
        int code = e.getErrorCode();
        SQLException copy = switch (kind) {
            case DUPLICATE_KEY -> new SQLIntegrityConstraintViolationException(masked, state, code);
            case QUERY_TIMEOUT -> new SQLTimeoutException(masked, state, code);
            case UNAVAILABLE, WRITE_CONFLICT -> new SQLTransientException(masked, state, code);
            default -> new SQLException(masked, state, code);
        };
        copy.setStackTrace(e.getStackTrace());
        return copy;
    }
}
