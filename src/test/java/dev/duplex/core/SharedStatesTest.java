package dev.duplex.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.TimeUnit;
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
    void enteringNeverLandsOnAStateForgottenWhileItWaitedForTheLock() throws Exception {
        states.enter("busy", counter -> counter.users++);
        Counter old = states.get("busy");
        Thread[] enterer = new Thread[1];
        // The last user leaves; while it holds the lock, another user tries to enter the same state.
        states.leave("busy", counter -> {
            counter.users--;
            enterer[0] = new Thread(() -> states.enter("busy", c -> c.users++));
            enterer[0].start();
            awaitBlocked(enterer[0]);
            return null;
        }, counter -> counter.users == 0);
        enterer[0].join(5_000);
        Counter current = states.get("busy");
        assertNotNull(current, "the entering user's state exists");
        assertNotSame(old, current, "the forgotten state was not reused");
        assertEquals(1, current.users, "the entering user is in the live state");
        assertEquals(0, old.users);
    }

    /** Waits until the thread is blocked on a monitor (here: the state's lock held by the leaver). */
    private static void awaitBlocked(Thread thread) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (thread.getState() != Thread.State.BLOCKED) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the entering thread never reached the lock: " + thread.getState());
            }
            Thread.onSpinWait();
        }
    }
}
