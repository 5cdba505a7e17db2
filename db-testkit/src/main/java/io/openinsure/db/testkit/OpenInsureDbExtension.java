package io.openinsure.db.testkit;

import io.openinsure.db.domains.OpenInsureDb;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link OpenInsureDbTest}. Embedded servers live in JUnit's root
 * store (once per JVM, closed at the end of the run); each test class gets its own
 * {@link OpenInsureDb}, kept in the class's store and closed after the class. A class on the
 * {@link TestBackend#VITESS} backend is skipped, with the reason, where Vitess is not available
 * (see {@link VitessBackend}).
 */
public final class OpenInsureDbExtension implements ParameterResolver, ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        TestBackend backend;
        try {
            backend = backend(context);
        } catch (ExtensionConfigurationException e) {
            return ConditionEvaluationResult.enabled("the backend setting is invalid; parameter resolution reports it");
        }
        return backend == TestBackend.VITESS
                ? VitessBackend.condition()
                : ConditionEvaluationResult.enabled("backend " + backend.name().toLowerCase(Locale.ROOT));
    }

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(OpenInsureDbExtension.class);

    private static final Map<Class<?>, Function<OpenInsureDb, Object>> CLIENTS = Map.of(
            OpenInsureDb.class, db -> db,
            io.openinsure.db.domains.GlobalDb.class, OpenInsureDb::global,
            io.openinsure.db.domains.PoliciesDb.class, OpenInsureDb::policies,
            io.openinsure.db.domains.SubmissionsDb.class, OpenInsureDb::submissions,
            io.openinsure.db.domains.ClaimsDb.class, OpenInsureDb::claims,
            io.openinsure.db.domains.BillingDb.class, OpenInsureDb::billing,
            io.openinsure.db.domains.LegacyDb.class, OpenInsureDb::legacy);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return CLIENTS.containsKey(type)
                || type == Topology.class
                || type == EmbeddedMariaDb.class
                || type == EmbeddedPostgresDb.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        TestBackend backend = backend(context);
        if (type == EmbeddedMariaDb.class) {
            requireBackend(parameter, backend, TestBackend.MARIADB);
            return root(context)
                    .getOrComputeIfAbsent(EmbeddedMariaDb.class, k -> EmbeddedMariaDb.shared(), EmbeddedMariaDb.class);
        }
        if (type == EmbeddedPostgresDb.class) {
            requireBackend(parameter, backend, TestBackend.POSTGRES);
            return root(context)
                    .getOrComputeIfAbsent(
                            EmbeddedPostgresDb.class, k -> EmbeddedPostgresDb.shared(), EmbeddedPostgresDb.class);
        }
        Topology topology = topology(context, backend);
        if (type == Topology.class) {
            return topology;
        }
        ExtensionContext classContext = classContext(context);
        // Keyed by backend: stores inherit their parents' values, and a @Nested class may choose another backend.
        OpenInsureDb db = classContext
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(
                        OpenInsureDb.class.getName() + ":" + backend, k -> topology.open(), OpenInsureDb.class);
        return CLIENTS.get(type).apply(db);
    }

    private static Topology topology(ExtensionContext context, TestBackend backend) {
        // Register the embedded server in the root store so JUnit closes it at the end of the run.
        switch (backend) {
            case MARIADB ->
                root(context)
                        .getOrComputeIfAbsent(
                                EmbeddedMariaDb.class, k -> EmbeddedMariaDb.shared(), EmbeddedMariaDb.class);
            case POSTGRES ->
                root(context)
                        .getOrComputeIfAbsent(
                                EmbeddedPostgresDb.class, k -> EmbeddedPostgresDb.shared(), EmbeddedPostgresDb.class);
            default -> {}
        }
        return Topology.of(backend);
    }

    private static TestBackend backend(ExtensionContext context) {
        Optional<OpenInsureDbTest> annotation = Optional.empty();
        for (Optional<ExtensionContext> c = Optional.of(context);
                c.isPresent() && annotation.isEmpty();
                c = c.get().getParent()) {
            annotation = c.get()
                    .getTestClass()
                    .flatMap(cls -> AnnotationSupport.findAnnotation(cls, OpenInsureDbTest.class));
        }
        TestBackend chosen = annotation.map(OpenInsureDbTest::backend).orElse(TestBackend.DEFAULT);
        try {
            return chosen.resolve();
        } catch (IllegalArgumentException e) {
            throw new ExtensionConfigurationException(e.getMessage(), e);
        }
    }

    private static void requireBackend(ParameterContext parameter, TestBackend actual, TestBackend needed) {
        if (actual != needed) {
            throw new ParameterResolutionException(
                    "Parameter '" + parameter.getParameter().getName() + "' of "
                            + parameter.getDeclaringExecutable() + " asks for "
                            + parameter.getParameter().getType().getSimpleName()
                            + " but the test runs on backend " + actual
                            + "; use @OpenInsureDbTest(backend = TestBackend." + needed + ").");
        }
    }

    private static ExtensionContext.Store root(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE);
    }

    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext c = context;
        while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
            c = c.getParent().get();
        }
        return c;
    }
}
