package dev.duplex.core;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Who is where in a namespace, over every node that serves it: for each scope (the chat lobby, a chat room)
 * its members, each with a value (a username). A node adds and removes its own connections; it reads
 * everyone's. On a node alone this is a pair of maps ({@link LocalPresence}); in a cluster every node keeps
 * a copy, kept in step through the cluster. When a copy learns of a change other than from the member's own
 * node as it happens (that node stopped or died and took its members with it, or a Redis outage hid changes
 * that a resync now finds), {@link Reconciled} tells each node once per member, so the node can tell its own
 * connections what they missed. Thread-safe; reads never wait for the network.
 */
public interface Presence {
    /** Members of other nodes whose entries this copy corrected; {@code here} reaches this node's connections only. */
    @FunctionalInterface
    interface Reconciled {
        /**
         * {@code before} and {@code after}: the scopes the correction touched (every scope, when a node's
         * entries are restated or gone), with the member's value there before and now; {@code after} is
         * empty for a member that went with its node. Called after the copy changed, so counts read in it
         * are the ones after the change.
         */
        void reconciled(SocketId id, Map<String, String> before, Map<String, String> after, Broadcaster here);
    }

    /** Adds a connection of this node to the scope, or changes its value there. */
    void join(String scope, SocketId id, String value);

    /** Removes a connection of this node from the scope; nothing if it was not in it. */
    void leave(String scope, SocketId id);

    /** The member's value in the scope, or null when it is not in it. */
    String get(String scope, SocketId id);

    /** A live, read-only view of the scope's members and their values; empty when nobody is in it. */
    Map<SocketId, String> members(String scope);

    int count(String scope);

    /**
     * At most {@code limit} of the scope's members in {@link Member} order, after {@code after} (null: from
     * the first), whose value starts with {@code prefix} ignoring case (empty: all); from one state of it.
     */
    List<Member> list(String scope, Member after, String prefix, int limit);

    /** Registers the one listener for corrections (never called on a node alone). */
    void onReconciled(Reconciled listener);

    /**
     * Registers the one listener told, by scope, after this copy applied a change of another node's member
     * that its node announced itself (never on a node alone): the scope's size changed.
     */
    void onRemoteChange(Consumer<String> listener);

    /**
     * Lets this node's changes to the scope reach the other nodes up to {@code windowMillis} late, a window's
     * worth in one message, which their copies then announce through {@link Reconciled} as their own news;
     * 0: at once again. For scopes whose members are told in batches anyway. Nothing on a node alone.
     */
    void batch(String scope, long windowMillis);
}
