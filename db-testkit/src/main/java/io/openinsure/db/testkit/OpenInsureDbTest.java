package io.openinsure.db.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a JUnit 5 test class the OpenInsure topology on a real database.
 *
 * <p>Test methods, constructors and lifecycle methods may declare parameters of type
 * {@link io.openinsure.db.domains.OpenInsureDb}, any typed client ({@code PoliciesDb}, …),
 * {@link Topology}, {@link EmbeddedMariaDb} or {@link EmbeddedPostgresDb}. The embedded server is
 * started once per JVM; the {@code OpenInsureDb} is opened once per test class and closed after it.
 *
 * <pre>{@code
 * @OpenInsureDbTest
 * class PolicyQueriesTest {
 *     @Test
 *     void counts(PoliciesDb policies) { … }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(OpenInsureDbExtension.class)
public @interface OpenInsureDbTest {

    /** The backend; {@link TestBackend#DEFAULT} follows {@code oi.test.backend} / {@code OI_TEST_BACKEND}. */
    TestBackend backend() default TestBackend.DEFAULT;
}
