package io.openinsure.db.domains;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.UUIDClock;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import io.openinsure.db.domains.internal.UuidBinaryConverter;
import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Application-generated, time-ordered row ids: UUIDv7 (RFC 9562), stored as {@code BINARY(16)}.
 *
 * <p>Why not {@code AUTO_INCREMENT}: a Vitess keyspace that is later sharded cannot keep
 * auto-increment columns without Vitess sequences, and ids made by the application are known
 * before the insert (useful for idempotent, cross-keyspace flows). UUIDv7 starts with a
 * millisecond Unix timestamp, so new rows land at the right-hand end of the primary-key B-tree
 * as with an auto-increment key, and ids sort by creation time.
 *
 * <p>Generated with java-uuid-generator's {@code TimeBasedEpochGenerator}, which counts the random
 * bits up within one millisecond, on a clock that never goes backwards: the ids of one JVM are
 * strictly increasing. Thread-safe.
 */
public final class Ids {

    private static final TimeBasedEpochGenerator GENERATOR =
            Generators.timeBasedEpochGenerator(new SecureRandom(), new NonDecreasingClock());
    private static final UuidBinaryConverter BYTES = new UuidBinaryConverter();

    private static final Object LOCK = new Object();
    private static UUID last;

    private Ids() {}

    /** A new UUIDv7, greater (as stored bytes) than every id this JVM made before. */
    public static UUID newId() {
        // JUG's per-millisecond counter can wrap under heavy concurrent use; enforce the order here.
        synchronized (LOCK) {
            UUID next = GENERATOR.generate();
            if (last != null && compareStored(next, last) <= 0) {
                next = successor(last);
            }
            last = next;
            return next;
        }
    }

    private static int compareStored(UUID a, UUID b) {
        int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    }

    /** The next UUIDv7 after {@code id}: the 62 random bits after the variant plus one, carrying into rand_a. */
    private static UUID successor(UUID id) {
        long variant = 0x8000_0000_0000_0000L;
        long randB = (id.getLeastSignificantBits() & 0x3FFF_FFFF_FFFF_FFFFL) + 1;
        long msb = id.getMostSignificantBits();
        if (randB > 0x3FFF_FFFF_FFFF_FFFFL) {
            randB = 0;
            msb++;
        }
        return new UUID(msb, variant | randB);
    }

    /** The 16 bytes stored in a {@code BINARY(16)} column for this id (big-endian). */
    public static byte[] toBytes(UUID id) {
        return BYTES.to(id);
    }

    /** The id stored as these 16 bytes of a {@code BINARY(16)} column. */
    public static UUID fromBytes(byte[] bytes) {
        return BYTES.from(bytes);
    }

    /** Wall-clock milliseconds, held still (not stepped back) when the system clock is set back. */
    private static final class NonDecreasingClock extends UUIDClock {
        private final AtomicLong last = new AtomicLong();

        @Override
        public long currentTimeMillis() {
            return last.accumulateAndGet(System.currentTimeMillis(), Math::max);
        }
    }
}
