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
    void aHugeLimitCostsOnlyWhatIsUsedAndStaysExact() {
        RateLimiter limiter = new RateLimiter(1_000_000_000, 1_000);
        for (int i = 0; i < 100; i++) {
            assertTrue(limiter.tryAcquire(0));
        }
        RateLimiter small = new RateLimiter(40, 100);
        for (int t = 0; t < 1_000; t++) {
            int granted = 0;
            for (int i = 0; i < 3; i++) {
                granted += small.tryAcquire(t) ? 1 : 0;
            }
            if (t >= 100) {
                // 3 asked every ms, 40 allowed per 100 ms: a steady state of bursts and refusals
                assertTrue(granted <= 3);
            }
        }
        assertFalse(small.tryAcquire(999), "the window is full");
        assertTrue(small.tryAcquire(1_200), "and empties with time");
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
