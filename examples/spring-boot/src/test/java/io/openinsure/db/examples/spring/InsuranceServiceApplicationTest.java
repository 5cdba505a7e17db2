package io.openinsure.db.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openinsure.db.domains.OpenInsureDb;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts the service exactly as {@code main} does (no connection string: the embedded MariaDB default) on a free port
 * and calls it over real HTTP: the flow, its errors, actuator health per keyspace, the report endpoint and meters.
 */
class InsuranceServiceApplicationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static ConfigurableApplicationContext context;
    private static String base;

    @BeforeAll
    static void start() {
        // sdk-environment=false: a developer's OI_DB_* or DATABASE_URL must not send the test elsewhere.
        context = InsuranceServiceApplication.start("--server.port=0", "--openinsure.db.sdk-environment=false");
        base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
    }

    @AfterAll
    static void stop() {
        OpenInsureDb db = context.getBean(OpenInsureDb.class);
        context.close();
        // Graceful shutdown, then the pools are closed with the context.
        assertThatThrownBy(() -> db.policies().transaction(tx -> {}))
                .hasMessage("Keyspace 'policies': the client is closed.");
    }

    private static HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        request = body == null
                ? request.method(method, HttpRequest.BodyPublishers.noBody())
                : request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    private static JsonNode demoQuote() throws Exception {
        HttpResponse<String> quote =
                call("POST", "/api/demo/quotes", "{\"insuredName\":\"Buckeye Bolts\",\"premium\":999.00}");
        assertThat(quote.statusCode()).as(quote.body()).isEqualTo(201);
        return json(quote);
    }

    private static String issueRequest(JsonNode quote, String key) {
        ObjectNode request = JSON.createObjectNode();
        request.put("quoteId", quote.path("quoteId").asText());
        request.put("requestedBy", quote.path("requestedBy").asText());
        request.put("effectiveDate", "2026-08-01");
        request.put("invoiceDueDate", "2026-08-31");
        request.set("coverages", quote.path("coverages"));
        request.put("idempotencyKey", key);
        return request.toString();
    }

    @Test
    void bindIssueAndInvoiceOverHttpIsIdempotent() throws Exception {
        JsonNode quote = demoQuote();
        assertThat(quote.path("premium").decimalValue()).isEqualByComparingTo("999.00");
        String key = "http-" + UUID.randomUUID();

        HttpResponse<String> issued = call("POST", "/api/policies", issueRequest(quote, key));
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        JsonNode policy = json(issued);
        String number = policy.path("policyNumber").asText();
        assertThat(number).startsWith("POL-");
        assertThat(issued.headers().firstValue("Location")).contains("/api/policies/" + number);
        assertThat(policy.path("invoiceNumber").asText()).isNotBlank();

        HttpResponse<String> retried = call("POST", "/api/policies", issueRequest(quote, key));
        assertThat(retried.statusCode()).isEqualTo(201);
        assertThat(json(retried).path("policyNumber").asText()).isEqualTo(number);
        assertThat(json(retried).path("invoiceNumber").asText())
                .isEqualTo(policy.path("invoiceNumber").asText());

        HttpResponse<String> read = call("GET", "/api/policies/" + number, null);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(json(read).path("insuredName").asText()).isEqualTo("Buckeye Bolts");
        assertThat(json(read).path("effectiveDate").asText()).isEqualTo("2026-08-01");
        assertThat(json(read).path("expirationDate").asText()).isEqualTo("2027-08-01");

        HttpResponse<String> invoices = call("GET", "/api/policies/" + number + "/invoices", null);
        assertThat(invoices.statusCode()).isEqualTo(200);
        assertThat(json(invoices)).hasSize(1);
        assertThat(json(invoices).get(0).path("amount").decimalValue()).isEqualByComparingTo("999.00");
        assertThat(json(invoices).get(0).path("dueDate").asText()).isEqualTo("2026-08-31");
    }

    @Test
    void sdkErrorsBecomeProblemDetails() throws Exception {
        HttpResponse<String> missing = call("GET", "/api/policies/POL-2026-NOSUCHPOL", null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).path("detail").asText())
                .isEqualTo("Keyspace 'policies': policy POL-2026-NOSUCHPOL does not exist.");
        assertThat(json(missing).path("reason").asText()).isEqualTo("NOT_FOUND");

        JsonNode quote = demoQuote();
        ObjectNode unknownQuote = (ObjectNode) JSON.readTree(issueRequest(quote, "unknown-" + UUID.randomUUID()));
        unknownQuote.put("quoteId", UUID.randomUUID().toString());
        HttpResponse<String> notFound = call("POST", "/api/policies", unknownQuote.toString());
        assertThat(notFound.statusCode()).as(notFound.body()).isEqualTo(404);
        assertThat(json(notFound).path("detail").asText()).contains("quote");

        HttpResponse<String> incomplete = call(
                "POST",
                "/api/policies",
                "{\"quoteId\":\"" + quote.path("quoteId").asText() + "\"}");
        assertThat(incomplete.statusCode()).isEqualTo(400);
    }

    @Test
    void actuatorHealthHasAChildPerKeyspace() throws Exception {
        call("GET", "/api/policies/POL-2026-WARMUP0000", null);
        HttpResponse<String> response = call("GET", "/actuator/health", null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode db = json(response).path("components").path("openinsureDb");
        assertThat(db.path("status").asText()).isEqualTo("UP");
        List<String> keyspaces = new ArrayList<>();
        db.path("components").fieldNames().forEachRemaining(keyspaces::add);
        assertThat(keyspaces)
                .containsExactlyInAnyOrder("global", "policies", "submissions", "claims", "billing", "legacy");
        JsonNode policies = db.path("components").path("policies");
        assertThat(policies.path("status").asText()).isEqualTo("UP");
        assertThat(policies.path("details").path("status").asText()).isEqualTo("HEALTHY");
        assertThat(policies.path("details").path("mode").asText()).isEqualTo("pooled");
        assertThat(policies.path("details").path("server").asText()).endsWith("/oi_policies");
        assertThat(policies.path("details").path("pool").path("max").asInt()).isEqualTo(8);
        assertThat(response.body()).doesNotContainIgnoringCase("password");
    }

    @Test
    void databaseReportIsAnActuatorEndpoint() throws Exception {
        HttpResponse<String> report = call("GET", "/actuator/openinsuredb", null);
        assertThat(report.statusCode()).as(report.body()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        json(report).path("clients").forEach(c -> names.add(c.path("name").asText()));
        assertThat(names).containsExactly("global", "policies", "submissions", "claims", "billing", "legacy");
        assertThat(json(report).path("clients").get(1).path("roundTripMs").asDouble())
                .isPositive();
        assertThat(json(report)
                        .path("clients")
                        .get(1)
                        .path("cache")
                        .path("statuses")
                        .has("hit"))
                .isTrue();

        HttpResponse<String> one = call("GET", "/actuator/openinsuredb/claims", null);
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(json(one).path("name").asText()).isEqualTo("claims");
        assertThat(call("GET", "/actuator/openinsuredb/nope", null).statusCode())
                .isEqualTo(404);
    }

    @Test
    void metersAreInTheActuatorMetrics() throws Exception {
        call("GET", "/api/policies/POL-2026-METERS0000", null);
        HttpResponse<String> query = call("GET", "/actuator/metrics/openinsure.db.query", null);
        assertThat(query.statusCode()).as(query.body()).isEqualTo(200);
        List<String> keyspaces = new ArrayList<>();
        json(query).path("availableTags").forEach(tag -> {
            if (tag.path("tag").asText().equals("keyspace")) {
                tag.path("values").forEach(v -> keyspaces.add(v.asText()));
            }
        });
        assertThat(keyspaces).contains("policies");
        HttpResponse<String> pool = call("GET", "/actuator/metrics/hikaricp.connections.max?tag=pool:oi-billing", null);
        assertThat(pool.statusCode()).as(pool.body()).isEqualTo(200);
        assertThat(json(pool).path("measurements").get(0).path("value").asDouble())
                .isEqualTo(8.0);
    }
}
