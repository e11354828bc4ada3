package dev.duplex.standalone;

import dev.duplex.core.CloseCode;
import dev.duplex.core.OutgoingText;
import dev.duplex.core.Transport;
import java.net.SocketAddress;
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

/**
 * Writes text frames straight to the Grizzly connection under a Tyrus session. Two things the Jakarta API
 * cannot do: a broadcast's frame is built once and its bytes shared by every receiver's write (Tyrus would
 * encode and frame the text again for each), and a backlog leaves in one write (one system call) instead of
 * one per message. Pings and closes still go through Tyrus, which owns the close handshake; they never
 * overlap these writes, because the {@code SendQueue} issues them only between writes.
 *
 * <p>Writes go to the transport's asynchronous write queue, where Grizzly's filter chain would end up too:
 * walking the HTTP filters for every frame of an upgraded connection cost about a third of the server's CPU
 * in the fan-out profile. That is correct because the listener has no filter that changes written bytes (no
 * TLS); should one be added, these writes must go through {@code connection.write} again.
 */
final class GrizzlyTransport implements Transport {
    /** Messages gathered into one write at most; the queue also bounds a write's size. */
    private static final int MAX_BATCH = 64;

    private final Connection<SocketAddress> connection;
    private final AsyncQueueWriter<SocketAddress> writer;
    private final MemoryManager<?> memory;
    private final Transport session;

    GrizzlyTransport(Connection<SocketAddress> connection, AsyncQueueWriter<SocketAddress> writer, Transport session) {
        this.connection = connection;
        this.writer = writer;
        this.memory = connection.getMemoryManager();
        this.session = session;
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

    @Override
    public void sendPing() {
        session.sendPing();
    }

    @Override
    public void close(CloseCode code, String reason) {
        session.close(code, reason);
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
