package io.openinsure.db.spring.boot;

import io.openinsure.db.core.DatabaseReport;
import io.openinsure.db.domains.Keyspace;
import io.openinsure.db.domains.OpenInsureDb;
import java.util.Locale;
import java.util.Objects;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The actuator endpoint {@code openinsuredb}: {@link OpenInsureDb#report()}, the {@link DatabaseReport} with every
 * client's mode, pool, latency percentiles, error rate, throughput, cache statuses, a measured round trip, health and
 * recommendations ({@code GET /actuator/openinsuredb}), or one keyspace's part of it
 * ({@code GET /actuator/openinsuredb/policies}). Each read measures a round trip per client ({@code SELECT 1}). Never
 * contains credentials. Expose it over HTTP with {@code management.endpoints.web.exposure.include=health,openinsuredb}.
 */
@Endpoint(id = "openinsuredb")
public class OpenInsureDbEndpoint {

    private final OpenInsureDb db;

    public OpenInsureDbEndpoint(OpenInsureDb db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    /** The report over the six clients. */
    @ReadOperation
    public DatabaseReport report() {
        return db.report();
    }

    /** One keyspace's report, by binding name ({@code policies}); {@code null} (404 over HTTP) for an unknown one. */
    @ReadOperation
    public DatabaseReport.ClientReport keyspace(@Selector String keyspace) {
        for (Keyspace k : Keyspace.values()) {
            if (k.bindingName().equals(keyspace.toLowerCase(Locale.ROOT))) {
                return db.client(k).report();
            }
        }
        return null;
    }
}
