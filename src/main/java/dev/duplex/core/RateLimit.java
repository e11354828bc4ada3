package dev.duplex.core;

/**
 * A budget of at most {@code limit} accepted frames in any window of {@code windowMillis}, per connection.
 * Events that name the same budget in their {@link EventTable} share it. Immutable; each connection gets its
 * own {@link RateLimiter} for it on first use.
 */
public record RateLimit(String name, int limit, long windowMillis) {
    public RateLimit {
        if (limit < 1 || windowMillis < 1) {
            throw new IllegalArgumentException("rate limit " + name + " needs a positive limit and window");
        }
    }

    /** The budget read from {@code limitKey}, over the window read from {@code windowKey}. */
    public static RateLimit from(DuplexConfig config, String limitKey, String windowKey) {
        return new RateLimit(limitKey, config.integer(limitKey), config.longValue(windowKey));
    }

    /** A fresh limiter for this budget, for one connection. */
    public RateLimiter newLimiter() {
        return new RateLimiter(limit, windowMillis);
    }
}
