package dev.duplex.core;

import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Runs one connection's tasks one at a time, in submission order, on whichever thread submits while it is
 * idle; a task submitted while another runs waits in line and runs on that other thread right after. No
 * thread of its own and no blocking: a read thread that finds the connection busy (its close being handled on
 * another thread) queues its frame and returns. A task may also finish later, when the stage it returns
 * does (a join that waits for the cluster to confirm it): the line waits for the stage without holding any
 * thread, and goes on on the thread that completes it. A task that throws is logged and the line goes on.
 * Thread-safe.
 */
final class SerialExecutor implements Executor {
    private static final System.Logger LOG = System.getLogger(SerialExecutor.class.getName());

    private final ArrayDeque<Supplier<CompletionStage<?>>> tasks = new ArrayDeque<>();
    private boolean running;

    @Override
    public void execute(Runnable task) {
        submit(() -> {
            task.run();
            return null;
        });
    }

    /** Queues a task whose returned stage (null: none) must complete before the next task starts. */
    void submit(Supplier<CompletionStage<?>> task) {
        synchronized (this) {
            tasks.add(task);
            if (running) {
                return;
            }
            running = true;
        }
        drain();
    }

    private void drain() {
        while (true) {
            Supplier<CompletionStage<?>> next;
            synchronized (this) {
                next = tasks.poll();
                if (next == null) {
                    running = false;
                    return;
                }
            }
            CompletableFuture<?> pending = null;
            try {
                CompletionStage<?> stage = next.get();
                pending = stage == null ? null : stage.toCompletableFuture();
            } catch (Throwable e) {
                // An Error (OutOfMemoryError) included: the connection's later tasks still run.
                LOG.log(Level.ERROR, "A connection task failed", e);
            }
            if (pending != null && !pending.isDone()) {
                // Still "running": whoever submits meanwhile only queues; the completion drains the rest.
                pending.whenComplete((result, failure) -> drain());
                return;
            }
        }
    }
}
