package io.openinsure.db.core.internal;

import com.zaxxer.hikari.HikariCredentialsProvider;
import com.zaxxer.hikari.util.Credentials;
import io.openinsure.db.core.CredentialsProvider;
import java.util.Objects;

/**
 * The credentials of one endpoint as HikariCP's {@link HikariCredentialsProvider} (asked for every new physical
 * connection, so a rotation takes effect without a new pool) and as the probe's source. After the server refused
 * them, {@link #refreshAfterRefusal()} asks the binding's {@link CredentialsProvider#refresh()} once; should the provider's
 * {@link CredentialsProvider#credentials()} still answer the refused pair afterwards (a cache it did not update), the
 * refreshed pair is used instead. Never shows a password ({@link #toString()} included: HikariCP logs its configuration
 * at DEBUG). Thread-safe.
 */
final class RotatingCredentials implements HikariCredentialsProvider {

    private final CredentialsProvider source;
    private final String endpoint;
    /** The pair handed out last. */
    private volatile CredentialsProvider.Credentials last;
    /** The pair the server refused, and what a refresh answered instead; {@code null} while there was no refusal. */
    private volatile CredentialsProvider.Credentials refused;

    private volatile CredentialsProvider.Credentials refreshed;

    RotatingCredentials(CredentialsProvider source, String endpoint) {
        this.source = Objects.requireNonNull(source, "source");
        this.endpoint = endpoint;
    }

    /** For HikariCP: the pair for a new connection. */
    @Override
    public Credentials getCredentials() {
        CredentialsProvider.Credentials c = current();
        return Credentials.of(c.user(), c.password());
    }

    /** The pair to open a connection with now. */
    CredentialsProvider.Credentials current() {
        CredentialsProvider.Credentials c =
                Objects.requireNonNull(source.credentials(), "the credentials provider answered null");
        CredentialsProvider.Credentials r = refreshed;
        if (r != null && c.equals(refused)) {
            c = r; // the provider's cache still holds the refused pair
        }
        last = c;
        return c;
    }

    /**
     * The server refused the last pair: fetches once more. {@code true} when the provider now answers a different
     * pair, so one more attempt is worth making.
     */
    boolean refreshAfterRefusal() {
        CredentialsProvider.Credentials before = last;
        CredentialsProvider.Credentials fresh =
                Objects.requireNonNull(source.refresh(), "the credentials provider answered null");
        if (before != null && fresh.equals(before)) {
            return false;
        }
        refused = before;
        refreshed = fresh;
        return true;
    }

    @Override
    public String toString() {
        return "RotatingCredentials[" + endpoint + ", user=" + (last == null ? "?" : last.user()) + ", password=****]";
    }
}
