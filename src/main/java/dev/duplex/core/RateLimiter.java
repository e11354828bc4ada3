package dev.duplex.core;

/**
 * At most {@code limit} permits in any window of {@code windowMillis}: a sliding log of the last
 * {@code limit} grant times. Thread-safe; one per connection and limit.
 */
public final class RateLimiter {
    private final long windowMillis;
    private final long[] granted;
    private int oldest;
    private int count;

    public RateLimiter(int limit, long windowMillis) {
        if (limit < 1 || windowMillis < 1) {
            throw new IllegalArgumentException("limit and window must be positive");
        }
        this.granted = new long[limit];
        this.windowMillis = windowMillis;
    }

    /** Takes a permit at {@code now} if the window allows one. */
    public synchronized boolean tryAcquire(long now) {
        if (count < granted.length) {
            granted[(oldest + count++) % granted.length] = now;
            return true;
        }
        if (now - granted[oldest] < windowMillis) {
            return false;
        }
        granted[oldest] = now;
        oldest = (oldest + 1) % granted.length;
        return true;
    }

    /** Takes a permit or fails the frame with {@link ErrorCode#RATE_LIMITED}. */
    public void acquire(long now) {
        if (!tryAcquire(now)) {
            throw new ProtocolError(ErrorCode.RATE_LIMITED);
        }
    }
}
