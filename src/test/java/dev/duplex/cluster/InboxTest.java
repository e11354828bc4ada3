package dev.duplex.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InboxTest {
    private static final String BLOCK = "block";
    private static final long LIMIT_BYTES = 4 * 1024 * 1024;

    private final CountDownLatch blocked = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger overflows = new AtomicInteger();
    private Inbox inbox;

    @AfterEach
    void close() {
        release.countDown();
        if (inbox != null) {
            inbox.close();
        }
    }

    /** A handler that holds the inbox's thread on the channel {@link #BLOCK} until released. */
    private Inbox inbox(Inbox.Handler handler) {
        inbox = new Inbox((channel, message) -> {
            if (channel.equals(BLOCK)) {
                blocked.countDown();
                await(release);
                return null;
            }
            return handler.handle(channel, message);
        }, LIMIT_BYTES, overflows::incrementAndGet);
        return inbox;
    }

    private void holdTheThread() {
        inbox.received(BLOCK, new byte[0]);
        await(blocked);
    }

    /**
     * What makes a batch cheap: its frames are all queued before any is written, so each receiver's send
     * queue gathers them into one write (see LocalBroadcasterTest).
     */
    @Test
    void aBatchIsHandledInArrivalOrderAndItsWritesRunAfterIt() throws Exception {
        inbox((channel, message) -> {
            log.add("handled " + channel);
            return () -> log.add("wrote " + channel);
        });
        holdTheThread();
        inbox.received("a", new byte[1]);
        inbox.received("b", new byte[1]);
        release.countDown();
        waitFor(() -> log.size() == 4);
        assertEquals(List.of("handled a", "handled b", "wrote a", "wrote b"), log);

        inbox.received("c", new byte[1]);
        waitFor(() -> log.size() == 6);
        assertEquals(List.of("handled c", "wrote c"), log.subList(4, 6), "an idle inbox handles at once");
    }

    @Test
    void aFailingMessageOrWriteStopsNothingElse() throws Exception {
        inbox((channel, message) -> {
            if (channel.equals("bad")) {
                throw new IllegalStateException("a handler bug");
            }
            return channel.equals("bad write") ? () -> {
                throw new IllegalStateException("a write bug");
            } : () -> log.add(channel);
        });
        holdTheThread();
        inbox.received("bad", new byte[1]);
        inbox.received("bad write", new byte[1]);
        inbox.received("good", new byte[1]);
        release.countDown();
        waitFor(() -> log.size() == 1);
        assertEquals(List.of("good"), log);
    }

    @Test
    void pastItsBoundTheInboxDropsAndSaysSoThenTakesMessagesAgainOnceItCaughtUp() throws Exception {
        inbox((channel, message) -> {
            log.add(channel);
            return null;
        });
        holdTheThread();
        byte[] quarter = new byte[(int) (LIMIT_BYTES / 4)];
        for (int i = 0; i < 4; i++) {
            inbox.received("kept " + i, quarter);
        }
        assertEquals(0, overflows.get(), "up to the bound, everything waits");
        inbox.received("dropped", quarter);
        assertEquals(1, overflows.get(), "the node is told it lost a message");
        release.countDown();
        waitFor(() -> log.size() == 4);
        inbox.received("after", quarter);
        waitFor(() -> log.size() == 5);
        assertEquals(List.of("kept 0", "kept 1", "kept 2", "kept 3", "after"), log);
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(5, TimeUnit.SECONDS), "timed out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out");
            Thread.sleep(5);
        }
    }
}
