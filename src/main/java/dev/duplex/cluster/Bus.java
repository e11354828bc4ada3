package dev.duplex.cluster;

import java.util.concurrent.CompletionStage;

/**
 * Publish/subscribe between the nodes of a cluster, as the broadcaster needs it: fire-and-forget publishes,
 * and subscriptions that say when they hold. Every message received goes to the one {@link Receiver}, in
 * the order the bus delivers them (for one publisher, its publishing order). Implementations never block
 * the caller on the network.
 */
public interface Bus {
    /** Where received messages go; called on the bus's own I/O thread, so it must not block. */
    @FunctionalInterface
    interface Receiver {
        void received(String channel, byte[] message);
    }

    /** Sends the message to every subscriber of the channel; a failure is the bus's to report. */
    void publish(String channel, byte[] message);

    /** Starts receiving the channel; the stage completes once the subscription holds, or fails. */
    CompletionStage<Void> subscribe(String channel);

    void unsubscribe(String channel);
}
