package io.openinsure.db.core.spi;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks credentials in connection strings and driver messages before they reach a log line or a message. Every text
 * the SDK shows that may echo a URL or a driver's error goes through {@link #mask}; modules built on db-core (db-domains)
 * use it for theirs. Thread-safe.
 */
public final class Secrets {

    public static final String MASK = "****";

    /** Names of connection properties whose values are secrets: {@code password}, {@code sslpassword}, Connector/J's {@code password1}… */
    private static final String SECRET_NAME = "(?:[a-z0-9_.\\-]*password\\d?|pwd|pass)";

    private static final Pattern SECRET_NAME_PATTERN = Pattern.compile("(?i)" + SECRET_NAME);
    // password=... in a query string: the value runs to the next '&' (a raw blank or ';' in it is masked too)
    private static final Pattern PASSWORD_QUERY_PARAM = Pattern.compile("(?i)([?&]" + SECRET_NAME + "=)([^&#]*)");
    // password=... in a semicolon separated property list or a libpq key=value string
    private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)((?:^|[;\\s])" + SECRET_NAME + "=)([^&;#\\s]*)");
    // Connector/J's key-value host forms: (host=h,password=…) and address=(host=h)(password=…)
    private static final Pattern PASSWORD_KEY_VALUE = Pattern.compile("(?i)([(,]\\s*" + SECRET_NAME + "\\s*=)([^,)]*)");

    /** vtgate appends the statement and its bind variables; MySQL clients add nothing after these. */
    private static final Pattern VITESS_TAIL = Pattern.compile("\\s*(?:\\(CallerID:|,?\\s*Sql:\\s*\"|,?\\s*BindVars:)");
    /** Values servers quote back: {@code Duplicate entry 'x'}, {@code near 'x'}, {@code value: 'x'}. */
    private static final Pattern QUOTED_VALUE = Pattern.compile(
            "(Duplicate entry |near |value: |value '|Incorrect \\w+ value: )'((?:[^'\\\\]|\\\\.|'')*)'",
            Pattern.CASE_INSENSITIVE);
    /** PostgreSQL's detail: {@code Key (slug)=(value) already exists}, {@code Failing row contains (…)}. */
    private static final Pattern PG_DETAIL = Pattern.compile(
            "(Key \\([^)]*\\)=\\()(.*?)(\\) already exists|\\) is not present)|(Failing row contains \\()(.*)(\\))");

    private Secrets() {}

    /** Returns {@code raw} with any password replaced by {@value #MASK}; {@code null} stays {@code null}. */
    public static String mask(String raw) {
        if (raw == null) {
            return null;
        }
        String masked = maskUserInfo(raw);
        masked = PASSWORD_QUERY_PARAM.matcher(masked).replaceAll("$1" + Matcher.quoteReplacement(MASK));
        masked = PASSWORD_PARAM.matcher(masked).replaceAll("$1" + Matcher.quoteReplacement(MASK));
        return PASSWORD_KEY_VALUE.matcher(masked).replaceAll("$1" + Matcher.quoteReplacement(MASK));
    }

    /**
     * Whether a connection property (or URL parameter) of this name carries a secret: {@code password} in any case,
     * any name ending in {@code password} ({@code sslpassword}, {@code trustCertificateKeyStorePassword}), Connector/J's
     * {@code password1}…{@code password3}, {@code pwd} and {@code pass}. Their values are never shown.
     */
    public static boolean isSecretName(String name) {
        return name != null && SECRET_NAME_PATTERN.matcher(name.strip()).matches();
    }

    /**
     * The first line of {@code raw} (a driver message may carry SQL and bind values on later lines), masked by
     * {@link #mask} and {@link #serverMessage}; {@code "no message"} for null.
     */
    public static String maskedFirstLine(String raw) {
        if (raw == null) {
            return "no message";
        }
        String m = serverMessage(raw);
        int nl = m.indexOf('\n');
        return mask(nl < 0 ? m : m.substring(0, nl));
    }

    /**
     * A server's error message without the statement and values it echoes: vtgate's
     * {@code (CallerID: …): Sql: "…", BindVars: {…}} tail is cut, and the values servers quote back
     * ({@code Duplicate entry '…'}, {@code near '…'}, {@code value: '…'}, PostgreSQL's {@code Key (col)=(…)} and
     * {@code Failing row contains (…)}) become {@code ?}. Key, column and constraint names stay. {@code null} gives "".
     */
    public static String serverMessage(String raw) {
        if (raw == null) {
            return "";
        }
        String m = raw;
        Matcher tail = VITESS_TAIL.matcher(m);
        if (tail.find()) {
            m = m.substring(0, tail.start());
        }
        m = QUOTED_VALUE.matcher(m).replaceAll("$1'?'");
        Matcher pg = PG_DETAIL.matcher(m);
        StringBuilder out = new StringBuilder();
        while (pg.find()) {
            String replacement =
                    pg.group(1) != null ? pg.group(1) + "?" + pg.group(3) : pg.group(4) + "?" + pg.group(6);
            pg.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        pg.appendTail(out);
        return out.toString().strip();
    }

    private static String maskUserInfo(String raw) {
        // Fail safe: a password that is not percent-encoded may contain '/', '?', '#', '@' or ':',
        // so mask from the first ':' after "//" up to the LAST '@' in the string. This over-masks
        // rare URLs with '@' in the path or query, which is the right side to err on.
        int schemeEnd = raw.indexOf("//");
        if (schemeEnd < 0) {
            return raw;
        }
        int authorityStart = schemeEnd + 2;
        int at = raw.lastIndexOf('@');
        if (at < authorityStart) {
            return raw;
        }
        int colon = raw.indexOf(':', authorityStart);
        if (colon < 0 || colon > at) {
            return raw;
        }
        int firstAt = raw.indexOf('@', authorityStart);
        if (firstAt >= 0 && firstAt < colon) {
            return raw; // user@host:port/…@tablet: no password before the host
        }
        return raw.substring(0, colon + 1) + MASK + raw.substring(at);
    }
}
