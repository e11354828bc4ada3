package dev.duplex.core;

import java.util.function.Function;

/**
 * One encoded text message on its way to one or many connections. A runtime that writes WebSocket frames
 * itself frames the message once, on first use, and every receiver's write shares those bytes: a broadcast
 * to 500 connections encodes and frames its text once, not 500 times. Thread-safe.
 */
public final class OutgoingText {
    private final String text;
    private final OutgoingText positioned;
    // Two threads may frame at once; both produce equal bytes, so the race is harmless and cheaper than a lock.
    private volatile byte[] framed;

    public OutgoingText(String text) {
        this(text, null);
    }

    private OutgoingText(String text, OutgoingText positioned) {
        this.text = text;
        this.positioned = positioned;
    }

    public String text() {
        return text;
    }

    /**
     * The same message with {@code positioned} as what connections that asked for positions get instead
     * ({@link History}): both framed once, whoever receives them.
     */
    public OutgoingText withPositioned(OutgoingText positioned) {
        return new OutgoingText(text, positioned);
    }

    /** What a connection gets: the positioned variant when it asked for positions and there is one. */
    OutgoingText forClient(boolean wantsPositions) {
        return wantsPositions && positioned != null ? positioned : this;
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
