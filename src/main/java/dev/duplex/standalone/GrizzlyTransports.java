package dev.duplex.standalone;

import dev.duplex.core.Scheduler;
import dev.duplex.core.Transport;
import dev.duplex.web.Transports;
import jakarta.websocket.Session;
import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.asyncqueue.AsyncQueueWriter;
import org.glassfish.grizzly.nio.transport.TCPNIOTransport;

/**
 * Gives each new session a {@link GrizzlyTransport} on its Grizzly connection, and marks the connection
 * upgraded so that {@link WebSocketReads} takes over its reads. Should the connection ever
 * be unknown (a Tyrus change that opened sessions off the handshake thread), the session still works
 * through the portable transport, and the count of such sessions shows it.
 */
final class GrizzlyTransports implements BiFunction<Session, Executor, Transport> {
    private static final System.Logger LOG = System.getLogger(GrizzlyTransports.class.getName());

    private final AsyncQueueWriter<SocketAddress> writer;
    private final Scheduler timer;
    private final LongAdder direct = new LongAdder();
    /** WebSocket TCP connections still open: shutdown waits for them to end their close handshake. */
    private final AtomicInteger live = new AtomicInteger();
    private final LongAdder portable = new LongAdder();

    private final WebSocketReads reads;

    GrizzlyTransports(TCPNIOTransport transport, Scheduler timer, WebSocketReads reads) {
        this.writer = transport.getAsyncQueueIO().getWriter();
        this.timer = timer;
        this.reads = reads;
    }

    @Override
    public Transport apply(Session session, Executor io) {
        Connection<SocketAddress> connection = UpgradingConnection.take();
        if (connection == null) {
            portable.increment();
            LOG.log(Level.WARNING, "No Grizzly connection for session {0}: writing through Tyrus", session.getId());
            return Transports.portable(session, io);
        }
        direct.increment();
        live.incrementAndGet();
        connection.addCloseListener((closed, type) -> live.decrementAndGet());
        reads.upgraded(connection);
        return new GrizzlyTransport(connection, writer, session, timer);
    }

    /** WebSocket TCP connections open now. */
    int live() {
        return live.get();
    }

    long direct() {
        return direct.sum();
    }

    long portable() {
        return portable.sum();
    }
}
