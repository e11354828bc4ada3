package dev.duplex.core;

import java.util.concurrent.CompletionStage;

/**
 * The rules of one namespace, free of any container: {@link Namespace} feeds it typed events and
 * connection lifecycle, and it answers through its {@link Broadcaster}. For one client, {@code opened}, its
 * event handlers and {@code closed} run one at a time, in order, never inside another client's callback;
 * for different clients they run concurrently, so implementations guard their shared state and never block
 * (see the threading model in {@code package-info}).
 */
public interface NamespaceApp {
    /** The endpoint path, e.g. {@code /chat}. */
    String path();

    /** Registers the namespace's events. Called once. */
    void register(EventTable events);

    /** Checks a new connection's handshake parameters; throws {@link Refusal} to close it with 1008. */
    default void admit(Client client) {
    }

    /**
     * After {@code connected} was sent. Returns null when done, or a stage when the connection is ready only
     * later (a board that is still loading in a cluster): its frames wait for the stage. A {@link Refusal},
     * thrown or failing the stage, closes the connection with its code.
     */
    default CompletionStage<?> opened(Client client) {
        return null;
    }

    /** The connection closed; still a member of its rooms until this returns. */
    default void closed(Client client) {
    }

    /**
     * The server is shutting down and is about to close every connection with 1001: from now on the app need
     * not tell anyone who leaves (everyone is leaving; N notices to N clients would be N² frames).
     */
    default void draining() {
    }
}
