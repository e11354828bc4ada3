package dev.duplex.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SessionTimersTest {
    private final SessionTimers timers = new SessionTimers();

    @AfterEach
    void stop() {
        timers.shutdownNow();
    }

    @Test
    void aTaskDueAtOnceRunsOnTheCallersThread() {
        Thread[] ranOn = new Thread[1];
        ScheduledFuture<?> future = timers.schedule(() -> ranOn[0] = Thread.currentThread(), 0, TimeUnit.MILLISECONDS);
        assertEquals(Thread.currentThread(), ranOn[0]);
        assertTrue(future.isDone());
    }

    @Test
    void aRealTimerRunsLaterOnThePool() throws Exception {
        CompletableFuture<Thread> ranOn = new CompletableFuture<>();
        timers.schedule(() -> ranOn.complete(Thread.currentThread()), 20, TimeUnit.MILLISECONDS);
        assertNotEquals(Thread.currentThread(), ranOn.get(5, TimeUnit.SECONDS));
    }

    @Test
    void aCancelledTimerLeavesTheQueue() {
        ScheduledFuture<?> future = timers.schedule(() -> { }, 1, TimeUnit.DAYS);
        future.cancel(false);
        assertEquals(0, timers.getQueue().size(), "Tyrus re-arms per frame: cancelled timers must not pile up");
    }
}
