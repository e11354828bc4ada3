package dev.duplex.web;

import dev.duplex.core.CloseCode;
import dev.duplex.core.OutgoingText;
import dev.duplex.core.Transport;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * A {@link Transport} over a Jakarta WebSocket session's asynchronous remote: the portable path, for every
 * container. Text goes out asynchronously. Pings do not: in Tomcat even the asynchronous remote's
 * {@code sendPing} writes synchronously, for up to its blocking-send timeout when the peer has stopped
 * reading, so pings run on the runtime's connection I/O threads, never on the caller's (the heartbeat's
 * scheduler). Closes already arrive on those threads ({@code SendQueue}).
 */
final class SessionTransport implements Transport {
    private static final System.Logger LOG = System.getLogger(SessionTransport.class.getName());
    private static final ByteBuffer NO_DATA = ByteBuffer.allocate(0);

    private final Session session;
    private final Executor io;

    SessionTransport(Session session, Executor io) {
        this.session = session;
        this.io = io;
    }

    @Override
    public void send(List<OutgoingText> messages, Consumer<Throwable> done) {
        // maxBatch() is 1: the Jakarta API sends message by message.
        session.getAsyncRemote().sendText(messages.get(0).text(),
                result -> done.accept(result.isOK() ? null : result.getException()));
    }

    @Override
    public void sendPing(Consumer<Throwable> done) {
        io.execute(() -> {
            try {
                session.getAsyncRemote().sendPing(NO_DATA.duplicate());
                done.accept(null);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.DEBUG, "Ping to {0} failed: {1}", session.getId(), e);
                done.accept(e);
            }
        });
    }

    @Override
    public void close(CloseCode code, String reason) {
        try {
            session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code.code()), reason));
        } catch (IOException | IllegalStateException e) {
            LOG.log(Level.DEBUG, "Close of {0} failed: {1}", session.getId(), e);
        }
    }
}
