package io.openinsure.db.core;

import io.openinsure.db.core.spi.Secrets;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.regex.Pattern;
import org.jooq.SQLDialect;
import org.jooq.tools.jdbc.JDBCUtils;

/**
 * An immutable, parsed connection string, and the JDBC driver, JDBC URL and jOOQ dialect chosen
 * from its scheme.
 *
 * <table>
 *   <caption>Accepted forms</caption>
 *   <tr><th>form</th><th>driver</th><th>JDBC URL</th></tr>
 *   <tr><td>{@code mysql://user:pass@host:3306/db?k=v}</td><td>Connector/J</td><td>{@code jdbc:mysql://host:3306/db?k=v}</td></tr>
 *   <tr><td>{@code postgres://…} or {@code postgresql://…} (port 5432)</td><td>PgJDBC</td><td>{@code jdbc:postgresql://host:5432/db}</td></tr>
 *   <tr><td>{@code vitess://user:pass@vtgate:15306/keyspace[@primary|@replica|@rdonly]}</td><td>Connector/J to vtgate's
 *       MySQL port</td><td>{@code jdbc:mysql://vtgate:15306/keyspace%40replica}</td></tr>
 *   <tr><td>{@code jdbc:…}</td><td>from the sub-protocol ({@code jdbc:vitess://} needs {@code io.vitess:vitess-jdbc})</td>
 *       <td>as given, without its credentials</td></tr>
 * </table>
 *
 * <p><b>Credentials never stay in {@link #jdbcUrl()}</b>, whatever the form: pools and drivers log that URL
 * (HikariCP at DEBUG masks only {@code password=} parameters; PgJDBC logs it whole). The user and password of
 * the user info, of {@code user}/{@code password} query parameters in any case, and for {@code jdbc:} URLs of every
 * host and of Connector/J's key-value hosts ({@code (host=h,password=p)}, {@code address=(host=h)(password=p)}),
 * are percent-decoded and travel to the pool as its user and password. Where they cannot be moved the URL is
 * refused: hosts with different credentials, a password in a {@code jdbc:vitess://} URL (the gRPC driver takes
 * none), a password in the URL of another driver ({@code jdbc:h2:…;PASSWORD=…}). {@link #toString()} masks the
 * password.
 *
 * <p><b>Characters.</b> The database (path) and the query parameters may hold, unencoded, only letters, digits,
 * {@code - . _ ~ ! $ & ' ( ) * + , ; = : @} ({@code / ?} in the query) and {@code %XX} escapes; a space, a
 * control character, {@code " < > [ ] \ ^ ` { | }} or a non-ASCII character is refused with the encoded form to
 * use. A host name has letters, digits, {@code . - _} only (an IPv6 literal goes in brackets). The user info is
 * taken as written (escapes decoded) because it never reaches a URL; only {@code / ? # @} must be encoded
 * there. In the user info and path {@code +} is a plus; in {@code jdbc:} URLs it is read as the drivers
 * read it (a space). Instances are immutable and thread-safe.
 */
public final class DatabaseUrl {

    /** The accepted schemes, as shown in error messages. */
    public static final String SUPPORTED_FORMS =
            "mysql://, postgres://, postgresql://, vitess://host:port/keyspace[@primary|@replica|@rdonly], or jdbc:…";

    /** Default ports per scheme. vtgate's MySQL port has no fixed default; 15306 is what Vitess's examples use. */
    public static final int MYSQL_DEFAULT_PORT = 3306;

    public static final int POSTGRES_DEFAULT_PORT = 5432;
    public static final int VITESS_DEFAULT_PORT = 15306;

