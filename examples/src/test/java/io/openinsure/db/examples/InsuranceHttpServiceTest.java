package io.openinsure.db.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openinsure.db.domains.GlobalDb;
import io.openinsure.db.domains.InsuranceFlows;
import io.openinsure.db.domains.OpenInsureDb;
import io.openinsure.db.domains.PoliciesDb;
import io.openinsure.db.domains.SubmissionsDb;
import io.openinsure.db.domains.schema.oi_global.tables.records.AppUserRecord;
import io.openinsure.db.domains.schema.oi_global.tables.records.OrganizationRecord;
import io.openinsure.db.domains.schema.oi_global.tables.records.ProgramRecord;
import io.openinsure.db.domains.schema.oi_submissions.tables.records.QuoteRecord;
import io.openinsure.db.domains.schema.oi_submissions.tables.records.SubmissionRecord;
import io.openinsure.db.testkit.TestBackend;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Starts the service on each embedded server (MariaDB, and PostgreSQL as {@code -Doi.test.backend=postgres} lays it
 * out) and calls it over real HTTP.
 */
@ParameterizedClass
@EnumSource(names = {"MARIADB", "POSTGRES"})
class InsuranceHttpServiceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static OpenInsureDb db;
    private static InsuranceHttpService service;
    private static String policyNumber;

    /** The server of this invocation; {@link #start(TestBackend)} opened the topology on it. */
    @Parameter
    TestBackend backend;

    @BeforeParameterizedClassInvocation
    static void start(TestBackend backend) throws Exception {
        db = InsuranceTour.embedded(backend).open();
        service = InsuranceHttpService.start(db, 0);
        String run = UUID.randomUUID().toString().substring(0, 8);
        OrganizationRecord org = db.global().createOrganization("http-" + run, "HTTP MGA");
        ProgramRecord program = db.global()
                .createProgram(
                        new GlobalDb.ProgramRequest(org.getId(), "GL", "GL Ohio", "GENERAL_LIABILITY", List.of("OH")));
        AppUserRecord uw = db.global()
                .createUser(org.getId(), "uw@http-" + run + ".example", "Una Writer", GlobalDb.Role.UNDERWRITER);
        SubmissionRecord s = db.submissions()
                .submit(new SubmissionsDb.SubmissionRequest(
                        org.getId(), program.getId(), "Buckeye Bolts", "OH", "GENERAL_LIABILITY", null));
        QuoteRecord q = db.submissions().quote(s.getId(), new BigDecimal("999.00"), "USD", null, Duration.ofDays(10));
        policyNumber = db.flows()
                .bindIssueAndInvoice(new InsuranceFlows.BindAndIssue(
                        q.getId(),
                        uw.getId(),
                        LocalDate.of(2026, 8, 1),
                        LocalDate.of(2027, 8, 1),
                        List.of(new PoliciesDb.CoverageLine(
                                "GL_EACH_OCCURRENCE",
                                new BigDecimal("500000"),
                                BigDecimal.ZERO,
                                new BigDecimal("999.00"))),
                        LocalDate.of(2026, 8, 31),
                        "http-" + run))
                .policy()
                .getPolicyNumber();
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        service.close();
        db.close();
    }

    private static HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + path))
                .timeout(Duration.ofSeconds(30));
        request = body == null
                ? request.method(method, HttpRequest.BodyPublishers.noBody())
                : request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthReportsEveryClient() throws Exception {
        HttpResponse<String> response = call("GET", "/health", null);
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("status").asText()).isEqualTo("UP");
        assertThat(body.path("clients").fieldNames())
                .toIterable()
                .containsExactly("global", "policies", "submissions", "claims", "billing", "legacy");
        assertThat(body.path("clients").path("policies").path("status").asText())
                .isEqualTo("HEALTHY");
        assertThat(body.path("clients").path("policies").path("circuit").asText())
                .isEqualTo("closed");
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json; charset=utf-8");
    }

    @Test
    void databasePerformanceIsJsonPerClient() throws Exception {
        HttpResponse<String> response = call("GET", "/health/database-performance", null);
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode report = JSON.readTree(response.body());
        JsonNode clients = report.path("clients");
        assertThat(report.path("generatedAt").asText()).isNotBlank();
        assertThat(clients.isArray()).isTrue();
        assertThat(clients).hasSize(6);
        assertThat(clients.get(1).path("name").asText()).isEqualTo("policies");
        assertThat(clients.get(1).path("health").path("status").asText()).isEqualTo("HEALTHY");
        assertThat(report.has("recommendations")).isTrue();
    }

    @Test
    void readsAPolicyAndFilesAClaimAgainstIt() throws Exception {
        HttpResponse<String> policy = call("GET", "/policies/" + policyNumber, null);
        assertThat(policy.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(policy.body()).path("insuredName").asText()).isEqualTo("Buckeye Bolts");

        String fnol = "{\"lossDate\":\"2026-09-01\",\"description\":\"Forklift hit a rack\",\"idempotencyKey\":\"fnol-"
                + policyNumber + "\"}";
        HttpResponse<String> filed = call("POST", "/policies/" + policyNumber + "/claims", fnol);
        assertThat(filed.statusCode()).isEqualTo(201);
        HttpResponse<String> again = call("POST", "/policies/" + policyNumber + "/claims", fnol);
        assertThat(JSON.readTree(again.body()).path("claimNumber").asText())
                .as("idempotent by key")
                .isEqualTo(JSON.readTree(filed.body()).path("claimNumber").asText());

        HttpResponse<String> claims = call("GET", "/policies/" + policyNumber + "/claims", null);
        assertThat(claims.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(claims.body())).hasSize(1);
        assertThat(JSON.readTree(claims.body()).get(0).path("status").asText()).isEqualTo("OPEN");
    }

    @Test
    void typedErrorsBecomeHttpStatuses() throws Exception {
        HttpResponse<String> missing = call("GET", "/policies/POL-NOPE", null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(missing.body()).path("error").asText())
                .isEqualTo("Keyspace 'policies': policy POL-NOPE does not exist.");
        HttpResponse<String> invalid = call(
                "POST",
                "/policies/" + policyNumber + "/claims",
                "{\"lossDate\":\"2026-09-01\",\"description\":\"\",\"idempotencyKey\":\"k-" + UUID.randomUUID()
                        + "\"}");
        assertThat(invalid.statusCode()).isEqualTo(422);
        assertThat(call("GET", "/nothing-here", null).statusCode()).isEqualTo(404);
    }
}
