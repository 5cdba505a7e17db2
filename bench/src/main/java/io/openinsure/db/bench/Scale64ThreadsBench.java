package io.openinsure.db.bench;

import org.openjdk.jmh.annotations.Threads;

/** {@link ScaleBench} with 64 application threads. */
@Threads(64)
public class Scale64ThreadsBench extends ScaleBench {}
