package dev.duplex.standalone;

import dev.duplex.core.CloseCode;
import dev.duplex.core.OutgoingText;
import dev.duplex.core.Scheduler;
import dev.duplex.core.Transport;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.EmptyCompletionHandler;
import org.glassfish.grizzly.WriteResult;
import org.glassfish.grizzly.asyncqueue.AsyncQueueWriter;
import org.glassfish.grizzly.asyncqueue.WritableMessage;
import org.glassfish.grizzly.memory.Buffers;
import org.glassfish.grizzly.memory.MemoryManager;
import org.glassfish.grizzly.nio.NIOConnection;

/**
 * Writes text frames straight to the Grizzly connection under a Tyrus session. Two things the Jakarta API
 * cannot do: a broadcast's frame is built once and its bytes shared by every receiver's write (Tyrus would
 * encode and frame the text again for each), and a backlog leaves in one write (one system call) instead of
 * one per message. Pings and closes still go through Tyrus, which owns the close handshake; they never
 * overlap these writes, because the {@code SendQueue} issues them only between writes.
 *
 * <p>A closed connection is gone within seconds: Tyrus closes the TCP connection once the peer answers the
 * close frame, and if it has not after {@link #CLOSE_TIMEOUT_MILLIS} this transport aborts it. An abort (a
 * reader that stopped reading) resets the connection at once, with a zero linger, so that neither Grizzly's
 * write queue nor the kernel's send buffer keeps the megabytes that were waiting for that reader.
 *
 * <p>Writes go to the transport's asynchronous write queue, where Grizzly's filter chain would end up too:
 * walking the HTTP filters for every frame of an upgraded connection cost about a third of the server's CPU
 * in the fan-out profile. That is correct because the listener has no filter that changes written bytes (no
 * TLS); should one be added, these writes must go through {@code connection.write} again.
 */
final class GrizzlyTransport implements Transport {
    private static final System.Logger LOG = System.getLogger(GrizzlyTransport.class.getName());
    /** Messages gathered into one write at most; the queue also bounds a write's size. */
    private static final int MAX_BATCH = 64;
    /** How long a peer has to answer a close frame before its connection is aborted. */
    static final long CLOSE_TIMEOUT_MILLIS = 3_000;
    private static final ByteBuffer NO_DATA = ByteBuffer.allocate(0);

    private final Connection<SocketAddress> connection;
    private final AsyncQueueWriter<SocketAddress> writer;
    private final MemoryManager<?> memory;
    private final Session session;
    private final Scheduler timer;

    GrizzlyTransport(Connection<SocketAddress> connection, AsyncQueueWriter<SocketAddress> writer, Session session,
            Scheduler timer) {
        this.connection = connection;
        this.writer = writer;
        this.memory = connection.getMemoryManager();
        this.session = session;
        this.timer = timer;
    }

    @Override
    public void send(List<OutgoingText> messages, Consumer<Throwable> done) {
        writer.write(connection, wire(messages), new EmptyCompletionHandler<WriteResult<WritableMessage, SocketAddress>>() {
            @Override
            public void completed(WriteResult<WritableMessage, SocketAddress> result) {
                done.accept(null);
            }

            @Override
            public void failed(Throwable error) {
                done.accept(error);
            }

            @Override
            public void cancelled() {
                done.accept(new CancellationException("Write cancelled: the connection closed"));
            }
        });
    }

    @Override
    public int maxBatch() {
        return MAX_BATCH;
    }

    /** Tyrus queues the ping on the connection's write queue and returns: nothing blocks. */
    @Override
    public void sendPing(Consumer<Throwable> done) {
        try {
            session.getAsyncRemote().sendPing(NO_DATA.duplicate());
        } catch (IOException | RuntimeException e) {
            done.accept(e);
            return;
        }
        done.accept(null);
    }

    @Override
    public void close(CloseCode code, String reason) {
        closeSession(code, reason);
        timer.schedule(() -> {
            if (connection.isOpen()) {
                LOG.log(Level.DEBUG, "No answer to the close frame in {0} ms: aborting", CLOSE_TIMEOUT_MILLIS);
                reset();
            }
        }, CLOSE_TIMEOUT_MILLIS);
    }

    /** Tyrus still tells the endpoint (and writes a close frame the peer will likely never read). */
    @Override
    public void abort(CloseCode code, String reason) {
        closeSession(code, reason);
        reset();
    }

    private void closeSession(CloseCode code, String reason) {
        try {
            session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code.code()), reason));
        } catch (IOException | IllegalStateException e) {
            LOG.log(Level.DEBUG, "Close of {0} failed: {1}", session.getId(), e);
        }
    }

    /** Closes the TCP connection now, with a reset: the kernel drops what it still had to send. */
    private void reset() {
        reset(connection);
    }

    @Override
    public InetAddress peer() {
        return Admission.peer(connection);
    }

    /**
     * Closes a TCP connection now, with a reset: neither Grizzly's write queue nor the kernel's send buffer
     * keeps what was waiting for it. For every connection the standalone server gives up on.
     */
    static void reset(Connection<?> connection) {
        if (!(connection instanceof NIOConnection nio)) {
            connection.closeSilently();
            return;
        }
        if (nio.getChannel() instanceof SocketChannel channel) {
            try {
                channel.socket().setSoLinger(true, 0);
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "Setting a zero linger failed: {0}", e.toString());
            }
        }
        nio.terminateSilently();
    }

    /** One buffer for the whole write; a single message's shared frame bytes are wrapped, not copied. */
    private Buffer wire(List<OutgoingText> messages) {
        if (messages.size() == 1) {
            return shared(messages.get(0).framed(WebSocketFrames::text));
        }
        byte[][] frames = new byte[messages.size()][];
        int length = 0;
        for (int i = 0; i < frames.length; i++) {
            frames[i] = messages.get(i).framed(WebSocketFrames::text);
            length += frames[i].length;
        }
        byte[] gathered = new byte[length];
        int offset = 0;
        for (byte[] frame : frames) {
            System.arraycopy(frame, 0, gathered, offset, frame.length);
            offset += frame.length;
        }
        return shared(gathered);
    }

    /** Other receivers' writes may still read these bytes: Grizzly must never return them to its pool. */
    private Buffer shared(byte[] bytes) {
        Buffer buffer = Buffers.wrap(memory, bytes);
        buffer.allowBufferDispose(false);
        return buffer;
    }
}
