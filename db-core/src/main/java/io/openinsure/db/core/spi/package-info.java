/**
 * What modules built on db-core (db-domains, and extensions like it) use from it beyond the public API, kept small
 * and documented: {@link io.openinsure.db.core.spi.TypedReads} runs SQL rendered once per statement shape on a
 * keyspace client's own read path, {@link io.openinsure.db.core.spi.Secrets} masks credentials in texts, and
 * {@link io.openinsure.db.core.spi.SqlTokens} splits SQL text into tokens with their positions by the server's lexical
 * rules (db-core's own lexer), and {@link io.openinsure.db.core.spi.DuplicateKeys} names the unique key a failed write
 * violated.
 * Everything in {@code io.openinsure.db.core.internal} may change without notice; this package changes only with a
 * note in the README.
 */
package io.openinsure.db.core.spi;
