package dev.duplex.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SharedStatesTest {
    /** A state that counts who is in it. */
    private static final class Counter {
        int users;
    }

    private final SharedStates<Counter> states = new SharedStates<>(name -> new Counter());

    @Test
    void aStateLivesWhileUsedAndIsForgottenWhenUnused() {
        states.enter("a", counter -> counter.users++);
        Counter first = states.get("a");
        states.enter("a", counter -> counter.users++);
        assertSame(first, states.get("a"));
        states.leave("a", counter -> counter.users--, counter -> counter.users == 0);
        assertSame(first, states.get("a"), "one user left");
        states.leave("a", counter -> counter.users--, counter -> counter.users == 0);
        assertNull(states.get("a"));
        states.enter("a", counter -> counter.users++);
        assertNotSame(first, states.get("a"), "a fresh state after it was forgotten");
        states.leave("missing", counter -> counter.users--, counter -> true);
    }

    @Test
    void enteringNeverLandsOnAForgottenState() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        AtomicInteger lost = new AtomicInteger();
        for (int round = 0; round < 2_000; round++) {
            states.enter("busy", counter -> counter.users++);
            CountDownLatch go = new CountDownLatch(1);
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            done.add(pool.submit(() -> {
                go.await();
                states.leave("busy", counter -> counter.users--, counter -> counter.users == 0);
                return null;
            }));
            done.add(pool.submit(() -> {
                go.await();
                states.enter("busy", counter -> counter.users++);
                return null;
            }));
            go.countDown();
            for (var future : done) {
                future.get(5, TimeUnit.SECONDS);
            }
            Counter current = states.get("busy");
            if (current == null || current.users != 1) {
                lost.incrementAndGet();
            }
            states.leave("busy", counter -> counter.users--, counter -> counter.users == 0);
        }
        pool.shutdown();
        assertEquals(0, lost.get(), "the entering user always ended up in the live state");
    }
}
