package dev.duplex.core;

import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** {@link Presence} on a node alone: nobody vanishes, since every member is one of this node's. */
public final class LocalPresence implements Presence {
    private final ConcurrentHashMap<String, ConcurrentHashMap<SocketId, String>> scopes = new ConcurrentHashMap<>();

    @Override
    public void join(String scope, SocketId id, String value) {
        // compute, not computeIfAbsent: a concurrent leave may be dropping the scope's map as it empties.
        scopes.compute(scope, (key, members) -> {
            ConcurrentHashMap<SocketId, String> result = members == null ? new ConcurrentHashMap<>() : members;
            result.put(id, value);
            return result;
        });
    }

    @Override
    public void leave(String scope, SocketId id) {
        scopes.computeIfPresent(scope, (key, members) -> {
            members.remove(id);
            return members.isEmpty() ? null : members;
        });
    }

    @Override
    public String get(String scope, SocketId id) {
        Map<SocketId, String> members = scopes.get(scope);
        return members == null ? null : members.get(id);
    }

    @Override
    public Map<SocketId, String> members(String scope) {
        Map<SocketId, String> members = scopes.get(scope);
        return members == null ? Map.of() : Collections.unmodifiableMap(members);
    }

    @Override
    public int count(String scope) {
        Map<SocketId, String> members = scopes.get(scope);
        return members == null ? 0 : members.size();
    }

    @Override
    public void onVanished(Vanished listener) {
    }
}
