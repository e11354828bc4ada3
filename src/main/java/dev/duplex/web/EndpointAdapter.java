package dev.duplex.web;

import dev.duplex.Duplex;
import dev.duplex.auth.TokenVerifier;
import dev.duplex.core.Client;
import dev.duplex.core.CloseCode;
import dev.duplex.core.Namespace;
import dev.duplex.core.Refusal;
import dev.duplex.core.SendQueue;
import jakarta.websocket.Session;
import java.lang.System.Logger.Level;
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

    private static final String TOMCAT_BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";
    private static final Long BLOCKING_SEND_TIMEOUT_MILLIS = 2_000L;
    private static final String TOMCAT_SESSION_CLOSE_TIMEOUT = "org.apache.tomcat.websocket.SESSION_CLOSE_TIMEOUT";
    private static final Long SESSION_CLOSE_TIMEOUT_MILLIS = 3_000L;

    private final Duplex duplex = Duplex.current();
    private final Namespace namespace;
    private Client client;
    private ScheduledFuture<?> expiry;

    EndpointAdapter(String path) {
        this.namespace = duplex.namespace(path);
    }

    void open(Session session) {
        // The message size is checked here, not by the container, so that it is configurable.
        session.setMaxTextMessageBufferSize(duplex.maxMessageBytes());
        session.setMaxIdleTimeout(0);
        // Tomcat writes close frames and pings synchronously, for up to its blocking-send timeout when the peer
        // has stopped reading (20 s by default), and keeps a closed connection until the peer answers the close
        // frame or its session close timeout passes (30 s). Other containers ignore these properties.
        session.getUserProperties().put(TOMCAT_BLOCKING_SEND_TIMEOUT, BLOCKING_SEND_TIMEOUT_MILLIS);
        session.getUserProperties().put(TOMCAT_SESSION_CLOSE_TIMEOUT, SESSION_CLOSE_TIMEOUT_MILLIS);
        SendQueue out = new SendQueue(Transports.forSession(session, duplex.io()), duplex.sendQueueLimits(), duplex.io());
        Map<String, List<String>> parameters = session.getRequestParameterMap();
        TokenVerifier.Identity identity;
        try {
            identity = duplex.authenticate(Client.firstValue(parameters, "token"));
        } catch (Refusal refusal) {
            out.closeNow(CloseCode.POLICY_VIOLATION, refusal.getMessage());
            return;
        }
        client = namespace.open(out, parameters, identity == null ? null : identity.name());
        if (client != null && identity != null) {
            expiry = duplex.closeOnExpiry(client, identity.expiresAt());
        }
    }

    void text(String text) {
        if (client == null) {
            return;
        }
        if (utf8LengthExceeds(text, duplex.maxMessageBytes())) {
            client.closeNow(CloseCode.TOO_BIG, "Message larger than " + duplex.maxMessageBytes() + " bytes");
            return;
        }
        namespace.receive(client, text);
    }

    void binary() {
        if (client != null) {
            client.closeNow(CloseCode.UNSUPPORTED_DATA, "Binary frames are not supported");
        }
    }

    void pong() {
        if (client != null) {
            namespace.pong(client);
        }
    }

    void closed() {
        if (expiry != null) {
            expiry.cancel(false);
        }
        if (client != null) {
            namespace.closed(client);
        }
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
