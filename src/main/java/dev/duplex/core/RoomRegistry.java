package dev.duplex.core;

import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Room membership of one namespace, as two indexes kept in step: room to members and member to rooms.
 * A room exists while it has members; the last one out deletes it. Thread-safe; iteration over a room's
 * members is weakly consistent (a socket joining during a broadcast may or may not get it).
 */
public final class RoomRegistry {
    private final ConcurrentHashMap<String, Set<SocketId>> members = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<SocketId, Set<String>> roomsOf = new ConcurrentHashMap<>();

    /** Adds the socket to the room, creating it; false if it was already a member. */
    public boolean join(String room, SocketId id) {
        boolean[] added = new boolean[1];
        members.compute(room, (key, set) -> {
            Set<SocketId> result = set == null ? ConcurrentHashMap.newKeySet() : set;
            added[0] = result.add(id);
            return result;
        });
        roomsOf.compute(id, (key, set) -> {
            Set<String> result = set == null ? ConcurrentHashMap.newKeySet() : set;
            result.add(room);
            return result;
        });
        return added[0];
    }

    /** Removes the socket from the room, deleting the room when it empties; false if it was no member. */
    public boolean leave(String room, SocketId id) {
        boolean[] removed = new boolean[1];
        members.computeIfPresent(room, (key, set) -> {
            removed[0] = set.remove(id);
            return set.isEmpty() ? null : set;
        });
        roomsOf.computeIfPresent(id, (key, set) -> {
            set.remove(room);
            return set.isEmpty() ? null : set;
        });
        return removed[0];
    }

    /** Removes the socket from every room; returns the rooms it was in. */
    public Set<String> leaveAll(SocketId id) {
        Set<String> rooms = roomsOf.remove(id);
        if (rooms == null) {
            return Set.of();
        }
        for (String room : rooms) {
            members.computeIfPresent(room, (key, set) -> {
                set.remove(id);
                return set.isEmpty() ? null : set;
            });
        }
        return rooms;
    }

    public boolean exists(String room) {
        return members.containsKey(room);
    }

    public boolean isMember(String room, SocketId id) {
        Set<SocketId> set = members.get(room);
        return set != null && set.contains(id);
    }

    /** A live, read-only view of the room's members; empty when the room does not exist. */
    public Set<SocketId> members(String room) {
        Set<SocketId> set = members.get(room);
        return set == null ? Set.of() : Collections.unmodifiableSet(set);
    }

    /** A live, read-only view of the rooms the socket is in. */
    public Set<String> roomsOf(SocketId id) {
        Set<String> set = roomsOf.get(id);
        return set == null ? Set.of() : Collections.unmodifiableSet(set);
    }

    public int size(String room) {
        Set<SocketId> set = members.get(room);
        return set == null ? 0 : set.size();
    }
}
