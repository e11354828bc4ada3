package dev.duplex.cluster;

import java.util.regex.Pattern;

/**
 * The names of one cluster's channels and keys, all under {@code duplex:<cluster>:}: per namespace, one
 * channel for the whole namespace, one per room, one per node (frames for that node's sockets), one for
 * presence and one per journaled stream (a board); for the whole cluster, one for membership (nodes gone,
 * probes). Room names and namespace paths never hold a colon, so a channel name reads back unambiguously.
 */
public final class Channels {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** What a channel carries. */
    public enum Kind { ALL, ROOM, NODE, PRESENCE, MEMBERSHIP, JOURNAL }

    /** A channel name read back: its namespace, kind and (room or node) name. */
    public record Parsed(String namespace, Kind kind, String name) {
    }

    private final String prefix;

    public Channels(String cluster) {
        if (!NAME.matcher(cluster).matches()) {
            throw new IllegalArgumentException("duplex.cluster.name must be 1-64 characters of A-Z, a-z, 0-9, _ and -");
        }
        this.prefix = "duplex:" + cluster + ":";
    }

    public String all(String namespace) {
        return prefix + namespace + ":all";
    }

    public String room(String namespace, String room) {
        return prefix + namespace + ":room:" + room;
    }

    public String node(String namespace, String node) {
        return prefix + namespace + ":node:" + node;
    }

    public String presence(String namespace) {
        return prefix + namespace + ":presence";
    }

    /** The channel of a journaled stream (a board): its entries, numbered, as they are appended. */
    public String journal(String namespace, String stream) {
        return prefix + namespace + ":journal:" + stream;
    }

    /** The keys of a journaled stream: {@code meta} (a hash), {@code log} and {@code snapshot} (lists). */
    public String journalKey(String namespace, String stream, String part) {
        return journalKeys(namespace) + stream + ":" + part;
    }

    /** What every key of a namespace's journaled streams begins with: the stream's name and part follow. */
    public String journalKeys(String namespace) {
        return prefix + namespace + ":journal:";
    }

    /** The key of a namespace's journaled streams (a sorted set: name to its last use). */
    public String journals(String namespace) {
        return prefix + namespace + ":journals";
    }

    /** The cluster's membership channel: {@code gone <node>} and {@code probe <node> <number>}. */
    public String membership() {
        return prefix + "membership";
    }

    /** The key of a node's presence entries in a namespace (a hash). */
    public String presenceKey(String namespace, String node) {
        return prefix + namespace + ":presence:" + node;
    }

    /** The key of the cluster's live nodes (a sorted set: node tag to its last heartbeat). */
    public String nodes() {
        return prefix + "nodes";
    }

    /** The channel's parts, or null for a channel that is not this cluster's. */
    public Parsed parse(String channel) {
        if (!channel.startsWith(prefix)) {
            return null;
        }
        String rest = channel.substring(prefix.length());
        if (rest.equals("membership")) {
            return new Parsed(null, Kind.MEMBERSHIP, null);
        }
        int colon = rest.indexOf(':');
        if (colon < 0) {
            return null;
        }
        String namespace = rest.substring(0, colon);
        String tail = rest.substring(colon + 1);
        if (tail.equals("all")) {
            return new Parsed(namespace, Kind.ALL, null);
        }
        if (tail.equals("presence")) {
            return new Parsed(namespace, Kind.PRESENCE, null);
        }
        if (tail.startsWith("room:")) {
            return new Parsed(namespace, Kind.ROOM, tail.substring(5));
        }
        if (tail.startsWith("node:")) {
            return new Parsed(namespace, Kind.NODE, tail.substring(5));
        }
        if (tail.startsWith("journal:")) {
            return new Parsed(namespace, Kind.JOURNAL, tail.substring(8));
        }
        return null;
    }
}
