package dev.duplex.core;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One namespace at run time: the lifecycle and envelope rules of PROTOCOL.md sections 2-3 around a
 * {@link NamespaceApp}. Runtime adapters call {@link #open}, {@link #receive} and {@link #closed}, from any
 * thread; this class runs the app's callbacks for one connection one at a time, in order (see
 * {@code package-info}), and maps every outcome to frames and close codes in one place. Thread-safe.
 */
public final class Namespace {
    private static final System.Logger LOG = System.getLogger(Namespace.class.getName());

    private final NamespaceApp app;
    private final SessionRegistry sessions;
    private final Codec codec;
    private final Clock clock;
    private final FrameLimits limits;
    private final EventTable events = new EventTable();
    private final Supplier<SocketId> ids;
    private final Executor resumer;

    public record Connected(SocketId id, String namespace) {
    }

    public record Pong(long time) {
    }

    public Namespace(NamespaceApp app, SessionRegistry sessions, Codec codec, Clock clock, FrameLimits limits) {
        this(app, sessions, codec, clock, limits, SocketId::random, Runnable::run);
    }

    /**
     * @param ids     where connection ids come from (in a cluster they name their node)
     * @param resumer where a connection's line goes on after a handler that finished later (see
     *                {@link EventTable}): never the thread that completed it, which may be the cluster's I/O
     */
    public Namespace(NamespaceApp app, SessionRegistry sessions, Codec codec, Clock clock, FrameLimits limits,
            Supplier<SocketId> ids, Executor resumer) {
        this.ids = ids;
        this.resumer = resumer;
        this.app = app;
        this.sessions = sessions;
        this.codec = codec;
        this.clock = clock;
        this.limits = limits;
        app.register(events);
    }

    public String path() {
        return app.path();
    }

    public SessionRegistry sessions() {
        return sessions;
    }

    /**
     * Opens a connection: admits it, greets it with {@code connected}, hands it to the app.
     * Returns null when the app refused it (the socket is then closed with 1008).
     */
    public Client open(SendQueue out, Map<String, List<String>> parameters, String authenticatedName) {
        Client client = new Client(ids.get(), out, parameters, authenticatedName, clock.millis());
        try {
            app.admit(client);
        } catch (Refusal refusal) {
            client.closeNow(refusal.code(), refusal.getMessage());
            return null;
        }
        // Queued before the client is visible to broadcasts, so nothing can overtake it.
        client.send(codec.event("connected", new Connected(client.id(), app.path())));
        sessions.add(client);
        client.seriallyUntil(() -> opened(client));
        return client;
    }

    /** Hands the connection to the app; returns what its first frame waits for, or null when it is done. */
    private CompletionStage<?> opened(Client client) {
        CompletionStage<?> later;
        try {
            later = app.opened(client);
        } catch (RuntimeException e) {
            refuseOrFail(client, e);
            return null;
        }
        return later == null ? null : resumed(later, failure -> {
            if (failure != null) {
                refuseOrFail(client, failure);
            }
        });
    }

    private void refuseOrFail(Client client, Throwable failure) {
        Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
        if (cause instanceof Refusal refusal) {
            client.closeNow(refusal.code(), refusal.getMessage());
        } else {
            fail(client, cause);
        }
    }

    /**
     * Runs {@code settle} when the stage completes (with its failure, or null), and returns what the
     * connection's line waits for: null when the stage was done already (settled here, on this thread, as on
     * a node alone), else a stage that completes on the resumer once settled.
     */
    private CompletionStage<?> resumed(CompletionStage<?> later, Consumer<Throwable> settle) {
        CompletableFuture<?> result = later.toCompletableFuture();
        if (result.isDone()) {
            result.whenComplete((data, failure) -> settle.accept(failure));
            return null;
        }
        CompletableFuture<Object> resumed = new CompletableFuture<>();
        result.whenComplete((data, failure) -> {
            try {
                settle.accept(failure);
            } finally {
                resumer.execute(() -> resumed.complete(null));
            }
        });
        return resumed;
    }

