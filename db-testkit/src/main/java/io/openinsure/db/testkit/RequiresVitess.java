package io.openinsure.db.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class or method only where Vitess is available (a Docker engine for
 * {@link VttestserverContainer}, or a running vtgate given by {@code OI_TEST_VITESS_URL}); elsewhere
 * JUnit reports it as skipped with {@link VitessBackend#condition()}'s reason, which says how to run it.
 * Unlike an assumption in {@code @BeforeAll}, the class stays visible in the report.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(VitessBackend.Condition.class)
public @interface RequiresVitess {}
