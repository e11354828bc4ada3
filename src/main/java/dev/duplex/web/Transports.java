package dev.duplex.web;

import dev.duplex.core.Transport;
import jakarta.websocket.Session;
import java.util.function.Function;

/**
 * How endpoints reach their sockets. The portable way, through the session's asynchronous remote, works in
 * every container; a runtime that owns the network layer (the standalone server) installs a faster one for
 * as long as it runs. Endpoints are created by the container, so the choice is process-wide, like
 * {@code Duplex.current()}.
 */
public final class Transports {
    private static volatile Function<Session, Transport> factory = Transports::portable;

    private Transports() {
    }

    /** The Jakarta WebSocket way: one asynchronous send per message. */
    public static Transport portable(Session session) {
        return new SessionTransport(session);
    }

    /** Makes every new connection use {@code runtimeFactory}; {@link #reset()} undoes it. */
    public static void use(Function<Session, Transport> runtimeFactory) {
        factory = runtimeFactory;
    }

    public static void reset() {
        factory = Transports::portable;
    }

    static Transport forSession(Session session) {
        return factory.apply(session);
    }
}
