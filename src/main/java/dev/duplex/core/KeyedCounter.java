package dev.duplex.core;

import java.util.concurrent.ConcurrentHashMap;

/**
 * How many of something each key holds (a user's connections), each at most a maximum; a key whose count
 * drops to zero is forgotten. Thread-safe.
 */
public final class KeyedCounter {
    private final ConcurrentHashMap<String, Integer> counts = new ConcurrentHashMap<>();
    private final int max;

    public KeyedCounter(int max) {
        this.max = max;
    }

    /** Counts one more for the key; false, counting nothing, when it already holds the maximum. */
    public boolean tryAcquire(String key) {
        boolean[] acquired = new boolean[1];
        counts.compute(key, (k, count) -> {
            int current = count == null ? 0 : count;
            acquired[0] = current < max;
            return acquired[0] ? current + 1 : (count == null ? null : count);
        });
        return acquired[0];
    }

    /** One fewer for the key. */
    public void release(String key) {
        counts.computeIfPresent(key, (k, count) -> count <= 1 ? null : count - 1);
    }

    public int count(String key) {
        return counts.getOrDefault(key, 0);
    }
}
