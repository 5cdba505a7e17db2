package io.openinsure.db.bench;

import org.openjdk.jmh.annotations.Threads;

/** {@link PkLookupBench} on one thread. */
@Threads(1)
public class PkLookup1ThreadBench extends PkLookupBench {}
