package dev.duplex.cluster.redis;

import dev.duplex.cluster.Channels;
import dev.duplex.core.DaemonThreads;
import io.lettuce.core.ScriptOutputType;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which nodes are alive, and this node's part in knowing it. Every heartbeat (1 s by default) a Lua script
 * stamps this node with Redis' clock and removes the nodes whose last stamp is older than the node timeout
 * (3 s): their presence entries are deleted and a {@code gone} message on the membership channel makes
 * every node drop their members and tell its own connections. Being one script, a dead node is removed by
 * exactly one survivor, and its users are announced gone once by each node.
 *
 * <p>After trouble with Redis (a failed heartbeat or write, a dropped connection, or this node found
 * unregistered because it was judged dead or Redis lost its data) this node resynchronises before it judges
 * anyone again: it waits until its own probe comes back through its subscription (so nothing published from
 * then on is missed), states all of its entries ({@link RedisPresence#reset}), reloads everyone else's, and
 * reloads the journaled streams it follows ({@link RedisJournal#reloadAll}). It judges others only once it
 * has been connected for a whole node timeout and is not resynchronising, so that after an outage every live
 * node has had time to stamp itself. A node this copy still holds members of but that is not among the live
 * ones (its {@code gone} was missed during an outage) is dropped after the same timeout.
 *
 * <p>Threads: heartbeats run on a liveness thread of their own and resynchronisation on another, both of
 * which may wait for Redis (bounded by the command timeout). They are apart so that a resynchronisation that
 * waits (for a probe while the subscription is still reconnecting, say) never delays this node's stamps:
 * otherwise a node could miss a whole node timeout of stamps and be judged dead by a node that reconnected
 * sooner. {@link #troubled} and {@link #probed} may be called from any thread.
 */
final class NodeLiveness implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(NodeLiveness.class.getName());
    private static final Script HEARTBEAT = Script.load("heartbeat.lua");
    private static final long WAIT_SECONDS = 3;

    /** How often this node stamps itself, and after how long without a stamp a node is dead. */
    record Timing(long heartbeatMillis, long nodeTimeoutMillis) {
        Timing {
            if (heartbeatMillis < 100 || nodeTimeoutMillis < 2 * heartbeatMillis) {
                throw new IllegalArgumentException("duplex.cluster.heartbeat-ms must be at least 100 and "
                        + "duplex.cluster.node-timeout-ms at least twice it");
            }
        }

        /** How long a node's presence entries outlive its last stamp in Redis (a dead node's are deleted sooner). */
        long entriesTtlMillis() {
            return 10 * nodeTimeoutMillis;
        }
    }

    private final String node;
    private final RedisBus redis;
    private final Channels channels;
    private final Timing timing;
    private final Collection<String> namespaces;
    private final Collection<RedisPresence> presences;
    private final Collection<RedisJournal<?>> journals;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("duplex-cluster-liveness"));
    private final ExecutorService resyncThread = Executors.newSingleThreadExecutor(
            DaemonThreads.named("duplex-cluster-resync"));
    private final AtomicBoolean troubled = new AtomicBoolean();
    /** True from when a resynchronisation is handed to its thread until it ends. */
    private final AtomicBoolean resynchronising = new AtomicBoolean();
    private final AtomicLong probes = new AtomicLong();
    private volatile CompletableFuture<Void> probe = new CompletableFuture<>();
    /** Since when (nanoTime) heartbeats succeed, or -1 while they fail; on the liveness thread. */
    private long connectedSince = -1;
    /** Nodes this copy holds members of that are not live, with since when (nanoTime); on the liveness thread. */
    private final Map<String, Long> missingSince = new HashMap<>();

    /** {@code namespaces}, {@code presences} and {@code journals}: live views, filled as namespaces are mounted. */
    NodeLiveness(String node, RedisBus redis, Channels channels, Timing timing, Collection<String> namespaces,
            Collection<RedisPresence> presences, Collection<RedisJournal<?>> journals) {
        this.node = node;
        this.redis = redis;
        this.channels = channels;
        this.timing = timing;
        this.namespaces = namespaces;
        this.presences = presences;
        this.journals = journals;
    }

    void start() {
        thread.scheduleWithFixedDelay(this::beat, timing.heartbeatMillis(), timing.heartbeatMillis(), TimeUnit.MILLISECONDS);
    }

    /** Something may have been lost between this node and Redis: resynchronise at the next heartbeat. */
    void troubled() {
        troubled.set(true);
    }

    /** A probe of this node came back through the subscription. */
    void probed(long number) {
        if (number == probes.get()) {
            probe.complete(null);
        }
    }

    private void beat() {
        try {
            beatOnce();
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "A cluster heartbeat failed unexpectedly", e);
        }
    }

    private void beatOnce() {
        long now = System.nanoTime();
        boolean judge = !troubled.get() && !resynchronising.get() && connectedSince >= 0
                && now - connectedSince >= TimeUnit.MILLISECONDS.toNanos(timing.nodeTimeoutMillis());
        List<Object> answer;
        try {
            answer = await(redis.run(HEARTBEAT, ScriptOutputType.MULTI, new String[] {channels.nodes()}, heartbeat(judge)));
        } catch (IllegalStateException e) {
            // RedisBus logs the outage once; the next heartbeat tries again.
            connectedSince = -1;
            troubled.set(true);
            return;
        }
        if (connectedSince < 0) {
            connectedSince = now;
        }
        if ((Long) answer.get(0) == 0) {
            LOG.log(Level.WARNING, "Node {0} is not registered in Redis (judged dead while it could not "
                    + "stamp itself, or Redis lost its data): stating its users again", node);
            troubled.set(true);
        }
        if (troubled.get() || resynchronising.get()) {
            if (troubled.get() && resynchronising.compareAndSet(false, true)) {
                resyncThread.execute(this::resynchronise);
            }
            return;
        }
        Set<String> live = new HashSet<>();
        for (Object tag : answer.subList(1, answer.size())) {
            live.add(new String((byte[]) tag, StandardCharsets.UTF_8));
        }
        dropMissing(live, now, judge);
    }

    private byte[][] heartbeat(boolean judge) {
        List<byte[]> args = new ArrayList<>();
        args.add(bytes(node));
        args.add(bytes(Long.toString(timing.nodeTimeoutMillis())));
        args.add(bytes(judge ? "1" : "0"));
        args.add(bytes(Long.toString(timing.entriesTtlMillis())));
        args.add(bytes(channels.membership()));
        namespaces.forEach(namespace -> args.add(bytes(channels.presenceKey(namespace, ""))));
        return args.toArray(byte[][]::new);
    }

    private void resynchronise() {
        troubled.set(false);
        try {
            CompletableFuture<Void> waiting = new CompletableFuture<>();
            probe = waiting;
            long number = probes.incrementAndGet();
            await(redis.commands().publish(channels.membership(), bytes("probe " + node + " " + number)));
            await(waiting);
            for (RedisPresence presence : presences) {
                await(presence.reset());
            }
            for (RedisPresence presence : presences) {
                await(presence.load(true));
            }
            journals.forEach(RedisJournal::reloadAll);
            LOG.log(Level.INFO, "Node {0} resynchronised its presence with the cluster", node);
        } catch (IllegalStateException e) {
            troubled.set(true);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "A cluster resynchronisation failed unexpectedly", e);
            troubled.set(true);
        } finally {
            resynchronising.set(false);
        }
    }

    /** Drops the members of nodes that have stayed off the live list for a whole node timeout. */
    private void dropMissing(Set<String> live, long now, boolean judge) {
        Set<String> held = new HashSet<>();
        presences.forEach(presence -> held.addAll(presence.nodes()));
        held.removeAll(live);
        missingSince.keySet().retainAll(held);
        for (String missing : held) {
            long since = missingSince.computeIfAbsent(missing, key -> now);
            if (judge && now - since >= TimeUnit.MILLISECONDS.toNanos(timing.nodeTimeoutMillis())) {
                LOG.log(Level.INFO, "Node {0} is no longer live: its users leave", missing);
                presences.forEach(presence -> presence.gone(missing));
                missingSince.remove(missing);
            }
        }
    }

    private static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Stops the heartbeat, waiting for one in progress (a stopping node then leaves the cluster itself). */
    @Override
    public void close() {
        thread.shutdownNow();
        resyncThread.shutdownNow();
        try {
            thread.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS);
            resyncThread.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
