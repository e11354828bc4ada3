package dev.duplex.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duplex.testing.Segments;
import dev.duplex.testing.WsClient;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One phase of the abuse soak: every normal chat user sends a message every {@link #MESSAGE_GAP} (inside the
 * default chat rate limit of 10 in 10 s) and one user draws {@link #DRAWS_PER_SECOND} segments a second while
 * another watches. At its end every user must have received every message of the phase exactly once and been
 * acknowledged for each of its own, and the watcher every segment once, in order: normal users lose nothing.
 */
final class Phase {
    private static final Duration MESSAGE_GAP = Duration.ofMillis(1_200);
    private static final int DRAWS_PER_SECOND = 20;
    private static final Duration SETTLE = Duration.ofSeconds(10);

    private final String name;
    private final long[] sortedLatencies;

    private Phase(String name, long[] sortedLatencies) {
        this.name = name;
        this.sortedLatencies = sortedLatencies;
    }

    static Phase run(String name, List<SoakUser> users, WsClient drawer, WsClient viewer, Duration length)
            throws InterruptedException {
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        users.forEach(user -> user.startPhase(latencies));
        Set<String> sent = ConcurrentHashMap.newKeySet();
        AtomicInteger drawn = new AtomicInteger();
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        ScheduledExecutorService senders = Executors.newScheduledThreadPool(2);
        try {
            for (SoakUser user : users) {
                // A full gap before the first send keeps a phase's first message a gap after the last phase's.
                long offset = MESSAGE_GAP.toMillis() + ThreadLocalRandom.current().nextLong(MESSAGE_GAP.toMillis());
                senders.scheduleWithFixedDelay(recording(failures, () -> sent.add(user.name() + " " + user.sendNext())),
                        offset, MESSAGE_GAP.toMillis(), TimeUnit.MILLISECONDS);
            }
            senders.scheduleAtFixedRate(recording(failures,
                    () -> drawer.emit("draw", Segments.json(name + "-" + drawn.incrementAndGet(), 5))),
                    0, 1_000 / DRAWS_PER_SECOND, TimeUnit.MILLISECONDS);
            Thread.sleep(length.toMillis());
        } finally {
            senders.shutdown();
            assertTrue(senders.awaitTermination(15, TimeUnit.SECONDS), "a send never completed");
        }
        assertTrue(failures.isEmpty(), () -> "sends failed: " + failures);
        awaitEveryMessage(users, sent);
        // Only draws come to the watcher, so the next one is the next in arrival order.
        for (int i = 1; i <= drawn.get(); i++) {
            assertEquals(name + "-" + i, viewer.expect("draw").asJsonObject().getString("strokeId"),
                    "the watcher got every segment in drawing order");
        }
        return new Phase(name, latencies.stream().mapToLong(Long::longValue).sorted().toArray());
    }

    /** The task, with any failure kept: a scheduled task that throws is otherwise cancelled without a trace. */
    private static Runnable recording(Queue<Throwable> failures, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                failures.add(e);
                throw e;
            }
        };
    }

    private static void awaitEveryMessage(List<SoakUser> users, Set<String> sent) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        for (SoakUser user : users) {
            // The server broadcasts a message before it acks it: wait for both.
            while ((user.received().size() < sent.size() || user.acked() + user.refused() < user.sent())
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(sent, user.received(), () -> user.name() + " lost messages");
            assertEquals(sent.size(), user.deliveries(), () -> user.name() + " got a message twice");
            assertEquals(0, user.refused(), () -> user.name() + " had messages refused");
            assertEquals(user.sent(), user.acked(), () -> user.name() + " was not acknowledged for every message");
        }
    }

    double p99Millis() {
        if (sortedLatencies.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(sortedLatencies.length * 0.99) - 1;
        return sortedLatencies[index] / 1e6;
    }

    private double p50Millis() {
        return sortedLatencies.length == 0 ? 0 : sortedLatencies[sortedLatencies.length / 2] / 1e6;
    }

    private double maxMillis() {
        return sortedLatencies.length == 0 ? 0 : sortedLatencies[sortedLatencies.length - 1] / 1e6;
    }

    @Override
    public String toString() {
        return String.format("%s: %d deliveries, p50 %.2f ms, p99 %.2f ms, max %.2f ms", name, sortedLatencies.length,
                p50Millis(), p99Millis(), maxMillis());
    }
}
