package dev.duplex.core;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Shared state changed only by entries appended to an ordered stream (one stream per board): a replicated
 * state machine. Every node that serves a stream holds a copy of its state and applies each entry, in the
 * stream's one order, through the app's {@link Machine}; the rules live in the app alone, and a copy is
 * built by applying entries, never by reading another node's state. On a node alone the stream is the
 * copy: {@link #append} applies at once, on the caller's thread, and nothing is encoded. In a cluster the
 * stream is kept off the node, so a copy may be dropped when nobody here uses it and be rebuilt later.
 *
 * <p>Order and answers: entries that one connection appends are applied in the order it appended them; the
 * stage of {@link #append} completes with what {@link Machine#apply} returned for that entry on this node,
 * or fails with the {@link ProtocolError} it threw (nothing was applied anywhere then), or, in a cluster,
 * with {@link ErrorCode#UNAVAILABLE} when the stream's store cannot be reached.
 */
public interface Journal<E> {
    /** The app's side: the rules that turn entries into state, the same on every node. */
    interface Machine<E> {
        /**
         * Applies the entry to the stream's copy here, if this node holds one, and tells this node's
         * connections through {@code here}: {@link Broadcaster#NONE} while a copy is rebuilt from entries
         * that its connections have seen already. Returns the appender's answer; throws {@link ProtocolError}
         * for an entry the rules refuse, which must then change nothing. Deterministic: the same entries in
         * the same order give every copy the same state and answers. Takes the state's own lock.
         */
        Object apply(String stream, E entry, Broadcaster here);

        /** The copy is about to be rebuilt from the stream's entries: empty it. */
        void reset(String stream);

        /**
         * The copy was rebuilt (entries were missed, or the store lost them): tell this node's connections
         * anew, through {@code here}.
         */
        void rebuilt(String stream, Broadcaster here);

        /** Entries that rebuild the copy's present state, in order, for replacing the older entries. */
        List<E> snapshot(String stream);
    }

    /** How entries travel between nodes: as text, decoded by the same rules on every node. */
    interface Format<E> {
        String encode(E entry);

        /** Throws {@link IllegalArgumentException} for text that is no entry. */
        E decode(String text);
    }

    /** Appends the entry to the stream; see the class comment for what the stage completes with. */
    CompletionStage<Object> append(String stream, E entry);

    /** This node's copy of one stream, from {@link #follow}. */
    interface Copy {
        /** Completes once the copy is current (from then on every entry is applied here); fails if it cannot load. */
        CompletionStage<Void> current();

        /** Drops the copy. Never blocks and runs nobody's code: may be called under the state's lock. */
        void close();
    }

    /**
     * This node starts holding a copy of the stream, for one state: follow again only for a new state (the
     * old one's copy closed) or after the copy failed to load. On a node alone the copy is current at once.
     */
    Copy follow(String stream);

    /** Whether the stream outlives this node's copy, so that a copy nobody here uses may be dropped. */
    boolean shared();
}
