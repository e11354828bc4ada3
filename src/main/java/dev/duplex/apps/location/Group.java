package dev.duplex.apps.location;

import dev.duplex.core.SocketId;
import dev.duplex.core.StreamCopy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * One location group: the last position of each member that sent one, in order of first update, and the
 * state of its coalesced broadcasts; this node's copy of the group's journal. Guarded by its own lock
 * ({@code synchronized (group)}).
 */
final class Group {
    final String name;
    private final LinkedHashMap<SocketId, LocationService.Entry> entries = new LinkedHashMap<>();
    /** When the last {@code locations-updated} went out. */
    long lastSentAt = Long.MIN_VALUE / 2;
    /** A deferred broadcast is pending; it will send whatever the list holds by then. */
    boolean flushPending;
    /** This node's copy of the group's journal. */
    final StreamCopy copy;

    Group(String name) {
        this.name = name;
        this.copy = new StreamCopy(name);
    }

    void put(LocationService.Entry entry) {
        entries.put(entry.id(), entry);
    }

    boolean remove(SocketId id) {
        return entries.remove(id) != null;
    }

    void clear() {
        entries.clear();
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    List<LocationService.Entry> list() {
        return new ArrayList<>(entries.values());
    }
}
