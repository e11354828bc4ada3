package dev.duplex.core;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@link History} in this node's memory. Each stream is guarded by its own lock, which a publish holds while
 * it numbers, keeps and queues its event for every receiver, and a join holds while it sends the recent
 * events and joins: so the order of offsets is the order of every receiver's queue, and a joiner's history
 * ends exactly where its live events begin. Socket writes happen after the lock is released.
 *
 * <p>Bounds: per stream {@link Limits#size} events and {@link Limits#maxAgeMillis}; over all streams
 * {@link Limits#maxBytes} of kept frames, past which the oldest events anywhere go first. A stream whose
 * events have all expired keeps only its epoch and numbering (a few bytes), so that a client whose last
 * position is older than every event still recovers with nothing missed; it is forgotten once unused for
 * longer than {@code forgetAfterMillis}. Thread-safe.
 */
public final class LocalHistory implements History {
    /** One kept event: its offset, when it was published, and its positioned frame. */
    private record Entry(long offset, long time, RawJson frame) {
        long bytes() {
            // A Java string of Latin-1 text costs a byte per character, plus the objects around it.
            return frame.json().length() + 64L;
        }
    }

    private static final long SWEEP_MILLIS = 60_000;

    private record Published(Position position, Runnable write) {
    }

    private static final class Stream {
        final String epoch = Ids.epoch();
        final ArrayDeque<Entry> entries = new ArrayDeque<>();
        long nextOffset = 1;
        long lastUsed;
        /** The {@code history} frame a joiner gets, until the next publish. */
        String joinFrame;
    }

    private final Broadcaster out;
    private final Clock clock;
    private final Limits limits;
    private final long forgetAfterMillis;
    private final Map<String, Stream> streams = new ConcurrentHashMap<>();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong lastSweep = new AtomicLong();

    /**
     * @param forgetAfterMillis how long a stream with no event left is remembered: at least as long as a
     *                          client may come back with a position in it
     */
    public LocalHistory(Broadcaster out, Clock clock, Limits limits, long forgetAfterMillis) {
        this.out = out;
        this.clock = clock;
        this.limits = limits;
        this.forgetAfterMillis = forgetAfterMillis;
    }

    @Override
    public Position publish(String name, Target target, String event, Object data) {
        OutgoingText plain = out.encode(event, data);
        long now = clock.millis();
        // Numbered and queued for every receiver under the lock; written after it.
        Published published = locked(name, stream -> {
            Position position = new Position(name, stream.epoch, stream.nextOffset++);
            OutgoingText positioned = new OutgoingText(position.into(plain.text()));
            Entry entry = new Entry(position.offset(), now, new RawJson(positioned.text()));
            stream.entries.addLast(entry);
            bytes.addAndGet(entry.bytes());
            trim(stream, now);
            stream.lastUsed = now;
            stream.joinFrame = null;
            return new Published(position, out.sendLater(target, plain.withPositioned(positioned)));
        });
        published.write().run();
        if (bytes.get() > limits.maxBytes()) {
            evictOldest();
        }
        sweepIfDue(now);
        return published.position();
    }

    @Override
    public <T> T join(String name, Client client, Supplier<T> join) {
        long now = clock.millis();
        return locked(name, stream -> {
            stream.lastUsed = now;
            if (client.wantsPositions()) {
                trim(stream, now);
                client.send(joinFrame(name, stream));
            }
            return join.get();
        });
    }

    /**
     * Runs {@code action} on the named stream (created if need be) with its lock held; a stream the sweep
     * forgot between the lookup and the lock is looked up again, so nothing lands on a forgotten one.
     */
    private <T> T locked(String name, Function<Stream, T> action) {
        while (true) {
            Stream stream = stream(name);
            synchronized (stream) {
                if (streams.get(name) == stream) {
                    return action.apply(stream);
                }
            }
        }
    }

    @Override
    public boolean resume(Client client, List<Rejoin> rejoins, Consumer<Boolean> greet) {
        List<Rejoin> ordered = new ArrayList<>(rejoins);
        // One order for every holder of several locks: name order (a publish or a join holds one only).
        ordered.sort(Comparator.comparing(Rejoin::stream));
        while (true) {
            List<Stream> held = new ArrayList<>(ordered.size());
            for (Rejoin rejoin : ordered) {
                held.add(stream(rejoin.stream()));
            }
            Boolean recovered = holding(held, 0, () -> resumeHeld(client, ordered, held, greet));
            if (recovered != null) {
                return recovered;
            }
        }
    }

    /** Runs {@code body} with the locks of {@code streams} from {@code from} on held, in list order. */
    private static <T> T holding(List<Stream> streams, int from, Supplier<T> body) {
        if (from == streams.size()) {
            return body.get();
        }
        synchronized (streams.get(from)) {
            return holding(streams, from + 1, body);
        }
    }

    /** With every stream's lock held; null when one was forgotten meanwhile (then all are taken again). */
    private Boolean resumeHeld(Client client, List<Rejoin> rejoins, List<Stream> held, Consumer<Boolean> greet) {
        long now = clock.millis();
        boolean recovered = true;
        for (int i = 0; i < held.size(); i++) {
            Stream stream = held.get(i);
            if (streams.get(rejoins.get(i).stream()) != stream) {
                return null;
            }
            trim(stream, now);
            stream.lastUsed = now;
            recovered &= covers(stream, rejoins.get(i).since());
        }
        greet.accept(recovered);
        for (int i = 0; i < held.size(); i++) {
            Stream stream = held.get(i);
            Rejoin rejoin = rejoins.get(i);
            if (recovered) {
                long since = rejoin.since() == null ? 0 : rejoin.since().offset();
                for (Entry entry : stream.entries) {
                    if (entry.offset() > since) {
                        client.send(entry.frame().json());
                    }
                }
            } else {
                client.send(joinFrame(rejoin.stream(), stream));
            }
            rejoin.join().run();
        }
        return recovered;
    }

    /**
     * Whether the stream still holds every event after {@code since}: same epoch, not past the newest, and
     * nothing after it dropped. No position means none of its events was seen (a user's private stream
     * before its first message): covered while the stream still holds its first event, or has none.
     */
    private static boolean covers(Stream stream, Position since) {
        long last = stream.nextOffset - 1;
        if (since == null) {
            Entry first = stream.entries.peekFirst();
            return last == 0 || (first != null && first.offset() == 1);
        }
        if (!since.epoch().equals(stream.epoch) || since.offset() > last) {
            return false;
        }
        if (since.offset() == last) {
            return true;
        }
        Entry first = stream.entries.peekFirst();
        return first != null && first.offset() <= since.offset() + 1;
    }

    /** The {@code history} frame a joiner gets, built once per change of the stream; under its lock. */
    private String joinFrame(String name, Stream stream) {
        if (stream.joinFrame == null) {
            // Codec.event's layout; the name needs no escaping.
            stream.joinFrame = "{\"data\":" + page(name, stream, null, limits.onJoin()).json().json()
                    + ",\"event\":\"history\"}";
        }
        return stream.joinFrame;
    }

    @Override
    public Page page(String name, String epoch, Long before, int limit) {
        Stream stream = streams.get(name);
        if (stream == null) {
            if (epoch != null || before != null) {
                throw new ProtocolError(ErrorCode.NOT_FOUND, "That history is gone");
            }
            return new Page(name, null, 0, List.of(), false);
        }
        synchronized (stream) {
            if (epoch != null && !epoch.equals(stream.epoch)) {
                throw new ProtocolError(ErrorCode.NOT_FOUND, "That history is gone: the stream has started again");
            }
            if (before != null && before > stream.nextOffset) {
                throw ProtocolError.invalid("before is past the newest event of " + name);
            }
            trim(stream, clock.millis());
            return page(name, stream, before, limit);
        }
    }

    /** Under the stream's lock. */
    private Page page(String name, Stream stream, Long before, int limit) {
        long end = before == null ? stream.nextOffset : before;
        List<RawJson> newestFirst = new ArrayList<>(Math.min(limit, stream.entries.size()));
        boolean more = false;
        Iterator<Entry> newest = stream.entries.descendingIterator();
        while (newest.hasNext()) {
            Entry entry = newest.next();
            if (entry.offset() >= end) {
                continue;
            }
            if (newestFirst.size() == limit) {
                more = true;
                break;
            }
            newestFirst.add(entry.frame());
        }
        List<RawJson> events = new ArrayList<>(newestFirst.size());
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            events.add(newestFirst.get(i));
        }
        return new Page(name, stream.epoch, stream.nextOffset - 1, events, more);
    }

    /** Drops what the stream may no longer keep; under its lock. */
    private void trim(Stream stream, long now) {
        long oldest = now - limits.maxAgeMillis();
        while (!stream.entries.isEmpty()
                && (stream.entries.size() > limits.size() || stream.entries.peekFirst().time() < oldest)) {
            bytes.addAndGet(-stream.entries.removeFirst().bytes());
            stream.joinFrame = null;
        }
    }

    /**
     * Over the byte budget (many busy streams at once): drops the oldest events anywhere until a tenth of the
     * budget is free again, so that the scan over every stream is paid once per many publishes.
     */
    private void evictOldest() {
        long target = limits.maxBytes() - limits.maxBytes() / 10;
        while (bytes.get() > target) {
            Stream oldest = null;
            long oldestTime = Long.MAX_VALUE;
            for (Stream stream : streams.values()) {
                synchronized (stream) {
                    Entry first = stream.entries.peekFirst();
                    if (first != null && first.time() < oldestTime) {
                        oldest = stream;
                        oldestTime = first.time();
                    }
                }
            }
            if (oldest == null) {
                return;
            }
            synchronized (oldest) {
                Entry first = oldest.entries.pollFirst();
                if (first != null) {
                    bytes.addAndGet(-first.bytes());
                    oldest.joinFrame = null;
                }
            }
        }
    }

    /**
     * At most once per {@link #SWEEP_MILLIS}, on the publisher's thread: expires old events everywhere and
     * forgets the streams left empty and unused. Streams in use are trimmed as they go; this is for the
     * quiet ones, whose events would otherwise wait for the byte budget.
     */
    private void sweepIfDue(long now) {
        long last = lastSweep.get();
        if (now - last >= SWEEP_MILLIS && lastSweep.compareAndSet(last, now)) {
            sweep(now);
        }
    }

    void sweep(long now) {
        for (Map.Entry<String, Stream> named : streams.entrySet()) {
            Stream stream = named.getValue();
            synchronized (stream) {
                trim(stream, now);
                if (stream.entries.isEmpty() && now - stream.lastUsed > forgetAfterMillis) {
                    streams.remove(named.getKey(), stream);
                }
            }
        }
    }

    /** The bytes the kept events take, as the budget counts them. */
    public long bytes() {
        return bytes.get();
    }

    private Stream stream(String name) {
        return streams.computeIfAbsent(name, key -> {
            Stream stream = new Stream();
            stream.lastUsed = clock.millis();
            return stream;
        });
    }
}
