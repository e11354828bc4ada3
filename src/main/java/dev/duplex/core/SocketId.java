package dev.duplex.core;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

/** A connection's id: 128 random bits, URL-safe, unguessable. Also its userId, player id and location id. */
public record SocketId(String value) {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    public SocketId {
        Objects.requireNonNull(value, "value");
    }

    public static SocketId random() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return new SocketId(ENCODER.encodeToString(bytes));
    }

    @Override
    public String toString() {
        return value;
    }
}
