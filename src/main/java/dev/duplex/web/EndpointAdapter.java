package dev.duplex.web;

import dev.duplex.Duplex;
import dev.duplex.auth.TokenVerifier;
import dev.duplex.core.Client;
import dev.duplex.core.CloseCode;
import dev.duplex.core.Namespace;
import dev.duplex.core.Refusal;
import dev.duplex.core.Resume;
import dev.duplex.core.SendQueue;
import dev.duplex.core.Transport;
import jakarta.websocket.Session;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;

/**
 * What every namespace endpoint does with its socket, so the annotated classes stay one-liners. Each
 * endpoint still repeats its six annotated methods: the WebSocket specification does not pass its
 * annotations down the class hierarchy (section 4.7), so a shared annotated base class is not portable.
 * One instance per connection (endpoints are instantiated per connection); the container calls it
 * serially for its connection.
 */
final class EndpointAdapter {
    private static final System.Logger LOG = System.getLogger(EndpointAdapter.class.getName());

    /** {@code ?session=resume}: the first frame is a {@code resume}. */
    private static final String RESUME = "resume";
    private static final String TOMCAT_BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";
    private static final Long BLOCKING_SEND_TIMEOUT_MILLIS = 2_000L;
    private static final String TOMCAT_ABNORMAL_CLOSE_SEND_TIMEOUT =
            "org.apache.tomcat.websocket.ABNORMAL_SESSION_CLOSE_SEND_TIMEOUT";
    private static final Long ABNORMAL_CLOSE_SEND_TIMEOUT_MILLIS = 1_000L;
    private static final String TOMCAT_SESSION_CLOSE_TIMEOUT = "org.apache.tomcat.websocket.SESSION_CLOSE_TIMEOUT";
    private static final Long SESSION_CLOSE_TIMEOUT_MILLIS = 2_000L;

    private final Duplex duplex = Duplex.current();
    private final Namespace namespace;
    private SendQueue out;
    /** Set once the namespace has the connection. */
    private volatile Client client;
    /**
     * A connection that waits for its first frame: its token ({@code authenticate}) or, when it resumes a
     * session, its {@code resume}; its parameters, and the deadline for it.
     */
    private record AwaitingFirstFrame(Map<String, List<String>> parameters, ScheduledFuture<?> deadline, boolean resume) {
    }

    // Guarded by this: the wait for a first frame, what to release at the close, and whether it came.
    private AwaitingFirstFrame awaitingFirstFrame;
    private final List<Runnable> releases = new ArrayList<>();
    private boolean gone;

    EndpointAdapter(String path) {
        this.namespace = duplex.namespace(path);
    }

    void open(Session session) {
        // The message size is checked here, not by the container, so that it is configurable.
        session.setMaxTextMessageBufferSize(duplex.maxMessageBytes());
        session.setMaxIdleTimeout(0);
        // Tomcat writes close frames and pings synchronously, for up to its blocking-send timeout when the peer
        // has stopped reading (20 s by default; a close with any code but 1000 gets only 50 ms, too short for a
        // loaded machine, so the close frame of a 1008 or 1009 could be lost), and keeps a closed connection
        // until the peer answers the close frame or its session close timeout passes (30 s). Duplex's own
        // closes and pings wait on its I/O threads. Other containers ignore these properties.
        session.getUserProperties().put(TOMCAT_BLOCKING_SEND_TIMEOUT, BLOCKING_SEND_TIMEOUT_MILLIS);
        session.getUserProperties().put(TOMCAT_ABNORMAL_CLOSE_SEND_TIMEOUT, ABNORMAL_CLOSE_SEND_TIMEOUT_MILLIS);
        session.getUserProperties().put(TOMCAT_SESSION_CLOSE_TIMEOUT, SESSION_CLOSE_TIMEOUT_MILLIS);
        Transport transport = Transports.forSession(session, duplex.io());
        out = new SendQueue(transport, duplex.sendQueueLimits(), duplex.io());
        if (duplex.draining()) {
            out.closeNow(CloseCode.GOING_AWAY, "Server shutting down");
            return;
        }
        if (session.getUserProperties().get(HandshakeGuard.FOREIGN_ORIGIN) != null) {
            out.closeNow(CloseCode.POLICY_VIOLATION, "Origin not allowed");
            return;
        }
        // In a container the address comes from the handshake and is counted here; the standalone server
        // counts TCP connections at accept, and its transport knows the address.
        InetAddress handshakeAddress = session.getUserProperties().get(HandshakeGuard.REMOTE_ADDRESS)
                instanceof InetAddress address ? address : null;
        if (handshakeAddress != null) {
            if (duplex.addressLimits().opened(handshakeAddress) != null) {
                out.closeNow(CloseCode.TRY_AGAIN_LATER, "Too many connections from this address");
                return;
            }
            whenClosed(() -> duplex.addressLimits().closed(handshakeAddress, System.currentTimeMillis()));
        }
        InetAddress peer = handshakeAddress != null ? handshakeAddress : transport.peer();
        if (peer != null) {
            whenClosed(() -> penalizeIfAbusive(peer));
        }
        Map<String, List<String>> parameters = session.getRequestParameterMap();
        String token = Client.firstValue(parameters, Client.TOKEN);
        // A session's secret comes in the first frame, as a token may: kept out of URLs and access logs.
        boolean resume = RESUME.equals(Client.firstValue(parameters, Client.SESSION));
        if (resume || (token == null && duplex.authenticationRequired())) {
            ScheduledFuture<?> deadline = resume
                    ? duplex.closeIfNoFirstFrame(out, "Resume required: send the resume frame first")
                    : duplex.closeIfNoToken(out);
            synchronized (this) {
                awaitingFirstFrame = new AwaitingFirstFrame(parameters, deadline, resume);
            }
            whenClosed(() -> deadline.cancel(false));
            return;
        }
        openWith(token, parameters, null);
    }

