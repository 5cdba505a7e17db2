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

    // password=... in a query string, a semicolon/ampersand separated property list or a libpq key=value string
    private static final Pattern PASSWORD_PARAM =
            Pattern.compile("(?i)((?:^|[?&;\\s])(?:[a-z0-9_.\\-]*password|pwd|pass)=)([^&;#\\s]*)");

    private Secrets() {
    }

    /** Returns {@code raw} with any password replaced by {@value #MASK}; {@code null} stays {@code null}. */
    public static String mask(String raw) {
        if (raw == null) {
            return null;
        }
        String masked = maskUserInfo(raw);
        return PASSWORD_PARAM.matcher(masked).replaceAll("$1" + Matcher.quoteReplacement(MASK));
    }

    /** The first line of {@code raw} (a driver message may carry SQL and bind values on later lines), masked; {@code "no message"} for null. */
    public static String maskedFirstLine(String raw) {
        if (raw == null) {
            return "no message";
        }
        int nl = raw.indexOf('\n');
        return mask(nl < 0 ? raw : raw.substring(0, nl));
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
