package dev.duplex.standalone;

import dev.duplex.core.Transport;
import dev.duplex.web.Transports;
import jakarta.websocket.Session;
import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.asyncqueue.AsyncQueueWriter;
import org.glassfish.grizzly.nio.transport.TCPNIOTransport;

/**
 * Gives each new session a {@link GrizzlyTransport} on its Grizzly connection, and marks the connection
 * upgraded so that {@link WebSocketReads} takes over its reads. Should the connection ever
 * be unknown (a Tyrus change that opened sessions off the handshake thread), the session still works
 * through the portable transport, and the count of such sessions shows it.
 */
final class GrizzlyTransports implements Function<Session, Transport> {
    private static final System.Logger LOG = System.getLogger(GrizzlyTransports.class.getName());

    private final AsyncQueueWriter<SocketAddress> writer;
    private final LongAdder direct = new LongAdder();
    private final LongAdder portable = new LongAdder();

    GrizzlyTransports(TCPNIOTransport transport) {
        this.writer = transport.getAsyncQueueIO().getWriter();
    }

    @Override
    public Transport apply(Session session) {
        Transport viaTyrus = Transports.portable(session);
        Connection<SocketAddress> connection = UpgradingConnection.take();
        if (connection == null) {
            portable.increment();
            LOG.log(Level.WARNING, "No Grizzly connection for session {0}: writing through Tyrus", session.getId());
            return viaTyrus;
        }
        direct.increment();
        WebSocketReads.upgraded(connection);
        return new GrizzlyTransport(connection, writer, viaTyrus);
    }

    long direct() {
        return direct.sum();
    }

    long portable() {
        return portable.sum();
    }
}
