package dev.duplex.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duplex.testing.FakeTransport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SendQueueTest {
    /** Closes run at once here: these tests watch the queue, not the threads of a close. */
    private static SendQueue queue(FakeTransport transport, int frames) {
        return new SendQueue(transport, new SendQueue.Limits(frames, Long.MAX_VALUE), Runnable::run);
    }

    @Test
    void writesOneAtATimeInOrder() {
        FakeTransport transport = new FakeTransport().holdWrites();
        SendQueue queue = queue(transport, 10);
        queue.send("a");
        queue.send("b");
        queue.send("c");
        assertEquals(List.of("a"), transport.written(), "one write in flight");
        assertEquals(2, queue.backlog());
        transport.completeNext();
        assertEquals(List.of("a", "b"), transport.written());
        transport.completeNext();
        transport.completeNext();
        assertEquals(List.of("a", "b", "c"), transport.written());
        queue.send("d");
        assertEquals(List.of("a", "b", "c", "d"), transport.written(), "idle again: written at once");
    }

    @Test
    void offerQueuesWithoutWritingAndNamesOneWriter() {
        FakeTransport transport = new FakeTransport();
        SendQueue queue = queue(transport, 10);
        assertTrue(queue.offer(new OutgoingText("a")), "idle: the first offer owns the writing");
        assertFalse(queue.offer(new OutgoingText("b")), "the writer will take this one too");
        assertEquals(List.of(), transport.written());
        queue.flush();
        assertEquals(List.of("a", "b"), transport.written());
        assertTrue(queue.offer(new OutgoingText("c")), "idle again");
    }

    @Test
    void writesThatCompleteInlineDoNotRecurse() {
        FakeTransport transport = new FakeTransport().holdWrites();
        SendQueue queue = queue(transport, 200_000);
        for (int i = 0; i <= 100_000; i++) {
            queue.send(Integer.toString(i));
        }
        // Every write from here completes inline: a recursive drain would overflow the stack.
        transport.releaseWrites();
        assertEquals(100_001, transport.written().size());
        assertEquals("100000", transport.written().get(100_000));
    }

    @Test
    void aBacklogOverTheLimitClosesWithPolicyViolationAndDropsTheRest() {
        FakeTransport transport = new FakeTransport().holdWrites();
        SendQueue queue = queue(transport, 2);
        queue.send("a");
        queue.send("b");
        queue.send("c");
        assertNull(transport.closeCode());
        queue.send("d");
        assertEquals(CloseCode.POLICY_VIOLATION, transport.closeCode());
        transport.completeNext();
        queue.send("e");
        assertEquals(List.of("a"), transport.written());
    }

    @Test
    void pingsWaitBehindPendingTextAndNeverInterleave() {
        FakeTransport transport = new FakeTransport().holdWrites();
        SendQueue queue = queue(transport, 10);
        queue.send("a");
        queue.ping();
        queue.send("b");
        assertEquals(List.of("a"), transport.written());
        transport.completeNext();
        assertEquals(List.of("a", "<ping>", "b"), transport.written());
    }

    @Test
    void closeFlushesWhatIsQueuedFirst() {
        FakeTransport transport = new FakeTransport().holdWrites();
        SendQueue queue = queue(transport, 10);
        queue.send("a");
        queue.send("b");
        queue.close(CloseCode.GOING_AWAY, "bye");
        queue.send("after close");
        assertNull(transport.closeCode());
        transport.completeNext();
        transport.completeNext();
        assertEquals(List.of("a", "b"), transport.written());
        assertEquals(CloseCode.GOING_AWAY, transport.closeCode());
    }

    @Test
    void closeNowDropsTheBacklogAndClosesWhenTheWriteInFlightEnds() {
        FakeTransport transport = new FakeTransport().holdWrites();
        SendQueue queue = queue(transport, 10);
        queue.send("a");
        queue.send("b");
        queue.closeNow(CloseCode.TOO_BIG, "big");
        queue.send("c");
        assertNull(transport.closeCode(), "a close must not overlap the write of a");
        transport.completeNext();
        assertEquals(List.of("a"), transport.written());
        assertEquals(CloseCode.TOO_BIG, transport.closeCode());
    }

    @Test
    void closeNowOnAnIdleQueueClosesAtOnce() {
        FakeTransport transport = new FakeTransport();
        SendQueue queue = queue(transport, 10);
        queue.send("a");
        queue.closeNow(CloseCode.UNSUPPORTED_DATA, "binary");
        assertEquals(CloseCode.UNSUPPORTED_DATA, transport.closeCode());
    }

    @Test
    void abortClosesAtOnceOverAWriteInFlight() {
        FakeTransport transport = new FakeTransport().holdWrites();
        SendQueue queue = queue(transport, 10);
        queue.send("a");
        queue.send("b");
        queue.abort(CloseCode.NORMAL, "Idle timeout");
        assertEquals(CloseCode.NORMAL, transport.closeCode(), "the write of a may never complete");
        transport.completeNext();
        assertEquals(List.of("a"), transport.written());
    }

    @Test
    void aFailedWriteStopsTheQueueAndClosesTheConnection() {
        FakeTransport transport = new FakeTransport().holdWrites();
        SendQueue queue = queue(transport, 10);
        queue.send("a");
        queue.send("b");
        transport.failNext(new IOException("reset"));
        queue.send("c");
        assertEquals(List.of("a"), transport.written());
        assertEquals(CloseCode.SERVER_ERROR, transport.closeCode(), "a connection that cannot be written is released");
    }

    @Test
    void aBacklogOverTheCharacterBoundClosesWhateverItsFrameCount() {
        FakeTransport transport = new FakeTransport().holdWrites();
        SendQueue queue = new SendQueue(transport, new SendQueue.Limits(1_000, 10_000), Runnable::run);
        String large = "x".repeat(4_000);
        queue.send(large);
        queue.send(large);
        queue.send(large);
        assertNull(transport.closeCode(), "8,000 characters wait behind the write in flight");
        queue.send(large);
        assertEquals(CloseCode.POLICY_VIOLATION, transport.closeCode());
        assertEquals(0, queue.backlog(), "what was queued is dropped at once");
    }

    @Test
    void theCharacterBoundCountsWhatWaitsNotWhatIsWritten() {
        FakeTransport transport = new FakeTransport().holdWrites();
        SendQueue queue = new SendQueue(transport, new SendQueue.Limits(1_000, 10_000), Runnable::run);
        String large = "x".repeat(6_000);
        for (int i = 0; i < 10; i++) {
            queue.send(large);
            transport.completeNext();
        }
        assertNull(transport.closeCode(), "a reader that keeps up is never closed");
        assertEquals(10, transport.written().size());
    }

    @Test
    void aBacklogLeavesInOneWriteUpToTheTransportsLimit() {
        FakeTransport transport = new FakeTransport().gatherUpTo(3).holdWrites();
        SendQueue queue = queue(transport, 10);
        for (String text : List.of("a", "b", "c", "d", "e")) {
            queue.send(text);
        }
        transport.completeNext();
        assertEquals(List.of(1, 3), transport.writeSizes(), "b, c and d gathered behind the write of a");
        transport.completeNext();
        transport.completeNext();
        assertEquals(List.of(1, 3, 1), transport.writeSizes());
        assertEquals(List.of("a", "b", "c", "d", "e"), transport.written());
    }

    @Test
    void aGatheredWriteStopsAtAPingAndAtTheSizeBound() {
        FakeTransport transport = new FakeTransport().gatherUpTo(100).holdWrites();
        SendQueue queue = queue(transport, 10);
        String large = "x".repeat(100_000);
        queue.send("a");
        queue.send("b");
        queue.ping();
        queue.send(large);
        queue.send(large);
        queue.send(large);
        transport.releaseWrites();
        assertEquals(List.of("a", "b", "<ping>", large, large, large), transport.written());
        assertEquals(List.of(1, 1, 2, 1), transport.writeSizes(), "no write carries more than 256 K characters");
    }

    @Test
    void concurrentSendersLoseNothingAndKeepEachSendersOrder() throws Exception {
        concurrentSendersLoseNothing(new FakeTransport());
    }

    @Test
    void concurrentSendersLoseNothingWhenWritesAreGathered() throws Exception {
        concurrentSendersLoseNothing(new FakeTransport().gatherUpTo(16));
    }

    private static void concurrentSendersLoseNothing(FakeTransport transport) throws Exception {
        SendQueue queue = queue(transport, 100_000);
        int threads = 4;
        int each = 5_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        for (int t = 0; t < threads; t++) {
            int thread = t;
            pool.execute(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    queue.send(thread + ":" + i);
                }
            });
        }
        start.countDown();
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        List<String> written = transport.written();
        assertEquals(threads * each, written.size());
        for (int t = 0; t < threads; t++) {
            List<String> mine = new ArrayList<>();
            for (String text : written) {
                if (text.startsWith(t + ":")) {
                    mine.add(text);
                }
            }
            for (int i = 0; i < each; i++) {
                assertEquals(t + ":" + i, mine.get(i));
            }
        }
    }
}
