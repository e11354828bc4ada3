package dev.duplex.cluster.redis;

import dev.duplex.cluster.Channels;
import dev.duplex.core.Broadcaster;
import dev.duplex.core.ErrorCode;
import dev.duplex.core.Journal;
import dev.duplex.core.ProtocolError;
import io.lettuce.core.ScriptOutputType;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A namespace's {@link Journal} in Redis. Each stream is a hash ({@code epoch}, {@code seq}, {@code base}), a
 * log of the entries after {@code base} and a snapshot of the state at {@code base}; a Lua script numbers,
 * keeps and publishes each entry in one step, so every follower sees one order. A node follows a stream
 * while it has members on it: it subscribes to the stream's channel, then loads snapshot and log, keeping
 * what arrives meanwhile for after the load.
 *
 * <p>A follower applies each entry whose number is the next one. A gap (entries missed while the
 * connection dropped) or another epoch makes it load the stream again: the missed entries are applied as if
 * live when the log still has them, otherwise the copy is rebuilt from the snapshot and this node's members
 * get the state anew ({@link Journal.Machine#rebuilt}). After any trouble with Redis every followed stream
 * is loaded again; one that Redis no longer has (restarted empty) is restored from this node's copy
 * ({@code journal-seed.lua}), so a board outlives a Redis that lost it as long as one node holds it. When an
 * append finds the log longer than the snapshot and {@code duplex.cluster.journal-compact-after}, the
 * appending node replaces the log's head with a snapshot of its copy. Streams expire after
 * {@code duplex.cluster.journal-ttl-ms} without an append or a follower, and a namespace holds at most
 * {@code duplex.cluster.journal-max-streams} of them: past it, the least recently used stream that no node
 * follows is deleted to make room, and when every one is in use an append that would begin one more is
 * FORBIDDEN.
 *
 * <p>Threads: the journals' one thread applies every entry, loads, rebuilds and compacts, so a stream's
 * copy changes on it alone and in order; {@link #append}, {@link #follow} and {@link Copy#close} come from
 * connection threads (possibly under a state's lock) and only start asynchronous work.
 */
final class RedisJournal<E> implements Journal<E> {
    private static final System.Logger LOG = System.getLogger(RedisJournal.class.getName());
    private static final Script APPEND = Script.load("journal-append.lua");
    private static final Script LOAD = Script.load("journal-load.lua");
    private static final Script COMPACT = Script.load("journal-compact.lua");
    private static final Script SEED = Script.load("journal-seed.lua");
    private static final Script TOUCH = Script.load("journal-touch.lua");
    /** An append whose entry has not come back after this long is answered UNAVAILABLE. */
    private static final long ANSWER_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** Entries kept while a stream loads; past this many the stream is loaded once more afterwards. */
    private static final int EARLY_LIMIT = 10_000;
    private static final int STREAMS_PER_TOUCH = 100;
    /** How soon a copy whose reload failed tries again. */
    private static final long RETRY_MILLIS = 1_000;
    private static final String[] PARTS = {"meta", "log", "snapshot"};

    /** The journals' limits. */
    record Settings(long ttlMillis, int compactAfter, int maxStreams) {
        Settings {
            if (ttlMillis < 1_000 || compactAfter < 1 || maxStreams < 1) {
                throw new IllegalArgumentException("duplex.cluster.journal-ttl-ms must be at least 1000, and "
                        + "duplex.cluster.journal-compact-after and duplex.cluster.journal-max-streams positive");
            }
        }
    }

    private enum State { LOADING, CURRENT, STALE }

    /** This node's copy of one stream; its fields are used on the journal thread only. */
    private final class Follower implements Copy {
        final String stream;
        final CompletableFuture<Void> current = new CompletableFuture<>();
        State state = State.LOADING;
        /** The epoch the copy is of; null while the stream did not exist. Read by appenders too. */
        volatile String epoch;
        long applied;
        List<JournalMessage> early = new ArrayList<>();
        boolean overflowed;
        boolean compacting;

        Follower(String stream) {
            this.stream = stream;
        }

        @Override
        public CompletionStage<Void> current() {
            return current;
        }

        @Override
        public void close() {
            if (followers.remove(stream, this)) {
                thread.execute(() -> {
                    unsubscribeIfUnfollowed(stream);
                    current.completeExceptionally(new IllegalStateException("The copy was dropped"));
                });
            }
        }
    }

    private record Pending(CompletableFuture<Object> answer, long since) {
    }

    private final String namespace;
    private final String kind;
    private final RedisBus redis;
    private final Channels channels;
    private final String node;
    private final Broadcaster here;
    private final Machine<E> machine;
    private final Format<E> format;
    private final ScheduledExecutorService thread;
    private final Settings settings;
    private final Map<String, Follower> followers = new ConcurrentHashMap<>();
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong nonces = new AtomicLong();
    /** How often followed streams are marked used; one unmarked for three times this is followed by nobody. */
    private final long touchEveryMillis;

    /**
     * @param kind   what a stream is, for refusals ("boards")
     * @param here   this node's connections
     * @param thread the journals' one thread, shared
     */
    RedisJournal(String namespace, String kind, RedisBus redis, Channels channels, String node, Broadcaster here,
            Machine<E> machine, Format<E> format, ScheduledExecutorService thread, Settings settings) {
        this.namespace = namespace;
        this.kind = kind;
        this.redis = redis;
        this.channels = channels;
        this.node = node;
        this.here = here;
        this.machine = machine;
        this.format = format;
        this.thread = thread;
        this.settings = settings;
        this.touchEveryMillis = Math.min(settings.ttlMillis() / 4, 60_000);
        thread.scheduleWithFixedDelay(this::touch, touchEveryMillis, touchEveryMillis, TimeUnit.MILLISECONDS);
        thread.scheduleWithFixedDelay(this::expireAnswers, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public boolean shared() {
        return true;
    }

    // ---- appending ------------------------------------------------------------------------------

    @Override
    public CompletionStage<Object> append(String stream, E entry) {
        long nonce = nonces.incrementAndGet();
        CompletableFuture<Object> answer = new CompletableFuture<>();
        pending.put(nonce, new Pending(answer, System.nanoTime()));
        Follower follower = followers.get(stream);
        String expected = follower == null || follower.epoch == null ? "" : follower.epoch;
        redis.<List<Object>>run(APPEND, ScriptOutputType.MULTI, withIndex(keys(stream)), bytes(node),
                bytes(Long.toString(nonce)), bytes(format.encode(entry)), bytes(channels.journal(namespace, stream)),
                bytes(Long.toString(settings.ttlMillis())), bytes(node + "." + nonce), bytes(expected), bytes(stream),
                bytes(Integer.toString(settings.maxStreams())), bytes(Long.toString(3 * touchEveryMillis)),
                bytes(channels.journalKeys(namespace)))
                .whenComplete((lengths, failure) -> {
                    if (failure != null) {
                        unavailable(nonce);
                    } else if ((Long) lengths.get(0) == -2) {
                        refuse(nonce, new ProtocolError(ErrorCode.FORBIDDEN, "The cluster holds as many " + kind
                                + " as it may (" + settings.maxStreams() + "): use one that exists"));
                    } else if ((Long) lengths.get(0) < 0) {
                        // Redis lost the stream this copy is of: restore it before anything is appended.
                        unavailable(nonce);
                        thread.execute(() -> {
                            Follower current = followers.get(stream);
                            if (current != null) {
                                reload(current);
                            }
                        });
                    } else if ((Long) lengths.get(0) >= Math.max(settings.compactAfter(), (Long) lengths.get(1))) {
                        thread.execute(() -> compact(stream));
                    }
                });
        return answer;
    }

    private void unavailable(long nonce) {
        refuse(nonce, new ProtocolError(ErrorCode.UNAVAILABLE));
    }

    private void refuse(long nonce, ProtocolError error) {
        Pending waiting = pending.remove(nonce);
        if (waiting != null) {
            waiting.answer().completeExceptionally(error);
        }
    }

    /** Answers appends whose entries never came back (lost with a dropped connection, or compacted away). */
    private void expireAnswers() {
        long now = System.nanoTime();
        pending.forEach((nonce, waiting) -> {
            if (now - waiting.since() > ANSWER_WAIT_NANOS) {
                unavailable(nonce);
            }
        });
    }

    // ---- following ------------------------------------------------------------------------------

    @Override
    public Copy follow(String stream) {
        // A new copy replaces one that is being dropped; entries go to whichever copy the map holds.
        Follower created = new Follower(stream);
        followers.put(stream, created);
        // Subscribed before the load, so that nothing appended after the load's instant is missed; on the
        // journal thread, so that it is ordered with the unsubscribe of a copy dropped just before.
        thread.execute(() -> redis.subscribe(channels.journal(namespace, stream)).whenComplete((ok, failure) -> {
            if (failure != null) {
                thread.execute(() -> failed(created, failure));
            } else {
                load(created);
            }
        }));
        return created;
    }

    /** On the journal thread: a channel is left only when no copy of its stream is held any more. */
    private void unsubscribeIfUnfollowed(String stream) {
        if (!followers.containsKey(stream)) {
            redis.unsubscribe(channels.journal(namespace, stream));
        }
    }

    /** After trouble with Redis: every followed stream is loaded again, and caught up or rebuilt. */
    void reloadAll() {
        thread.execute(() -> followers.values().forEach(this::reload));
    }

    private void reload(Follower follower) {
        if (follower.state == State.LOADING) {
            return;
        }
        follower.state = State.LOADING;
        follower.early = new ArrayList<>();
        follower.overflowed = false;
        load(follower);
    }

    private void load(Follower follower) {
        redis.<List<Object>>run(LOAD, ScriptOutputType.MULTI, keys(follower.stream), bytes(Long.toString(settings.ttlMillis())))
                .whenComplete((stream, failure) -> thread.execute(() -> {
                    if (failure != null) {
                        failed(follower, failure);
                        return;
                    }
                    try {
                        install(follower, stream);
                    } catch (RuntimeException e) {
                        LOG.log(Level.ERROR, "Loading " + namespace + " " + follower.stream + " failed", e);
                        // Whatever was half applied is rebuilt from scratch next time.
                        follower.applied = -1;
                        failed(follower, e);
                    }
                }));
    }

    private void failed(Follower follower, Throwable failure) {
        if (!follower.current.isDone()) {
            // Nobody is on the copy yet: the joiner is refused and the next one tries again.
            followers.remove(follower.stream, follower);
            unsubscribeIfUnfollowed(follower.stream);
            follower.current.completeExceptionally(failure);
        } else {
            // Its members keep the copy as it was; what was missed meanwhile is loaded once Redis answers.
            follower.state = State.STALE;
            follower.early = null;
            thread.schedule(() -> {
                if (followers.get(follower.stream) == follower) {
                    reload(follower);
                }
            }, RETRY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** Makes the copy match the loaded stream; on the journal thread. */
    private void install(Follower follower, List<Object> loaded) {
        if (followers.get(follower.stream) != follower) {
            return;
        }
        if (loaded.isEmpty() && follower.epoch != null && seed(follower)) {
            return;
        }
        String epoch = loaded.isEmpty() ? null : text(loaded.get(0));
        long base = loaded.isEmpty() ? 0 : Long.parseLong(text(loaded.get(1)));
        long seq = loaded.isEmpty() ? 0 : Long.parseLong(text(loaded.get(2)));
        List<JournalMessage> log = loaded.isEmpty() ? List.of() : messages(loaded.get(4));
        boolean first = !follower.current.isDone();
        if (!first && epoch != null && epoch.equals(follower.epoch) && follower.applied >= base && follower.applied <= seq) {
            // Caught up: what the copy missed is still in the log, and its members see it as if live.
            for (JournalMessage message : log) {
                if (message.seq() > follower.applied) {
                    apply(follower, message, here);
                }
            }
        } else {
            machine.reset(follower.stream);
            if (!loaded.isEmpty()) {
                for (Object entry : (List<?>) loaded.get(3)) {
                    applyQuietly(follower.stream, text(entry));
                }
            }
            follower.epoch = epoch;
            follower.applied = base;
            for (JournalMessage message : log) {
                apply(follower, message, Broadcaster.NONE);
            }
            follower.applied = seq;
            if (!first) {
                machine.rebuilt(follower.stream, here);
            }
        }
        List<JournalMessage> early = follower.early;
        boolean overflowed = follower.overflowed;
        follower.state = State.CURRENT;
        follower.early = null;
        follower.current.complete(null);
        if (overflowed) {
            reload(follower);
            return;
        }
        for (JournalMessage message : early) {
            received(follower, message);
        }
    }

    /** Restores a stream Redis lost from this copy; true when the seed was sent (its notice reloads it). */
    private boolean seed(Follower follower) {
        List<E> entries = machine.snapshot(follower.stream);
        if (entries.isEmpty()) {
            return false;
        }
        List<byte[]> args = new ArrayList<>(entries.size() + 4);
        args.add(bytes(node + "." + nonces.incrementAndGet()));
        args.add(bytes(node));
        args.add(bytes(channels.journal(namespace, follower.stream)));
        args.add(bytes(Long.toString(settings.ttlMillis())));
        args.add(bytes(follower.stream));
        entries.forEach(entry -> args.add(bytes(format.encode(entry))));
        LOG.log(Level.INFO, "Redis no longer has {0} {1}: restoring it from this node''s copy", namespace, follower.stream);
        redis.<Long>run(SEED, ScriptOutputType.INTEGER, withIndex(keys(follower.stream)), args.toArray(byte[][]::new))
                .whenComplete((done, failure) -> thread.execute(() -> {
                    if (failure != null) {
                        failed(follower, failure);
                    } else {
                        // Seeded here or by another node meanwhile: load what Redis has now.
                        load(follower);
                    }
                }));
        return true;
    }

    // ---- entries arriving -----------------------------------------------------------------------

    /** A message on a stream's channel, from the inbox's thread. */
    void received(String stream, byte[] bytes) {
        JournalMessage message;
        try {
            message = JournalMessage.parse(bytes);
        } catch (IllegalArgumentException e) {
            LOG.log(Level.WARNING, "Dropped a malformed journal message on {0} {1}", namespace, stream);
            return;
        }
        thread.execute(() -> {
            Follower follower = followers.get(stream);
            if (follower != null) {
                received(follower, message);
            }
        });
    }

    private void received(Follower follower, JournalMessage message) {
        switch (follower.state) {
            case LOADING -> {
                if (follower.early.size() < EARLY_LIMIT) {
                    follower.early.add(message);
                } else {
                    follower.overflowed = true;
                }
            }
            case STALE -> {
                // Dropped: the retried reload covers it.
            }
            case CURRENT -> {
                boolean sameEpoch = message.epoch().equals(follower.epoch) || (follower.epoch == null && message.seq() == 1);
                if (sameEpoch && message.seq() == follower.applied + 1) {
                    apply(follower, message, here);
                } else if (!sameEpoch || message.seq() > follower.applied) {
                    reload(follower);
                }
            }
        }
    }

    /** Applies one numbered entry, answering this node's append of it. */
    private void apply(Follower follower, JournalMessage message, Broadcaster to) {
        follower.epoch = message.epoch();
        follower.applied = message.seq();
        Object answer = null;
        ProtocolError refused = null;
        try {
            answer = machine.apply(follower.stream, format.decode(message.entry()), to);
        } catch (ProtocolError e) {
            refused = e;
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "Applying an entry of " + namespace + " " + follower.stream + " failed", e);
        }
        if (message.node().equals(node)) {
            Pending waiting = pending.remove(message.nonce());
            if (waiting != null) {
                if (refused != null) {
                    waiting.answer().completeExceptionally(refused);
                } else {
                    waiting.answer().complete(answer);
                }
            }
        }
    }

    private void applyQuietly(String stream, String entry) {
        try {
            machine.apply(stream, format.decode(entry), Broadcaster.NONE);
        } catch (ProtocolError refused) {
            // Refused when it was appended too: it changed nothing then either.
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "Replaying an entry of " + namespace + " " + stream + " failed", e);
        }
    }

    // ---- upkeep ---------------------------------------------------------------------------------

    /** Replaces the log's head with a snapshot of this copy, as of the last entry it applied. */
    private void compact(String stream) {
        Follower follower = followers.get(stream);
        if (follower == null || follower.state != State.CURRENT || follower.compacting || follower.epoch == null) {
            return;
        }
        follower.compacting = true;
        List<E> entries = machine.snapshot(stream);
        List<byte[]> args = new ArrayList<>(entries.size() + 3);
        args.add(bytes(follower.epoch));
        args.add(bytes(Long.toString(follower.applied)));
        args.add(bytes(Long.toString(settings.ttlMillis())));
        entries.forEach(entry -> args.add(bytes(format.encode(entry))));
        redis.<Long>run(COMPACT, ScriptOutputType.INTEGER, keys(stream), args.toArray(byte[][]::new))
                .whenComplete((done, failure) -> thread.execute(() -> follower.compacting = false));
    }

    /** Renews the time to live of every followed stream, and its place among the namespace's streams. */
    private void touch() {
        List<String> streams = new ArrayList<>(followers.keySet());
        for (int from = 0; from < streams.size(); from += STREAMS_PER_TOUCH) {
            List<String> batch = streams.subList(from, Math.min(from + STREAMS_PER_TOUCH, streams.size()));
            List<String> keys = new ArrayList<>();
            keys.add(channels.journals(namespace));
            List<byte[]> args = new ArrayList<>();
            args.add(bytes(Long.toString(settings.ttlMillis())));
            for (String stream : batch) {
                keys.addAll(List.of(keys(stream)));
                args.add(bytes(stream));
            }
            redis.run(TOUCH, ScriptOutputType.INTEGER, keys.toArray(String[]::new), args.toArray(byte[][]::new));
        }
    }

    private String[] keys(String stream) {
        String[] keys = new String[PARTS.length];
        for (int i = 0; i < PARTS.length; i++) {
            keys[i] = channels.journalKey(namespace, stream, PARTS[i]);
        }
        return keys;
    }

    /** The stream's keys, then the namespace's index of streams. */
    private String[] withIndex(String[] keys) {
        String[] all = Arrays.copyOf(keys, keys.length + 1);
        all[keys.length] = channels.journals(namespace);
        return all;
    }

    private static List<JournalMessage> messages(Object elements) {
        List<JournalMessage> messages = new ArrayList<>();
        for (Object element : (List<?>) elements) {
            messages.add(JournalMessage.parse((byte[]) element));
        }
        return messages;
    }

    private static String text(Object value) {
        return new String((byte[]) value, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
