package io.openinsure.db.spring.boot;

import io.openinsure.db.domains.OpenInsureDb;

/**
 * Adjusts the {@link OpenInsureDb.Builder} the auto-configuration uses, after the {@code openinsure.db.*} properties
 * and before {@code build()}: settings in code (which win over every property and environment variable), a clock,
 * routing rules. Beans of this type are applied in {@link org.springframework.core.Ordered} order.
 *
 * <pre>{@code
 * @Bean
 * OpenInsureDbBuilderCustomizer smallBillingPool() {
 *     return builder -> builder.binding(Keyspace.BILLING, b -> b.maxPoolSize(4));
 * }
 * }</pre>
 */
@FunctionalInterface
public interface OpenInsureDbBuilderCustomizer {

    /** Customizes the builder; called once, on the thread that creates the {@code OpenInsureDb} bean. */
    void customize(OpenInsureDb.Builder builder);
}
