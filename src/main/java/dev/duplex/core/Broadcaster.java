package dev.duplex.core;

/**
 * The one way apps send: an event to a {@link Target}. The default delivers to this node's connections
 * ({@link LocalBroadcaster}); a multi-node implementation can replace it without the apps noticing.
 * Implementations encode the frame once per call, never once per receiver, and never block on a receiver.
 */
public interface Broadcaster {
    /** Sends nothing and encodes nothing: for rebuilding state whose frames its receivers have seen already. */
    Broadcaster NONE = new Broadcaster() {
        private final OutgoingText nothing = new OutgoingText("");
        private final Runnable noWrite = () -> { };

        @Override
        public OutgoingText encode(String event, Object data) {
            return nothing;
        }

        @Override
        public Runnable sendLater(Target target, OutgoingText frame) {
            return noWrite;
        }
    };

    /**
     * The part of this broadcaster that reaches only this node's connections, for what each node tells its
     * own from its own copy of shared state: this broadcaster itself on a node alone.
     */
    default Broadcaster here() {
        return this;
    }

    /** Sends now. */
    default void emit(Target target, String event, Object data) {
        emitLater(target, event, data).run();
    }

    /**
     * Fixes the frame's place in every receiver's queue now, and returns what writes it. Call it under a
     * lock that orders a shared thing's changes (a board), run the result after releasing the lock: every
     * receiver sees the lock's order, and no socket write happens while others wait for the lock.
     */
    default Runnable emitLater(Target target, String event, Object data) {
        return sendLater(target, encode(event, data));
    }

    /** The event as one encoded frame, for sending it several times without encoding it again. */
    OutgoingText encode(String event, Object data);

    /** {@link #emitLater} for a frame that {@link #encode} made: every receiver shares its text and bytes. */
    Runnable sendLater(Target target, OutgoingText frame);
}
