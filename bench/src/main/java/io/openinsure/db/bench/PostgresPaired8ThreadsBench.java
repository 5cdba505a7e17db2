package io.openinsure.db.bench;

/** {@link PostgresPaired1ThreadBench}'s lookups on eight threads, with {@link Paired8ThreadsBench}'s longer warm-up. */
public class PostgresPaired8ThreadsBench extends Paired8ThreadsBench implements OnPostgres {}
