package io.openinsure.db.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.openinsure.db.domains.Keyspace;
import io.openinsure.db.domains.OpenInsureDb;
import io.openinsure.db.testkit.TestBackend;
import io.openinsure.db.testkit.Topology;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The README's example runs every step on the embedded default, and reports a failing step. */
class InsuranceTourTest {

    @Test
    void everyStepPassesOnTheEmbeddedDefault() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OpenInsureDb db = Topology.of(TestBackend.MARIADB).open()) {
            assertThat(new InsuranceTour(db, new PrintStream(out, true, StandardCharsets.UTF_8)).run())
                    .isTrue();
        }
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("[legacy     ] read POL-")
                .contains("all 7 steps passed")
                .contains("billing      pooled");
    }

    @Test
    void aFailingStepIsReportedAndTheRunFails() throws Exception {
        int dead;
        try (ServerSocket s = new ServerSocket(0)) {
            dead = s.getLocalPort();
        }
        int port = dead;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OpenInsureDb db = Topology.of(TestBackend.MARIADB)
                .builder()
                .binding(Keyspace.CLAIMS, b -> b.url("mysql://root@127.0.0.1:" + port + "/oi_claims"))
                .build()) {
            assertThat(new InsuranceTour(db, new PrintStream(out, true, StandardCharsets.UTF_8)).run())
                    .isFalse();
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("FAILED: Keyspace 'claims': no connection available");
    }
}
