package dev.duplex.core;

import java.util.Collection;
import java.util.Set;

/**
 * Who a broadcast reaches, as an immutable value: the whole namespace, or the union of some rooms and
 * sockets (each receiver once), minus {@code except}. Built with {@code Target.room("a").except(id)}.
 */
public record Target(Set<String> rooms, Set<SocketId> sockets, Set<SocketId> except) {
    private static final Target ALL = new Target(Set.of(), Set.of(), Set.of());

    public Target {
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

    public static Target rooms(Collection<String> rooms) {
        return new Target(Set.copyOf(rooms), Set.of(), Set.of());
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

    public boolean isAll() {
        return rooms.isEmpty() && sockets.isEmpty();
    }
}
