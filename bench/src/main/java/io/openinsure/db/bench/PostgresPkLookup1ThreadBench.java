package io.openinsure.db.bench;

/** {@link PkLookupBench}'s typed cache hit on the embedded PostgreSQL, one thread (the ratio's base: the PostgreSQL floor). */
public class PostgresPkLookup1ThreadBench extends PkLookup1ThreadBench implements OnPostgres {}
