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

    @Test
    void pastItsCapacityTheLeastRecentlyUsedIdleStateIsForgottenToMakeRoom() {
        java.util.List<Counter> forgotten = new java.util.ArrayList<>();
        SharedStates<Counter> bounded = new SharedStates<>("counters", name -> new Counter(), 2,
                counter -> counter.users == 0, forgotten::add);
        bounded.enter("old", counter -> null);
        bounded.enter("busy", counter -> counter.users++);
        Counter old = bounded.get("old");
        bounded.enter("new", counter -> null);
        assertNull(bounded.get("old"), "idle and least recently used: forgotten");
        assertEquals(java.util.List.of(old), forgotten);
        assertNotNull(bounded.get("busy"));
        bounded.enter("busy", counter -> counter.users++);
        bounded.enter("newer", counter -> null);
        assertNull(bounded.get("new"));
        assertEquals(2, bounded.size());
    }

    @Test
    void whenNothingIsIdleANewStateIsRefusedWithTryAgainLater() {
        SharedStates<Counter> bounded = new SharedStates<>("counters", name -> new Counter(), 1,
                counter -> counter.users == 0, counter -> { });
        bounded.enter("busy", counter -> counter.users++);
        Refusal refused = org.junit.jupiter.api.Assertions.assertThrows(Refusal.class,
                () -> bounded.enter("more", counter -> null));
        assertEquals(CloseCode.TRY_AGAIN_LATER, refused.code());
        bounded.enter("busy", counter -> counter.users++);
        assertEquals(2, bounded.get("busy").users, "an existing state still takes users");
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
