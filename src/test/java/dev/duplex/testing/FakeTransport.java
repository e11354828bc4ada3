package dev.duplex.testing;

import dev.duplex.core.CloseCode;
import dev.duplex.core.OutgoingText;
import dev.duplex.core.Transport;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A transport with no network: records what is written. By default every write completes at once, on the
 * caller's thread; with {@link #holdWrites()} completions wait until {@link #completeNext()}.
 */
public final class FakeTransport implements Transport {
    /** Marks a ping among the written messages. */
    private static final OutgoingText PING = new OutgoingText("<ping>");

    private final List<OutgoingText> written = new ArrayList<>();
    private final List<Consumer<Throwable>> pending = new ArrayList<>();
    private final List<Integer> writeSizes = new ArrayList<>();
    private int maxBatch = 1;
    private boolean hold;
    private CloseCode closeCode;
    private String closeReason;
    private Runnable onClose = () -> { };

    public synchronized FakeTransport holdWrites() {
        hold = true;
        return this;
    }

    /** Lets the queue gather up to {@code maxBatch} messages into one write. */
    public synchronized FakeTransport gatherUpTo(int maxBatch) {
        this.maxBatch = maxBatch;
        return this;
    }

    @Override
    public synchronized int maxBatch() {
        return maxBatch;
    }

    @Override
    public void send(List<OutgoingText> messages, Consumer<Throwable> done) {
        boolean completeNow;
        synchronized (this) {
            if (messages.isEmpty() || messages.size() > maxBatch) {
                throw new AssertionError("A write of " + messages.size() + " messages, limit " + maxBatch);
            }
            written.addAll(messages);
            writeSizes.add(messages.size());
            completeNow = !hold;
            if (!completeNow) {
                pending.add(done);
            }
        }
        if (completeNow) {
            done.accept(null);
        }
    }

    /** From now on writes complete inline; completes the pending ones. */
    public void releaseWrites() {
        List<Consumer<Throwable>> held;
        synchronized (this) {
            hold = false;
            held = new ArrayList<>(pending);
            pending.clear();
        }
        held.forEach(done -> done.accept(null));
    }

    /** Completes the oldest pending write. */
    public void completeNext() {
        Consumer<Throwable> done;
        synchronized (this) {
            done = pending.remove(0);
        }
        done.accept(null);
    }

    /** Fails the oldest pending write. */
    public void failNext(Throwable error) {
        Consumer<Throwable> done;
        synchronized (this) {
            done = pending.remove(0);
        }
        done.accept(error);
    }

    /** Pings complete at once, whatever {@link #holdWrites()} says. */
    @Override
    public void sendPing(Consumer<Throwable> done) {
        synchronized (this) {
            written.add(PING);
        }
        done.accept(null);
    }

    /** What the runtime does once the socket is closed: the endpoint's close callback. */
    public synchronized FakeTransport onClose(Runnable callback) {
        onClose = callback;
        return this;
    }

    /** Like the runtimes, reports the close to the endpoint on the closing thread, once. */
    @Override
    public void close(CloseCode code, String reason) {
        Runnable callback;
        synchronized (this) {
            if (closeCode != null) {
                return;
            }
            closeCode = code;
            closeReason = reason;
            callback = onClose;
        }
        callback.run();
    }

    /** How many messages each write carried, in order. */
    public synchronized List<Integer> writeSizes() {
        return List.copyOf(writeSizes);
    }

    /** The written messages themselves, without pings, to check what receivers share. */
    public synchronized List<OutgoingText> messages() {
        return written.stream().filter(message -> message != PING).toList();
    }

    /** Everything written, in order: each message's text, {@code <ping>} for a ping. */
    public synchronized List<String> written() {
        return written.stream().map(OutgoingText::text).toList();
    }

    /** The written text frames, parsed. */
    public synchronized List<JsonObject> frames() {
        return messages().stream().map(message -> Json.createReader(new StringReader(message.text())).readObject())
                .toList();
    }

    /** The written text frames from the {@code from}-th on, parsed: a test that reads as it goes parses each once. */
    public synchronized List<JsonObject> frames(int from) {
        List<OutgoingText> messages = messages();
        return messages.subList(Math.min(from, messages.size()), messages.size()).stream()
                .map(message -> Json.createReader(new StringReader(message.text())).readObject()).toList();
    }

    public synchronized int pings() {
        return (int) written.stream().filter(message -> message == PING).count();
    }

    public synchronized CloseCode closeCode() {
        return closeCode;
    }

    public synchronized String closeReason() {
        return closeReason;
    }
}
