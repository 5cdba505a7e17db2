package io.openinsure.db.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Assertions shared by the db-core tests. */
final class TestSupport {

    private TestSupport() {}

    /** Runs {@code call}, asserts that it throws a {@link ConfigurationException} and returns it. */
    static ConfigurationException configurationError(ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).isInstanceOf(ConfigurationException.class);
        return (ConfigurationException) thrown;
    }

    /**
     * Asserts that {@code text} contains neither {@code secret} nor any 4-character piece of it, so a
     * password cut apart at a reserved character ({@code se/cret}) cannot leak half-way either.
     */
    static void assertNoSecret(String text, String secret) {
        assertThat(text).as("must not reveal the secret '%s'", secret).doesNotContain(secret);
        for (int i = 0; i + 4 <= secret.length(); i++) {
            assertThat(text)
                    .as("must not reveal '%s' of the secret '%s'", secret.substring(i, i + 4), secret)
                    .doesNotContain(secret.substring(i, i + 4));
        }
    }
}
