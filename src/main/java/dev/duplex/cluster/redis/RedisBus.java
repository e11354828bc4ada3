package dev.duplex.cluster.redis;

import dev.duplex.cluster.Bus;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The cluster's one Redis client (Lettuce): a connection for subscriptions and one for everything else,
 * both shared by every namespace. Nothing waits on Redis: commands are asynchronous, and while Redis is
 * unreachable they fail at once instead of queueing ({@code REJECT_COMMANDS}), so a node keeps serving its
 * own clients and holds no backlog that grows with the outage. Lettuce reconnects by itself (within a
 * second of Redis' return) and restores the subscriptions. Failures are logged once per change of state,
 * not once per command. Thread-safe.
 */
final class RedisBus implements Bus, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RedisBus.class.getName());
    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
    /** A command that has no answer after this long fails: Redis is gone or too slow to wait for. */
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    private static final int REQUEST_QUEUE_LIMIT = 100_000;
    /**
     * Lettuce logs every few seconds of an outage that it is reconnecting and cannot; this class logs the
     * outage and its end once each instead. Held, so that the level stays set (JUL keeps loggers weakly).
     */
    private static final java.util.logging.Logger RECONNECTION_LOG = quiet("io.lettuce.core.protocol");

    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisPubSubConnection<String, byte[]> subscriptions;
    private final StatefulRedisConnection<String, byte[]> commands;
    private final String address;
    private volatile boolean failing;

    /**
     * Connects, waiting for both connections: at startup, on the thread that boots the node.
     * {@code disconnected}: told whenever a connection drops, since whatever was published meanwhile is lost.
     */
    RedisBus(String uri, Receiver receiver, Runnable disconnected) {
        RedisURI redisUri = RedisURI.create(uri);
        this.address = redisUri.getHost() + ":" + redisUri.getPort();
        this.resources = ClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofMillis(500), 2, TimeUnit.MILLISECONDS))
                .build();
        this.client = RedisClient.create(resources, redisUri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                // A slow Redis holds commands in flight until they time out; past this many, new ones fail
                // at once, so memory stays bounded whatever the traffic.
                .requestQueueSize(REQUEST_QUEUE_LIMIT)
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                .build());
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress socketAddress) {
                recovered();
            }

            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                failed("its connection dropped", null);
                disconnected.run();
            }
        });
        try {
            this.subscriptions = client.connectPubSub(CODEC);
            this.commands = client.connect(CODEC);
        } catch (RedisConnectionException e) {
            client.shutdown(0, 0, TimeUnit.SECONDS);
            resources.shutdown(0, 0, TimeUnit.SECONDS);
            // Lettuce's own message names only the address; what went wrong (refused, WRONGPASS, a certificate
            // not trusted) is its innermost cause. The URI is never shown: it may hold the password.
            throw new IllegalStateException("Cannot connect to Redis at " + address + ": " + innermost(e).getMessage(), e);
        }
        subscriptions.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, byte[] message) {
                try {
                    receiver.received(channel, message);
                } catch (RuntimeException e) {
                    LOG.log(Level.ERROR, "Handling a message on " + channel + " failed", e);
                }
            }
        });
        LOG.log(Level.INFO, "Connected to Redis at {0}", address);
    }

    private static Throwable innermost(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(java.util.logging.Level.SEVERE);
        return logger;
    }

    String address() {
        return address;
    }

    RedisAsyncCommands<String, byte[]> commands() {
        return commands.async();
    }

    @Override
    public void publish(String channel, byte[] message) {
        commands.async().publish(channel, message).whenComplete((receivers, failure) -> report("publishing", failure));
    }

    @Override
    public CompletionStage<Void> subscribe(String channel) {
        CompletableFuture<Void> held = new CompletableFuture<>();
        subscriptions.async().subscribe(channel).whenComplete((ok, failure) -> {
            report("subscribing", failure);
            if (failure == null) {
                held.complete(null);
            } else {
                held.completeExceptionally(failure);
            }
        });
        return held;
    }

    @Override
    public void unsubscribe(String channel) {
        subscriptions.async().unsubscribe(channel).whenComplete((ok, failure) -> report("unsubscribing", failure));
    }

    /** Runs a Lua script by its digest, sending its source once when Redis does not know it (yet, or after a restart). */
    <T> CompletionStage<T> run(Script script, ScriptOutputType type, String[] keys, byte[]... args) {
        RedisAsyncCommands<String, byte[]> async = commands.async();
        CompletableFuture<T> result = new CompletableFuture<>();
        async.<T>evalsha(script.digest(), type, keys, args).whenComplete((value, failure) -> {
            if (failure instanceof RedisNoScriptException) {
                async.<T>eval(script.source(), type, keys, args).whenComplete((again, retryFailure) -> {
                    report("running a script", retryFailure);
                    complete(result, again, retryFailure);
                });
                return;
            }
            report("running a script", failure);
            complete(result, value, failure);
        });
        return result;
    }

    private static <T> void complete(CompletableFuture<T> result, T value, Throwable failure) {
        if (failure == null) {
            result.complete(value);
        } else {
            result.completeExceptionally(failure);
        }
    }

    /** Logs the first failure of an outage and the recovery after it, nothing in between. */
    private void report(String action, Throwable failure) {
        if (failure == null) {
            recovered();
        } else {
            failed(action, failure);
        }
    }

    private void failed(String action, Throwable failure) {
        if (!failing) {
            failing = true;
            LOG.log(Level.WARNING, "Redis at " + address + " is unreachable (" + action
                    + (failure == null ? "" : ": " + failure.getMessage())
                    + "): this node goes on serving its own clients, and reconnects by itself");
        }
    }

    private void recovered() {
        if (failing) {
            failing = false;
            LOG.log(Level.INFO, "Redis at {0} is reachable again", address);
        }
    }

    @Override
    public void close() {
        subscriptions.close();
        commands.close();
        client.shutdown(0, 2, TimeUnit.SECONDS);
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
