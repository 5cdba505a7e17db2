package io.openinsure.db.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a binding's user and password come from when a connection is opened, so that a rotated password is used
 * without a restart and without replacing the pool (HikariCP asks for credentials for every new physical connection;
 * connections already open keep working).
 *
 * <p>Implement it for a secret store (Vault, AWS Secrets Manager, …) and set it with
 * {@link BindingConfig.Builder#credentialsProvider(CredentialsProvider)}; or use {@link #of} (fixed), {@link #fromFile}
 * (a mounted secret, re-read) or {@link #fromSource} (system properties or the environment, re-read). The SDK calls
 * {@link #credentials()} for each new connection (also for the fallback and replica endpoints whose URL carries no
 * user of its own, and for the circuit's probe): cache in the implementation if a lookup is expensive. When the server
 * refuses the credentials, the SDK calls {@link #refresh()} once (which should bypass any cache) and, if the answer
 * differs, retries the connection once; refusals that persist open the circuit with a message that names the binding
 * and never the secret.
 *
 * <p>Implementations must be thread-safe and quick (they run on the pool's connection-opening thread), must not log
 * the password, and should throw an unchecked exception with a message free of secrets when they cannot answer.
 */
@FunctionalInterface
public interface CredentialsProvider {

    /** The credentials to open a connection with now. */
    Credentials credentials();

    /**
     * Called once after the server refused the credentials {@link #credentials()} gave: fetch them again, bypassing
     * any cache. The default asks {@link #credentials()} again.
     */
    default Credentials refresh() {
        return credentials();
    }

    /** Fixed credentials (the default when a binding names no provider). {@code user} and {@code password} may be {@code null}. */
    static CredentialsProvider of(String user, String password) {
        Credentials fixed = new Credentials(user, password);
        return new CredentialsProvider() {
            @Override
            public Credentials credentials() {
                return fixed;
            }

            @Override
            public String toString() {
                return "CredentialsProvider.of(" + fixed + ")";
            }
        };
    }

    /**
     * The password read from {@code passwordFile} (trailing line breaks dropped) each time one is needed, e.g. a
     * Kubernetes secret or a Vault agent's file, which is replaced on rotation; the user is fixed.
     *
     * @throws UncheckedIOException when the file cannot be read (the message names the file, never its content)
     */
    static CredentialsProvider fromFile(String user, Path passwordFile) {
        Objects.requireNonNull(passwordFile, "passwordFile");
        return new CredentialsProvider() {
            @Override
            public Credentials credentials() {
                try {
                    String text = Files.readString(passwordFile, StandardCharsets.UTF_8);
                    return new Credentials(user, text.replaceAll("[\\r\\n]+$", ""));
                } catch (IOException e) {
                    throw new UncheckedIOException("could not read the password file " + passwordFile, e);
                }
            }

            @Override
            public String toString() {
                return "CredentialsProvider.fromFile(user=" + user + ", file=" + passwordFile + ")";
            }
        };
    }

    /**
     * User and password looked up in {@code source} under {@code userKey} and {@code passwordKey} (environment-style
     * keys, e.g. {@code OI_DB_POLICIES_USER}) each time they are needed: with {@link ConfigSource#systemProperties()}
     * a changed system property takes effect for the next connection. A key without a value gives {@code null}.
     */
    static CredentialsProvider fromSource(ConfigSource source, String userKey, String passwordKey) {
        Objects.requireNonNull(source, "source");
        return new CredentialsProvider() {
            @Override
            public Credentials credentials() {
                return new Credentials(
                        source.get(userKey).orElse(null),
                        source.get(passwordKey).orElse(null));
            }

            @Override
            public String toString() {
                return "CredentialsProvider.fromSource(" + userKey + ", " + passwordKey + ")";
            }
        };
    }

    /**
     * A user name and password. {@link #toString()} never shows the password.
     *
     * @param user     the user name; {@code null} for the driver's default
     * @param password the password; {@code null} for none
     */
    record Credentials(String user, String password) {
        @Override
        public String toString() {
            return "Credentials[user=" + user + ", password=" + (password == null ? "none" : "****") + "]";
        }
    }
}
