package dev.duplex.cluster.redis;

import dev.duplex.cluster.Channels;
import dev.duplex.cluster.ClusterBroadcaster;
import dev.duplex.core.Broadcaster;
import dev.duplex.core.Presence;
import dev.duplex.core.PresenceScopes;
import dev.duplex.core.SocketId;
import io.lettuce.core.ScriptOutputType;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * A namespace's {@link Presence} over a cluster. Every node keeps a full copy in memory, so reads never wait
 * for Redis; each node is the only writer of its own members. A change is applied here at once and, in one
 * Lua script, written to this node's hash in Redis and published on the presence channel with the node's
 * next sequence number. Other nodes apply it from the channel; a node that starts loads every live node's
 * hash first (having subscribed before, and applying what arrives meanwhile only past the snapshot's
 * sequence). A node that stops publishes that it is gone; every other node then drops its members and tells
 * its own connections ({@link Presence.Vanished}), so each client hears of each departure once.
 *
 * <p>Threads: changes of this node's members come from its connections' threads, and are published in the
 * order of their sequence numbers (a lock around numbering and sending); messages from the channel come on
 * the bus's one thread, under this object's lock.
 */
final class RedisPresence implements Presence {
    private static final System.Logger LOG = System.getLogger(RedisPresence.class.getName());
    private static final Script WRITE = Script.load("presence-write.lua");
    private static final Script SNAPSHOT = Script.load("presence-snapshot.lua");
    private static final Script GONE = Script.load("presence-gone.lua");
    private static final String SEQUENCE_FIELD = "#seq";

    private final String namespace;
    private final RedisBus redis;
    private final Channels channels;
    private final String node;
    private final ClusterBroadcaster broadcaster;
    private final PresenceScopes scopes = new PresenceScopes();
    /** The last sequence number applied per other node; under this object's lock. */
    private final Map<String, Long> applied = new HashMap<>();
    /** What arrived before the snapshot was loaded; null once it is. Under this object's lock. */
    private List<PresenceMessage> early = new ArrayList<>();
    private final Object writes = new Object();
    private long sequence;
    private volatile boolean left;
    private volatile Vanished listener = (id, entries, here) -> { };

    RedisPresence(String namespace, RedisBus redis, Channels channels, String node, ClusterBroadcaster broadcaster) {
        this.namespace = namespace;
        this.redis = redis;
        this.channels = channels;
        this.node = node;
        this.broadcaster = broadcaster;
    }

    // ---- this node's members ----------------------------------------------------------------------

    @Override
    public void join(String scope, SocketId id, String value) {
        scopes.put(scope, id, value);
        write(PresenceMessage.Op.JOIN, scope, id, value);
    }

    @Override
    public void leave(String scope, SocketId id) {
        scopes.remove(scope, id);
        write(PresenceMessage.Op.LEAVE, scope, id, "");
    }

    private void write(PresenceMessage.Op op, String scope, SocketId id, String value) {
        if (left) {
            return;
        }
        synchronized (writes) {
            long next = ++sequence;
            PresenceMessage message = new PresenceMessage(op, node, next, scope, id.value(), value);
            redis.run(WRITE, ScriptOutputType.INTEGER, new String[] {channels.presenceKey(namespace, node)},
                    bytes(Long.toString(next)), bytes(PresenceMessage.field(scope, id.value())), bytes(value),
                    bytes(op == PresenceMessage.Op.JOIN ? "J" : "L"), bytes(channels.presence(namespace)),
                    message.encode());
        }
    }

    /** Shutdown: this node's members leave everyone's copy at once. */
    CompletionStage<?> leaveCluster() {
        left = true;
        return redis.run(GONE, ScriptOutputType.INTEGER, new String[] {channels.presenceKey(namespace, node)},
                bytes(channels.presence(namespace)), PresenceMessage.gone(node).encode());
    }

    // ---- everyone's, as this node sees it ---------------------------------------------------------

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
    public void onVanished(Vanished listener) {
        this.listener = listener;
    }

    /** Loads every live node's members; after subscribing to the presence channel, before any connection. */
    CompletionStage<?> load() {
        return redis.<List<Object>>run(SNAPSHOT, ScriptOutputType.MULTI, new String[] {channels.nodes()},
                bytes(channels.presenceKey(namespace, ""))).thenAccept(this::loaded);
    }

    private synchronized void loaded(List<Object> snapshot) {
        for (int i = 0; i + 1 < snapshot.size(); i += 2) {
            String other = text(snapshot.get(i));
            if (other.equals(node)) {
                continue;
            }
            List<?> fields = (List<?>) snapshot.get(i + 1);
            long seen = 0;
            for (int f = 0; f + 1 < fields.size(); f += 2) {
                String field = text(fields.get(f));
                String value = text(fields.get(f + 1));
                if (field.equals(SEQUENCE_FIELD)) {
                    seen = Long.parseLong(value);
                    continue;
                }
                int space = field.indexOf(' ');
                scopes.put(field.substring(0, space), new SocketId(field.substring(space + 1)), value);
            }
            applied.put(other, seen);
        }
        List<PresenceMessage> arrived = early;
        early = null;
        arrived.forEach(this::apply);
    }

    /** A message of the presence channel; on the bus's thread. */
    synchronized void received(byte[] bytes) {
        PresenceMessage message;
        try {
            message = PresenceMessage.decode(bytes);
        } catch (IllegalArgumentException e) {
            LOG.log(Level.WARNING, "Dropped a malformed presence message: " + e.getMessage());
            return;
        }
        if (message.node().equals(node)) {
            return;
        }
        if (early != null) {
            early.add(message);
        } else {
            apply(message);
        }
    }

    private void apply(PresenceMessage message) {
        if (message.op() == PresenceMessage.Op.GONE) {
            vanish(message.node());
            return;
        }
        long last = applied.getOrDefault(message.node(), 0L);
        if (message.sequence() <= last) {
            return;
        }
        applied.put(message.node(), message.sequence());
        SocketId id = new SocketId(message.id());
        if (message.op() == PresenceMessage.Op.JOIN) {
            scopes.put(message.scope(), id, message.value());
        } else {
            scopes.remove(message.scope(), id);
        }
    }

    /** Drops every member of a node that went away, and lets this node's connections know. */
    private void vanish(String gone) {
        applied.remove(gone);
        Map<SocketId, Map<String, String>> lost = new LinkedHashMap<>();
        scopes.all().forEach((scope, members) -> members.forEach((id, value) -> {
            if (id.value().startsWith(gone)) {
                lost.computeIfAbsent(id, key -> new LinkedHashMap<>()).put(scope, value);
            }
        }));
        Broadcaster here = broadcaster.here();
        // One at a time, so each departure's count is the one after it, as when users leave one by one.
        lost.forEach((id, entries) -> {
            entries.keySet().forEach(scope -> scopes.remove(scope, id));
            try {
                listener.vanished(id, entries, here);
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "Announcing that " + id + " left with its node failed", e);
            }
        });
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Object bytes) {
        return new String((byte[]) bytes, StandardCharsets.UTF_8);
    }
}
