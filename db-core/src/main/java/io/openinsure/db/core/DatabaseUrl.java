package io.openinsure.db.core;

import io.openinsure.db.core.spi.Secrets;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
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
 *       <td>unchanged</td></tr>
 * </table>
 *
 * <p>The user name and password are percent-decoded and kept out of {@link #jdbcUrl()}: they
 * travel to the pool as connection properties (a {@code user}/{@code password} query parameter is
 * moved there too). {@link #toString()} masks the password. Host may be an IPv6 literal in
 * brackets. Instances are immutable and thread-safe.
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
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9._\\-%]+");

    /** The tablet types a {@code vitess://} URL may target. */
    public enum TabletType {
        PRIMARY, REPLICA, RDONLY;

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

    private DatabaseUrl(String scheme, JdbcDriver driver, String host, int port, String database, TabletType tabletType,
                        String user, String password, Map<String, String> parameters, String passThroughJdbcUrl) {
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
     *                                port, lacks the keyspace of a {@code vitess://} URL, or names an
     *                                unknown tablet type; the message masks any password
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

    /** The percent-decoded user name, if the URL carries one. */
    public Optional<String> user() {
        return Optional.ofNullable(user);
    }

    /** The percent-decoded password, if the URL carries one. Never printed by this class. */
    public Optional<String> password() {
        return Optional.ofNullable(password);
    }

    /** Query parameters other than {@code user} and {@code password}, in their original order. */
    public Map<String, String> parameters() {
        return parameters;
    }

    /** True for {@code vitess://} URLs (Connector/J to vtgate). */
    public boolean isVitess() {
        return "vitess".equals(scheme);
    }

    /** True for a {@code jdbc:} URL passed through unchanged. */
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
     * The JDBC URL handed to the pool. It carries no credentials for the schemes this class
     * parses; a {@code jdbc:} URL is returned exactly as given.
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
            return Secrets.mask(passThroughJdbcUrl.replaceFirst("\\?.*$", ""));
        }
        return hostForUrl() + ":" + port + "/" + (database == null ? "" : database);
    }

    /** A copy whose database is {@code database} if this URL names none (not for {@code jdbc:} URLs). */
    public DatabaseUrl withDefaultDatabase(String defaultDatabase) {
        if (database != null || passThroughJdbcUrl != null || defaultDatabase == null) {
            return this;
        }
        return new DatabaseUrl(scheme, driver, host, port, defaultDatabase, tabletType, user, password, parameters, null);
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
        String ks = keyspace().orElseThrow(() -> new IllegalStateException("only a vitess:// URL with a keyspace has tablet types"));
        return new DatabaseUrl(scheme, driver, host, port, ks + "@" + type.label(), type, user, password, parameters, null);
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
            throw new ConfigurationException(keyspace, setting, prefix(keyspace, setting)
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
            return Secrets.mask(passThroughJdbcUrl);
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
        return port == other.port && scheme.equals(other.scheme) && driver == other.driver
                && Objects.equals(host, other.host) && Objects.equals(database, other.database)
                && Objects.equals(user, other.user) && Objects.equals(password, other.password)
                && parameters.equals(other.parameters) && Objects.equals(passThroughJdbcUrl, other.passThroughJdbcUrl);
    }

    @Override
    public int hashCode() {
        return Objects.hash(scheme, host, port, database, user, parameters, passThroughJdbcUrl);
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
                default -> throw fail("unknown scheme '" + scheme + "' in '" + Secrets.mask(s) + "'. Supported: "
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
                    throw fail("the IPv6 host in '" + Secrets.mask(s) + "' has no closing ']'. Write it as [::1]:port.");
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
                throw fail("'" + Secrets.mask(s) + "' has no host. Expected " + scheme + "://[user[:password]@]host[:port]/"
                        + ("vitess".equals(scheme) ? "keyspace[@tablet]" : "database") + ".");
            }
            if (host.indexOf('[') < 0 && host.indexOf(':') < 0 && !HOST_NAME.matcher(host).matches()) {
                throw fail("the host in '" + Secrets.mask(s) + "' is not a valid host name.");
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

            Map<String, String> params = parseQuery(query, s);
            String userParam = params.remove("user");
            String passwordParam = params.remove("password");
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
                    throw fail("the keyspace in '" + Secrets.mask(s)
                            + "' is not a valid Vitess keyspace name. Use letters, digits, '_' and '-' (optionally keyspace:shard).");
                }
                if (tabletAt >= 0) {
                    String type = database.substring(tabletAt + 1);
                    tablet = switch (type.toLowerCase(Locale.ROOT)) {
                        case "primary", "master" -> TabletType.PRIMARY;
                        case "replica" -> TabletType.REPLICA;
                        case "rdonly" -> TabletType.RDONLY;
                        default -> throw fail("unknown tablet type '@" + type + "' in '" + Secrets.mask(s)
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
                throw fail("'" + maskWithoutScheme(s) + "' has no JDBC sub-protocol. Expected jdbc:<driver>:…, e.g. jdbc:mysql://host:3306/db.");
            }
            String sub = afterJdbc.substring(0, colon).toLowerCase(Locale.ROOT);
            JdbcDriver driver = switch (sub) {
                case "mysql" -> JdbcDriver.MYSQL_CONNECTOR_J;
                case "postgresql" -> JdbcDriver.PGJDBC;
                case "vitess" -> JdbcDriver.VITESS_GRPC;
                case "mariadb" -> JdbcDriver.MARIADB_CONNECTOR_J;
                default -> JdbcDriver.OTHER;
            };
            return new DatabaseUrl("jdbc", driver, "", -1, null, null, null, null, Map.of(), s);
        }

        private int parsePort(String portText, String s) {
            if (portText.isEmpty() || !portText.chars().allMatch(c -> c >= '0' && c <= '9') || portText.length() > 5) {
                throw fail("the port in '" + Secrets.mask(s)
                        + "' is not a number between 1 and 65535. If the password contains reserved characters (/ ? # @ :), percent-encode them.");
            }
            int port = Integer.parseInt(portText);
            if (port < 1 || port > 65535) {
                throw fail("the port " + port + " in '" + Secrets.mask(s) + "' is out of range; expected 1 to 65535.");
            }
            return port;
        }

        private Map<String, String> parseQuery(String query, String s) {
            Map<String, String> params = new LinkedHashMap<>();
            if (query.isEmpty()) {
                return params;
            }
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = decode(eq < 0 ? pair : pair.substring(0, eq), "query parameter");
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1), "query parameter");
                if (key.isEmpty()) {
                    throw fail("a query parameter in '" + Secrets.mask(s) + "' has no name.");
                }
                if (key.indexOf('@') >= 0) {
                    throw atAfterHost(s);
                }
                params.put(key, value);
            }
            return params;
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
            return fail("'" + Secrets.mask(s) + "' has an '@' after the host. If the password contains reserved characters"
                    + " (/ ? # @ :), percent-encode them (%2F %3F %23 %40 %3A); write an '@' in a database name as %40.");
        }

        /** Without "//" nothing anchors the user info, so everything before the last '@' is hidden. */
        private static String maskWithoutScheme(String s) {
            String masked = Secrets.mask(s);
            int at = masked.lastIndexOf('@');
            return at < 0 ? masked : Secrets.MASK + masked.substring(at);
        }

        private ConfigurationException fail(String message) {
            return new ConfigurationException(keyspace, setting, prefix(keyspace, setting) + "invalid connection string: " + message);
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
