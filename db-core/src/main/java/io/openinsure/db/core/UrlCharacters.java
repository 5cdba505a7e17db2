package io.openinsure.db.core;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which characters may stand unencoded in each part of a connection string (RFC 3986), and the
 * percent-encoded form of a part that has others.
 *
 * <ul>
 *   <li>path (the database or keyspace): letters, digits, {@code - . _ ~ ! $ & ' ( ) * + , ; = : @} and
 *       {@code %XX} escapes;</li>
 *   <li>query (parameter names and values): the same, plus {@code / ?};</li>
 *   <li>everything else (space, control characters, {@code " < > [ ] \ ^ ` { | }}, non-ASCII) must be
 *       percent-encoded as UTF-8 bytes.</li>
 * </ul>
 * User info is not checked here: it never reaches a JDBC URL (it travels as the pool's user and password),
 * and telling the user how to encode it would echo the password.
 */
final class UrlCharacters {

    private static final String SUB_DELIMS_AND_PCHAR = "-._~!$&'()*+,;=:@%";

    private UrlCharacters() {}

    /** The part of a URL a piece of text comes from. */
    enum Part {
        PATH,
        QUERY
    }

    static boolean allowed(int c, Part part) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
            return true;
        }
        if (c < 128 && SUB_DELIMS_AND_PCHAR.indexOf(c) >= 0) {
            return true;
        }
        return part == Part.QUERY && (c == '/' || c == '?');
    }

    /** The distinct characters (code points) of {@code raw} that must be percent-encoded, in order of first appearance. */
    static List<Integer> offenders(String raw, Part part) {
        List<Integer> found = new ArrayList<>();
        raw.codePoints().filter(c -> !allowed(c, part)).distinct().forEach(found::add);
        return found;
    }

    /** {@code raw} with every character that must be encoded percent-encoded (UTF-8); escapes already there are kept. */
    static String encode(String raw, Part part) {
        StringBuilder sb = new StringBuilder(raw.length() + 8);
        raw.codePoints().forEach(c -> {
            if (allowed(c, part)) {
                sb.appendCodePoint(c);
            } else {
                for (byte b : new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8)) {
                    sb.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xFF));
                }
            }
        });
        return sb.toString();
    }

    /** "a space", "'|'", "a tab (U+0009)", "'é' (non-ASCII)", joined as "a space, '|' and '\"'". */
    static String describe(List<Integer> codePoints) {
        List<String> names = new ArrayList<>();
        for (int c : codePoints) {
            names.add(describe(c));
        }
        if (names.size() == 1) {
            return names.get(0);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
    }

    private static String describe(int c) {
        if (c == ' ') {
            return "a space";
        }
        if (c == '\t') {
            return "a tab (U+0009)";
        }
        if (Character.isISOControl(c)
                || Character.isWhitespace(c)
                || Character.isSpaceChar(c)
                || Character.getType(c) == Character.FORMAT) {
            return String.format(Locale.ROOT, "a control or blank character (U+%04X)", c);
        }
        if (c >= 128) {
            return "'" + new String(Character.toChars(c)) + "' (non-ASCII)";
        }
        return "'" + (char) c + "'";
    }
}
