package dev.duplex.core;

import java.util.function.Function;

/**
 * One encoded text message on its way to one or many connections. A runtime that writes WebSocket frames
 * itself frames the message once, on first use, and every receiver's write shares those bytes: a broadcast
 * to 500 connections encodes and frames its text once, not 500 times. Thread-safe.
 */
public final class OutgoingText {
    private final String text;
    // Two threads may frame at once; both produce equal bytes, so the race is harmless and cheaper than a lock.
    private volatile byte[] framed;

    public OutgoingText(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    /** The message as wire bytes, framed by {@code framer} the first time any receiver asks. */
    public byte[] framed(Function<String, byte[]> framer) {
        byte[] bytes = framed;
        if (bytes == null) {
            bytes = framer.apply(text);
            framed = bytes;
        }
        return bytes;
    }

    @Override
    public String toString() {
        return text;
    }
}
