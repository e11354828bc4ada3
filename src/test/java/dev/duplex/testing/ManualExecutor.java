package dev.duplex.testing;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/**
 * An executor whose tasks wait until the test runs them: the unit-test stand-in for the runtime's connection
 * I/O threads, so closes happen after the broadcast that caused them, as they do in production.
 */
public final class ManualExecutor implements Executor {
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

    @Override
    public synchronized void execute(Runnable task) {
        tasks.add(task);
    }

    /** Runs every task, including those the tasks submit, until none is left; returns how many ran. */
    public int runAll() {
        int ran = 0;
        while (true) {
            Runnable next;
            synchronized (this) {
                next = tasks.poll();
            }
            if (next == null) {
                return ran;
            }
            next.run();
            ran++;
        }
    }
}
