package dev.duplex.testing;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Several standalone nodes, each the packaged jar in a JVM of its own, joined into one cluster through a real
 * Redis (the shared one on 127.0.0.1:6379 unless told otherwise) under a cluster name of their own, so
 * tests never see each other's nodes. Also a plain Redis connection for the tests to look at what the
 * cluster keeps there.
 */
public final class ClusterNodes implements AutoCloseable {
    public static final String SHARED_REDIS = "redis://127.0.0.1:6379";

    private final String redisUri;
    private final String name = "it-" + UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, String> settings;
    private final List<JarServer> nodes = new ArrayList<>();
    /** Made on first use, so that a cluster whose Redis this JVM cannot reach (its own TLS) needs none. */
    private RedisClient redis;
    private StatefulRedisConnection<String, String> connection;

    public ClusterNodes(String redisUri, Map<String, String> settings) {
        this.redisUri = redisUri;
        this.settings = settings;
    }

    /** Starts {@code count} nodes of the shared Redis, one after the other. */
    public static ClusterNodes start(int count) throws IOException {
        return start(count, Map.of());
    }

    /** Starts {@code count} nodes of the shared Redis with these settings (system properties). */
    public static ClusterNodes start(int count, Map<String, String> settings) throws IOException {
        ClusterNodes cluster = new ClusterNodes(SHARED_REDIS, settings);
        for (int i = 0; i < count; i++) {
            cluster.add();
        }
        return cluster;
    }

    /** Starts one more node of this cluster. */
    public JarServer add() throws IOException {
        Map<String, String> all = new HashMap<>(settings);
        all.put("duplex.redis.uri", redisUri);
        all.put("duplex.cluster.name", name);
        // What the tests leave in the shared Redis (boards, games) is gone two minutes after them.
        all.putIfAbsent("duplex.cluster.journal-ttl-ms", "120000");
        JarServer node = JarServer.start("256m", all);
        nodes.add(node);
        return node;
    }

    public JarServer node(int index) {
        return nodes.get(index);
    }

    public String name() {
        return name;
    }

    /** Commands on the cluster's Redis, for looking at what the nodes keep and publish there. */
    public synchronized RedisCommands<String, String> redis() {
        if (connection == null) {
            redis = RedisClient.create(redisUri);
            connection = redis.connect();
        }
        return connection.sync();
    }

    /** How many PUBLISH commands Redis has run since it started (scripts' included). */
    public long publishes() {
        String stats = redis().info("commandstats");
        for (String line : stats.split("\r?\n")) {
            if (line.startsWith("cmdstat_publish:")) {
                return Long.parseLong(line.replaceAll("^cmdstat_publish:calls=(\\d+),.*", "$1"));
            }
        }
        return 0;
    }

    @Override
    public void close() throws InterruptedException {
        for (JarServer node : nodes) {
            node.close();
        }
        synchronized (this) {
            if (connection != null) {
                connection.close();
                redis.shutdown();
            }
        }
    }
}
