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
        while (count > 0 && now - granted[oldest] >= windowMillis) {
            oldest = (oldest + 1) % granted.length;
            count--;
        }
        if (count >= limit) {
            return false;
        }
        if (count == granted.length) {
            grow();
        }
        granted[(oldest + count++) % granted.length] = now;
        return true;
    }

    /** Takes a permit or fails the frame with {@link ErrorCode#RATE_LIMITED}. */
    public void acquire(long now) {
        if (!tryAcquire(now)) {
            throw new ProtocolError(ErrorCode.RATE_LIMITED);
        }
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
