package dev.duplex.cluster.redis;

import dev.duplex.cluster.Channels;
import dev.duplex.cluster.ClusterBroadcaster;
import dev.duplex.core.Broadcaster;
import dev.duplex.core.Member;
import dev.duplex.core.Presence;
import dev.duplex.core.PresenceScopes;
import dev.duplex.core.SocketId;
import io.lettuce.core.ScriptOutputType;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.concurrent.CompletionStage;

/**
 * A namespace's {@link Presence} over a cluster. Every node keeps a full copy in memory, so reads never wait
 * for Redis; each node is the only writer of its own entries. A change is applied here at once and, in one
 * Lua script, written to this node's hash in Redis and published on the presence channel with the node's
 * next sequence number. Other nodes apply it from the channel.
 *
 * <p>Loading: a node reads every live node's hash (having subscribed to the channel before, and applying
 * what arrives meanwhile only past the snapshot's sequence). It loads once at start, silently, and again
 * after any trouble with Redis ({@link NodeLiveness}), when it also states all of its own entries at once
 * ({@link PresenceMessage.Reset}): then whatever a copy finds different is a correction its own connections
 * missed, told through {@link Reconciled}. A node that stops or dies takes its members with it
 * ({@link #gone}), told the same way, so each client hears of each departure once.
 *
 * <p>Changes to a scope told in batches ({@link #batch}: a big chat lobby) are held back for up to a window
 * and sent together, one script and one message per window however many joined, so that a lobby filling
 * up costs each node one publish per window instead of one per join. The node announces none of them
 * itself, so every copy that applies a batch announces its changes to its own connections
 * ({@link Reconciled}); whatever else is written first sends what is held back, so that the channel
 * carries every change in sequence order.
 *
 * <p>Threads: this node's changes come from its connections' threads and are sent in the order of their
 * sequence numbers (a lock around numbering and sending), held-back ones also from the presence timer;
 * messages from the channel come on the bus's thread, snapshots on Lettuce's, departures on the liveness
 * thread, all under this object's lock.
 */
final class RedisPresence implements Presence {
    private static final System.Logger LOG = System.getLogger(RedisPresence.class.getName());
    private static final Script WRITE = Script.load("presence-write.lua");
    private static final Script RESET = Script.load("presence-reset.lua");
    private static final Script SNAPSHOT = Script.load("presence-snapshot.lua");
    private static final String SEQUENCE_FIELD = "#seq";

    private final String namespace;
    private final RedisBus redis;
    private final Channels channels;
    private final String node;
    private final long entriesTtlMillis;
    private final ClusterBroadcaster broadcaster;
    private final Runnable troubled;
    private final PresenceScopes scopes = new PresenceScopes();
    /** The last sequence number applied per other node; under this object's lock. */
    private final Map<String, Long> applied = new HashMap<>();
    /** What arrived while a snapshot was loading; null when none is. Under this object's lock. */
    private List<PresenceMessage> early;
    /** This node's entries as of {@link #sequence} (hash field to value), under {@link #writes}. */
    private final Map<String, String> own = new LinkedHashMap<>();
    private final Object writes = new Object();
    private long sequence;
    /** Changes held back for a window, in sequence order, under {@link #writes}. */
    private List<PresenceMessage.Change> held = new ArrayList<>();
    private boolean flushScheduled;
    /** The scopes told in batches, with their windows. */
    private final ConcurrentHashMap<String, Long> batched = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    private volatile boolean left;
    private volatile Reconciled listener = (id, before, after, here) -> { };
    private volatile Consumer<String> remoteChange = scope -> { };

    /**
     * {@code troubled}: told when a write failed, so that this node's entries are stated again;
     * {@code timer}: sends held-back changes at the end of their window (and never blocks on Redis).
     */
    RedisPresence(String namespace, RedisBus redis, Channels channels, String node, long entriesTtlMillis,
            ClusterBroadcaster broadcaster, Runnable troubled, ScheduledExecutorService timer) {
        this.timer = timer;
        this.namespace = namespace;
        this.redis = redis;
        this.channels = channels;
        this.node = node;
        this.entriesTtlMillis = entriesTtlMillis;
        this.broadcaster = broadcaster;
        this.troubled = troubled;
    }

    // ---- this node's entries ----------------------------------------------------------------------

    @Override
    public void join(String scope, SocketId id, String value) {
        scopes.put(scope, id, value);
        write(scope, id, value);
    }

    @Override
    public void leave(String scope, SocketId id) {
        scopes.remove(scope, id);
        write(scope, id, null);
    }

