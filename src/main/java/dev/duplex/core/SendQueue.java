package dev.duplex.core;

import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Every write to one connection goes through its queue: at most one write in flight (containers reject
 * concurrent sends on a session), text and pings alike, the rest queued in order. Enqueueing never blocks, so
 * a slow receiver never holds up a broadcaster; a receiver whose backlog passes either bound of its
 * {@link Limits} is closed with 1008.
 *
 * <p>Closes never run on the caller's thread: they go to the runtime's connection I/O executor. The runtime
 * reports a close to the endpoint on the thread that closes, so a receiver overflowed inside another
 * client's broadcast is cleaned up after that broadcast, on an I/O thread, never inside it (where closes
 * would nest: one slow reader's {@code user-disconnected} overflowing the next). A close that blocks (Tomcat
 * writes close frames synchronously) blocks an I/O thread, never a reader, a broadcaster or the scheduler.
 * Thread-safe.
 */
public final class SendQueue {
    /**
     * How far a connection may fall behind: messages waiting behind the write in flight, and their
     * characters (a character of queued text is one or two bytes of heap). A broadcast's message is shared by
     * every receiver, so the characters count what each backlog could pin were its messages its own.
     */
    public record Limits(int frames, long chars) {
        public Limits {
            if (frames < 1 || chars < 1) {
                throw new IllegalArgumentException("send queue limits must be positive");
            }
        }
    }

    private static final System.Logger LOG = System.getLogger(SendQueue.class.getName());
    /** Marks a ping in the queue; compared by identity. */
    private static final OutgoingText PING = new OutgoingText("ping");
    private static final List<OutgoingText> PING_WRITE = List.of(PING);
    /** A gathered write stops growing at about this many characters, so one write stays a bounded buffer. */
    private static final int MAX_BATCH_CHARS = 256 * 1024;

    private final Transport transport;
    private final Limits limits;
    private final Executor io;
    private final int maxBatch;
    private final ArrayDeque<OutgoingText> queue = new ArrayDeque<>();
    private long queuedChars;
    private boolean writing;
    private boolean closed;
    private CloseCode closeAfterFlush;
    private String closeReason;

    /** @param io runs the transport's closes (see the class comment) */
    public SendQueue(Transport transport, Limits limits, Executor io) {
        this.transport = transport;
        this.limits = limits;
        this.io = io;
        this.maxBatch = Math.max(1, transport.maxBatch());
    }

    public void send(String text) {
        send(new OutgoingText(text));
    }

    public void send(OutgoingText message) {
        if (offer(message)) {
            flush();
        }
    }

    /** Queues a ping frame behind the pending text, so it never interleaves with a write. */
    public void ping() {
        send(PING);
    }

    /**
     * Queues a message without writing it. Returns true when the queue was idle: the caller then owns the
     * writing and must call {@link #flush()}, typically after releasing a lock under which it queued one
     * message for many connections in one order.
     */
    public boolean offer(OutgoingText message) {
        synchronized (this) {
            if (closed || closeAfterFlush != null) {
                return false;
            }
            boolean overflow = writing && (queue.size() >= limits.frames()
                    || queuedChars + message.text().length() > limits.chars());
            if (!overflow) {
                queue.add(message);
                queuedChars += message.text().length();
                if (!writing) {
                    writing = true;
                    return true;
                }
                return false;
            }
        }
        abort(CloseCode.POLICY_VIOLATION, "Send queue overflow: the client reads too slowly");
        return false;
    }

    /** Writes what {@link #offer} queued; for the caller that was told it owns the writing. */
    public void flush() {
        drain(next());
    }

    /** Sends what is queued, then closes. */
    public void close(CloseCode code, String reason) {
        synchronized (this) {
            if (closed || closeAfterFlush != null) {
                return;
            }
            if (writing) {
                closeAfterFlush = code;
                closeReason = reason;
                return;
            }
            closed = true;
        }
        closeLater(code, reason);
    }

