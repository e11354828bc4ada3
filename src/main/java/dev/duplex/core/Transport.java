package dev.duplex.core;

import java.util.List;
import java.util.function.Consumer;

/**
 * The raw socket of one connection, as a runtime exposes it. Implemented once per runtime adapter; only
 * {@link SendQueue} calls it, one write at a time.
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

    /** Sends a WebSocket ping frame. */
    void sendPing();

    /** Closes the socket; the container then reports the close to the endpoint. */
    void close(CloseCode code, String reason);
}
