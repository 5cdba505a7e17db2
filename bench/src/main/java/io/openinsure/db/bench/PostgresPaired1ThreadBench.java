package io.openinsure.db.bench;

import org.openjdk.jmh.annotations.Threads;

/**
 * {@link PairedBench}'s interleaved primary-key lookup on the embedded PostgreSQL, one thread: raw HikariCP +
 * PgJDBC (the floor), the floor with {@code setMaxRows} and {@code setQueryTimeout} (the guards as the SDK sends
 * them to PostgreSQL), and {@code findPolicy} with the cache off, on pools of the same size and PgJDBC properties.
 */
@Threads(1)
public class PostgresPaired1ThreadBench extends PairedBench implements OnPostgres {}
