package dev.duplex.core;

import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The members of each scope with their values, as every {@link Presence} holds them: a scope exists while
 * it has members. Thread-safe; reads are lock-free and weakly consistent.
 */
public final class PresenceScopes {
    private final ConcurrentHashMap<String, ConcurrentHashMap<SocketId, String>> scopes = new ConcurrentHashMap<>();

    public void put(String scope, SocketId id, String value) {
        // compute, not computeIfAbsent: a concurrent remove may be dropping the scope's map as it empties.
        scopes.compute(scope, (key, members) -> {
            ConcurrentHashMap<SocketId, String> result = members == null ? new ConcurrentHashMap<>() : members;
            result.put(id, value);
            return result;
        });
    }

    public void remove(String scope, SocketId id) {
        scopes.computeIfPresent(scope, (key, members) -> {
            members.remove(id);
            return members.isEmpty() ? null : members;
        });
    }

    public String get(String scope, SocketId id) {
        Map<SocketId, String> members = scopes.get(scope);
        return members == null ? null : members.get(id);
    }

    /** A live, read-only view of the scope's members; empty when it has none. */
    public Map<SocketId, String> members(String scope) {
        Map<SocketId, String> members = scopes.get(scope);
        return members == null ? Map.of() : Collections.unmodifiableMap(members);
    }

    public int count(String scope) {
        Map<SocketId, String> members = scopes.get(scope);
        return members == null ? 0 : members.size();
    }

    /** Every scope with its members, for a pass over all of them (a node's members going at once). */
    public Map<String, Map<SocketId, String>> all() {
        return Collections.unmodifiableMap(scopes);
    }
}
