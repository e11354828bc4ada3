package dev.duplex.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;
import java.lang.reflect.Proxy;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The portable transport never blocks its caller on a ping. Tomcat's asynchronous {@code sendPing} writes
 * synchronously (for up to its blocking-send timeout when the peer has stopped reading); the session here is a
 * stand-in that blocks the same way, since a real container cannot be made to stall on cue.
 */
class SessionTransportTest {
    @Test
    void aPingThatBlocksInTheContainerBlocksAnIoThreadNotTheCaller() throws Exception {
        CountDownLatch peerReads = new CountDownLatch(1);
        RemoteEndpoint.Async remote = (RemoteEndpoint.Async) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {RemoteEndpoint.Async.class}, (proxy, method, args) -> {
                    if (method.getName().equals("sendPing")) {
                        peerReads.await(10, TimeUnit.SECONDS);
                    }
                    return null;
                });
        Session session = (Session) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Session.class},
                (proxy, method, args) -> method.getName().equals("getAsyncRemote") ? remote : null);
        ExecutorService io = Executors.newSingleThreadExecutor();
        try {
            CompletableFuture<Throwable> done = new CompletableFuture<>();
            long start = System.nanoTime();
            new SessionTransport(session, io).sendPing(done::complete);
            long returnedAfterMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(returnedAfterMillis < 1_000, "the caller waited " + returnedAfterMillis + " ms");
            assertTrue(!done.isDone(), "the ping is still being written");
            peerReads.countDown();
            assertNull(done.get(5, TimeUnit.SECONDS), "and completes once the container is done");
        } finally {
            io.shutdownNow();
        }
        assertEquals(0, peerReads.getCount());
    }
}