    /** Writes and announces one change, or holds it back for its scope's window; {@code value} null for a leave. */
    private void write(String scope, SocketId id, String value) {
        if (left) {
            return;
        }
        String field = PresenceMessage.field(scope, id.value());
        synchronized (writes) {
            long next = ++sequence;
            if (value == null) {
                own.remove(field);
            } else {
                own.put(field, value);
            }
            PresenceMessage.Change change = new PresenceMessage.Change(node, next, scope, id.value(), value);
            Long window = batched.get(scope);
            if (window != null) {
                held.add(change);
                if (!flushScheduled) {
                    flushScheduled = true;
                    timer.schedule(this::sendHeld, window, TimeUnit.MILLISECONDS);
                }
                return;
            }
            sendHeldLocked();
            send(List.of(change), change);
        }
    }

    /** The end of a window: what was held back goes, in one message. */
    private void sendHeld() {
        synchronized (writes) {
            flushScheduled = false;
            sendHeldLocked();
        }
    }

    private void sendHeldLocked() {
        if (held.isEmpty() || left) {
            return;
        }
        List<PresenceMessage.Change> changes = held;
        held = new ArrayList<>();
        send(changes, new PresenceMessage.Batch(node, changes.get(changes.size() - 1).sequence(), changes));
    }

    /** One script: the changes kept in this node's hash, and {@code message} published. Under {@link #writes}. */
    private void send(List<PresenceMessage.Change> changes, PresenceMessage message) {
        List<byte[]> args = new ArrayList<>(4 + 3 * changes.size());
        args.add(bytes(Long.toString(message.sequence())));
        args.add(bytes(channels.presence(namespace)));
        args.add(message.encode());
        args.add(bytes(Long.toString(entriesTtlMillis)));
        for (PresenceMessage.Change change : changes) {
            args.add(bytes(change.value() == null ? "L" : "J"));
            args.add(bytes(PresenceMessage.field(change.scope(), change.id())));
            args.add(bytes(change.value() == null ? "" : change.value()));
        }
        redis.run(WRITE, ScriptOutputType.INTEGER, new String[] {channels.presenceKey(namespace, node)},
                args.toArray(byte[][]::new))
                .whenComplete((ok, failure) -> {
                    if (failure != null) {
                        troubled.run();
                    }
                });
    }

    @Override
    public void batch(String scope, long windowMillis) {
        if (windowMillis > 0) {
            batched.put(scope, windowMillis);
        } else if (batched.remove(scope) != null) {
            // What is held back goes now, before anything this node sends of the scope from here on.
            synchronized (writes) {
                sendHeldLocked();
            }
        }
    }

    /** States every entry of this node at once, replacing what Redis and the other copies hold of it. */
    CompletionStage<?> reset() {
        synchronized (writes) {
            // What is held back is in the entries stated now, under a later number.
            held = new ArrayList<>();
            long next = ++sequence;
            Map<String, String> entries = new LinkedHashMap<>(own);
            List<byte[]> args = new ArrayList<>(5 + 2 * entries.size());
            args.add(bytes(node));
            args.add(bytes(Long.toString(next)));
            args.add(bytes(Long.toString(entriesTtlMillis)));
            args.add(bytes(channels.presence(namespace)));
            args.add(new PresenceMessage.Reset(node, next, entries).encode());
            entries.forEach((field, value) -> {
                args.add(bytes(field));
                args.add(bytes(value));
            });
            return redis.run(RESET, ScriptOutputType.INTEGER,
                    new String[] {channels.presenceKey(namespace, node), channels.nodes()}, args.toArray(byte[][]::new));
        }
    }