    /**
     * Drops what is queued and closes as soon as the write in flight, if any, completes. A close must not
     * overlap a write: Tomcat, for one, then drops the connection without a close frame (the client sees
     * 1006 instead of the code sent). For a reader that has stopped reading use {@link #abort}.
     */
    public void closeNow(CloseCode code, String reason) {
        synchronized (this) {
            if (closed) {
                return;
            }
            dropBacklog();
            if (writing) {
                // The write's completion finds the queue empty and closes (see next()).
                if (closeAfterFlush == null) {
                    closeAfterFlush = code;
                    closeReason = reason;
                }
                return;
            }
            closed = true;
        }
        closeLater(code, reason);
    }

    /**
     * Drops what is queued and aborts at once, over a write in flight: for a reader that has stopped reading
     * (its write would never complete), where a clean close handshake is no longer the point.
     */
    public void abort(CloseCode code, String reason) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            dropBacklog();
        }
        io.execute(() -> transport.abort(code, reason));
    }

    /** Messages waiting behind the write in flight. */
    public synchronized int backlog() {
        return queue.size();
    }

    private void closeLater(CloseCode code, String reason) {
        io.execute(() -> transport.close(code, reason));
    }

    /** Holds the lock. */
    private void dropBacklog() {
        queue.clear();
        queuedChars = 0;
    }

    /**
     * Writes {@code batch} and whatever follows it. A write that completes inline (on this thread, inside
     * the transport's send) continues the loop here rather than recursing; one that completes later
     * continues on the thread that reports its completion. Messages that queued up meanwhile leave
     * together in the next write, as many as the transport takes.
     */
    private void drain(List<OutgoingText> batch) {
        while (batch != null) {
            Completion completion = new Completion();
            try {
                if (batch == PING_WRITE) {
                    transport.sendPing(completion);
                } else {
                    transport.send(batch, completion);
                }
            } catch (RuntimeException e) {
                failed(e);
                return;
            }
            if (!completion.finishedInline()) {
                return;
            }
            batch = next();
        }
    }

    /** The next write: messages to send in one go, or {@link #PING_WRITE}; null when idle again. */
    private List<OutgoingText> next() {
        CloseCode closeCode;
        synchronized (this) {
            if (closed) {
                return null;
            }
            OutgoingText head = poll();
            if (head == PING) {
                return PING_WRITE;
            }
            if (head != null) {
                return batchStartingWith(head);
            }
            writing = false;
            if (closeAfterFlush == null) {
                return null;
            }
            closed = true;
            closeCode = closeAfterFlush;
        }
        closeLater(closeCode, closeReason);
        return null;
    }

    /** Holds the lock. */
    private OutgoingText poll() {
        OutgoingText head = queue.poll();
        if (head != null) {
            queuedChars -= head.text().length();
        }
        return head;
    }

    /** {@code head} and the messages behind it, up to a ping and the batch limits. Holds the lock. */
    private List<OutgoingText> batchStartingWith(OutgoingText head) {
        if (maxBatch == 1 || queue.isEmpty()) {
            return List.of(head);
        }
        List<OutgoingText> batch = new ArrayList<>(Math.min(maxBatch, queue.size() + 1));
        batch.add(head);
        int chars = head.text().length();
        OutgoingText following;
        while (batch.size() < maxBatch && (following = queue.peek()) != null && following != PING
                && chars + following.text().length() <= MAX_BATCH_CHARS) {
            batch.add(poll());
            chars += following.text().length();
        }
        return batch;
    }

    /** A connection that cannot be written is of no use to anyone: it is closed, not left open and mute. */
    private void failed(Throwable error) {
        boolean first;
        synchronized (this) {
            first = !closed;
            closed = true;
            writing = false;
            dropBacklog();
        }
        LOG.log(Level.DEBUG, "Write failed, closing the connection: {0}", error.toString());
        if (first) {
            io.execute(() -> transport.abort(CloseCode.SERVER_ERROR, "Write failed"));
        }
    }

    /** The completion of one write; tells {@link #drain} whether it happened inline. */
    private final class Completion implements Consumer<Throwable> {
        private final Thread caller = Thread.currentThread();
        private boolean returned;
        private boolean inline;

        @Override
        public void accept(Throwable error) {
            if (error != null) {
                failed(error);
                return;
            }
            synchronized (this) {
                if (!returned && Thread.currentThread() == caller) {
                    inline = true;
                    return;
                }
            }
            drain(next());
        }

        synchronized boolean finishedInline() {
            returned = true;
            return inline;
        }
    }
}
