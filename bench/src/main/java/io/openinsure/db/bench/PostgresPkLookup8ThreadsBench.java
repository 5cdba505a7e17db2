package io.openinsure.db.bench;

/** {@link PkLookupBench}'s typed cache hit on the embedded PostgreSQL, eight threads, with {@link PkLookup8ThreadsBench}'s warm-up. */
public class PostgresPkLookup8ThreadsBench extends PkLookup8ThreadsBench implements OnPostgres {}
