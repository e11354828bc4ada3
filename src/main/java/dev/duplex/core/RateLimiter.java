package dev.duplex.core;

/**
 * At most {@code limit} permits in any window of {@code windowMillis}: an exact sliding log of the grant
 * times still inside the window. The log grows only as far as grants actually fall in one window, so a
 * generous limit costs nothing until it is used. Thread-safe; one per connection and limit.
 */
public final class RateLimiter {
    private final int limit;
    private final long windowMillis;
    private long[] granted;
    private int oldest;
    private int count;

    public RateLimiter(int limit, long windowMillis) {
        if (limit < 1 || windowMillis < 1) {
            throw new IllegalArgumentException("limit and window must be positive");
        }
        this.limit = limit;
        this.windowMillis = windowMillis;
        this.granted = new long[Math.min(limit, 16)];
    }

    /** Takes a permit at {@code now} if the window allows one. */
    public synchronized boolean tryAcquire(long now) {
        if (!available(now)) {
            return false;
        }
        record(now);
        return true;
    }

    /**
     * Whether a permit is free at {@code now}, without taking it: with {@link #record}, lets a frame count only
     * once it has been accepted. The two calls must come from one thread of control per limiter (a
     * connection's frames are handled one at a time).
     */
    public synchronized boolean available(long now) {
        while (count > 0 && now - granted[oldest] >= windowMillis) {
            oldest = (oldest + 1) % granted.length;
            count--;
        }
        return count < limit;
    }

    /** Takes a permit at {@code now}; call after {@link #available} said yes. */
    public synchronized void record(long now) {
        if (count >= limit) {
            return;
        }
        if (count == granted.length) {
            grow();
        }
        granted[(oldest + count++) % granted.length] = now;
    }

    /** Whether no grant falls within the window ending at {@code now}: the limiter holds nothing then. */
    public synchronized boolean idle(long now) {
        available(now);
        return count == 0;
    }

    private void grow() {
        long[] larger = new long[(int) Math.min(limit, granted.length * 2L)];
        for (int i = 0; i < count; i++) {
            larger[i] = granted[(oldest + i) % granted.length];
        }
        granted = larger;
        oldest = 0;
    }
}
