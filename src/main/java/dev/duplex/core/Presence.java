package dev.duplex.core;

import java.util.Map;

/**
 * Who is where in a namespace, over every node that serves it: for each scope (the chat lobby, a chat room)
 * its members, each with a value (a username). A node adds and removes its own connections; it reads
 * everyone's. On a node alone this is a pair of maps ({@link LocalPresence}); in a cluster every node keeps
 * a copy, kept in step through the cluster, and a node that stops or dies takes its members with it:
 * {@link Vanished} tells each remaining node once. Thread-safe; reads never wait for the network.
 */
public interface Presence {
    /** Members that went with their node; {@code here} reaches this node's connections only. */
    @FunctionalInterface
    interface Vanished {
        /** {@code scopes}: every scope the connection was in, with its value there. */
        void vanished(SocketId id, Map<String, String> scopes, Broadcaster here);
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

    /** Registers the one listener for members that vanish with their node (never called on a node alone). */
    void onVanished(Vanished listener);
}
