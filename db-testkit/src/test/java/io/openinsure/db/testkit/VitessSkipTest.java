package io.openinsure.db.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * The skip path of the Vitess backend: without Docker or a running vtgate, Vitess tests are
 * reported as skipped with a reason that says why and how to run them, and never as passed.
 */
class VitessSkipTest {

    private String backendProperty;

    @BeforeEach
    void saveBackend() {
        backendProperty = System.getProperty("oi.test.backend");
    }

    @AfterEach
    void restoreBackend() {
        TestBackendTest.restore("oi.test.backend", backendProperty);
    }

    @Test
    void withoutDockerOrAVtgateTheConditionDisablesWithTheReasonAndTheCommandsThatRunThem() {
        ConditionEvaluationResult result = VitessBackend.evaluate(false, null);
        assertThat(result.isDisabled()).isTrue();
        assertThat(result.getReason())
                .get()
                .asString()
                .startsWith("Vitess is not available here: " + VtcomboServer.missingBinaryReason()
                        + "; no Docker engine (Testcontainers found none) to run "
                        + VttestserverContainer.DEFAULT_IMAGE + ", and no running vtgate given by OI_TEST_VITESS_URL")
                .contains(
                        "where Go is installed, `vitess-local/vtcombo/build.sh` then `mvn -B verify -Doi.test.backend=vitess`")
                .contains("where Docker runs, `mvn -B -pl db-testkit -am verify`")
                .contains("`make -C vitess-local up`, then `mvn -B -pl db-testkit -am verify -Doi.test.backend=vitess"
                        + " -Doi.test.vitess.url=vitess://root@127.0.0.1:33577/openinsure`");
    }

    @Test
    void dockerOrARunningVtgateEnablesTheVitessTests() {
        assertThat(VitessBackend.evaluate(true, null).isDisabled()).isFalse();
        assertThat(VitessBackend.evaluate(true, null).getReason())
                .get()
                .asString()
                .contains(VttestserverContainer.DEFAULT_IMAGE);
        ConditionEvaluationResult external =
                VitessBackend.evaluate(false, "vitess://root:secret@vtgate:33577/openinsure");
        assertThat(external.isDisabled()).isFalse();
        assertThat(external.getReason())
                .get()
                .asString()
                .contains("vtgate:33577/openinsure")
                .doesNotContain("secret");
        ConditionEvaluationResult vtcombo =
                VitessBackend.evaluate(false, null, java.nio.file.Path.of("/opt/vt/vtcombo"));
        assertThat(vtcombo.isDisabled()).isFalse();
        assertThat(vtcombo.getReason())
                .get()
                .asString()
                .isEqualTo("Vitess: vtcombo /opt/vt/vtcombo over an embedded MariaDB");
    }

    @Test
    void thisMachinesVerdictFollowsDockerAndTheUrl() {
        boolean expectedEnabled = VitessBackend.externalUrl().isPresent()
                || VtcomboServer.binary().isPresent()
                || VitessBackend.dockerAvailable();
        assertThat(VitessBackend.condition().isDisabled()).isEqualTo(!expectedEnabled);
    }

    @Test
    void withoutVitessTheVitessClassesAreReportedAsSkippedWithTheReasonAndRunNothing() {
        assumeTrue(
                VitessBackend.condition().isDisabled(), "Vitess is available here, so the Vitess tests run for real");
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .selectors(
                        selectClass(VitessKeyspaceClientContractTest.class), selectClass(VitessIntegrationTest.class))
                .execute();

        results.containerEvents().skipped().assertThatEvents().hasSize(2);
        for (Event skipped : results.containerEvents().skipped().list()) {
            assertThat(skipped.getPayload(String.class)).get().asString().isEqualTo(VitessBackend.unavailableReason());
        }
        results.testEvents()
                .assertStatistics(stats -> stats.started(0).succeeded(0).failed(0));
        results.containerEvents().assertStatistics(stats -> stats.failed(0));
    }

    @Test
    void aDefaultBackendTestSelectedOntoVitessIsSkippedTooAndTopologyExplainsWhy() {
        assumeTrue(
                VitessBackend.condition().isDisabled(),
                "Vitess is available here, so the selected backend runs for real");
        System.setProperty("oi.test.backend", "vitess");
        assertThat(TestBackend.selected()).isEqualTo(TestBackend.VITESS);

        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(DefaultBackendProbe.class))
                .execute();
        results.containerEvents().skipped().assertThatEvents().hasSize(1);
        results.testEvents().assertStatistics(stats -> stats.started(0));

        assertThatThrownBy(() -> Topology.of(TestBackend.VITESS))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(VitessBackend.unavailableReason());
    }

    /** Run only through {@link EngineTestKit} above (Surefire skips nested classes). */
    @OpenInsureDbTest
    static class DefaultBackendProbe {
        @Test
        void wouldUseTheSelectedBackend(Topology topology) {
            assertThat(topology.backend()).isEqualTo(TestBackend.VITESS);
        }
    }
}
