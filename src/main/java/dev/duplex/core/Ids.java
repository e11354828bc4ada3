package dev.duplex.core;

import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/** Server-generated opaque ids for things that are not connections (messages, games): unique, not secret. */
public final class Ids {
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private Ids() {
    }

    /**
     * A stream's epoch: 48 random bits, so that a stream started again (its numbering from 1) is never
     * taken for its earlier life.
     */
    public static String epoch() {
        byte[] bytes = new byte[6];
        ThreadLocalRandom.current().nextBytes(bytes);
        return ENCODER.encodeToString(bytes);
    }

    /** 96 random bits: collisions are negligible for the lifetime of any server. */
    public static String next() {
        byte[] bytes = new byte[12];
        ThreadLocalRandom.current().nextBytes(bytes);
        return ENCODER.encodeToString(bytes);
    }
}
