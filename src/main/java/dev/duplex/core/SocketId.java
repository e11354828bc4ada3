package dev.duplex.core;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

/**
 * A connection's id: 128 random bits, URL-safe, unguessable. Also its userId, player id and location id. In a
 * cluster it starts with its node's tag ({@link #random(String)}), so that a node can route a frame for it
 * to the node that holds it without asking anyone.
 */
public record SocketId(String value) {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    public SocketId {
        Objects.requireNonNull(value, "value");
    }

    public static SocketId random() {
        return random("");
    }

    /** A random id behind {@code prefix}: the random part alone keeps it unguessable. */
    public static SocketId random(String prefix) {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return new SocketId(prefix + ENCODER.encodeToString(bytes));
    }

    @Override
    public String toString() {
        return value;
    }
}
