package dev.duplex.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KeyedCounterTest {
    @Test
    void eachKeyHoldsAtMostTheMaximumAndReleasingMakesRoom() {
        KeyedCounter counter = new KeyedCounter(2);
        assertTrue(counter.tryAcquire("ann"));
        assertTrue(counter.tryAcquire("ann"));
        assertFalse(counter.tryAcquire("ann"));
        assertTrue(counter.tryAcquire("bob"));
        counter.release("ann");
        assertTrue(counter.tryAcquire("ann"));
        counter.release("bob");
        assertEquals(0, counter.count("bob"));
    }
}
