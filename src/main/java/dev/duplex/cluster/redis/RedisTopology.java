package dev.duplex.cluster.redis;

import dev.duplex.cluster.Channels;
import dev.duplex.cluster.ClusterBroadcaster;
import dev.duplex.cluster.Inbox;
import dev.duplex.core.Broadcaster;
import dev.duplex.core.Codec;
import dev.duplex.core.DaemonThreads;
import dev.duplex.core.DuplexConfig;
import dev.duplex.core.History;
import dev.duplex.core.Journal;
import dev.duplex.core.Journals;
import dev.duplex.core.LocalBroadcaster;
import dev.duplex.core.Presence;
import dev.duplex.core.RoomRegistry;
import dev.duplex.core.SessionRegistry;
import dev.duplex.core.SocketId;
import dev.duplex.core.Topology;
import io.lettuce.core.ScriptOutputType;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * This node as one of a cluster that meets in Redis ({@code duplex.redis.uri}): its tag, which begins every
 * socket id it hands out, its registration among the live nodes and its heartbeat ({@link NodeLiveness}),
 * and per namespace a {@link ClusterBroadcaster}, a {@link RedisPresence} and, for shared state, a
 * {@link RedisJournal}, over one {@link RedisBus}.
 */
public final class RedisTopology implements Topology {
    private static final System.Logger LOG = System.getLogger(RedisTopology.class.getName());
    /** How long starting and stopping wait for Redis: they run on the thread that boots or stops the node. */
    private static final long STARTUP_WAIT_SECONDS = 10;
    private static final int TAG_BYTES = 6;
    /** A tag's length in characters: 6 random bytes in URL-safe base64. */
    static final int TAG_LENGTH = 8;
    private static final Script LEAVE = Script.load("node-leave.lua");

    private record Members(ClusterBroadcaster broadcaster, RedisPresence presence) {
    }

