package io.openinsure.db.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.openinsure.db.core.ConnectionUnavailableException;
import io.openinsure.db.core.Health;
import io.openinsure.db.core.HealthStatus;
import io.openinsure.db.core.KeyspaceClient;
import io.openinsure.db.domains.ClaimsDb;
import io.openinsure.db.domains.DomainException;
import io.openinsure.db.domains.OpenInsureDb;
import io.openinsure.db.domains.schema.oi_claims.tables.records.ClaimRecord;
import io.openinsure.db.domains.schema.oi_policies.tables.records.PolicyRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.LocalDate;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small HTTP service on the JDK's {@code HttpServer}, using only the SDK's public API:
 * <ul>
 *   <li>{@code GET /health}: every client's health, mode and pool ({@code 503} when one is {@code UNHEALTHY});</li>
 *   <li>{@code GET /health/database-performance}: {@code db.report()}, the {@code DatabaseReport} JSON with recommendations;</li>
 *   <li>{@code GET /policies/{policyNumber}}: a policy;</li>
 *   <li>{@code GET /policies/{policyNumber}/claims}: its claims with reserve, paid and outstanding;</li>
 *   <li>{@code POST /policies/{policyNumber}/claims} with {@code {"lossDate","description","idempotencyKey"}}: files a first notice of loss.</li>
 * </ul>
 * Typed SDK errors map to HTTP statuses: not found → 404, invalid input → 422, illegal transition or
 * conflict → 409, keyspace unavailable → 503. Run it with {@code -Dexec.mainClass=io.openinsure.db.examples.InsuranceHttpService}
 * (and {@code -Doi.test.backend=postgres} for the embedded PostgreSQL, as {@link InsuranceTour}).
 */
public final class InsuranceHttpService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InsuranceHttpService.class);
    private static final Pattern POLICY = Pattern.compile("/policies/([A-Za-z0-9-]{1,32})");
    private static final Pattern POLICY_CLAIMS = Pattern.compile("/policies/([A-Za-z0-9-]{1,32})/claims");

    private final OpenInsureDb db;
    private final HttpServer server;
    private final ExecutorService executor;
    private final ObjectMapper json = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private InsuranceHttpService(OpenInsureDb db, int port) throws IOException {
        this.db = db;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        this.executor = Executors.newFixedThreadPool(8);
        server.setExecutor(executor);
        server.createContext("/health", this::health);
        server.createContext("/policies/", this::policies);
        server.start();
    }

    /** Starts the service on {@code port} (0 picks a free one) over {@code db}, which the caller keeps and closes. */
    public static InsuranceHttpService start(OpenInsureDb db, int port) throws IOException {
        return new InsuranceHttpService(db, port);
    }

    /** The port the service listens on (127.0.0.1). */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    public static void main(String[] args) throws IOException {
        OpenInsureDb db = InsuranceTour.open();
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
        InsuranceHttpService service = start(db, port);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            db.close();
        }));
        LOG.info("listening on http://127.0.0.1:{}/health", service.port());
    }

    private void health(HttpExchange exchange) throws IOException {
        handle(exchange, () -> {
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/health/database-performance")) {
                return new Response(200, performance());
            }
            if (!path.equals("/health")) {
                return error(404, "no such resource: " + path);
            }
            ObjectNode body = json.createObjectNode();
            ObjectNode clients = body.putObject("clients");
            boolean allUp = true;
            for (KeyspaceClient client : db.clients()) {
                Health health = client.health();
                ObjectNode c = clients.putObject(client.name());
                c.put("status", health.status().name());
                c.put("mode", client.mode().label());
                c.put("reason", health.reason());
                c.put("latencyMs", health.latency().toMillis());
                c.put("circuit", health.circuit());
                c.putPOJO("pool", client.poolStats());
                allUp &= health.status() != HealthStatus.UNHEALTHY;
            }
            body.put("status", allUp ? "UP" : "DOWN");
            return new Response(allUp ? 200 : 503, body);
        });
    }

    private JsonNode performance() throws IOException {
        return json.readTree(db.report().toJson());
    }

    private void policies(HttpExchange exchange) throws IOException {
        handle(exchange, () -> {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            Matcher claims = POLICY_CLAIMS.matcher(path);
            if (claims.matches()) {
                PolicyRecord policy = policy(claims.group(1));
                if (method.equals("POST")) {
                    return fileClaim(policy, read(exchange));
                }
                ArrayNode list = json.createArrayNode();
                for (ClaimRecord claim : db.claims().listClaims(policy.getId())) {
                    ClaimsDb.ClaimTotals totals = db.claims().totals(claim.getId());
                    list.addObject()
                            .put("claimNumber", claim.getClaimNumber())
                            .put("status", claim.getStatus())
                            .put("lossDate", claim.getLossDate().toString())
                            .put("reserve", totals.reserve())
                            .put("paid", totals.paid())
                            .put("outstanding", totals.outstanding());
                }
                return new Response(200, list);
            }
            Matcher one = POLICY.matcher(path);
            if (one.matches() && method.equals("GET")) {
                PolicyRecord p = policy(one.group(1));
                ObjectNode body = json.createObjectNode()
                        .put("policyNumber", p.getPolicyNumber())
                        .put("status", p.getStatus())
                        .put("insuredName", p.getInsuredName())
                        .put("effectiveDate", p.getEffectiveDate().toString())
                        .put("expirationDate", p.getExpirationDate().toString())
                        .put("premium", p.getPremium())
                        .put("currency", p.getCurrency());
                return new Response(200, body);
            }
            return error(404, "no such resource: " + method + " " + path);
        });
    }

    private Response fileClaim(PolicyRecord policy, JsonNode request) {
        ClaimRecord claim = db.claims()
                .fileFirstNotice(new ClaimsDb.FirstNotice(
                        policy.getId(),
                        policy.getOrgId(),
                        LocalDate.parse(request.path("lossDate").asText()),
                        request.path("description").asText(),
                        request.path("idempotencyKey").asText(null)));
        return new Response(
                201,
                json.createObjectNode()
                        .put("claimNumber", claim.getClaimNumber())
                        .put("status", claim.getStatus()));
    }

    private PolicyRecord policy(String number) {
        return db.policies()
                .findPolicyByNumber(number)
                .orElseThrow(() -> new DomainException(
                        io.openinsure.db.domains.Keyspace.POLICIES,
                        DomainException.Reason.NOT_FOUND,
                        "policy " + number + " does not exist."));
    }

    private JsonNode read(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            return json.readTree(in.readAllBytes());
        }
    }

    private record Response(int status, Object body) {}

    @FunctionalInterface
    private interface Handler {
        Response handle() throws IOException;
    }

    private void handle(HttpExchange exchange, Handler handler) throws IOException {
        Response response;
        try {
            response = handler.handle();
        } catch (DomainException e) {
            response = error(
                    switch (e.reason()) {
                        case NOT_FOUND -> 404;
                        case INVALID, MISSING_REFERENCE -> 422;
                        case ILLEGAL_TRANSITION, CONFLICT -> 409;
                    },
                    e.getMessage());
        } catch (ConnectionUnavailableException e) {
            response = error(503, e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.warn(
                    "request {} {} failed: {}",
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(),
                    e.toString());
            response = error(400, e.getMessage() == null ? e.toString() : e.getMessage());
        }
        byte[] bytes = json.writeValueAsBytes(response.body());
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(response.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private Response error(int status, String message) {
        return new Response(
                status, json.createObjectNode().put("error", message).put("status", status));
    }
}
