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
        Runnable task = () -> ranOn[0] = Thread.currentThread();
        ScheduledFuture<?> future = timers.schedule(task, 0, TimeUnit.MILLISECONDS);
        assertEquals(Thread.currentThread(), ranOn[0]);
        assertTrue(future.isDone());
    }

    @Test
    void aCallableDueAtOnceRunsOnTheCallersThreadToo() throws Exception {
        ScheduledFuture<Thread> future = timers.schedule(Thread::currentThread, 0, TimeUnit.MILLISECONDS);
        assertTrue(future.isDone());
        assertEquals(Thread.currentThread(), future.get());
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
