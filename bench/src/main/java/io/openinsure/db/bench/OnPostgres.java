package io.openinsure.db.bench;

/**
 * Marks a benchmark class whose {@link Server} is the embedded PostgreSQL (zonky, the testkit's
 * {@code EmbeddedPostgresDb}; each keyspace its own database) instead of the embedded MariaDB. The benchmark
 * methods and the {@link Fixture} are the MariaDB ones: a Postgres benchmark is a subclass of a MariaDB one that
 * implements this interface, so both measure the same way.
 */
public interface OnPostgres {}
