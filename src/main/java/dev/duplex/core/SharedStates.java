package dev.duplex.core;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Named shared state of a namespace (a board, a location group), each guarded by its own lock: created on
 * first use, forgotten when the last user leaves it unused, and at most {@code capacity} of them at once.
 * When a new one would pass the capacity, the least recently used state that is {@code idle} (nobody in it,
 * though it may still hold something, such as a board's drawings) is forgotten to make room; when none is
 * idle, the new one is refused with 1013 (try again later). Thread-safe: {@link #enter} never lands on a
 * state that another thread has just forgotten.
 */
public final class SharedStates<T> {
    private static final class Slot<T> {
        final T state;
        volatile long lastUsed;

        Slot(T state, long lastUsed) {
            this.state = state;
            this.lastUsed = lastUsed;
        }
    }

    private final ConcurrentHashMap<String, Slot<T>> states = new ConcurrentHashMap<>();
    private final Function<String, T> factory;
    private final int capacity;
    private final Predicate<T> idle;
    private final Consumer<T> forgotten;
    private final String kind;
    private final AtomicLong clock = new AtomicLong();
    /** Serializes creation, so the capacity is exact; taken before any state's lock, never after. */
    private final Object creation = new Object();

    /**
     * @param kind      what a state is, for the refusal's message ("boards")
     * @param idle      whether a state may be forgotten to make room; called with its lock held
     * @param forgotten told of every state forgotten, with its lock held
     */
    public SharedStates(String kind, Function<String, T> factory, int capacity, Predicate<T> idle, Consumer<T> forgotten) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.kind = kind;
        this.factory = factory;
        this.capacity = capacity;
        this.idle = idle;
        this.forgotten = forgotten;
    }

    /** Unbounded in practice, for tests and states bounded elsewhere. */
    public SharedStates(Function<String, T> factory) {
        this("states", factory, Integer.MAX_VALUE, state -> false, state -> { });
    }

    /**
     * Runs {@code action} on the named state, creating it if needed, with the state's lock held, and returns
     * its result (typically the write of what it queued, to run after the lock is released). Throws
     * {@link Refusal} when the state would have to be created and there is no room.
     */
    public <R> R enter(String name, Function<T, R> action) {
        while (true) {
            Slot<T> slot = states.get(name);
            if (slot == null) {
                slot = create(name);
            }
            synchronized (slot.state) {
                // The last user may have just forgotten this one: then take the new one.
                if (states.get(name) == slot) {
                    slot.lastUsed = clock.incrementAndGet();
                    return action.apply(slot.state);
                }
            }
        }
    }

    /**
     * Runs {@code action} on the named state, if it exists, with its lock held; then forgets the state if
     * {@code unused} says so, still under the lock. Returns the action's result, or null without a state.
     */
    public <R> R leave(String name, Function<T, R> action, Predicate<T> unused) {
        Slot<T> slot = states.get(name);
        if (slot == null) {
            return null;
        }
        synchronized (slot.state) {
            R result = action.apply(slot.state);
            if (unused.test(slot.state) && states.remove(name, slot)) {
                forgotten.accept(slot.state);
            }
            return result;
        }
    }

    /**
     * Runs {@code action} on the named state with its lock held, if it exists and was not forgotten meanwhile;
     * never creates one. Returns the action's result, or null without a state.
     */
    public <R> R ifPresent(String name, Function<T, R> action) {
        Slot<T> slot = states.get(name);
        if (slot == null) {
            return null;
        }
        synchronized (slot.state) {
            return states.get(name) == slot ? action.apply(slot.state) : null;
        }
    }

    /** The named state while someone is in it (it is not forgotten then), or null. Lock it to use it. */
    public T get(String name) {
        Slot<T> slot = states.get(name);
        return slot == null ? null : slot.state;
    }

    public int size() {
        return states.size();
    }

    /**
     * Forgets the least recently used idle state, if there is one: for making room in a budget that spans
     * all states (a node's drawings). Returns whether one was forgotten.
     */
    public boolean forgetLeastRecentlyUsedIdle() {
        while (true) {
            Map.Entry<String, Slot<T>> oldest = null;
            for (Map.Entry<String, Slot<T>> entry : states.entrySet()) {
                if (oldest == null || entry.getValue().lastUsed < oldest.getValue().lastUsed) {
                    Slot<T> slot = entry.getValue();
                    boolean candidate;
                    synchronized (slot.state) {
                        candidate = idle.test(slot.state);
                    }
                    if (candidate) {
                        oldest = entry;
                    }
                }
            }
            if (oldest == null) {
                return false;
            }
            Slot<T> slot = oldest.getValue();
            synchronized (slot.state) {
                // Someone may have entered it since it was picked: then look again.
                if (idle.test(slot.state) && states.remove(oldest.getKey(), slot)) {
                    forgotten.accept(slot.state);
                    return true;
                }
            }
        }
    }

    private Slot<T> create(String name) {
        synchronized (creation) {
            Slot<T> existing = states.get(name);
            if (existing != null) {
                return existing;
            }
            if (states.size() >= capacity && !forgetLeastRecentlyUsedIdle()) {
                throw new Refusal(CloseCode.TRY_AGAIN_LATER,
                        "This server holds as many " + kind + " as it may (" + capacity + "): try again later");
            }
            Slot<T> slot = new Slot<>(factory.apply(name), clock.incrementAndGet());
            states.put(name, slot);
            return slot;
        }
    }
}