    private static final Pattern VITESS_KEYSPACE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_\\-]*(:[A-Za-z0-9_\\-]+)?");
    /** {@code mysql:}, {@code mysql:replication:}, {@code mariadb:sequential:}…: what stands between "jdbc:" and "//". */
    private static final Pattern SUBPROTOCOL = Pattern.compile("[A-Za-z0-9+.\\-]+(?::[A-Za-z0-9+.\\-]+)*:");
    /** The tablet type Connector/J passes to vtgate in the database name: {@code keyspace@replica}. */
    private static final Pattern TABLET_SUFFIX = Pattern.compile("(?i)@(primary|master|replica|rdonly)");
    /** HikariCP masks a parameter of the JDBC URL it logs only when the name ends like this. */
    private static final Pattern HIKARI_MASKED_NAME = Pattern.compile(".*[pP]assword");

    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9._\\-]+");
    private static final String HOST_RULE =
            "a host name has only letters, digits, '.', '-' and '_' (percent-escapes and"
                    + " other characters cannot be looked up; write an international name in its ASCII form, xn--…), and an IPv6"
                    + " address goes in brackets, [::1]. If the password contains reserved characters (/ ? # @ :), percent-encode them.";

    /** The tablet types a {@code vitess://} URL may target. */
    public enum TabletType {
        PRIMARY,
        REPLICA,
        RDONLY;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final String scheme;
    private final JdbcDriver driver;
    private final String host;
    private final int port;
    private final String database;
    private final TabletType tabletType;
    private final String user;
    private final String password;
    private final Map<String, String> parameters;
    private final String passThroughJdbcUrl;

    private DatabaseUrl(
            String scheme,
            JdbcDriver driver,
            String host,
            int port,
            String database,
            TabletType tabletType,
            String user,
            String password,
            Map<String, String> parameters,
            String passThroughJdbcUrl) {
        this.scheme = scheme;
        this.driver = driver;
        this.host = host;
        this.port = port;
        this.database = database;
        this.tabletType = tabletType;
        this.user = user;
        this.password = password;
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        this.passThroughJdbcUrl = passThroughJdbcUrl;
    }

    /**
     * Parses a connection string.
     *
     * @throws ConfigurationException if it is empty, has an unknown scheme, lacks a host, has a bad
     *                                port, lacks the keyspace of a {@code vitess://} URL, names an
     *                                unknown tablet type, has characters that must be percent-encoded in
     *                                its database or query (the message shows the encoded form), or carries
     *                                credentials that cannot be kept out of the JDBC URL; the message masks
     *                                any password
     */
    public static DatabaseUrl parse(String connectionString) {
        return parse(connectionString, null, null);
    }

    /**
     * Parses a connection string for a binding, so that errors name the keyspace and the setting.
     *
     * @param keyspace the binding, for messages; may be {@code null}
     * @param setting  the key the value came from (e.g. {@code OI_DB_POLICIES_URL}), may be {@code null}
     */
    public static DatabaseUrl parse(String connectionString, String keyspace, String setting) {
        return new Parser(connectionString, keyspace, setting).parse();
    }

    /** The scheme as written, lower-cased ({@code mysql}, {@code postgresql}, {@code vitess}, {@code jdbc}). */
    public String scheme() {
        return scheme;
    }

    /** The driver chosen from the scheme. */
    public JdbcDriver driver() {
        return driver;
    }

    /** Host name or IPv6 literal (without brackets); empty for a {@code jdbc:} URL. */
    public String host() {
        return host;
    }

    /** Port, the scheme's default if none was given; {@code -1} for a {@code jdbc:} URL. */
    public int port() {
        return port;
    }

    /**
     * The database as the server will see it: for {@code vitess://} it is {@code keyspace@tablet}
     * (or just the keyspace when no tablet type is given). Empty if the URL names none.
     */
    public Optional<String> database() {
        return Optional.ofNullable(database);
    }

    /** For {@code vitess://} URLs: the tablet type targeted, if one was given. */
    public Optional<TabletType> tabletType() {
        return Optional.ofNullable(tabletType);
    }

    /** For {@code vitess://} URLs: the keyspace without the tablet type. */
    public Optional<String> keyspace() {
        if (!isVitess() || database == null) {
            return Optional.empty();
        }
        int at = database.indexOf('@');
        return Optional.of(at < 0 ? database : database.substring(0, at));
    }

    /** The percent-decoded user name, if the URL carries one (for {@code jdbc:} URLs: taken out of it). */
    public Optional<String> user() {
        return Optional.ofNullable(user);
    }

    /** The percent-decoded password, if the URL carries one (for {@code jdbc:} URLs: taken out of it). Never printed by this class. */
    public Optional<String> password() {
        return Optional.ofNullable(password);
    }

    /** Query parameters other than {@code user} and {@code password} (in any case), in their original order. */
    public Map<String, String> parameters() {
        return parameters;
    }

    /** True for {@code vitess://} URLs (Connector/J to vtgate). */
    public boolean isVitess() {
        return "vitess".equals(scheme);
    }

    /** True for a {@code jdbc:} URL, passed through as given except for its credentials. */
    public boolean isPassThrough() {
        return passThroughJdbcUrl != null;
    }

    /** The jOOQ dialect before the server is asked. */
    public SQLDialect dialect() {
        if (isPassThrough()) {
            SQLDialect guessed = JDBCUtils.dialect(passThroughJdbcUrl);
            return guessed == SQLDialect.DEFAULT ? driver.defaultDialect() : guessed;
        }
        return driver.defaultDialect();
    }

    /**
     * The JDBC URL handed to the pool, the probe and migrations. It never carries the user or password
     * ({@link #user()}, {@link #password()}); a {@code jdbc:} URL is returned as given without them.
     */
    public String jdbcUrl() {
        if (passThroughJdbcUrl != null) {
            return passThroughJdbcUrl;
        }
        StringBuilder sb = new StringBuilder("jdbc:")
                .append(driver == JdbcDriver.PGJDBC ? "postgresql" : "mysql")
                .append("://")
                .append(hostForUrl())
                .append(':')
                .append(port)
                .append('/');
        if (database != null) {
            sb.append(encode(database));
        }
        if (!parameters.isEmpty()) {
            StringJoiner query = new StringJoiner("&", "?", "");
            parameters.forEach((k, v) -> query.add(encode(k) + "=" + encode(v)));
            sb.append(query);
        }
        return sb.toString();
    }

    /** {@code host:port/database} for log lines: no user, no password, no parameters. */
    public String describe() {
        if (passThroughJdbcUrl != null) {
            return masked(passThroughJdbcUrl.replaceFirst("\\?.*$", ""));
        }
        return hostForUrl() + ":" + port + "/" + (database == null ? "" : database);
    }

    /** A copy whose database is {@code database} if this URL names none (not for {@code jdbc:} URLs). */
    public DatabaseUrl withDefaultDatabase(String defaultDatabase) {
        if (database != null || passThroughJdbcUrl != null || defaultDatabase == null) {
            return this;
        }
        return new DatabaseUrl(
                scheme, driver, host, port, defaultDatabase, tabletType, user, password, parameters, null);
    }

    /**
     * A copy that connects to {@code newDatabase} on the same server. For {@code vitess://} URLs the
     * tablet type is kept ({@code keyspace@replica}). {@code jdbc:} URLs are returned unchanged.
     */
    public DatabaseUrl withDatabase(String newDatabase) {
        if (passThroughJdbcUrl != null || newDatabase == null) {
            return this;
        }
        String db = tabletType == null ? newDatabase : newDatabase + "@" + tabletType.label();
        return new DatabaseUrl(scheme, driver, host, port, db, tabletType, user, password, parameters, null);
    }

    /**
     * For a {@code vitess://} URL: a copy that targets {@code type} tablets of the same keyspace on the same vtgate
     * ({@code oi_claims@primary} → {@code oi_claims@replica}), credentials and parameters kept.
     *
     * @throws IllegalStateException for other URLs, or one without a keyspace
     */
    public DatabaseUrl withTabletType(TabletType type) {
        java.util.Objects.requireNonNull(type, "type");
        String ks = keyspace()
                .orElseThrow(() -> new IllegalStateException("only a vitess:// URL with a keyspace has tablet types"));
        return new DatabaseUrl(
                scheme, driver, host, port, ks + "@" + type.label(), type, user, password, parameters, null);
    }

    /** A copy with the given parameter added or replaced (not for {@code jdbc:} URLs). */
    public DatabaseUrl withParameter(String key, String value) {
        if (passThroughJdbcUrl != null) {
            throw new IllegalStateException("jdbc: URLs are passed through unchanged; edit the URL instead");
        }
        Map<String, String> copy = new LinkedHashMap<>(parameters);
        copy.put(key, value);
        return new DatabaseUrl(scheme, driver, host, port, database, tabletType, user, password, copy, null);
    }

    /**
     * Checks that the chosen driver is on the classpath.
     *
     * @throws ConfigurationException naming the Maven coordinate to add
     */
    public DatabaseUrl requireDriver(String keyspace, String setting) {
        if (!driver.isAvailable()) {
            throw new ConfigurationException(
                    keyspace,
                    setting,
                    prefix(keyspace, setting)
                            + "the URL " + this + " needs the JDBC driver " + driver.className()
                            + ", which is not on the classpath. Add the Maven dependency " + driver.mavenCoordinate()
                            + (driver == JdbcDriver.VITESS_GRPC
                                    ? " (or use vitess://host:port/keyspace, which goes through MySQL Connector/J as the Vitess maintainers recommend)"
                                    : "")
                            + ".");
        }
        return this;
    }

    /** The connection string with the password masked. */
    @Override
    public String toString() {
        if (passThroughJdbcUrl != null) {
            int authority = passThroughAuthorityStart(passThroughJdbcUrl);
            String shown = masked(passThroughJdbcUrl);
            if (user == null || authority < 0) {
                return shown;
            }
            return shown.substring(0, authority) + encode(user) + (password == null ? "" : ":" + Secrets.MASK) + "@"
                    + shown.substring(authority);
        }
        StringBuilder sb = new StringBuilder(scheme).append("://");
        if (user != null) {
            sb.append(encode(user));
            if (password != null) {
                sb.append(':').append(Secrets.MASK);
            }
            sb.append('@');
        }
        sb.append(hostForUrl()).append(':').append(port).append('/');
        if (database != null) {
            sb.append(database);
        }
        if (!parameters.isEmpty()) {
            StringJoiner query = new StringJoiner("&", "?", "");
            parameters.forEach((k, v) -> query.add(k + "=" + v));
            sb.append(Secrets.mask(query.toString()));
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof DatabaseUrl other)) {
            return false;
        }
        return port == other.port
                && scheme.equals(other.scheme)
                && driver == other.driver
                && Objects.equals(host, other.host)
                && Objects.equals(database, other.database)
                && Objects.equals(user, other.user)
                && Objects.equals(password, other.password)
                && parameters.equals(other.parameters)
                && Objects.equals(passThroughJdbcUrl, other.passThroughJdbcUrl);
    }

    @Override
    public int hashCode() {
        return Objects.hash(scheme, host, port, database, user, parameters, passThroughJdbcUrl);
    }

    /**
     * A {@code jdbc:} URL with its secrets masked. The credentials of the drivers this class knows were taken out
     * (and what could not be taken out was refused), so only the query is masked: {@link Secrets#mask} would
     * also hide a Vitess target ({@code keyspace@replica}) as if it ended a password.
     */
    private String masked(String jdbcUrl) {
        if (driver == JdbcDriver.OTHER) {
            return Secrets.mask(jdbcUrl);
        }
        int q = jdbcUrl.indexOf('?');
        return q < 0 ? jdbcUrl : jdbcUrl.substring(0, q) + Secrets.mask(jdbcUrl.substring(q));
    }

    /**
     * Where the authority of a hierarchical {@code jdbc:} URL starts (after {@code jdbc:mysql://},
     * {@code jdbc:mysql:replication://}, …), or -1 for another shape ({@code jdbc:postgresql:db}).
     */
    static int passThroughAuthorityStart(String jdbcUrl) {
        int slashes = jdbcUrl.indexOf("//");
        return slashes > 5 && SUBPROTOCOL.matcher(jdbcUrl.substring(5, slashes)).matches() ? slashes + 2 : -1;
    }

    /** Splits at commas that are not inside brackets or parentheses (Connector/J's host lists). */
    private static List<String> splitOutsideBrackets(String text) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        for (int comma : indexesOutsideBrackets(text, ',')) {
            parts.add(text.substring(start, comma));
            start = comma + 1;
        }
        parts.add(text.substring(start));
        return parts;
    }

    /** Where {@code wanted} stands in {@code text} outside brackets and parentheses (IPv6 hosts, key-value hosts). */
    private static List<Integer> indexesOutsideBrackets(String text, char wanted) {
        List<Integer> found = new ArrayList<>();
        int depth = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(' || c == '[') {
                depth++;
            } else if ((c == ')' || c == ']') && depth > 0) {
                depth--;
            } else if (c == wanted && depth == 0) {
                found.add(i);
            }
        }
        return found;
    }

    private String hostForUrl() {
        return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String prefix(String keyspace, String setting) {
        StringBuilder sb = new StringBuilder();
        if (keyspace != null) {
            sb.append("Keyspace '").append(keyspace).append("': ");
        }
        if (setting != null) {
            sb.append(setting).append(": ");
        }
        return sb.toString();
    }

    /** One-shot parser; keeps the keyspace and setting for messages. */
    private static final class Parser {
        private final String raw;
        private final String keyspace;
        private final String setting;

        Parser(String raw, String keyspace, String setting) {
            this.raw = raw;
            this.keyspace = keyspace;
            this.setting = setting;
        }

        DatabaseUrl parse() {
            if (raw == null || raw.isBlank()) {
                throw fail("the connection string is empty. Expected " + SUPPORTED_FORMS + ".");
            }
            String s = raw.strip();
            if (s.regionMatches(true, 0, "jdbc:", 0, 5)) {
                return parseJdbc(s);
            }
            int sep = s.indexOf("://");
            if (sep <= 0) {
                throw fail("'" + maskWithoutScheme(s) + "' has no scheme. Expected " + SUPPORTED_FORMS + ".");
            }
            String scheme = s.substring(0, sep).toLowerCase(Locale.ROOT);
            JdbcDriver driver;
            int defaultPort;
            switch (scheme) {
                case "mysql" -> {
                    driver = JdbcDriver.MYSQL_CONNECTOR_J;
                    defaultPort = MYSQL_DEFAULT_PORT;
                }
                case "postgres", "postgresql" -> {
                    driver = JdbcDriver.PGJDBC;
                    defaultPort = POSTGRES_DEFAULT_PORT;
                    scheme = "postgresql";
                }
                case "vitess" -> {
                    driver = JdbcDriver.MYSQL_CONNECTOR_J;
                    defaultPort = VITESS_DEFAULT_PORT;
                }
                default ->
                    throw fail("unknown scheme '" + scheme + "' in '" + Secrets.mask(s) + "'. Supported: "
                            + SUPPORTED_FORMS + ".");
            }
            String rest = s.substring(sep + 3);
            int fragment = rest.indexOf('#');
            if (fragment >= 0) {
                if (rest.indexOf('@', fragment) >= 0) {
                    throw atAfterHost(s);
                }
                rest = rest.substring(0, fragment);
            }
            int authorityEnd = indexOfAny(rest, 0, '/', '?');
            String authority = authorityEnd < 0 ? rest : rest.substring(0, authorityEnd);
            String afterAuthority = authorityEnd < 0 ? "" : rest.substring(authorityEnd);

            String user = null;
            String password = null;
            int at = authority.lastIndexOf('@');
            String hostPort = authority;
            if (at >= 0) {
                String userInfo = authority.substring(0, at);
                hostPort = authority.substring(at + 1);
                int colon = userInfo.indexOf(':');
                user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon), "user name");
                if (colon >= 0) {
                    password = decode(userInfo.substring(colon + 1), "password");
                }
                if (user.isEmpty()) {
                    user = null;
                }
            }

            String host;
            String portText = null;
            if (hostPort.startsWith("[")) {
                int close = hostPort.indexOf(']');
                if (close < 0) {
                    throw fail(
                            "the IPv6 host in '" + Secrets.mask(s) + "' has no closing ']'. Write it as [::1]:port.");
                }
                host = hostPort.substring(1, close);
                String after = hostPort.substring(close + 1);
                if (!after.isEmpty()) {
                    if (!after.startsWith(":")) {
                        throw fail("unexpected text after the IPv6 host in '" + Secrets.mask(s) + "'.");
                    }
                    portText = after.substring(1);
                }
                if (host.isEmpty() || !host.matches("[0-9A-Fa-f:.%a-zA-Z]+")) {
                    throw fail("the host in brackets in '" + Secrets.mask(s) + "' is not an IPv6 address.");
                }
            } else {
                int colon = hostPort.indexOf(':');
                if (colon >= 0 && hostPort.indexOf(':', colon + 1) >= 0) {
                    throw fail("the host in '" + Secrets.mask(s)
                            + "' looks like an IPv6 address without brackets. Write it as [::1]:port.");
                }
                host = colon < 0 ? hostPort : hostPort.substring(0, colon);
                portText = colon < 0 ? null : hostPort.substring(colon + 1);
            }
            if (host.isEmpty()) {
                throw fail("'" + Secrets.mask(s) + "' has no host. Expected " + scheme
                        + "://[user[:password]@]host[:port]/"
                        + ("vitess".equals(scheme) ? "keyspace[@tablet]" : "database") + ".");
            }
            if (host.indexOf('[') < 0
                    && host.indexOf(':') < 0
                    && !HOST_NAME.matcher(host).matches()) {
                // The host is not named: it may be a piece of a password with unencoded reserved characters.
                throw fail("the host in '" + Secrets.mask(s) + "' is not a valid host name: " + HOST_RULE);
            }
            int port = defaultPort;
            if (portText != null) {
                port = parsePort(portText, s);
            }

            String path = afterAuthority;
            String query = "";
            int q = path.indexOf('?');
            if (q >= 0) {
                query = path.substring(q + 1);
                path = path.substring(0, q);
            }
            if (path.startsWith("/")) {
                path = path.substring(1);
            }
            if (path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            if (path.indexOf('@') >= 0 && !"vitess".equals(scheme)) {
                throw atAfterHost(s);
            }
            String database = path.isEmpty() ? null : decode(path, "database");
            if (database != null && database.indexOf('/') >= 0) {
                throw fail("the database in '" + Secrets.mask(s)
                        + "' contains '/'. Give one database (or keyspace) name after the host.");
            }
            String beforePath = s.substring(0, sep + 3) + authority + "/";
            if (!"vitess".equals(scheme)) { // a keyspace has its own, stricter rule below
                String encodedPath = UrlCharacters.encode(path, UrlCharacters.Part.PATH);
                requireEncoded(
                        "the database",
                        path,
                        UrlCharacters.Part.PATH,
                        s,
                        beforePath + encodedPath + (query.isEmpty() ? "" : "?" + query),
                        encodedPath);
            }

            Map<String, String> params = parseQuery(query, s, beforePath + path);
            String userParam = removeIgnoringCase(params, "user");
            String passwordParam = removeIgnoringCase(params, "password");
            if (user == null && userParam != null) {
                user = userParam;
            }
            if (password == null && passwordParam != null) {
                password = passwordParam;
            }

            TabletType tablet = null;
            if ("vitess".equals(scheme)) {
                if (database == null) {
                    throw fail("'" + Secrets.mask(s) + "' names no keyspace. Expected vitess://host:port/keyspace"
                            + "[@primary|@replica|@rdonly], e.g. vitess://localhost:15306/oi_policies@primary.");
                }
                int tabletAt = database.indexOf('@');
                String ks = tabletAt < 0 ? database : database.substring(0, tabletAt);
                if (!VITESS_KEYSPACE.matcher(ks).matches()) {
                    throw fail(
                            "the keyspace in '" + Secrets.mask(s)
                                    + "' is not a valid Vitess keyspace name. Use letters, digits, '_' and '-' (optionally keyspace:shard).");
                }
                if (tabletAt >= 0) {
                    String type = database.substring(tabletAt + 1);
                    tablet = switch (type.toLowerCase(Locale.ROOT)) {
                        case "primary", "master" -> TabletType.PRIMARY;
                        case "replica" -> TabletType.REPLICA;
                        case "rdonly" -> TabletType.RDONLY;
                        default ->
                            throw fail("unknown tablet type '@" + type + "' in '" + Secrets.mask(s)
                                    + "'. Use @primary, @replica or @rdonly (or none for the primary).");
                    };
                    database = ks + "@" + tablet.label();
                }
            }
            return new DatabaseUrl(scheme, driver, host, port, database, tablet, user, password, params, null);
        }

        private DatabaseUrl parseJdbc(String s) {
            String afterJdbc = s.substring(5);
            int colon = afterJdbc.indexOf(':');
            if (colon <= 0) {
                throw fail("'" + maskWithoutScheme(s)
                        + "' has no JDBC sub-protocol. Expected jdbc:<driver>:…, e.g. jdbc:mysql://host:3306/db.");
            }
            String sub = afterJdbc.substring(0, colon).toLowerCase(Locale.ROOT);
            JdbcDriver driver = switch (sub) {
                case "mysql" -> JdbcDriver.MYSQL_CONNECTOR_J;
                case "postgresql" -> JdbcDriver.PGJDBC;
                case "vitess" -> JdbcDriver.VITESS_GRPC;
                case "mariadb" -> JdbcDriver.MARIADB_CONNECTOR_J;
                default -> JdbcDriver.OTHER;
            };
            if (driver == JdbcDriver.OTHER) {
                // Another driver's syntax is unknown here, so its credentials cannot be moved safely.
                if (!Secrets.mask(s).equals(s)) {
                    throw fail("'" + Secrets.mask(s) + "' carries a password, which pools and drivers log with the URL."
                            + " The SDK moves credentials out of jdbc:mysql:, jdbc:mariadb: and jdbc:postgresql: URLs only;"
                            + " remove it from this one and set " + credentialSettings() + " instead.");
                }
                return new DatabaseUrl("jdbc", driver, "", -1, null, null, null, null, Map.of(), s);
            }
            return new PassThrough(s, driver).parse();
        }

        /** "OI_DB_POLICIES_USER and OI_DB_POLICIES_PASSWORD" (or the documented keys without a binding). */
        private String credentialSettings() {
            return keyspace == null
                    ? Settings.USER.documentedKey() + " and " + Settings.PASSWORD.documentedKey()
                    : Settings.USER.key(keyspace) + " and " + Settings.PASSWORD.key(keyspace);
        }

        /**
         * A {@code jdbc:mysql:}, {@code jdbc:mariadb:}, {@code jdbc:postgresql:} or {@code jdbc:vitess:} URL, read the way
         * its driver reads it, with the user and password taken out: from the user info of every host, from
         * Connector/J's key-value hosts ({@code (host=h,user=u,password=p)}, {@code address=(host=h)(password=p)}) and
         * from {@code user}/{@code password} parameters in any case. Values are percent-decoded as the drivers do
         * ({@code +} is a space). Everything else of the URL is kept as written.
         */
        private final class PassThrough {
            private final String s;
            private final JdbcDriver driver;
            private String user;
            private String password;
            private boolean changed;

            PassThrough(String s, JdbcDriver driver) {
                this.s = s;
                this.driver = driver;
            }

            DatabaseUrl parse() {
                int authorityStart = passThroughAuthorityStart(s);
                int tailStart = authorityStart < 0 ? 5 : authorityStart;
                int authorityEnd = authorityStart < 0 ? tailStart : indexOfAny(s, tailStart, '/', '?', '#');
                if (authorityEnd < 0) {
                    authorityEnd = s.length();
                }
                int fragmentStart = s.indexOf('#', authorityEnd);
                String fragment = fragmentStart < 0 ? "" : s.substring(fragmentStart);
                if (fragment.indexOf('@') >= 0) {
                    throw atAfterHost(s);
                }
                String beforeFragment = s.substring(authorityEnd, fragmentStart < 0 ? s.length() : fragmentStart);
                int q = beforeFragment.indexOf('?');
                String path = q < 0 ? beforeFragment : beforeFragment.substring(0, q);
                String query = q < 0 ? null : beforeFragment.substring(q + 1);

                String authority = s.substring(tailStart, authorityEnd);
                int pathEnd = authorityEnd + path.length();
                if (authorityStart >= 0) {
                    authority = authority(authority);
                    checkPath(path, s.substring(0, authorityEnd), s.substring(pathEnd));
                }
                String userInfoUser = user;
                String userInfoPassword = password;
                String keptQuery = query == null ? null : query(query, s.substring(0, pathEnd));
                // A host's own credentials win over the URL's parameters, as in Connector/J.
                if (userInfoUser != null) {
                    user = userInfoUser;
                }
                if (userInfoPassword != null) {
                    password = userInfoPassword;
                }
                if (driver == JdbcDriver.VITESS_GRPC) {
                    if (password != null) {
                        throw fail("'" + Secrets.mask(s)
                                + "' carries a password, but the gRPC Vitess driver (jdbc:vitess://)"
                                + " takes none, so it would only reach log lines. Remove it (the driver reads the user from the"
                                + " URL or its userName parameter), or log in with a password over vtgate's MySQL protocol:"
                                + " vitess://user:password@host:port/keyspace.");
                    }
                    return new DatabaseUrl("jdbc", driver, "", -1, null, null, null, null, Map.of(), s);
                }
                if (!changed) {
                    return new DatabaseUrl("jdbc", driver, "", -1, null, null, null, null, Map.of(), s);
                }
                String cleaned = s.substring(0, tailStart)
                        + authority
                        + path
                        + (keptQuery == null || keptQuery.isEmpty() ? "" : "?" + keptQuery)
                        + fragment;
                return new DatabaseUrl(
                        "jdbc",
                        driver,
                        "",
                        -1,
                        null,
                        null,
                        user == null || user.isEmpty() ? null : user,
                        password,
                        Map.of(),
                        cleaned);
            }

            /** The authority without credentials; the hosts' credentials must agree. */
            private String authority(String authority) {
                List<String> hosts = splitOutsideBrackets(authority);
                StringJoiner kept = new StringJoiner(",");
                String[] first = null;
                for (String host : hosts) {
                    String[] credentials = {null, null};
                    List<Integer> ats = indexesOutsideBrackets(host, '@');
                    int at = ats.isEmpty() ? -1 : ats.get(ats.size() - 1);
                    String hostInfo = host;
                    if (at >= 0) {
                        String info = host.substring(0, at);
                        hostInfo = host.substring(at + 1);
                        int colon = info.indexOf(':');
                        credentials[0] = formDecode(colon < 0 ? info : info.substring(0, colon), "user name")
                                .strip();
                        credentials[1] = colon < 0
                                ? null
                                : formDecode(info.substring(colon + 1), "password")
                                        .strip();
                        changed = true;
                    }
                    if (hostInfo.indexOf('(') >= 0) {
                        hostInfo = keyValueHost(hostInfo, credentials);
                    } else {
                        checkHostAndPort(hostInfo);
                    }
                    if (first == null) {
                        first = credentials;
                    } else if (!Objects.equals(first[0], credentials[0]) || !Objects.equals(first[1], credentials[1])) {
                        throw fail(
                                "the hosts in '" + Secrets.mask(s) + "' carry different credentials (or only some carry"
                                        + " any), but the pool logs in to every host with one user and password. Remove them from the"
                                        + " URL and set " + credentialSettings() + ".");
                    }
                    kept.add(hostInfo);
                }
                if (first != null) {
                    user = first[0];
                    password = first[1];
                }
                return kept.toString();
            }

            /** {@code (host=h,port=1,user=u,password=p)} or {@code address=(host=h)(user=u)(password=p)}, credentials removed. */
            private String keyValueHost(String hostInfo, String[] credentials) {
                StringBuilder out = new StringBuilder();
                int i = 0;
                while (i < hostInfo.length()) {
                    int open = hostInfo.indexOf('(', i);
                    if (open < 0) {
                        out.append(hostInfo, i, hostInfo.length());
                        break;
                    }
                    int close = hostInfo.indexOf(')', open);
                    if (close < 0) {
                        throw fail("a key-value host in '" + Secrets.mask(s) + "' has no closing ')'.");
                    }
                    out.append(hostInfo, i, open);
                    StringJoiner entries = new StringJoiner(",");
                    for (String entry : hostInfo.substring(open + 1, close).split(",", -1)) {
                        int eq = entry.indexOf('=');
                        String key =
                                eq < 0 ? entry.strip() : entry.substring(0, eq).strip();
                        if (key.equalsIgnoreCase("user") || key.equalsIgnoreCase("password")) {
                            String value = eq < 0
                                    ? ""
                                    : formDecode(entry.substring(eq + 1), key.toLowerCase(Locale.ROOT))
                                            .strip();
                            credentials[key.equalsIgnoreCase("user") ? 0 : 1] = value;
                            changed = true;
                        } else if (Secrets.isSecretName(key)) {
                            throw fail("the key-value host in '" + Secrets.mask(s) + "' carries '" + key
                                    + "', a secret that"
                                    + " HikariCP would log unmasked there. Give it as a query parameter (?" + key
                                    + "=…).");
                        } else {
                            entries.add(entry);
                        }
                    }
                    // address=(host=h)(user=u): a group left empty goes; (host=h,user=u) keeps its other entries.
                    if (entries.length() > 0) {
                        out.append('(').append(entries).append(')');
                    }
                    i = close + 1;
                }
                return out.toString();
            }

            /**
             * A plain {@code host[:port]} or {@code [v6][:port]}: a port that is not a number is most likely a piece of a
             * password with an unencoded '/', '?' or '#', which would otherwise stay in the URL.
             */
            private void checkHostAndPort(String hostInfo) {
                String portText = null;
                if (hostInfo.startsWith("[")) {
                    int close = hostInfo.indexOf(']');
                    if (close >= 0 && hostInfo.startsWith(":", close + 1)) {
                        portText = hostInfo.substring(close + 2);
                    }
                } else {
                    int colon = hostInfo.lastIndexOf(':');
                    if (colon >= 0) {
                        portText = hostInfo.substring(colon + 1);
                    }
                }
                if (portText != null) {
                    parsePort(portText, s);
                }
            }

            /** The database part: one name (Vitess gRPC: keyspace/catalog), an '@' only before a tablet type, no raw blanks. */
            private void checkPath(String path, String beforePath, String afterPath) {
                if (driver == JdbcDriver.VITESS_GRPC || path.isEmpty()) {
                    return;
                }
                String db = path.substring(1);
                if (db.endsWith("/")) {
                    db = db.substring(0, db.length() - 1);
                }
                int at = db.indexOf('@');
                if (at >= 0
                        && (driver != JdbcDriver.MYSQL_CONNECTOR_J
                                || !TABLET_SUFFIX.matcher(db.substring(at)).matches())) {
                    throw atAfterHost(s);
                }
                if (decode(db, "database").indexOf('/') >= 0) {
                    throw fail("the database in '" + Secrets.mask(s)
                            + "' contains '/'. Give one database (or keyspace) name after the host.");
                }
                String encodedDb = UrlCharacters.encode(db, UrlCharacters.Part.PATH);
                requireEncoded(
                        "the database",
                        db,
                        UrlCharacters.Part.PATH,
                        s,
                        beforePath + "/" + encodedDb + afterPath,
                        encodedDb);
            }

            /** The query without user and password parameters; {@code null} if nothing is left. */
            private String query(String query, String beforeQuery) {
                StringJoiner kept = new StringJoiner("&");
                QueryCheck check = new QueryCheck(s);
                for (String pair : query.split("&", -1)) {
                    int eq = pair.indexOf('=');
                    String rawKey = eq < 0 ? pair : pair.substring(0, eq);
                    String rawValue = eq < 0 ? null : pair.substring(eq + 1);
                    String key = decode(rawKey, "query parameter").strip();
                    if (key.indexOf('@') >= 0) {
                        throw atAfterHost(s);
                    }
                    if (key.equalsIgnoreCase("user") || key.equalsIgnoreCase("password")) {
                        String value = rawValue == null ? "" : formDecode(rawValue, key.toLowerCase(Locale.ROOT));
                        if (key.equalsIgnoreCase("user")) {
                            user = value;
                        } else {
                            password = value;
                        }
                        changed = true;
                        check.addAsWritten(pair);
                        continue;
                    }
                    check.add(key, rawKey, rawValue);
                    kept.add(pair);
                }
                if (driver != JdbcDriver.VITESS_GRPC) {
                    check.requireEncoded(beforeQuery);
                }
                return kept.toString();
            }

            /** Percent-decoding as Connector/J and PgJDBC do it for user info and parameters: '+' is a space. */
            private String formDecode(String part, String what) {
                try {
                    return URLDecoder.decode(part, StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw fail("the " + what + " in '" + Secrets.mask(s)
                            + "' has a malformed percent-escape. Encode '%' as %25.");
                }
            }
        }

        private int parsePort(String portText, String s) {
            if (portText.isEmpty() || !portText.chars().allMatch(c -> c >= '0' && c <= '9') || portText.length() > 5) {
                throw fail(
                        "the port in '" + Secrets.mask(s)
                                + "' is not a number between 1 and 65535. If the password contains reserved characters (/ ? # @ :), percent-encode them.");
            }
            int port = Integer.parseInt(portText);
            if (port < 1 || port > 65535) {
                throw fail("the port " + port + " in '" + Secrets.mask(s) + "' is out of range; expected 1 to 65535.");
            }
            return port;
        }

        /**
         * Parses {@code a=1&b=2}. {@code beforeQuery} is the connection string up to the '?', to show the
         * encoded form when a name or a value has characters that must be percent-encoded (secret values
         * are not checked: they never reach a URL, and the message would have to echo them).
         */
        private Map<String, String> parseQuery(String query, String s, String beforeQuery) {
            Map<String, String> params = new LinkedHashMap<>();
            if (query.isEmpty()) {
                return params;
            }
            QueryCheck check = new QueryCheck(s);
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String rawKey = eq < 0 ? pair : pair.substring(0, eq);
                String rawValue = eq < 0 ? null : pair.substring(eq + 1);
                String key = decode(rawKey, "query parameter");
                String value = rawValue == null ? "" : decode(rawValue, "query parameter");
                if (key.isEmpty()) {
                    throw fail("a query parameter in '" + Secrets.mask(s) + "' has no name.");
                }
                if (key.indexOf('@') >= 0) {
                    throw atAfterHost(s);
                }
                check.add(key, rawKey, rawValue);
                params.put(key, value);
            }
            check.requireEncoded(beforeQuery);
            return params;
        }

        /**
         * The query's names and values as written, checked for characters that must be percent-encoded, and the
         * query with them encoded for the message. Secret values are neither checked nor encoded: they never reach a
         * URL (or stay where only masked text shows them), and a message about them would have to echo them.
         */
        private final class QueryCheck {
            private final String s;
            private final StringJoiner encoded = new StringJoiner("&");
            private final StringBuilder checked = new StringBuilder();

            QueryCheck(String s) {
                this.s = s;
            }

            /** One {@code name[=value]}; a secret name must be one HikariCP masks. */
            void add(String key, String rawKey, String rawValue) {
                boolean secret = Secrets.isSecretName(key);
                if (secret) {
                    requireMaskable(key, s);
                }
                checked.append(rawKey).append(secret || rawValue == null ? "" : rawValue);
                encoded.add(UrlCharacters.encode(rawKey, UrlCharacters.Part.QUERY)
                        + (rawValue == null
                                ? ""
                                : "="
                                        + (secret
                                                ? rawValue
                                                : UrlCharacters.encode(rawValue, UrlCharacters.Part.QUERY))));
            }

            /** A pair kept as written in the message (the login, which the message masks). */
            void addAsWritten(String pair) {
                encoded.add(pair);
            }

            void requireEncoded(String beforeQuery) {
                Parser.this.requireEncoded(
                        "a query parameter",
                        checked.toString(),
                        UrlCharacters.Part.QUERY,
                        s,
                        beforeQuery + "?" + encoded,
                        encoded.toString());
            }
        }

        /**
         * Refuses {@code raw} (a part of {@code s}) if it has characters that must be percent-encoded, naming them and
         * showing {@code s} with them encoded ({@code suggestion}), passwords masked in both.
         */
        private void requireEncoded(
                String what, String raw, UrlCharacters.Part part, String s, String suggestion, String encodedPart) {
            List<Integer> offenders = UrlCharacters.offenders(raw, part);
            if (offenders.isEmpty()) {
                return;
            }
            String shown = Secrets.mask(suggestion);
            // If masking hid the corrected part (an '@' after it), say how to encode instead of showing it.
            String fix = shown.contains(Secrets.mask("?" + encodedPart).substring(1))
                    ? "write it as " + shown
                    : "percent-encode " + (offenders.size() == 1 ? "it" : "them") + " as UTF-8 bytes (a space is %20)";
            throw fail(what + " in '" + Secrets.mask(s) + "' contains " + UrlCharacters.describe(offenders)
                    + ", which must be percent-encoded in a URL; " + fix + ".");
        }

        /**
         * A secret parameter other than the login ({@code sslpassword}, …) stays in the JDBC URL, where the driver reads
         * it; HikariCP masks it in its log lines only if its name ends in "password" or "Password".
         */
        private void requireMaskable(String key, String s) {
            if (key.equalsIgnoreCase("user")
                    || key.equalsIgnoreCase("password")
                    || HIKARI_MASKED_NAME.matcher(key).matches()) {
                return;
            }
            throw fail("the parameter '" + key + "' in '" + Secrets.mask(s)
                    + "' carries a secret that would stay in the JDBC URL,"
                    + " and HikariCP logs that URL masking only names that end in 'password' or 'Password'. Write the name as"
                    + " the driver documents it (sslpassword, trustCertificateKeyStorePassword, …); give the login password as"
                    + " password=… or with " + credentialSettings()
                    + ". Connector/J's multi-factor password1…password3 are not"
                    + " supported.");
        }

        private static String removeIgnoringCase(Map<String, String> params, String name) {
            String last = null;
            for (var it = params.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, String> e = it.next();
                if (e.getKey().equalsIgnoreCase(name)) {
                    last = e.getValue();
                    it.remove();
                }
            }
            return last;
        }

        private String decode(String part, String what) {
            try {
                // '+' is a literal plus in the authority and path of a URL, not a space
                return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw fail("the " + what + " in '" + Secrets.mask(raw.strip())
                        + "' has a malformed percent-escape. Encode '%' as %25.");
            }
        }

        /**
         * An unencoded '@' after the host (outside a vitess keyspace@tablet) most likely ends a password
         * that contains '/', '?' or '#'; parsing on would put pieces of it in the host, database or parameters.
         */
        private ConfigurationException atAfterHost(String s) {
            return fail(
                    "'" + Secrets.mask(s) + "' has an '@' after the host. If the password contains reserved characters"
                            + " (/ ? # @ :), percent-encode them (%2F %3F %23 %40 %3A); write an '@' in a database name as %40.");
        }

        /** Without "//" nothing anchors the user info, so everything before the last '@' is hidden. */
        private static String maskWithoutScheme(String s) {
            String masked = Secrets.mask(s);
            int at = masked.lastIndexOf('@');
            return at < 0 ? masked : Secrets.MASK + masked.substring(at);
        }

        private ConfigurationException fail(String message) {
            return new ConfigurationException(
                    keyspace, setting, prefix(keyspace, setting) + "invalid connection string: " + message);
        }

        private static int indexOfAny(String s, int from, char... chars) {
            int best = -1;
            for (char c : chars) {
                int i = s.indexOf(c, from);
                if (i >= 0 && (best < 0 || i < best)) {
                    best = i;
                }
            }
            return best;
        }
    }
}
