package dev.duplex.core;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One open connection as apps see it: its id, its handshake and its outgoing queue. Created by
 * {@link Namespace#open}, owned by the runtime adapter that holds the socket. Thread-safe; the namespace
 * runs the app's callbacks for it one at a time through its {@link SerialExecutor}.
 */
public final class Client {
    /** The query parameter that carries a JWT (PROTOCOL.md section 8). */
    public static final String TOKEN = "token";
    /** The query parameter by which a client asks for a session: history, positions and recovery. */
    public static final String SESSION = "session";

    private final SocketId id;
    private final SendQueue out;
    private final Map<String, List<String>> parameters;
    private final String authenticatedName;
    private final boolean wantsPositions;
    private final ConcurrentHashMap<RateLimit, RateLimiter> limiters = new ConcurrentHashMap<>(4);
    private final SerialExecutor serial = new SerialExecutor();
    private volatile long lastSeen;
    private volatile long lastPing;
    private volatile boolean abusive;
    private volatile Session session;

    public Client(SendQueue out, Map<String, List<String>> parameters, String authenticatedName, long now) {
        this(SocketId.random(), out, parameters, authenticatedName, now);
    }

    public Client(SocketId id, SendQueue out, Map<String, List<String>> parameters, String authenticatedName, long now) {
        this.id = id;
        this.out = out;
        // The credential has done its work by now: it is not kept for the connection's whole life.
        Map<String, List<String>> kept = new HashMap<>(parameters);
        kept.remove(TOKEN);
        this.parameters = Map.copyOf(kept);
        this.authenticatedName = authenticatedName;
        this.wantsPositions = firstValue(parameters, SESSION) != null;
        this.lastSeen = now;
        this.lastPing = now;
    }

    public SocketId id() {
        return id;
    }

    /** The first value of a query parameter of the upgrade URL, or null. */
    public String parameter(String name) {
        return firstValue(parameters, name);
    }

    /** The first value of a query parameter, or null: the one reading of upgrade parameters. */
    public static String firstValue(Map<String, List<String>> parameters, String name) {
        List<String> values = parameters.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /**
     * A room-like query parameter ({@code board}, {@code room}): absent or empty means {@code default};
     * anything but 1-64 chars of {@code [A-Za-z0-9_-]} refuses the connection.
     */
    public String roomParameter(String name) {
        String value = parameter(name);
        if (value == null || value.isEmpty()) {
            return "default";
        }
        if (!Text.isRoomName(value)) {
            throw new Refusal("Invalid " + name + ": use 1-64 characters of A-Z, a-z, 0-9, _ and -");
        }
        return value;
    }

    /** The {@code name} claim of the connection's token, when authentication is on. */
    public Optional<String> authenticatedName() {
        return Optional.ofNullable(authenticatedName);
    }

    /**
     * Whether the client asked for a session at the handshake ({@code ?session=new}): it then gets each
     * event of a {@link History} stream with its position, and a stream's recent events when it joins it.
     * Every other client gets the protocol's frames exactly as they were before streams existed.
     */
    public boolean wantsPositions() {
        return wantsPositions;
    }

    /** The connection's resumable session, or null. */
    public Session session() {
        return session;
    }

    void session(Session session) {
        this.session = session;
    }

    /** Runs the task after the connection's earlier tasks, never at the same time as another of them. */
    void serially(Runnable task) {
        serial.execute(task);
    }

    /** {@link #serially}, for a task that finishes when its result does: later tasks wait for that. */
    void seriallyUntil(Supplier<CompletionStage<?>> task) {
        serial.submit(task);
    }

    /** This connection's limiter for {@code limit}, created on first use. */
    RateLimiter limiter(RateLimit limit) {
        return limiters.computeIfAbsent(limit, RateLimit::newLimiter);
    }

    /** Queues an encoded frame; never blocks. */
    public void send(String frame) {
        out.send(frame);
    }

    /** Queues an encoded message without writing it; true when the caller must {@link #flush()} it. */
    boolean offer(OutgoingText message) {
        return out.offer(message.forClient(wantsPositions));
    }

    /** Writes what {@link #offer} queued, for the caller that {@link #offer} named the writer. */
    void flush() {
        out.flush();
    }

    public void close(CloseCode code, String reason) {
        out.close(code, reason);
    }

    /** Drops the backlog and closes once the write in flight completes. */
    public void closeNow(CloseCode code, String reason) {
        out.closeNow(code, reason);
    }

    /**
     * {@link #closeNow} with 1008 for a connection that abused its limits; the runtime then penalizes its
     * address ({@link AddressLimits#penalize}), so that reconnecting does not refill them.
     */
    public void closeForAbuse(String reason) {
        abusive = true;
        out.closeNow(CloseCode.POLICY_VIOLATION, reason);
    }

    /** Whether the connection was closed by {@link #closeForAbuse}. */
    public boolean closedForAbuse() {
        return abusive;
    }

    /** Drops the backlog and closes at once: for a connection that has stopped reading. */
    public void abort(CloseCode code, String reason) {
        out.abort(code, reason);
    }

    /** Records traffic from the client, which keeps the connection from idling out. */
    public void touch(long now) {
        lastSeen = now;
    }

    long lastSeen() {
        return lastSeen;
    }

    /** Pings when the last one is older than the interval. */
    void pingIfDue(long now, long interval) {
        if (now - lastPing >= interval) {
            lastPing = now;
            out.ping();
        }
    }
}
