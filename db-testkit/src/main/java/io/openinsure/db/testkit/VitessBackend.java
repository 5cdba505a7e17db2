package io.openinsure.db.testkit;

import io.openinsure.db.core.DatabaseUrl;
import io.openinsure.db.domains.Keyspace;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Where the {@link TestBackend#VITESS} backend comes from, and whether it can run here.
 *
 * <p>Vitess is available, in this order, when:
 * <ol>
 *   <li>{@code OI_TEST_VITESS_URL} (system property {@code oi.test.vitess.url}) names a running vtgate with the
 *       OpenInsure keyspaces, e.g. {@code vitess://root@127.0.0.1:33577/openinsure} after {@code make -C vitess-local up};</li>
 *   <li>a {@code vtcombo} binary is there ({@code OI_TEST_VTCOMBO}, or the cache of
 *       {@code vitess-local/vtcombo/build.sh}): {@link VtcomboServer} starts it once per JVM over an embedded
 *       MariaDB of its own; no Docker needed;</li>
 *   <li>a Docker engine is there, and Testcontainers starts {@link VttestserverContainer} once per JVM.</li>
 * </ol>
 * Otherwise tests that need it are <em>skipped</em>,
 * with {@link #condition()}'s reason (why, and how to run them), never reported as passed: annotate
 * them with {@link RequiresVitess}; {@link OpenInsureDbTest} classes on the Vitess backend are skipped
 * the same way.
 */
public final class VitessBackend {

    /** Environment variable (system property {@code oi.test.vitess.url}) naming a running vtgate. */
    public static final String VITESS_URL_KEY = "OI_TEST_VITESS_URL";

    /** The vtgate URL of {@code vitess-local/} after {@code make -C vitess-local up}. */
    public static final String LOCAL_URL = "vitess://root@127.0.0.1:33577/openinsure";

    private static volatile Boolean docker;

    private VitessBackend() {}

    /** Whether Vitess tests can run here; when not, the reason says why and how to run them. */
    public static ConditionEvaluationResult condition() {
        Optional<String> url = externalUrl();
        Path vtcombo = url.isPresent() ? null : VtcomboServer.binary().orElse(null);
        // Docker is asked last: the first question costs up to a second and logs an ERROR without an engine.
        boolean docker = url.isEmpty() && vtcombo == null && dockerAvailable();
        return evaluate(docker, url.orElse(null), vtcombo);
    }

    /**
     * The decision for given facts (kept apart for tests).
     *
     * @param dockerAvailable whether Testcontainers finds a Docker engine
     * @param vitessUrl       {@code OI_TEST_VITESS_URL}, or {@code null}
     */
    static ConditionEvaluationResult evaluate(boolean dockerAvailable, String vitessUrl) {
        return evaluate(dockerAvailable, vitessUrl, null);
    }

    /**
     * The decision for given facts (kept apart for tests).
     *
     * @param dockerAvailable whether Testcontainers finds a Docker engine
     * @param vitessUrl       {@code OI_TEST_VITESS_URL}, or {@code null}
     * @param vtcombo         the vtcombo binary found, or {@code null}
     */
    static ConditionEvaluationResult evaluate(boolean dockerAvailable, String vitessUrl, Path vtcombo) {
        if (vitessUrl != null) {
            return ConditionEvaluationResult.enabled("Vitess: the running vtgate at "
                    + DatabaseUrl.parse(vitessUrl).describe() + " (" + VITESS_URL_KEY + ")");
        }
        if (vtcombo != null) {
            return ConditionEvaluationResult.enabled("Vitess: vtcombo " + vtcombo + " over an embedded MariaDB");
        }
        if (dockerAvailable) {
            return ConditionEvaluationResult.enabled(
                    "Vitess: " + VttestserverContainer.DEFAULT_IMAGE + " in Docker (Testcontainers)");
        }
        return ConditionEvaluationResult.disabled(unavailableReason());
    }

    /** Why Vitess tests cannot run without Docker or a vtgate, and the commands that run them. */
    static String unavailableReason() {
        return "Vitess is not available here: " + VtcomboServer.missingBinaryReason()
                + "; no Docker engine (Testcontainers found none) to run "
                + VttestserverContainer.DEFAULT_IMAGE + ", and no running vtgate given by " + VITESS_URL_KEY
                + " (-Doi.test.vitess.url). To run the Vitess tests: where Go is installed, `vitess-local/vtcombo/build.sh`"
                + " then `mvn -B verify -Doi.test.backend=vitess`; where Docker runs, `mvn -B -pl db-testkit -am verify`"
                + " (they start vttestserver with Testcontainers; add -Doi.test.backend=vitess to run the default-backend tests"
                + " on Vitess too); or `make -C vitess-local up`, then `mvn -B -pl db-testkit -am verify -Doi.test.backend=vitess"
                + " -Doi.test.vitess.url=" + LOCAL_URL + "`.";
    }

    /** Whether Testcontainers finds a Docker engine (asked once per JVM). */
    public static boolean dockerAvailable() {
        Boolean d = docker;
        if (d == null) {
            boolean found;
            try {
                found = DockerClientFactory.instance().isDockerAvailable();
            } catch (RuntimeException | LinkageError e) {
                found = false;
            }
            d = found;
            docker = d;
        }
        return d;
    }

    /** {@code OI_TEST_VITESS_URL} / {@code -Doi.test.vitess.url}, if set. */
    public static Optional<String> externalUrl() {
        return Optional.ofNullable(TestBackend.lookup(VITESS_URL_KEY));
    }

    /**
     * The vtgate to use, as the URL of the legacy keyspace: the running one given by
     * {@code OI_TEST_VITESS_URL}, else the shared {@link VtcomboServer} when a binary is there, else the shared
     * {@link VttestserverContainer} (each started on first call).
     *
     * @throws IllegalStateException when neither is available, with {@link #condition()}'s reason
     */
    public static DatabaseUrl server() {
        Optional<String> external = externalUrl();
        if (external.isPresent()) {
            DatabaseUrl url = DatabaseUrl.parse(external.get(), null, VITESS_URL_KEY);
            if (!url.isVitess()
                    || url.tabletType()
                            .filter(t -> t != DatabaseUrl.TabletType.PRIMARY)
                            .isPresent()) {
                throw new IllegalStateException(
                        VITESS_URL_KEY + " must be a vitess://host:port/keyspace URL of vtgate that targets"
                                + " the primary, e.g. " + LOCAL_URL + "; was " + url);
            }
            return url.withDatabase(Keyspace.LEGACY.database());
        }
        Optional<Path> vtcombo = VtcomboServer.binary();
        if (vtcombo.isPresent()) {
            return DatabaseUrl.parse(VtcomboServer.shared().url(Keyspace.LEGACY));
        }
        ConditionEvaluationResult available = condition();
        if (available.isDisabled()) {
            throw new IllegalStateException(available.getReason().orElse("Vitess is not available"));
        }
        return DatabaseUrl.parse(VttestserverContainer.shared().url(Keyspace.LEGACY));
    }

    /** The {@link ExecutionCondition} behind {@link RequiresVitess}. */
    public static final class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return condition();
        }
    }
}
