package dev.duplex.core;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@link Presence} on a node alone: nothing is ever corrected or held back, since every member is one of
 * this node's.
 */
public final class LocalPresence implements Presence {
    private final PresenceScopes scopes = new PresenceScopes();

    @Override
    public void join(String scope, SocketId id, String value) {
        scopes.put(scope, id, value);
    }

    @Override
    public void leave(String scope, SocketId id) {
        scopes.remove(scope, id);
    }

    @Override
    public String get(String scope, SocketId id) {
        return scopes.get(scope, id);
    }

    @Override
    public Map<SocketId, String> members(String scope) {
        return scopes.members(scope);
    }

    @Override
    public int count(String scope) {
        return scopes.count(scope);
    }

    @Override
    public List<Member> list(String scope, Member after, String prefix, int limit) {
        return scopes.list(scope, after, prefix, limit);
    }

    @Override
    public void onReconciled(Reconciled listener) {
    }

    @Override
    public void onRemoteChange(Consumer<String> listener) {
    }

    @Override
    public void batch(String scope, long windowMillis) {
    }
}
