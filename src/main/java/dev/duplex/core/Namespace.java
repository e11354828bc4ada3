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
    private final Sessions resumable;
    private volatile boolean draining;

    public record Connected(SocketId id, String namespace) {
    }

    /** {@code connected} of a connection with a session: its token, and whether it resumed and recovered. */
    public record SessionConnected(SocketId id, String namespace, String session, boolean resumed, boolean recovered) {
    }

    /**
     * How sessions are kept: where, for how long after a drop ({@code windowMillis}), and how long a drop
     * stays unseen by others ({@code graceMillis}); the scheduler ends both.
     */
    public record Sessions(SessionStore store, Scheduler scheduler, long graceMillis, long windowMillis) {
        public Sessions {
            if (graceMillis < 0 || windowMillis < graceMillis) {
                throw new IllegalArgumentException("duplex.session.grace-ms must be at least 0 and at most duplex.session.window-ms");
            }
        }
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
        this(app, sessions, codec, clock, limits, ids, resumer, null);
    }

    /** @param resumable how sessions are kept, or null for none */
    public Namespace(NamespaceApp app, SessionRegistry sessions, Codec codec, Clock clock, FrameLimits limits,
            Supplier<SocketId> ids, Executor resumer, Sessions resumable) {
        this.resumable = resumable;
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
        Client client = admitted(new Client(ids.get(), out, parameters, authenticatedName, clock.millis()));
        if (client == null) {
            return null;
        }
        SessionStore.Issued issued = offersSessions(parameters) ? resumable.store().create(client.id(), authenticatedName) : null;
        Object connected = new Connected(client.id(), app.path());
        if (issued != null) {
            client.session(issued.session());
            issued.session().onLine(() -> issued.session().attach(client));
            connected = new SessionConnected(client.id(), app.path(), issued.token(), false, false);
        }
        // Queued before the client is visible to broadcasts, so nothing can overtake it.
        client.send(codec.event("connected", connected));
        sessions.add(client);
        client.seriallyUntil(() -> opened(client));
        return client;
    }

    /**
     * Opens a connection that presented a session ({@code ?session=resume} and its {@code resume} frame).
     * An unknown or expired session is no error: the connection gets a new one, with {@code resumed} false.
     * A session whose secret or user does not match is refused with 1008 before {@code connected}. Otherwise
     * the connection takes the session's id; if its old connection is still open (a drop the server has not
     * seen yet), that one is closed first; then the app puts it back where it was, and {@code connected}
     * says whether everything it missed follows.
     */
    public Client open(SendQueue out, Map<String, List<String>> parameters, String authenticatedName, Resume resume) {
        Session session = offersSessions(parameters) ? resumable.store().find(resume.id()) : null;
        if (session == null) {
            return open(out, parameters, authenticatedName);
        }
        if (!session.admits(resume.secret(), authenticatedName)) {
            out.closeNow(CloseCode.POLICY_VIOLATION, "Session refused");
            return null;
        }
        Client client = admitted(new Client(session.id(), out, parameters, authenticatedName, clock.millis()));
        if (client == null) {
            return null;
        }
        client.session(session);
        String token = resume.id().value() + "." + resume.secret();
        client.seriallyUntil(() -> {
            CompletableFuture<Void> done = new CompletableFuture<>();
            session.onLine(() -> {
                if (session.forgotten()) {
                    // Its window ended just now: as if it had been unknown, but this connection holds its id.
                    client.closeNow(CloseCode.TRY_AGAIN_LATER, "Session expired: connect again");
                    done.complete(null);
                    return;
                }
                Client previous = session.client();
                if (previous != null) {
                    previous.closeNow(CloseCode.NORMAL, "Session resumed on another connection");
                }
                session.whenSuspended(() -> {
                    boolean departed = session.departed();
                    session.attach(client);
                    session.departed(false);
                    try {
                        app.resumed(client, session, resume.positions(), departed, recovered -> {
                            client.send(codec.event("connected",
                                    new SessionConnected(client.id(), app.path(), token, true, recovered)));
                            sessions.add(client);
                        });
                    } catch (RuntimeException e) {
                        fail(client, e);
                    } finally {
                        resumer.execute(() -> done.complete(null));
                    }
                });
            });
            return done;
        });
        return client;
    }

    /** The client if the app admits it; else null, the connection closed with the refusal's code. */
    private Client admitted(Client client) {
        try {
            app.admit(client);
            return client;
        } catch (Refusal refusal) {
            client.closeNow(refusal.code(), refusal.getMessage());
            return null;
        }
    }

    /** Whether this connection asked for a session and the namespace keeps them. */
    private boolean offersSessions(Map<String, List<String>> parameters) {
        return resumable != null && app.resumable() && Client.firstValue(parameters, Client.SESSION) != null;
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

    /**
     * Shutdown has begun: the app stops announcing departures (see {@link NamespaceApp#draining}), and
     * connections that close from now on end their sessions (this node's memory goes with it).
     */
    public void drain() {
        draining = true;
        app.draining();
    }

    /** A pong frame arrived: traffic that keeps the connection from idling out. */
    public void pong(Client client) {
        client.touch(clock.millis());
    }

    /**
     * The connection is gone: the app lets the others know, then it leaves every room. A connection with a
     * session is suspended instead, and the others hear of it only when the grace period passes without a
     * resume; one closed for abuse, or while the server shuts down, ends its session with it.
     */
    public void closed(Client client) {
        client.serially(() -> {
            boolean registered = sessions.client(client.id()) == client;
            Session session = client.session();
            if (session != null && !draining && !client.closedForAbuse()) {
                suspend(client, session, registered);
                return;
            }
            if (session != null) {
                session.onLine(() -> forget(session));
            }
            if (!registered) {
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

    private void suspend(Client client, Session session, boolean registered) {
        if (registered) {
            try {
                app.suspended(client, session);
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "Suspending " + client.id() + " failed", e);
            } finally {
                sessions.remove(client);
            }
        }
        session.onLine(() -> {
            if (session.client() != client) {
                return; // taken over already: the new connection owns the session
            }
            List<Runnable> waiting = session.suspend();
            long generation = session.generation();
            resumable.scheduler().schedule(() -> session.onLine(() -> {
                if (session.client() == null && session.generation() == generation && !session.forgotten()
                        && !session.departed()) {
                    depart(session);
                }
            }), resumable.graceMillis());
            resumable.scheduler().schedule(() -> session.onLine(() -> {
                if (session.client() == null && session.generation() == generation && !session.forgotten()) {
                    if (!session.departed()) {
                        depart(session);
                    }
                    forget(session);
                }
            }), resumable.windowMillis());
            waiting.forEach(Runnable::run);
        });
    }

    /** On the session's line. */
    private void depart(Session session) {
        session.departed(true);
        try {
            app.departed(session);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "Announcing the departure of " + session.id() + " failed", e);
        }
    }

    /** On the session's line: it can no longer be resumed. */
    private void forget(Session session) {
        session.forget();
        resumable.store().remove(session);
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
