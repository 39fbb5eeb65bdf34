package dev.orderflow.orchestration.support;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/** Opaque list cursors: the base64url form of the last id a client has seen. */
public final class Cursor {

    private Cursor() {
    }

    public static String encode(UUID lastId) {
        ByteBuffer bytes = ByteBuffer.allocate(16);
        bytes.putLong(lastId.getMostSignificantBits()).putLong(lastId.getLeastSignificantBits());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }

    /**
     * Decodes a cursor a client sent back.
     *
     * @throws InvalidCursorException when it is not one of ours
     */
    public static Optional<UUID> decode(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return Optional.empty();
        }
        try {
            byte[] raw = Base64.getUrlDecoder().decode(cursor);
            if (raw.length != 16) {
                throw new InvalidCursorException(cursor);
            }
            ByteBuffer bytes = ByteBuffer.wrap(raw);
            return Optional.of(new UUID(bytes.getLong(), bytes.getLong()));
        } catch (IllegalArgumentException e) {
            throw new InvalidCursorException(cursor);
        }
    }
}
