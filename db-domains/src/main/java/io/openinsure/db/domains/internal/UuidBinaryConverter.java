package io.openinsure.db.domains.internal;

import java.nio.ByteBuffer;
import java.util.UUID;
import org.jooq.Converter;

/**
 * Maps a {@code BINARY(16)} id column to {@link UUID}, used by the generated jOOQ tables.
 *
 * <p>The 16 bytes are the UUID in its natural big-endian order (most significant long first), the
 * same layout as MySQL's {@code UUID_TO_BIN(uuid)} without the swap flag. For the UUIDv7 ids made
 * by {@link io.openinsure.db.domains.Ids} that order starts with the millisecond timestamp, so
 * index order on the column is creation order.
 *
 * <p>Internal: referenced by generated code, not part of the API.
 */
public final class UuidBinaryConverter implements Converter<byte[], UUID> {

    private static final long serialVersionUID = 1L;

    @Override
    public UUID from(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        if (bytes.length != 16) {
            throw new IllegalArgumentException("a UUID column must hold exactly 16 bytes, found " + bytes.length);
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        return new UUID(buffer.getLong(), buffer.getLong());
    }

    @Override
    public byte[] to(UUID uuid) {
        if (uuid == null) {
            return null;
        }
        return ByteBuffer.allocate(16)
                .putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits())
                .array();
    }

    @Override
    public Class<byte[]> fromType() {
        return byte[].class;
    }

    @Override
    public Class<UUID> toType() {
        return UUID.class;
    }
}
