package dev.duplex;

import dev.duplex.apps.chat.ChatService;
import dev.duplex.apps.chat.ChatSettings;
import dev.duplex.apps.game.GameService;
import dev.duplex.apps.game.GameSettings;
import dev.duplex.apps.location.LocationService;
import dev.duplex.apps.location.LocationSettings;
import dev.duplex.apps.whiteboard.WhiteboardService;
import dev.duplex.apps.whiteboard.WhiteboardSettings;
import dev.duplex.auth.TokenVerifier;
import dev.duplex.cluster.redis.RedisTopology;
import dev.duplex.core.AddressLimits;
import dev.duplex.core.BadFrame;
import dev.duplex.core.Broadcaster;
import dev.duplex.core.Client;
import dev.duplex.core.CloseCode;
import dev.duplex.core.Codec;
import dev.duplex.core.DaemonThreads;
import dev.duplex.core.DuplexConfig;
import dev.duplex.core.FrameLimits;
import dev.duplex.core.Heartbeat;
import dev.duplex.core.IncomingFrame;
import dev.duplex.core.KeyedCounter;
import dev.duplex.core.Namespace;
import dev.duplex.core.NamespaceApp;
import dev.duplex.core.Refusal;
import dev.duplex.core.RoomRegistry;
import dev.duplex.core.Scheduler;
import dev.duplex.core.Resume;
import dev.duplex.core.SessionStore;
import dev.duplex.core.SendQueue;
import dev.duplex.core.SessionRegistry;
import dev.duplex.core.Topology;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The running application: settings, codec, the four namespaces and the heartbeat. One per deployment,
 * installed by whatever boots it (the standalone {@code Main}, or the servlet listener inside a WAR) and
 * found by the endpoints through {@link #current()}, because endpoint injection is not portable across
 * containers.
 */
public final class Duplex implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Duplex.class.getName());
    /** How often addresses that hold nothing any more are forgotten (see {@code AddressLimits.sweep}). */
    private static final long ADDRESS_SWEEP_SECONDS = 10;
    private static volatile Duplex current;
    private static final int IO_THREADS = 32;

    private final DuplexConfig config;
    private final Clock clock;
    private final Codec codec = new Codec();
    private final Map<String, Namespace> namespaces = new LinkedHashMap<>();
    private final TokenVerifier tokens;
    // Read on every message and handshake: parsed once here.
    private final int maxMessageBytes;
    private final SendQueue.Limits sendQueueLimits;
    private final List<String> allowedOrigins;
    private final FrameLimits frameLimits;
    private volatile boolean draining;
    private final KeyedCounter userConnections;
    private final AddressLimits addressLimits;
    private final Topology topology;
    private final ScheduledThreadPoolExecutor scheduler =
            new ScheduledThreadPoolExecutor(1, DaemonThreads.numbered("duplex-scheduler"));
    /**
     * Connection I/O that may block or must not run where it was asked for: closes (and the endpoint's close
     * callback, which the runtime runs on the closing thread) and the portable transport's pings. Threads
     * come and go with the load; a close blocks one at most for a container's blocking-send timeout.
     */
    private final ThreadPoolExecutor io = new ThreadPoolExecutor(IO_THREADS, IO_THREADS, 10, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), DaemonThreads.numbered("duplex-io"), new ThreadPoolExecutor.DiscardPolicy());

    private Duplex(DuplexConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        String secret = config.string("duplex.jwt.secret");
        this.tokens = secret.isEmpty() ? null
                : new TokenVerifier(secret, config.string("duplex.jwt.issuer"), config.string("duplex.jwt.audience"));
        this.maxMessageBytes = config.integer("duplex.max-message-bytes");
        this.sendQueueLimits = new SendQueue.Limits(config.integer("duplex.send-queue-limit"),
                config.longValue("duplex.send-queue-bytes"));
        this.allowedOrigins = config.list("duplex.allowed-origins");
        this.frameLimits = FrameLimits.from(config);
        this.userConnections = new KeyedCounter(config.integer("duplex.limits.connections-per-user"));
        this.addressLimits = AddressLimits.from(config);
        // Token expiry timers are cancelled when their connection closes first: drop them at once.
        scheduler.setRemoveOnCancelPolicy(true);
        io.allowCoreThreadTimeOut(true);
        String redis = config.string("duplex.redis.uri");
        this.topology = redis.isEmpty() ? Topology.LOCAL : RedisTopology.connect(redis, config);
        ChatSettings chat = ChatSettings.from(config);
        mount("/chat", (rooms, parts, out) -> new ChatService(rooms, parts.presence(), out,
                parts.history(chat.history(), clock, sessionWindowMillis()), clock, this::schedule, chat));
        mount("/whiteboard", (rooms, parts, out) -> new WhiteboardService(rooms, out, parts.journals(), codec,
                WhiteboardSettings.from(config)));
        mount("/game", (rooms, parts, out) -> new GameService(parts.presence(), parts.journals(), clock,
                GameSettings.from(config)));
        mount("/location", (rooms, parts, out) -> new LocationService(rooms, out, parts.presence(), parts.journals(),
                clock, this::schedule, LocationSettings.from(config)));
        new Heartbeat(namespaces.values(), config.longValue("duplex.idle-timeout-ms"),
                config.longValue("duplex.ping-interval-ms"), clock).start(scheduler);
        scheduler.scheduleWithFixedDelay(() -> addressLimits.sweep(clock.millis()), ADDRESS_SWEEP_SECONDS,
                ADDRESS_SWEEP_SECONDS, TimeUnit.SECONDS);
    }

    /** Starts the runtime and makes it {@link #current()}. */
    public static synchronized Duplex start(DuplexConfig config) {
        if (current != null) {
            throw new IllegalStateException("Duplex is already running in this class loader");
        }
        current = new Duplex(config, Clock.systemUTC());
        return current;
    }

    public static Duplex current() {
        Duplex duplex = current;
        if (duplex == null) {
            throw new IllegalStateException("Duplex has not been started");
        }
        return duplex;
    }

    /** Builds one namespace's app from the parts its topology gives. */
    @FunctionalInterface
    private interface AppFactory {
        /** {@code out} is the parts' broadcaster, made already: the other parts come after it. */
        NamespaceApp create(RoomRegistry rooms, Topology.Parts parts, Broadcaster out);
    }

    private void mount(String path, AppFactory factory) {
        Topology.Parts parts = topology.namespace(path, codec);
        SessionRegistry sessions = new SessionRegistry(parts.rooms());
        Broadcaster out = parts.broadcaster(sessions);
        NamespaceApp app = factory.create(sessions.rooms(), parts, out);
        // Sessions live in this node's memory: a cluster offers none until they are kept where every node reads them.
        Namespace.Sessions resumable = topology != Topology.LOCAL ? null
                : new Namespace.Sessions(new SessionStore(config.integer("duplex.session.max")), this::schedule,
                        config.longValue("duplex.session.grace-ms"), sessionWindowMillis());
        namespaces.put(path, new Namespace(app, sessions, codec, clock, frameLimits, topology::newSocketId, io, resumable));
    }

    public Namespace namespace(String path) {
        Namespace namespace = namespaces.get(path);
        if (namespace == null) {
            throw new IllegalArgumentException("No namespace " + path);
        }
        return namespace;
    }

    public Collection<Namespace> namespaces() {
        return namespaces.values();
    }

    public DuplexConfig config() {
        return config;
    }

    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    public SendQueue.Limits sendQueueLimits() {
        return sendQueueLimits;
    }

    public boolean authenticationRequired() {
        return tokens != null;
    }

    /** How long a dropped connection's session may be resumed. */
    private long sessionWindowMillis() {
        return config.longValue("duplex.session.window-ms");
    }

    /**
     * What a connection that resumes a session sends first: {@code resume} with its session and positions,
     * and its token too when authentication is on. Throws {@link Refusal} for any other frame.
     */
    public FirstFrame resumeFromFirstFrame(String text) {
        IncomingFrame frame;
        try {
            frame = codec.decode(text);
        } catch (BadFrame bad) {
            throw new Refusal("Resume required: the first frame was not JSON");
        }
        if (!frame.event().equals("resume")) {
            throw new Refusal("Resume required: send the resume frame first");
        }
        String token = frame.data() instanceof JsonObject data && data.get(Client.TOKEN) instanceof JsonString t
                ? t.getString() : null;
        return new FirstFrame(token, Resume.from(frame.data()));
    }

    /** A first frame's token (null: none) and session to resume. */
    public record FirstFrame(String token, Resume resume) {
    }

    /**
     * The token of a connection's first frame, {@code {"event":"authenticate","data":{"token":"..."}}}, or
     * null when the frame is anything else (it is then refused as unauthenticated).
     */
    public String tokenFromFirstFrame(String text) {
        try {
            IncomingFrame frame = codec.decode(text);
            if (frame.event().equals("authenticate") && frame.data() instanceof JsonObject data
                    && data.get(Client.TOKEN) instanceof JsonString token) {
                return token.getString();
            }
        } catch (BadFrame bad) {
            LOG.log(Level.DEBUG, "A first frame that was not JSON: {0}", bad.getMessage());
        }
        return null;
    }

    /**
     * Counts one more connection of an authenticated user; false when the user holds as many as it may.
     * Release it with {@link #userDisconnected} when the connection closes.
     */
    public boolean userConnected(String name) {
        return userConnections.tryAcquire(name);
    }

    public void userDisconnected(String name) {
        userConnections.release(name);
    }

    /** Closes with 1008 a connection that has not sent its token within the configured time. */
    public ScheduledFuture<?> closeIfNoToken(SendQueue out) {
        return closeIfNoFirstFrame(out, "Authentication required: pass ?token=JWT or send an authenticate frame first");
    }

    /** Closes with 1008 a connection that has not sent its first frame within the configured time. */
    public ScheduledFuture<?> closeIfNoFirstFrame(SendQueue out, String reason) {
        return scheduler.schedule(() -> out.closeNow(CloseCode.POLICY_VIOLATION, reason),
                config.longValue("duplex.jwt.first-frame-timeout-ms"), TimeUnit.MILLISECONDS);
    }

    /**
     * Who may connect: null when authentication is off, else the identity of a valid token.
     * Throws {@link Refusal} for a missing, forged or expired token.
     */
    public TokenVerifier.Identity authenticate(String token) {
        return tokens == null ? null : tokens.verify(token);
    }

    /** Where connections' closes and blocking pings run (see {@code SendQueue}). */
    public Executor io() {
        return io;
    }

    /** The runtime's timer, for tasks that never block. */
    public Scheduler scheduler() {
        return this::schedule;
    }

    /** Runs a deferred task of an app on the runtime's scheduler; a failure is logged, never lost. */
    private void schedule(Runnable task, long delayMillis) {
        try {
            scheduler.schedule(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.log(Level.ERROR, "A scheduled task failed", e);
                }
            }, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            LOG.log(Level.DEBUG, "Not scheduled: the runtime is stopping");
        }
    }

    /** Closes the client with 1008 when its token expires; cancel the result when it closes first. */
    public ScheduledFuture<?> closeOnExpiry(Client client, Instant expiresAt) {
        long delay = Math.max(0, expiresAt.toEpochMilli() - clock.millis());
        return scheduler.schedule(() -> client.closeNow(CloseCode.POLICY_VIOLATION, "Token expired"),
                delay, TimeUnit.MILLISECONDS);
    }

    /** What each network address may open; the runtime's edge asks it (standalone: at accept; WAR: at the upgrade). */
    public AddressLimits addressLimits() {
        return addressLimits;
    }

    /** Whether shutdown has begun: new connections are then refused. */
    public boolean draining() {
        return draining;
    }

    /** Whether an explicit list of allowed origins is configured (else: same origin only, in the handshake). */
    public boolean originsConfigured() {
        return !allowedOrigins.isEmpty();
    }

    /** True when no allowed origins are configured, or the origin is one of them. */
    public boolean originAllowed(String origin) {
        return allowedOrigins.isEmpty() || (origin != null && allowedOrigins.contains(origin));
    }

    /** The number of open connections over all namespaces. */
    public int connectionCount() {
        return namespaces.values().stream().mapToInt(namespace -> namespace.sessions().size()).sum();
    }

    /**
     * Graceful shutdown: new connections are refused from now on (for {@code duplex.shutdown-delay-ms}
     * before anything else, so a load balancer can take the node out), every connection gets what is queued
     * for it, then a 1001 close; waits up to the configured grace for the clients to go.
     */
    public void shutdown() {
        shutdown(() -> false);
    }

    /**
     * {@link #shutdown()}, where "the clients have gone" also needs {@code stillConnected} to turn false: a
     * runtime that sees its TCP connections waits for them to end their close handshake too.
     */
    public void shutdown(BooleanSupplier stillConnected) {
        draining = true;
        long delay = config.longValue("duplex.shutdown-delay-ms");
        if (delay > 0) {
            LOG.log(Level.INFO, "Refusing new connections for {0} ms before closing the open ones", delay);
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // The other nodes' users learn at once that this node's are leaving, not after they go one by one.
        topology.leave();
        for (Namespace namespace : namespaces.values()) {
            namespace.drain();
            for (Client client : namespace.sessions().clients()) {
                client.close(CloseCode.GOING_AWAY, "Server shutting down");
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.longValue("duplex.shutdown-grace-ms"));
        while ((connectionCount() > 0 || stillConnected.getAsBoolean()) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (connectionCount() > 0) {
            LOG.log(Level.WARNING, "{0} connections still open after the shutdown grace period", connectionCount());
        }
    }

    /** Stops the scheduler and the I/O threads and uninstalls this runtime. */
    @Override
    public void close() {
        topology.close();
        scheduler.shutdownNow();
        io.shutdown();
        try {
            if (!io.awaitTermination(1, TimeUnit.SECONDS)) {
                io.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            io.shutdownNow();
        }
        try {
            codec.close();
        } catch (Exception e) {
            LOG.log(Level.DEBUG, "Closing the codec failed", e);
        }
        synchronized (Duplex.class) {
            if (current == this) {
                current = null;
            }
        }
    }
}
