package io.openinsure.db.bench;

import org.openjdk.jmh.annotations.Threads;

/** {@link PkLookupBench} on eight threads (the pools hold eight connections). */
@Threads(8)
public class PkLookup8ThreadsBench extends PkLookupBench {
}
