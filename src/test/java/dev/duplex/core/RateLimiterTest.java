package dev.duplex.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RateLimiterTest {
    @Test
    void allowsTheLimitInAnyWindowAndNoMore() {
        RateLimiter limiter = new RateLimiter(3, 10_000);
        assertTrue(limiter.tryAcquire(0));
        assertTrue(limiter.tryAcquire(1_000));
        assertTrue(limiter.tryAcquire(2_000));
        assertFalse(limiter.tryAcquire(9_999));
        assertTrue(limiter.tryAcquire(10_000), "the first grant left the window");
        assertFalse(limiter.tryAcquire(10_500));
        assertTrue(limiter.tryAcquire(11_000));
        assertTrue(limiter.tryAcquire(12_000));
        assertFalse(limiter.tryAcquire(19_999));
    }

    @Test
    void refusalsDoNotCountAgainstTheWindow() {
        RateLimiter limiter = new RateLimiter(1, 1_000);
        assertTrue(limiter.tryAcquire(0));
        for (int t = 1; t < 1_000; t += 100) {
            assertFalse(limiter.tryAcquire(t));
        }
        assertTrue(limiter.tryAcquire(1_000));
    }
}