    /** Handles one text frame from the client, after whatever the connection is still busy with. */
    public void receive(Client client, String text) {
        client.seriallyUntil(() -> {
            // A frame that arrived while the connection was being closed finds it gone.
            return sessions.client(client.id()) == client ? handle(client, text) : null;
        });
    }

    /** Handles the frame; returns what the connection's next frame waits for, or null when it is done. */
    private CompletionStage<?> handle(Client client, String text) {
        long now = clock.millis();
        client.touch(now);
        boolean withinFrameLimit = client.limiter(limits.frames()).tryAcquire(now);
        IncomingFrame frame;
        try {
            frame = codec.decode(text);
        } catch (BadFrame bad) {
            reject(client, bad.ack(), bad.event(), withinFrameLimit
                    ? new ProtocolError(ErrorCode.BAD_JSON, bad.getMessage()) : new ProtocolError(ErrorCode.RATE_LIMITED));
            return null;
        }
        if (!withinFrameLimit) {
            // Decoded all the same, so that a frame with an ack still gets its one answer.
            reject(client, frame.ack(), frame.event(), new ProtocolError(ErrorCode.RATE_LIMITED));
            return null;
        }
        Object ackData;
        try {
            ackData = dispatch(client, frame, now);
        } catch (ProtocolError error) {
            reject(client, frame.ack(), frame.event(), error);
            return null;
        } catch (RuntimeException | Error e) {
            // An Error too: an OutOfMemoryError mid-handler leaves that connection's state unknown.
            fail(client, e);
            return null;
        }
        if (!(ackData instanceof CompletionStage<?> later)) {
            answer(client, frame, ackData);
            return null;
        }
        CompletableFuture<?> result = later.toCompletableFuture();
        return resumed(result, failure -> settle(client, frame, failure == null ? result.join() : null, failure));
    }

    /** Answers a frame whose handler finished later: its ack, its error, or a close for a bug. */
    private void settle(Client client, IncomingFrame frame, Object data, Throwable failure) {
        Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
        if (cause instanceof ProtocolError error) {
            reject(client, frame.ack(), frame.event(), error);
        } else if (cause != null) {
            fail(client, cause);
        } else {
            answer(client, frame, data);
        }
    }

    private void answer(Client client, IncomingFrame frame, Object ackData) {
        if (frame.ack() != null) {
            client.send(codec.ack(frame.ack(), ackData));
        }
    }

    /** Shutdown has begun: the app stops announcing departures (see {@link NamespaceApp#draining}). */
    public void drain() {
        app.draining();
    }

    /** A pong frame arrived: traffic that keeps the connection from idling out. */
    public void pong(Client client) {
        client.touch(clock.millis());
    }

    /** The connection is gone: the app lets the others know, then it leaves every room. */
    public void closed(Client client) {
        client.serially(() -> {
            if (sessions.client(client.id()) != client) {
                return;
            }
            try {
                app.closed(client);
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "Cleaning up " + client.id() + " failed", e);
            } finally {
                sessions.remove(client);
            }
        });
    }

    private Object dispatch(Client client, IncomingFrame frame, long now) {
        if (frame.event().equals("ping")) {
            client.send(codec.event("pong", new Pong(now)));
            return null;
        }
        return events.dispatch(client, frame.event(), frame.data(), now);
    }

    private void reject(Client client, Long ack, String event, ProtocolError error) {
        if (error.code() == ErrorCode.RATE_LIMITED && !client.limiter(limits.rejections()).tryAcquire(clock.millis())) {
            client.closeForAbuse("Too many rate-limited frames");
            return;
        }
        client.send(ack != null
                ? codec.ackError(ack, error.code(), error.getMessage())
                : codec.errorEvent(error.code(), error.getMessage(), event));
    }

    /** A bug (or a full heap), not a bad frame: logged once, and only this connection pays for it. */
    private void fail(Client client, Throwable e) {
        LOG.log(Level.ERROR, "Unexpected error in " + app.path() + " for " + client.id(), e);
        client.closeNow(CloseCode.SERVER_ERROR, "Unexpected server error");
    }
}
