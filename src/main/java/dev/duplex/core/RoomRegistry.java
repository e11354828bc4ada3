package dev.duplex.core;

import java.util.Collections;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Room membership of one namespace, as two indexes kept in step: room to members and member to rooms.
 * A room exists while it has members; the last one out deletes it. Thread-safe; iteration over a room's
 * members is weakly consistent (a socket joining during a broadcast may or may not get it).
 *
 * <p>A {@link Listener} hears of each room's first member and last departure: in a cluster, that is when the
 * node starts and stops listening to the room's channel.
 */
public final class RoomRegistry {
    /**
     * Told, in order for each room, when a room gets its first member on this node and when its last one
     * leaves. Called inside the registry's update of that room: quick, and never blocking.
     */
    public interface Listener {
        /** The room's first member joined; the stage completes when broadcasts to it from anywhere arrive. */
        CompletionStage<Void> opened(String room);

        void emptied(String room);
    }

    /** A node alone: every broadcast to a room is local, so a room is ready as soon as it exists. */
    public static final Listener LOCAL = new Listener() {
        private final CompletionStage<Void> ready = CompletableFuture.completedFuture(null);

        @Override
        public CompletionStage<Void> opened(String room) {
            return ready;
        }

        @Override
        public void emptied(String room) {
        }
    };

    private record Members(Set<SocketId> ids, CompletionStage<Void> ready) {
    }

    private final ConcurrentHashMap<String, Members> members = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<SocketId, Set<String>> roomsOf = new ConcurrentHashMap<>();
    private final Listener listener;

    public RoomRegistry() {
        this(LOCAL);
    }

    public RoomRegistry(Listener listener) {
        this.listener = listener;
    }

    /** Adds the socket to the room, creating it; false if it was already a member. */
    public boolean join(String room, SocketId id) {
        boolean[] added = new boolean[1];
        members.compute(room, (key, existing) -> {
            Members result = existing != null ? existing
                    : new Members(ConcurrentHashMap.newKeySet(), listener.opened(room));
            added[0] = result.ids().add(id);
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
        members.computeIfPresent(room, (key, existing) -> {
            removed[0] = existing.ids().remove(id);
            return remaining(room, existing);
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
            members.computeIfPresent(room, (key, existing) -> {
                existing.ids().remove(id);
                return remaining(room, existing);
            });
        }
        return rooms;
    }

    private Members remaining(String room, Members existing) {
        if (!existing.ids().isEmpty()) {
            return existing;
        }
        listener.emptied(room);
        return null;
    }

    /**
     * Completes when broadcasts to the room from anywhere reach its members here: at once on a node alone, in a
     * cluster once the node listens to the room's channel. Completed for a room without members.
     */
    public CompletionStage<Void> ready(String room) {
        Members existing = members.get(room);
        return existing == null ? LOCAL.opened(room) : existing.ready();
    }

    public boolean exists(String room) {
        return members.containsKey(room);
    }

    public boolean isMember(String room, SocketId id) {
        Members existing = members.get(room);
        return existing != null && existing.ids().contains(id);
    }

    /** A live, read-only view of the room's members; empty when the room does not exist. */
    public Set<SocketId> members(String room) {
        Members existing = members.get(room);
        return existing == null ? Set.of() : Collections.unmodifiableSet(existing.ids());
    }

    /** A live, read-only view of the rooms the socket is in. */
    public Set<String> roomsOf(SocketId id) {
        Set<String> set = roomsOf.get(id);
        return set == null ? Set.of() : Collections.unmodifiableSet(set);
    }

    public int size(String room) {
        Members existing = members.get(room);
        return existing == null ? 0 : existing.ids().size();
    }
}