    /**
     * Runs {@code release} when the connection closes, or now if it has closed already: whatever the
     * connection holds (a count, a timer, its place in the namespace) is let go exactly once, whichever comes
     * first of the close and the taking.
     */
    private void whenClosed(Runnable release) {
        synchronized (this) {
            if (!gone) {
                releases.add(release);
                return;
            }
        }
        release.run();
    }

    /** Verifies the token (when authentication is on) and hands the connection to the namespace. */
    private void openWith(String token, Map<String, List<String>> parameters, Resume resume) {
        TokenVerifier.Identity identity;
        try {
            identity = duplex.authenticate(token);
        } catch (Refusal refusal) {
            out.closeNow(CloseCode.POLICY_VIOLATION, refusal.getMessage());
            return;
        }
        if (identity != null) {
            if (!duplex.userConnected(identity.name())) {
                out.closeNow(CloseCode.TRY_AGAIN_LATER, "Too many connections for this user");
                return;
            }
            whenClosed(() -> duplex.userDisconnected(identity.name()));
        }
        String name = identity == null ? null : identity.name();
        Client opened = resume == null ? namespace.open(out, parameters, name) : namespace.open(out, parameters, name, resume);
        if (opened == null) {
            return;
        }
        client = opened;
        whenClosed(() -> namespace.closed(opened));
        if (identity != null) {
            ScheduledFuture<?> expiry = duplex.closeOnExpiry(opened, identity.expiresAt());
            whenClosed(() -> expiry.cancel(false));
        }
    }

    /** At the close: a connection the namespace closed for abuse bars its address's next handshakes. */
    private void penalizeIfAbusive(InetAddress peer) {
        Client closing = client;
        if (closing != null && closing.closedForAbuse()) {
            duplex.addressLimits().penalize(peer, System.currentTimeMillis());
        }
    }

    void text(String text) {
        if (utf8LengthExceeds(text, duplex.maxMessageBytes())) {
            out.closeNow(CloseCode.TOO_BIG, "Message larger than " + duplex.maxMessageBytes() + " bytes");
            return;
        }
        AwaitingFirstFrame waiting;
        synchronized (this) {
            waiting = awaitingFirstFrame;
            awaitingFirstFrame = null;
        }
        if (waiting != null) {
            waiting.deadline().cancel(false);
            if (!waiting.resume()) {
                openWith(duplex.tokenFromFirstFrame(text), waiting.parameters(), null);
                return;
            }
            Duplex.FirstFrame first;
            try {
                first = duplex.resumeFromFirstFrame(text);
            } catch (Refusal refusal) {
                out.closeNow(CloseCode.POLICY_VIOLATION, refusal.getMessage());
                return;
            }
            // A token in the URL counts as much as one in the frame.
            String token = first.token() != null ? first.token() : Client.firstValue(waiting.parameters(), Client.TOKEN);
            openWith(token, waiting.parameters(), first.resume());
            return;
        }
        Client current = client;
        if (current != null) {
            namespace.receive(current, text);
        }
    }

    void binary() {
        if (out != null) {
            out.closeNow(CloseCode.UNSUPPORTED_DATA, "Binary frames are not supported");
        }
    }

    void pong() {
        if (client != null) {
            namespace.pong(client);
        }
    }

    void closed() {
        List<Runnable> held;
        synchronized (this) {
            gone = true;
            held = List.copyOf(releases);
            releases.clear();
        }
        held.forEach(Runnable::run);
    }

    /**
     * The container closes the socket after this; the close callback cleans up. What a client causes (a
     * vanished peer, a protocol violation) is routine and logged at DEBUG, so no client can flood the log;
     * Duplex's own bugs are logged by {@code Namespace}. An {@link Error} (OutOfMemoryError above all) is
     * never routine.
     */
    void error(Throwable error) {
        Level level = error instanceof Error ? Level.ERROR : Level.DEBUG;
        LOG.log(level, "WebSocket error on " + namespace.path() + (client == null ? "" : " for " + client.id()), error);
    }

    /** Counts UTF-8 bytes without encoding; most frames are decided by their length alone. */
    static boolean utf8LengthExceeds(String text, int max) {
        if (text.length() <= max / 3) {
            return false;
        }
        if (text.length() > max) {
            return true;
        }
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            // A surrogate pair is 4 bytes: 2 for each half.
            bytes += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
        }
        return bytes > max;
    }
}
