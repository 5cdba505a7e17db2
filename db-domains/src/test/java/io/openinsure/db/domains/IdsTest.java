package io.openinsure.db.domains;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openinsure.db.domains.internal.UuidBinaryConverter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class IdsTest {

    /** Order of the stored BINARY(16) bytes, as MySQL/MariaDB compare them. */
    private static int compareStored(UUID a, UUID b) {
        return Arrays.compareUnsigned(Ids.toBytes(a), Ids.toBytes(b));
    }

    private static long unixMillis(UUID v7) {
        return v7.getMostSignificantBits() >>> 16;
    }

    @Test
    void idsAreVersion7WithTheRfcVariantAndTheCurrentTime() {
        long before = System.currentTimeMillis();
        UUID id = Ids.newId();
        long after = System.currentTimeMillis();
        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(unixMillis(id)).isBetween(before, after);
    }

    @Test
    void idsIncreaseStrictlyWithinAndAcrossMilliseconds() throws InterruptedException {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            ids.add(Ids.newId());
            if (i % 5_000 == 0) {
                Thread.sleep(2);
            }
        }
        for (int i = 1; i < ids.size(); i++) {
            assertThat(compareStored(ids.get(i - 1), ids.get(i)))
                    .as("id %d < id %d", i - 1, i)
                    .isNegative();
            assertThat(ids.get(i - 1)).isLessThan(ids.get(i));
        }
        assertThat(unixMillis(ids.get(ids.size() - 1))).isGreaterThan(unixMillis(ids.get(0)));
    }

    @Test
    void idsAreUniqueAcrossThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<UUID>>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> {
                    List<UUID> mine = new ArrayList<>();
                    for (int i = 0; i < 10_000; i++) {
                        mine.add(Ids.newId());
                    }
                    return mine;
                }));
            }
            Set<UUID> all = new HashSet<>();
            for (Future<List<UUID>> f : futures) {
                List<UUID> mine = f.get();
                for (int i = 1; i < mine.size(); i++) {
                    assertThat(compareStored(mine.get(i - 1), mine.get(i))).isNegative();
                }
                all.addAll(mine);
            }
            assertThat(all).hasSize(40_000);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void storedBytesAreTheUuidInBigEndianOrder() {
        UUID id = UUID.fromString("01890a5d-ac96-774b-bcce-b302099a8057");
        byte[] bytes = Ids.toBytes(id);
        StringBuilder hex = new StringBuilder();
        for (byte b : bytes) {
            hex.append(String.format("%02x", b));
        }
        assertThat(hex.toString()).isEqualTo(id.toString().replace("-", ""));
        assertThat(Ids.fromBytes(bytes)).isEqualTo(id);

        UuidBinaryConverter converter = new UuidBinaryConverter();
        assertThat(converter.from(null)).isNull();
        assertThat(converter.to(null)).isNull();
        assertThat(converter.fromType()).isEqualTo(byte[].class);
        assertThat(converter.toType()).isEqualTo(UUID.class);
        assertThatThrownBy(() -> converter.from(new byte[15]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("16 bytes");
    }
}