    private final String tag;
    private final Channels channels;
    private final Inbox inbox;
    private final RedisBus redis;
    private final Map<String, Members> namespaces = new ConcurrentHashMap<>();
    private final Map<String, RedisPresence> presences = new ConcurrentHashMap<>();
    /** At most one journal per namespace: its streams' channels name only the namespace. */
    private final Map<String, RedisJournal<?>> journals = new ConcurrentHashMap<>();
    private final NodeLiveness.Timing timing;
    private final RedisJournal.Settings journalSettings;
    private final NodeLiveness liveness;
    /** Applies, loads and compacts every journaled stream of this node (see {@link RedisJournal}). */
    private final ScheduledExecutorService journalThread = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("duplex-cluster-journal"));
    /** Sends presence changes held back for a window; never waits on Redis. */
    private final ScheduledExecutorService presenceTimer = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("duplex-cluster-presence"));

    private RedisTopology(String uri, String cluster, NodeLiveness.Timing timing, RedisJournal.Settings journalSettings,
            long inboxBytes) {
        byte[] random = new byte[TAG_BYTES];
        new SecureRandom().nextBytes(random);
        this.tag = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        this.channels = new Channels(cluster);
        this.timing = timing;
        this.journalSettings = journalSettings;
        // The liveness is made once the bus is; the bus may report a drop before that, when nothing is held.
        this.inbox = new Inbox(this::received, inboxBytes, this::troubled);
        this.redis = new RedisBus(uri, inbox, this::troubled);
        this.liveness = new NodeLiveness(tag, redis, channels, timing, presences.keySet(), presences.values(),
                journals.values());
    }

    /**
     * Joins the cluster: connects to Redis, subscribes to the membership channel and registers this node
     * among the live ones; its heartbeat starts.
     */
    public static RedisTopology connect(String uri, DuplexConfig config) {
        String cluster = config.string("duplex.cluster.name");
        RedisTopology topology = new RedisTopology(uri, cluster, new NodeLiveness.Timing(
                config.longValue("duplex.cluster.heartbeat-ms"), config.longValue("duplex.cluster.node-timeout-ms")),
                new RedisJournal.Settings(config.longValue("duplex.cluster.journal-ttl-ms"),
                        config.integer("duplex.cluster.journal-compact-after"),
                        config.integer("duplex.cluster.journal-max-streams")),
                config.longValue("duplex.cluster.inbox-bytes"));
        topology.await(topology.redis.subscribe(topology.channels.membership()), "subscribing to the membership");
        topology.await(topology.redis.commands()
                .zadd(topology.channels.nodes(), (double) System.currentTimeMillis(), bytes(topology.tag)), "registering");
        topology.liveness.start();
        LOG.log(Level.INFO, "Node {0} joined cluster {1} at Redis {2}", topology.tag, cluster, topology.redis.address());
        return topology;
    }

    /** The tag of the node that handed out this id. */
    static String nodeOf(SocketId id) {
        String value = id.value();
        return value.length() < TAG_LENGTH ? value : value.substring(0, TAG_LENGTH);
    }

    private void troubled() {
        NodeLiveness made = liveness;
        if (made != null) {
            made.troubled();
        }
    }

    @Override
    public Parts namespace(String path, Codec codec) {
        ClusterBroadcaster broadcaster = new ClusterBroadcaster(path, redis, channels, tag);
        RedisPresence presence = new RedisPresence(path, redis, channels, tag, timing.entriesTtlMillis(), broadcaster,
                this::troubled, presenceTimer);
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
                await(presence.load(false), "loading the presence of " + path);
                // Only now does the heartbeat see it: a copy is resynchronised only once it has been loaded.
                presences.put(path, presence);
                return broadcaster;
            }

            @Override
            public Presence presence() {
                return presence;
            }

            @Override
            public History history(History.Limits limits, Clock clock, long windowMillis) {
                return History.unkept(broadcaster);
            }

            @Override
            public Journals journals() {
                return new Journals() {
                    @Override
                    public <E> Journal<E> open(String kind, Journal.Machine<E> machine, Journal.Format<E> format) {
                        RedisJournal<E> journal = new RedisJournal<>(path, kind, redis, channels, tag, broadcaster.here(),
                                machine, format, journalThread, journalSettings);
                        if (journals.putIfAbsent(path, journal) != null) {
                            throw new IllegalStateException("A namespace has one journal: " + path);
                        }
                        return journal;
                    }
                };
            }
        };
    }

    @Override
    public SocketId newSocketId() {
        return SocketId.random(tag);
    }

    /** A message from the bus, on the inbox's thread; returns the writes it queued, if any. */
    private Runnable received(String channel, byte[] message) {
        Channels.Parsed parsed = channels.parse(channel);
        if (parsed != null && parsed.kind() == Channels.Kind.MEMBERSHIP) {
            membership(new String(message, StandardCharsets.UTF_8));
            return null;
        }
        Members members = parsed == null ? null : namespaces.get(parsed.namespace());
        if (members == null) {
            return null;
        }
        if (parsed.kind() == Channels.Kind.PRESENCE) {
            members.presence().received(message);
        } else if (parsed.kind() == Channels.Kind.JOURNAL) {
            RedisJournal<?> journal = journals.get(parsed.namespace());
            if (journal != null) {
                journal.received(parsed.name(), message);
            }
        } else {
            return members.broadcaster().received(parsed, message);
        }
        return null;
    }

    /** {@code gone <node>}: that node left or was judged dead; {@code probe <node> <number>}: a liveness probe. */
    private void membership(String message) {
        String[] words = message.split(" ");
        if (words.length == 2 && words[0].equals("gone") && !words[1].equals(tag)) {
            LOG.log(Level.INFO, "Node {0} left the cluster: its users leave", words[1]);
            presences.values().forEach(presence -> presence.gone(words[1]));
        } else if (words.length == 3 && words[0].equals("probe") && words[1].equals(tag)) {
            try {
                liveness.probed(Long.parseLong(words[2]));
            } catch (NumberFormatException e) {
                LOG.log(Level.WARNING, "Dropped a malformed membership message");
            }
        }
    }

    @Override
    public void leave() {
        liveness.close();
        presences.values().forEach(RedisPresence::stopWriting);
        List<byte[]> args = new ArrayList<>();
        args.add(bytes(tag));
        args.add(bytes(channels.membership()));
        presences.keySet().forEach(namespace -> args.add(bytes(channels.presenceKey(namespace, ""))));
        try {
            await(redis.run(LEAVE, ScriptOutputType.INTEGER, new String[] {channels.nodes()}, args.toArray(byte[][]::new)),
                    "leaving");
            LOG.log(Level.INFO, "Node {0} left the cluster", tag);
        } catch (IllegalStateException e) {
            LOG.log(Level.WARNING, "Leaving the cluster failed: the other nodes will see this node go when its heartbeat stops", e);
        }
    }

    @Override
    public void close() {
        liveness.close();
        journalThread.shutdownNow();
        presenceTimer.shutdownNow();
        redis.close();
        inbox.close();
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
