package dev.duplex.cluster.redis;

import dev.duplex.cluster.Channels;
import dev.duplex.cluster.ClusterBroadcaster;
import dev.duplex.core.Broadcaster;
import dev.duplex.core.Codec;
import dev.duplex.core.DuplexConfig;
import dev.duplex.core.LocalBroadcaster;
import dev.duplex.core.Presence;
import dev.duplex.core.RoomRegistry;
import dev.duplex.core.SessionRegistry;
import dev.duplex.core.SocketId;
import dev.duplex.core.Topology;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * This node as one of a cluster that meets in Redis ({@code duplex.redis.uri}): its tag, which begins every
 * socket id it hands out, its registration among the live nodes, and per namespace a
 * {@link ClusterBroadcaster} and a {@link RedisPresence}, over one {@link RedisBus}.
 */
public final class RedisTopology implements Topology {
    private static final System.Logger LOG = System.getLogger(RedisTopology.class.getName());
    /** How long starting and stopping wait for Redis: they run on the thread that boots or stops the node. */
    private static final long STARTUP_WAIT_SECONDS = 10;
    private static final int TAG_BYTES = 6;

    private record Members(ClusterBroadcaster broadcaster, RedisPresence presence) {
    }

    private final String tag;
    private final Channels channels;
    private final RedisBus redis;
    private final Map<String, Members> namespaces = new ConcurrentHashMap<>();

    private RedisTopology(String uri, String cluster) {
        byte[] random = new byte[TAG_BYTES];
        new SecureRandom().nextBytes(random);
        this.tag = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        this.channels = new Channels(cluster);
        this.redis = new RedisBus(uri, this::received);
    }

    /** Joins the cluster: connects to Redis and registers this node among the live ones. */
    public static RedisTopology connect(String uri, DuplexConfig config) {
        String cluster = config.string("duplex.cluster.name");
        RedisTopology topology = new RedisTopology(uri, cluster);
        topology.await(topology.redis.commands()
                .zadd(topology.channels.nodes(), (double) System.currentTimeMillis(), bytes(topology.tag)), "registering");
        LOG.log(Level.INFO, "Node {0} joined cluster {1} at Redis {2}", topology.tag, cluster, topology.redis.address());
        return topology;
    }

    @Override
    public Parts namespace(String path, Codec codec) {
        ClusterBroadcaster broadcaster = new ClusterBroadcaster(path, redis, channels, tag);
        RedisPresence presence = new RedisPresence(path, redis, channels, tag, broadcaster);
        namespaces.put(path, new Members(broadcaster, presence));
        return new Parts() {
            @Override
            public RoomRegistry.Listener rooms() {
                return broadcaster;
            }

            @Override
            public Broadcaster broadcaster(SessionRegistry sessions) {
                broadcaster.attach(new LocalBroadcaster(codec, sessions));
                // Subscribed before the snapshot is read, so no change falls between the two.
                await(CompletableFuture.allOf(broadcaster.start().toCompletableFuture(),
                        redis.subscribe(channels.presence(path)).toCompletableFuture()), "subscribing to " + path);
                await(presence.load(), "loading the presence of " + path);
                return broadcaster;
            }

            @Override
            public Presence presence() {
                return presence;
            }
        };
    }

    @Override
    public SocketId newSocketId() {
        return SocketId.random(tag);
    }

    private void received(String channel, byte[] message) {
        Channels.Parsed parsed = channels.parse(channel);
        Members members = parsed == null ? null : namespaces.get(parsed.namespace());
        if (members == null) {
            return;
        }
        if (parsed.kind() == Channels.Kind.PRESENCE) {
            members.presence().received(message);
        } else {
            members.broadcaster().received(parsed, message);
        }
    }

    @Override
    public void leave() {
        List<CompletableFuture<?>> gone = new ArrayList<>();
        for (Members members : namespaces.values()) {
            gone.add(members.presence().leaveCluster().toCompletableFuture());
        }
        gone.add(redis.commands().zrem(channels.nodes(), bytes(tag)).toCompletableFuture());
        try {
            await(CompletableFuture.allOf(gone.toArray(CompletableFuture[]::new)), "leaving");
            LOG.log(Level.INFO, "Node {0} left the cluster", tag);
        } catch (IllegalStateException e) {
            LOG.log(Level.WARNING, "Leaving the cluster failed: the other nodes will see this node go when its heartbeat stops", e);
        }
    }

    @Override
    public void close() {
        redis.close();
    }

    private <T> T await(CompletionStage<T> stage, String what) {
        try {
            return stage.toCompletableFuture().get(STARTUP_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while " + what, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Redis failed while " + what + ": " + e.getMessage(), e);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
