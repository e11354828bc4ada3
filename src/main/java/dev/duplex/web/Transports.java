package dev.duplex.web;

import dev.duplex.core.Transport;
import jakarta.websocket.Session;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;

/**
 * How endpoints reach their sockets. The portable way, through the session's asynchronous remote, works in
 * every container; a runtime that owns the network layer (the standalone server) installs a faster one for
 * as long as it runs. Endpoints are created by the container, so the choice is process-wide, like
 * {@code Duplex.current()}.
 */
public final class Transports {
    private static volatile BiFunction<Session, Executor, Transport> factory = Transports::portable;

    private Transports() {
    }

    /**
     * The Jakarta WebSocket way: one asynchronous send per message; {@code io} runs what may block (pings).
     */
    public static Transport portable(Session session, Executor io) {
        return new SessionTransport(session, io);
    }

    /** Makes every new connection use {@code runtimeFactory}; {@link #reset()} undoes it. */
    public static void use(BiFunction<Session, Executor, Transport> runtimeFactory) {
        factory = runtimeFactory;
    }

    public static void reset() {
        factory = Transports::portable;
    }

    static Transport forSession(Session session, Executor io) {
        return factory.apply(session, io);
    }
}
