package io.openinsure.db.examples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * An insurance service on Spring Boot 4 and {@code openinsure-db-spring-boot-starter}, using only public API:
 * <ul>
 *   <li>{@code POST /api/demo/quotes}: an organization, program, underwriter, submission and quote to bind (demo data);</li>
 *   <li>{@code POST /api/policies}: bind → issue → invoice across three keyspaces ({@code InsuranceFlows}), idempotent under
 *       the request's {@code idempotencyKey};</li>
 *   <li>{@code GET /api/policies/{policyNumber}} and {@code GET /api/policies/{policyNumber}/invoices}: reads through the
 *       policies and billing keyspaces' {@code DSLContext}s;</li>
 *   <li>{@code /actuator/health} (a child per keyspace under {@code openinsureDb}), {@code /actuator/openinsuredb} (the
 *       database report), {@code /actuator/metrics/openinsure.db.query}.</li>
 * </ul>
 * With no connection string configured ({@code openinsure.db.url}, {@code OI_DB_URL}, {@code DATABASE_URL}, …) it
 * starts an embedded MariaDB ({@link EmbeddedDatabaseDefault}). Run it with
 * {@code mvn -q -B -DskipTests -pl examples/spring-boot -am package exec:exec} (port 8080, or {@code PORT}).
 */
@SpringBootApplication
public class InsuranceServiceApplication {

    public static void main(String[] args) {
        start(args);
    }

    /** Starts the service as {@link #main} does; the caller closes the context. */
    public static ConfigurableApplicationContext start(String... args) {
        SpringApplication application = new SpringApplication(InsuranceServiceApplication.class);
        application.addListeners(new EmbeddedDatabaseDefault());
        return application.run(args);
    }
}
