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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The README's example runs every step on both embedded servers (MariaDB, and PostgreSQL as {@code
 * -Doi.test.backend=postgres} lays it out), says which it ran on, and reports a failing step.
 */
class InsuranceTourTest {

    @ParameterizedTest
    @CsvSource({"MARIADB, MariaDB 11.", "POSTGRES, PostgreSQL 14."})
    void everyStepPassesOnEachEmbeddedServer(TestBackend backend, String server) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OpenInsureDb db = InsuranceTour.embedded(backend).open()) {
            assertThat(new InsuranceTour(db, new PrintStream(out, true, StandardCharsets.UTF_8)).run())
                    .isTrue();
        }
        assertThat(out.toString(StandardCharsets.UTF_8))
                .startsWith("backend: " + server)
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
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("step 6 FAILED: Keyspace 'claims': no connection available");
    }
}
