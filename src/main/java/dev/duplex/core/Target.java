package dev.duplex.core;

import java.util.Collection;
import java.util.Set;

/**
 * Who a broadcast reaches, as an immutable value: the whole namespace, one room, or some sockets, minus
 * {@code except}. Built with {@code Target.room("a").except(id)}. One room at most, so that a cluster can
 * carry a room's broadcast on that room's channel alone (a node in two rooms of one target would hear it
 * twice).
 */
public record Target(Set<String> rooms, Set<SocketId> sockets, Set<SocketId> except) {
    private static final Target ALL = new Target(Set.of(), Set.of(), Set.of());

    public Target {
        if (rooms.size() > 1 || (!rooms.isEmpty() && !sockets.isEmpty())) {
            throw new IllegalArgumentException("A target names one room or some sockets, not both");
        }
        rooms = Set.copyOf(rooms);
        sockets = Set.copyOf(sockets);
        except = Set.copyOf(except);
    }

    /** Every connection of the namespace. */
    public static Target all() {
        return ALL;
    }

    public static Target room(String room) {
        return new Target(Set.of(room), Set.of(), Set.of());
    }

    public static Target socket(SocketId id) {
        return new Target(Set.of(), Set.of(id), Set.of());
    }

    public static Target sockets(Collection<SocketId> ids) {
        return new Target(Set.of(), Set.copyOf(ids), Set.of());
    }

    public Target except(SocketId id) {
        return new Target(rooms, sockets, Set.of(id));
    }

    /** The target without these sockets (in place of any skipped before). */
    public Target except(Set<SocketId> ids) {
        return new Target(rooms, sockets, ids);
    }

    public boolean isAll() {
        return rooms.isEmpty() && sockets.isEmpty();
    }
}
