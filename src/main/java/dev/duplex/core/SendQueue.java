package dev.duplex.core;

import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * Every write to one connection goes through its queue: at most one text write in flight (containers
 * reject concurrent sends on a session), the rest queued in order. Enqueueing never blocks, so a slow
 * receiver never holds up a broadcaster; a receiver whose backlog passes the limit is closed with 1008.
 * Thread-safe.
 */
public final class SendQueue {
    private static final System.Logger LOG = System.getLogger(SendQueue.class.getName());
    /** Marks a ping in the queue; compared by identity. */
    private static final String PING = new String("ping");

    private final Transport transport;
    private final int limit;
    private final ArrayDeque<String> queue = new ArrayDeque<>();
    private boolean writing;
    private boolean closed;
    private CloseCode closeAfterFlush;
    private String closeReason;

    public SendQueue(Transport transport, int limit) {
        this.transport = transport;
        this.limit = limit;
    }

    public void send(String text) {
        if (offer(text)) {
            flush();
        }
    }

    /** Queues a ping frame behind the pending text, so it never interleaves with a write. */
    public void ping() {
        if (offer(PING)) {
            flush();
        }
    }

    /**
     * Queues a frame without writing it. Returns true when the queue was idle: the caller then owns the
     * writing and must call {@link #flush()}, typically after releasing a lock under which it queued frames
     * for many connections in one order.
     */
    public boolean offer(String text) {
        boolean overflow;
        synchronized (this) {
            if (closed || closeAfterFlush != null) {
                return false;
            }
            overflow = writing && queue.size() >= limit;
            if (!overflow) {
                queue.add(text);
                if (!writing) {
                    writing = true;
                    return true;
                }
                return false;
            }
        }
        closeNow(CloseCode.POLICY_VIOLATION, "Send queue overflow: the client reads too slowly");
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
        transport.close(code, reason);
    }

    /** Drops what is queued and closes at once. */
    public void closeNow(CloseCode code, String reason) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            queue.clear();
        }
        transport.close(code, reason);
    }

    /** Frames waiting behind the one in flight. */
    public synchronized int backlog() {
        return queue.size();
    }

    /**
     * Writes {@code item} and whatever follows it. A write that completes inline (on this thread, inside
     * sendText) continues the loop here rather than recursing; one that completes later continues on the
     * thread that reports its completion.
     */
    private void drain(String item) {
        while (item != null) {
            Completion completion = new Completion();
            try {
                transport.sendText(item, completion);
            } catch (RuntimeException e) {
                failed(e);
                return;
            }
            if (!completion.finishedInline()) {
                return;
            }
            item = next();
        }
    }

    /** The next text to write, sending any pings on the way; null when idle again. */
    private String next() {
        synchronized (this) {
            if (closed) {
                return null;
            }
        }
        return pingThenNext();
    }

    private String pingThenNext() {
        while (true) {
            String item;
            CloseCode closeCode = null;
            synchronized (this) {
                item = queue.poll();
                if (item == null) {
                    writing = false;
                    if (closeAfterFlush != null && !closed) {
                        closed = true;
                        closeCode = closeAfterFlush;
                    }
                }
            }
            if (closeCode != null) {
                transport.close(closeCode, closeReason);
                return null;
            }
            if (item != PING) {
                return item;
            }
            transport.sendPing();
        }
    }

    private void failed(Throwable error) {
        synchronized (this) {
            closed = true;
            writing = false;
            queue.clear();
        }
        LOG.log(Level.DEBUG, "Write failed, dropping the connection's backlog: {0}", error.toString());
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
