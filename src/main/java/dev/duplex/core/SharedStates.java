package dev.duplex.core;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Named shared state of a namespace (a board, a location group), each guarded by its own lock: created on
 * first use, forgotten when the last user leaves it unused. Thread-safe: {@link #enter} never lands on a
 * state that another thread has just forgotten.
 */
public final class SharedStates<T> {
    private final ConcurrentHashMap<String, T> states = new ConcurrentHashMap<>();
    private final Function<String, T> factory;

    public SharedStates(Function<String, T> factory) {
        this.factory = factory;
    }

    /**
     * Runs {@code action} on the named state, creating it if needed, with the state's lock held, and returns
     * its result (typically the write of what it queued, to run after the lock is released).
     */
    public <R> R enter(String name, Function<T, R> action) {
        while (true) {
            T state = states.computeIfAbsent(name, factory);
            synchronized (state) {
                // The last user may have just forgotten this one: then take the new one.
                if (states.get(name) == state) {
                    return action.apply(state);
                }
            }
        }
    }

    /**
     * Runs {@code action} on the named state, if it exists, with its lock held; then forgets the state if
     * {@code unused} says so, still under the lock. Returns the action's result, or null without a state.
     */
    public <R> R leave(String name, Function<T, R> action, Predicate<T> unused) {
        T state = states.get(name);
        if (state == null) {
            return null;
        }
        synchronized (state) {
            R result = action.apply(state);
            if (unused.test(state)) {
                states.remove(name, state);
            }
            return result;
        }
    }

    /** The named state while someone is in it (it is not forgotten then), or null. Lock it to use it. */
    public T get(String name) {
        return states.get(name);
    }
}
