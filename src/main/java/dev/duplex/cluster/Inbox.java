package dev.duplex.cluster;

import dev.duplex.core.DaemonThreads;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the bus receives, taken off the bus's I/O thread and handled on a thread of its own,
 * {@code duplex-cluster-inbox}, in the order it arrived. Two reasons. The bus's thread also completes this
 * node's Redis commands (heartbeats, journal appends): a fan-out to thousands of sockets run there would hold
 * their answers back. And messages are handled a batch at a time, everything that has arrived, with the
 * frames of a batch queued for their receivers first and written after: broadcasts that arrived together
 * leave in one write per receiver instead of one each (the connection's send queue gathers what is queued
 * behind the first). The batch is the backlog, so an idle node waits for nothing and a busy one writes less.
 *
 * <p>What waits here is bounded ({@code duplex.cluster.inbox-bytes}, by default about what Redis buffers for
 * a subscriber). Past it, messages are dropped and {@code overflowed} is told, as when the bus itself loses
 * messages: the node resynchronises its shared state, and the frames are lost, as Redis would lose them by
 * dropping a subscriber that reads too slowly.
 * Thread-safe.
 */
public final class Inbox implements Bus.Receiver, AutoCloseable {
    /** Handles one message; returns the writes to run once the batch is queued, or null. */
    @FunctionalInterface
    public interface Handler {
        Runnable handle(String channel, byte[] message);
    }

    private record Message(String channel, byte[] bytes) {
    }

    private static final System.Logger LOG = System.getLogger(Inbox.class.getName());
    /** A batch stops at this many messages, so its first frame is written without waiting for many more. */
    private static final int MAX_BATCH = 256;

    private final Handler handler;
    private final Runnable overflowed;
    private final long limitBytes;
    private final ConcurrentLinkedQueue<Message> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean dropping = new AtomicBoolean();
    private final ExecutorService thread = Executors.newSingleThreadExecutor(DaemonThreads.named("duplex-cluster-inbox"));

    /**
     * @param limitBytes how many bytes of messages may wait
     * @param overflowed told (on the bus's thread) when a message had to be dropped
     */
    public Inbox(Handler handler, long limitBytes, Runnable overflowed) {
        if (limitBytes < 1) {
            throw new IllegalArgumentException("duplex.cluster.inbox-bytes must be positive");
        }
        this.handler = handler;
        this.limitBytes = limitBytes;
        this.overflowed = overflowed;
    }

    /** On the bus's thread: queues the message and wakes the inbox's thread if it sleeps. */
    @Override
    public void received(String channel, byte[] message) {
        if (queuedBytes.addAndGet(message.length) > limitBytes) {
            queuedBytes.addAndGet(-message.length);
            if (dropping.compareAndSet(false, true)) {
                LOG.log(Level.WARNING, "This node falls behind the cluster's traffic: messages from other nodes are"
                        + " dropped until it catches up, then its shared state is reloaded");
            }
            overflowed.run();
            return;
        }
        queue.add(new Message(channel, message));
        if (draining.compareAndSet(false, true)) {
            thread.execute(this::drain);
        }
    }

    private void drain() {
        List<Runnable> writes = new ArrayList<>();
        while (true) {
            Message message;
            for (int count = 0; count < MAX_BATCH && (message = queue.poll()) != null; count++) {
                queuedBytes.addAndGet(-message.bytes().length);
                handle(message, writes);
            }
            writes.forEach(Inbox::write);
            writes.clear();
            if (queue.isEmpty()) {
                draining.set(false);
                // A message queued after the last poll but before the flag dropped found it still set.
                if (queue.isEmpty() || !draining.compareAndSet(false, true)) {
                    break;
                }
            }
        }
        if (dropping.get() && queuedBytes.get() < limitBytes / 2 && dropping.compareAndSet(true, false)) {
            LOG.log(Level.INFO, "This node has caught up with the cluster's traffic");
        }
    }

    private void handle(Message message, List<Runnable> writes) {
        try {
            Runnable write = handler.handle(message.channel(), message.bytes());
            if (write != null) {
                writes.add(write);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "Handling a message on " + message.channel() + " failed", e);
        }
    }

    private static void write(Runnable write) {
        try {
            write.run();
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "Writing a message from another node failed", e);
        }
    }

    /** Stops the thread; what still waits is dropped (the node is leaving). */
    @Override
    public void close() {
        thread.shutdownNow();
    }
}
