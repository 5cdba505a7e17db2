package io.openinsure.db.bench;

import org.openjdk.jmh.annotations.Threads;

/** {@link ScaleBench} with 8 application threads. */
@Threads(8)
public class Scale8ThreadsBench extends ScaleBench {}
