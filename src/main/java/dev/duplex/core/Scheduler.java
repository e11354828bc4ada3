package dev.duplex.core;

/** Runs tasks later; lets apps defer work without owning threads, and tests run time by hand. */
@FunctionalInterface
public interface Scheduler {
    /** Runs {@code task} once after {@code delayMillis}. */
    void schedule(Runnable task, long delayMillis);
}
