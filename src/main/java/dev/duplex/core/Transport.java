package dev.duplex.core;

import java.net.InetAddress;
import java.util.List;
import java.util.function.Consumer;

/**
 * The raw socket of one connection, as a runtime exposes it. Implemented once per runtime adapter; only
 * {@link SendQueue} writes and closes through it, one write (text or ping) at a time. Writes never block the
 * caller. A close may block (some containers write the close frame synchronously), which is why
 * {@code SendQueue} calls it on the runtime's connection I/O threads, never on a read thread, a broadcaster or
 * the scheduler; the runtime then reports the close to the endpoint on that same thread.
 */
public interface Transport {
    /**
     * Starts one asynchronous write of whole text messages, in order; {@code done} gets null on success or
     * the failure. Never called with more than {@link #maxBatch()} messages.
     */
    void send(List<OutgoingText> messages, Consumer<Throwable> done);

    /**
     * How many queued messages one write may carry. A runtime that owns the socket gathers a backlog into one
     * write (one system call instead of many); one that can only send message by message answers 1.
     */
    default int maxBatch() {
        return 1;
    }

    /** The peer's network address, where the runtime knows it from the socket; null where it does not. */
    default InetAddress peer() {
        return null;
    }

    /** Starts a WebSocket ping frame; {@code done} as for {@link #send}. */
    void sendPing(Consumer<Throwable> done);

    /**
     * Closes with a close frame and the close handshake; the connection is released within the runtime's
     * close timeout even if the peer never answers.
     */
    void close(CloseCode code, String reason);

    /**
     * Closes a connection whose peer has stopped reading: whatever is queued for it, in the runtime and in
     * the kernel, is dropped now rather than waiting for a reader that will not come. The endpoint is told as
     * for {@link #close}. By default the same as {@code close}, for runtimes that cannot do better.
     */
    default void abort(CloseCode code, String reason) {
        close(code, reason);
    }
}
