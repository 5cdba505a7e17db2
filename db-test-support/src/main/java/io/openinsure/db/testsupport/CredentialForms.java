package io.openinsure.db.testsupport;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Every URL form the README documents, with a user and password written in every place a URL can carry them:
 * the user info (of every host), {@code user}/{@code password} parameters in any case, and Connector/J's key-value
 * hosts; with plain passwords and passwords full of characters that must be percent-encoded. Shared by db-core's
 * URL and pool tests and db-testkit's sentinel-password test, so both cover the same forms.
 */
public final class CredentialForms {

    /** Passwords: plain, and one with every reserved character, a space, a plus, a percent and non-ASCII. */
    public static final List<String> PASSWORDS = List.of("Sentinel-7f3a9c-Pw", "p@ss/w:rd?#[]%&=+ é;,'x");

    public static final String MYSQL = "mysql";
    public static final String POSTGRESQL = "postgresql";
    public static final String MARIADB = "mariadb";

    private CredentialForms() {}

    /**
     * One connection string and the credentials it carries; {@code family} is the server it speaks to:
     * {@code mysql} (Connector/J, also vitess://), {@code postgresql} (PgJDBC) or {@code mariadb} (MariaDB
     * Connector/J, not a dependency of this project).
     */
    public record Form(String description, String url, String user, String password, String family) {
        @Override
        public String toString() {
            return description;
        }

        /** The password as written in the URL (percent-encoded). */
        public String encodedPassword() {
            return encode(password);
        }
    }

    /** Percent-encodes everything but unreserved characters (a space is %20, a plus %2B), as the README asks. */
    public static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * Every documented form ({@code mysql://}, {@code postgres://}, {@code postgresql://}, {@code vitess://},
     * {@code jdbc:mysql:}, {@code jdbc:mysql:replication:}, {@code jdbc:postgresql:}, {@code jdbc:mariadb:}) with every
     * placement of the credentials, for {@code user} and each of {@link #PASSWORDS}; {@code host} and {@code port} name
     * the server (each form's own database name is kept).
     */
    public static List<Form> all(String user, String host, int mysqlPort, int postgresPort, String database) {
        List<Form> forms = new ArrayList<>();
        for (String pw : PASSWORDS) {
            String u = encode(user);
            String p = encode(pw);
            String label = pw.equals(PASSWORDS.get(0)) ? "plain" : "special";
            String m = host + ":" + mysqlPort;
            String g = host + ":" + postgresPort;
            for (String scheme : List.of("mysql", "vitess", "postgres", "postgresql")) {
                boolean pg = scheme.startsWith("postgres");
                String driver = pg ? POSTGRESQL : MYSQL;
                String hp = pg ? g : m;
                forms.add(new Form(
                        scheme + ":// user info, " + label,
                        scheme + "://" + u + ":" + p + "@" + hp + "/" + database,
                        user,
                        pw,
                        driver));
                forms.add(new Form(
                        scheme + ":// parameters, " + label,
                        scheme + "://" + hp + "/" + database + "?user=" + u + "&password=" + p,
                        user,
                        pw,
                        driver));
                forms.add(new Form(
                        scheme + ":// parameters in upper case, " + label,
                        scheme + "://" + hp + "/" + database + "?USER=" + u + "&PASSWORD=" + p,
                        user,
                        pw,
                        driver));
            }
            String cj = MYSQL;
            forms.add(new Form(
                    "jdbc:mysql user info, " + label,
                    "jdbc:mysql://" + u + ":" + p + "@" + m + "/" + database,
                    user,
                    pw,
                    cj));
            forms.add(new Form(
                    "jdbc:mysql user info and parameters, " + label,
                    "jdbc:mysql://" + u + ":" + p + "@" + m + "/" + database + "?useSSL=false&password=" + p
                            + "&allowPublicKeyRetrieval=true",
                    user,
                    pw,
                    cj));
            forms.add(new Form(
                    "jdbc:mysql parameters, " + label,
                    "jdbc:mysql://" + m + "/" + database + "?user=" + u + "&password=" + p + "&useSSL=false",
                    user,
                    pw,
                    cj));
            forms.add(new Form(
                    "jdbc:mysql parameters in mixed case, " + label,
                    "jdbc:mysql://" + m + "/" + database + "?User=" + u + "&Password=" + p,
                    user,
                    pw,
                    cj));
            forms.add(new Form(
                    "jdbc:mysql every host's user info, " + label,
                    "jdbc:mysql://" + u + ":" + p + "@" + m + "," + u + ":" + p + "@" + m + "/" + database,
                    user,
                    pw,
                    cj));
            forms.add(new Form(
                    "jdbc:mysql key-value host, " + label,
                    "jdbc:mysql://(host=" + host + ",port=" + mysqlPort + ",user=" + u + ",password=" + p + ")/"
                            + database,
                    user,
                    pw,
                    cj));
            forms.add(new Form(
                    "jdbc:mysql address host, " + label,
                    "jdbc:mysql://address=(host=" + host + ")(port=" + mysqlPort + ")(user=" + u + ")(password=" + p
                            + ")/" + database,
                    user,
                    pw,
                    cj));
            forms.add(new Form(
                    "jdbc:postgresql user info, " + label,
                    "jdbc:postgresql://" + u + ":" + p + "@" + g + "/" + database,
                    user,
                    pw,
                    POSTGRESQL));
            forms.add(new Form(
                    "jdbc:postgresql parameters, " + label,
                    "jdbc:postgresql://" + g + "/" + database + "?sslmode=disable&password=" + p + "&user=" + u,
                    user,
                    pw,
                    POSTGRESQL));
            forms.add(new Form(
                    "jdbc:postgresql every host's user info, " + label,
                    "jdbc:postgresql://" + u + ":" + p + "@" + g + "," + u + ":" + p + "@" + g + "/" + database,
                    user,
                    pw,
                    POSTGRESQL));
            forms.add(new Form(
                    "jdbc:mariadb user info, " + label,
                    "jdbc:mariadb://" + u + ":" + p + "@" + m + "/" + database,
                    user,
                    pw,
                    MARIADB));
        }
        return forms;
    }
}
