package dev.duplex.cluster;

import dev.duplex.core.Broadcaster;
import dev.duplex.core.LocalBroadcaster;
import dev.duplex.core.OutgoingText;
import dev.duplex.core.RoomRegistry;
import dev.duplex.core.SocketId;
import dev.duplex.core.Target;
import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * A namespace's broadcasts over a cluster. Each broadcast is delivered to this node's receivers at once (as
 * {@link LocalBroadcaster} does) and published once, with its encoded frame, on the one channel that
 * reaches the other receivers: the namespace's, the room's, or, for sockets, the node channel of each other
 * node that holds one. A node listens to a room's channel only while it has a member of the room (it is the
 * namespace's {@link RoomRegistry.Listener}), so it never hears traffic it has nobody for, and it drops its
 * own echo. Frames from one node reach each other node in the order that node published them, so a sender's
 * frames stay in order in every room. Thread-safe.
 */
public final class ClusterBroadcaster implements Broadcaster, RoomRegistry.Listener {
    private static final System.Logger LOG = System.getLogger(ClusterBroadcaster.class.getName());
    /** A join waits at most this long for its room's subscription; then it goes on with local delivery. */
    private static final long SUBSCRIBE_WAIT_MILLIS = 2_000;

    private final String namespace;
    private final Bus bus;
    private final Channels channels;
    private final String node;
    private final int tagLength;
    private volatile LocalBroadcaster local;

    /**
     * @param node this node's tag, with which each of its socket ids begins
     */
    public ClusterBroadcaster(String namespace, Bus bus, Channels channels, String node) {
        this.namespace = namespace;
        this.bus = bus;
        this.channels = channels;
        this.node = node;
        this.tagLength = node.length();
    }

    /** Binds the namespace's local delivery; before any connection opens. */
    public void attach(LocalBroadcaster local) {
        this.local = local;
    }

    /** This node's part of the namespace: a broadcaster that reaches only this node's connections. */
    @Override
    public Broadcaster here() {
        return local;
    }

    /** Subscribes the channels every node of the namespace hears: the namespace's own and this node's. */
    public CompletionStage<Void> start() {
        return CompletableFuture.allOf(bus.subscribe(channels.all(namespace)).toCompletableFuture(),
                bus.subscribe(channels.node(namespace, node)).toCompletableFuture());
    }

    @Override
    public OutgoingText encode(String event, Object data) {
        return local.encode(event, data);
    }

    @Override
    public Runnable sendLater(Target target, OutgoingText frame) {
        Runnable write = local.sendLater(target, frame);
        // Published before the local write, so the order of publishes is the order of sendLater calls:
        // what a lock ordered here (a board's changes) is ordered the same on every node.
        if (target.isAll()) {
            bus.publish(channels.all(namespace), envelope(Set.of(), target, frame));
        } else if (!target.rooms().isEmpty()) {
            String room = target.rooms().iterator().next();
            bus.publish(channels.room(namespace, room), envelope(Set.of(), target, frame));
        } else {
            for (Map.Entry<String, Set<SocketId>> entry : byNode(target.sockets()).entrySet()) {
                bus.publish(channels.node(namespace, entry.getKey()), envelope(entry.getValue(), target, frame));
            }
        }
        return write;
    }

    /** The target's sockets on other nodes, by node tag. */
    private Map<String, Set<SocketId>> byNode(Set<SocketId> sockets) {
        Map<String, Set<SocketId>> nodes = new HashMap<>(4);
        for (SocketId id : sockets) {
            String value = id.value();
            if (value.length() > tagLength && !value.startsWith(node)) {
                nodes.computeIfAbsent(value.substring(0, tagLength), tag -> new LinkedHashSet<>()).add(id);
            }
        }
        return nodes;
    }

    private byte[] envelope(Set<SocketId> sockets, Target target, OutgoingText frame) {
        return new Envelope(node, sockets, target.except(), frame.text()).encode();
    }

    /**
     * A broadcast from another node: queues it for this node's receivers and returns the write, which the
     * caller runs, after queueing whatever else arrived with it (see {@link Inbox}); null when nobody here
     * is to receive it.
     */
    public Runnable received(Channels.Parsed channel, byte[] message) {
        Envelope envelope;
        try {
            envelope = Envelope.decode(message);
        } catch (IllegalArgumentException e) {
            LOG.log(Level.WARNING, "Dropped a malformed broadcast on " + channel + ": " + e.getMessage());
            return null;
        }
        if (envelope.origin().equals(node)) {
            return null;
        }
        Target target = switch (channel.kind()) {
            case ALL -> Target.all();
            case ROOM -> Target.room(channel.name());
            case NODE -> Target.sockets(envelope.sockets());
            case PRESENCE, MEMBERSHIP, JOURNAL -> null;
        };
        if (target == null) {
            return null;
        }
        return local.sendLater(target.except(envelope.except()), new OutgoingText(envelope.text()));
    }

    @Override
    public CompletionStage<Void> opened(String room) {
        // A failed subscription still lets the join go on: its room works on this node, and the bus reports
        // the outage.
        return bus.subscribe(channels.room(namespace, room)).toCompletableFuture()
                .completeOnTimeout(null, SUBSCRIBE_WAIT_MILLIS, TimeUnit.MILLISECONDS)
                .exceptionally(failure -> null);
    }

    @Override
    public void emptied(String room) {
        bus.unsubscribe(channels.room(namespace, room));
    }
}
