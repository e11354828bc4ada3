package dev.duplex.core;

import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

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

    /** Whether this namespace's connections may have resumable sessions ({@link Session}). */
    default boolean resumable() {
        return false;
    }

    /**
     * A connection with a session dropped, and may come back within the session's window: called instead of
     * {@link #closed}, while the connection is still a member of its rooms. Keep in {@link Session#state} what
     * a resume needs; tell nobody yet (a reconnect inside the grace period is seen by no one).
     */
    default void suspended(Client client, Session session) {
    }

    /** A suspended session's grace period passed: tell the others it left, as {@link #closed} would have. */
    default void departed(Session session) {
    }

    /**
     * A suspended session came back on {@code client}, which has its id and is in no room yet. Puts it back
     * where the session was and calls {@code greet} exactly once, before sending it anything, with whether
     * every stream event it missed is being replayed ({@code positions}: its last position per stream);
     * {@code greet} queues its {@code connected}. {@code departed}: whether the others were told it left
     * (then they are told it is back).
     */
    default void resumed(Client client, Session session, Map<String, History.Position> positions, boolean departed,
            Consumer<Boolean> greet) {
        greet.accept(true);
    }

    /**
     * The server is shutting down and is about to close every connection with 1001: from now on the app need
     * not tell anyone who leaves (everyone is leaving; N notices to N clients would be N² frames).
     */
    default void draining() {
    }
}