    /** Shutdown: nothing more is written; the node's entries are deleted by its leave script. */
    void stopWriting() {
        left = true;
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
    public List<Member> list(String scope, Member after, String prefix, int limit) {
        return scopes.list(scope, after, prefix, limit);
    }

    @Override
    public void onReconciled(Reconciled listener) {
        this.listener = listener;
    }

    @Override
    public void onRemoteChange(Consumer<String> listener) {
        this.remoteChange = listener;
    }

    /**
     * Loads every live node's entries; after subscribing to the presence channel. {@code announce}: false
     * at start, when this node has no connections to tell; true after trouble, when what differs is news.
     */
    CompletionStage<?> load(boolean announce) {
        synchronized (this) {
            early = new ArrayList<>();
        }
        return redis.<List<Object>>run(SNAPSHOT, ScriptOutputType.MULTI, new String[] {channels.nodes()},
                bytes(channels.presenceKey(namespace, "")))
                .whenComplete((snapshot, failure) -> loaded(snapshot, announce));
    }

    private synchronized void loaded(List<Object> snapshot, boolean announce) {
        if (snapshot != null) {
            for (int i = 0; i + 1 < snapshot.size(); i += 2) {
                String other = text(snapshot.get(i));
                List<?> fields = (List<?>) snapshot.get(i + 1);
                Map<String, String> entries = new LinkedHashMap<>();
                Long seen = null;
                for (int f = 0; f + 1 < fields.size(); f += 2) {
                    String field = text(fields.get(f));
                    if (field.equals(SEQUENCE_FIELD)) {
                        seen = Long.parseLong(text(fields.get(f + 1)));
                    } else {
                        entries.put(field, text(fields.get(f + 1)));
                    }
                }
                // No sequence: a node registered that has not written here yet (just started, or stating
                // its entries again after Redis lost them); what it states will come on the channel.
                if (other.equals(node) || seen == null || seen < applied.getOrDefault(other, 0L)) {
                    continue;
                }
                applied.put(other, seen);
                replace(other, entries, announce);
            }
        }
        List<PresenceMessage> arrived = early;
        early = null;
        arrived.forEach(this::apply);
    }

    /** A message of the presence channel; on the inbox's thread. */
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
        if (message.sequence() <= applied.getOrDefault(message.node(), 0L)) {
            return;
        }
        applied.put(message.node(), message.sequence());
        if (message instanceof PresenceMessage.Reset reset) {
            replace(reset.node(), reset.entries(), true);
            return;
        }
        if (message instanceof PresenceMessage.Batch batch) {
            Broadcaster here = broadcaster.here();
            batch.changes().forEach(change -> {
                SocketId id = new SocketId(change.id());
                String was = scopes.get(change.scope(), id);
                applyChange(change, id);
                if (!Objects.equals(was, change.value())) {
                    announce(id, was == null ? Map.of() : Map.of(change.scope(), was),
                            change.value() == null ? Map.of() : Map.of(change.scope(), change.value()), here);
                }
            });
            return;
        }
        PresenceMessage.Change change = (PresenceMessage.Change) message;
        applyChange(change, new SocketId(change.id()));
        try {
            remoteChange.accept(change.scope());
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "Handling a change of " + change.scope() + " failed", e);
        }
    }

    private void applyChange(PresenceMessage.Change change, SocketId id) {
        if (change.value() != null) {
            scopes.put(change.scope(), id, change.value());
        } else {
            scopes.remove(change.scope(), id);
        }
    }

    private void announce(SocketId id, Map<String, String> before, Map<String, String> after, Broadcaster here) {
        try {
            listener.reconciled(id, before, after, here);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "Announcing what changed of " + id + " failed", e);
        }
    }

    /** The other nodes this copy has heard of, for the liveness check to compare with the live ones. */
    synchronized Set<String> nodes() {
        return new LinkedHashSet<>(applied.keySet());
    }

    /** A node that went away: its members leave this copy, and this node's connections are told. */
    synchronized void gone(String other) {
        if (!other.equals(node)) {
            applied.remove(other);
            replace(other, Map.of(), true);
        }
    }

    /**
     * Makes this copy's entries of {@code other} be {@code entries} (hash fields to values); each member
     * that differs is corrected one at a time, so each announcement's counts are the ones after it.
     */
    private void replace(String other, Map<String, String> entries, boolean announce) {
        Map<SocketId, Map<String, String>> before = new LinkedHashMap<>();
        scopes.all().forEach((scope, members) -> members.forEach((id, value) -> {
            if (RedisTopology.nodeOf(id).equals(other)) {
                before.computeIfAbsent(id, key -> new LinkedHashMap<>()).put(scope, value);
            }
        }));
        Map<SocketId, Map<String, String>> after = new LinkedHashMap<>();
        entries.forEach((field, value) -> {
            int space = field.indexOf(' ');
            after.computeIfAbsent(new SocketId(field.substring(space + 1)), key -> new LinkedHashMap<>())
                    .put(field.substring(0, space), value);
        });
        Set<SocketId> ids = new LinkedHashSet<>(before.keySet());
        ids.addAll(after.keySet());
        Broadcaster here = broadcaster.here();
        for (SocketId id : ids) {
            Map<String, String> was = before.getOrDefault(id, Map.of());
            Map<String, String> is = after.getOrDefault(id, Map.of());
            if (was.equals(is)) {
                continue;
            }
            was.keySet().forEach(scope -> {
                if (!is.containsKey(scope)) {
                    scopes.remove(scope, id);
                }
            });
            is.forEach((scope, value) -> scopes.put(scope, id, value));
            if (announce) {
                announce(id, was, is, here);
            }
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Object bytes) {
        return new String((byte[]) bytes, StandardCharsets.UTF_8);
    }
}
