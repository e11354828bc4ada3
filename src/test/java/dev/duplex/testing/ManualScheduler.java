package dev.duplex.testing;

import dev.duplex.core.Scheduler;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A scheduler driven by a {@link ManualClock}: tasks run when the test advances time past them. */
public final class ManualScheduler implements Scheduler {
    private record Task(long due, long order, Runnable task) {
    }

    private final ManualClock clock;
    private final List<Task> tasks = new ArrayList<>();
    private long order;

    public ManualScheduler(ManualClock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void schedule(Runnable task, long delayMillis) {
        tasks.add(new Task(clock.millis() + delayMillis, order++, task));
    }

    /** Moves the clock on, running every task that falls due on the way, at its due time. */
    public void advance(long millis) {
        long end = clock.millis() + millis;
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.stream().filter(t -> t.due() <= end)
                        .min(Comparator.comparingLong(Task::due).thenComparingLong(Task::order)).orElse(null);
                if (next != null) {
                    tasks.remove(next);
                }
            }
            if (next == null) {
                break;
            }
            clock.advance(Math.max(0, next.due() - clock.millis()));
            next.task().run();
        }
        clock.advance(end - clock.millis());
    }

    public synchronized int pending() {
        return tasks.size();
    }
}
