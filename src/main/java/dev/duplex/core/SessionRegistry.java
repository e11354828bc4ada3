package dev.duplex.core;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;

/** The open connections of one namespace by id, and their rooms. Thread-safe. */
public final class SessionRegistry {
    private final ConcurrentHashMap<SocketId, Client> clients = new ConcurrentHashMap<>();
    private final RoomRegistry rooms;

    public SessionRegistry() {
        this(RoomRegistry.LOCAL);
    }

    /** @param rooms told when each room gets its first member here and loses its last */
    public SessionRegistry(RoomRegistry.Listener rooms) {
        this.rooms = new RoomRegistry(rooms);
    }

    void add(Client client) {
        clients.put(client.id(), client);
    }

    void remove(Client client) {
        clients.remove(client.id(), client);
        rooms.leaveAll(client.id());
    }

    /** The open connection with this id, or null. */
    public Client client(SocketId id) {
        return clients.get(id);
    }

    public Collection<Client> clients() {
        return clients.values();
    }

    public int size() {
        return clients.size();
    }

    public RoomRegistry rooms() {
        return rooms;
    }
}
