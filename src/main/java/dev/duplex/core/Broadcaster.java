package dev.duplex.core;

/**
 * The one way apps send: an event to a {@link Target}. The default delivers to this node's connections
 * ({@link LocalBroadcaster}); a multi-node implementation can replace it without the apps noticing.
 * Implementations encode the frame once per call, never once per receiver, and never block on a receiver.
 */
public interface Broadcaster {
    void emit(Target target, String event, Object data);
}
