package dev.duplex.standalone;

import dev.duplex.core.DaemonThreads;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The timer service Tyrus gives its sessions. Tyrus re-arms a session's idle timer for every frame it reads
 * or sends; Duplex's sessions have no Tyrus idle timeout (Duplex's own heartbeat closes silent connections),
 * so each re-arm schedules a task that does nothing, to run at once. On a thread pool that woke the timer
 * thread for every incoming message: about a sixth of the server's CPU in the room benchmark, spent on
 * thread switches. Here a task due at once runs on the caller's thread; real timers go to the pool.
 */
final class SessionTimers extends ScheduledThreadPoolExecutor {
    private static final ScheduledFuture<Object> RAN_INLINE = new RanInline<>(CompletableFuture.completedFuture(null));

    SessionTimers() {
        super(1, DaemonThreads.named("tyrus-session-timers"));
        setRemoveOnCancelPolicy(true);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        if (delay > 0) {
            return super.schedule(command, delay, unit);
        }
        command.run();
        return RAN_INLINE;
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        if (delay > 0) {
            return super.schedule(callable, delay, unit);
        }
        FutureTask<V> task = new FutureTask<>(callable);
        task.run();
        return new RanInline<>(task);
    }

    /** The future of a task that has already run. */
    private static final class RanInline<V> implements ScheduledFuture<V> {
        private final Future<V> result;

        RanInline(Future<V> result) {
            this.result = result;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return 0;
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(0, other.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            return false;
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public boolean isDone() {
            return true;
        }

        @Override
        public V get() throws InterruptedException, ExecutionException {
            return result.get();
        }

        @Override
        public V get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException {
            return result.get();
        }
    }
}
