package dev.duplex.core;

import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/**
 * Runs one connection's tasks one at a time, in submission order, on whichever thread submits while it is
 * idle; a task submitted while another runs waits in line and runs on that other thread right after. No
 * thread of its own and no blocking: a read thread that finds the connection busy (its close being handled on
 * another thread) queues its frame and returns. A task that throws is logged and the line goes on.
 * Thread-safe.
 */
final class SerialExecutor implements Executor {
    private static final System.Logger LOG = System.getLogger(SerialExecutor.class.getName());

    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private boolean running;

    @Override
    public void execute(Runnable task) {
        synchronized (this) {
            tasks.add(task);
            if (running) {
                return;
            }
            running = true;
        }
        while (true) {
            Runnable next;
            synchronized (this) {
                next = tasks.poll();
                if (next == null) {
                    running = false;
                    return;
                }
            }
            try {
                next.run();
            } catch (Throwable e) {
                // An Error (OutOfMemoryError) included: the connection's later tasks still run.
                LOG.log(Level.ERROR, "A connection task failed", e);
            }
        }
    }
}
