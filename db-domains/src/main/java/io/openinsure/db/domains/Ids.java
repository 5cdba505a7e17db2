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

    private Ids() {}

    /** A new UUIDv7, greater than every id this JVM made before. */
    public static UUID newId() {
        return GENERATOR.generate();
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
