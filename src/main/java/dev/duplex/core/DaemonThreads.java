package dev.duplex.core;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Thread factories for Duplex's own threads: daemons, so that none keeps a stopping JVM alive (stopping is
 * the shutdown hook's job), and named, so that a thread dump says whose each thread is.
 */
public final class DaemonThreads {
    private DaemonThreads() {
    }

    /** Threads named exactly {@code name}: for an executor of one thread. */
    public static ThreadFactory named(String name) {
        return runnable -> daemon(runnable, name);
    }

    /** Threads named {@code prefix-1}, {@code prefix-2}, …: for a pool. */
    public static ThreadFactory numbered(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> daemon(runnable, prefix + "-" + count.incrementAndGet());
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }
}
