package dev.duplex.core;

import java.util.function.Consumer;

/**
 * The raw socket of one connection, as a container exposes it. Implemented once per runtime adapter;
 * only {@link SendQueue} calls it, one text write at a time.
 */
public interface Transport {
    /** Starts an asynchronous text write; {@code done} gets null on success or the failure. */
    void sendText(String text, Consumer<Throwable> done);

    /** Sends a WebSocket ping frame. */
    void sendPing();

    /** Closes the socket; the container then reports the close to the endpoint. */
    void close(CloseCode code, String reason);
}
