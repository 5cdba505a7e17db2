package io.openinsure.db.spring.boot;

import io.openinsure.db.domains.Keyspace;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.beans.factory.annotation.Qualifier;

/**
 * Selects the jOOQ {@code DSLContext} of one keyspace client ({@code db.policies().dsl()}, with its read-query cache,
 * guards and limits):
 *
 * <pre>{@code
 * PolicyQueries(@OpenInsureDsl(Keyspace.POLICIES) DSLContext policies) { … }
 * }</pre>
 *
 * <p>The six {@code DSLContext} beans are not default candidates, so an application's own {@code DSLContext}
 * (Spring Boot's jOOQ auto-configuration over {@code spring.datasource}) stays the one injected by type. They can
 * also be selected by bean name: {@code @Qualifier("policiesDsl")}, {@code globalDsl}, {@code submissionsDsl},
 * {@code claimsDsl}, {@code billingDsl}, {@code legacyDsl}.
 */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD, ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Qualifier
public @interface OpenInsureDsl {

    /** The keyspace whose client's {@code DSLContext} is wanted. */
    Keyspace value();
}
