package io.openinsure.db.bench;

import org.openjdk.jmh.annotations.Threads;

/** {@link ScaleBench} with 512 application threads. */
@Threads(512)
public class Scale512ThreadsBench extends ScaleBench {}
