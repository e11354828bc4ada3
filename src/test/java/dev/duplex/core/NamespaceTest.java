package dev.duplex.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duplex.testing.FakeTransport;
import dev.duplex.testing.LogCapture;
import dev.duplex.testing.ManualClock;
import jakarta.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/** The envelope and lifecycle rules every namespace shares, with an app of two events. */
class NamespaceTest {
    private final ManualClock clock = new ManualClock(1_000);
    private final SessionRegistry sessions = new SessionRegistry();
    /** What the "later" event's handler returns: the test completes it. */
    private final CompletableFuture<Object> later = new CompletableFuture<>();
    private final NamespaceApp app = new NamespaceApp() {
        @Override
        public String path() {
            return "/test";
        }

        @Override
        public void register(EventTable events) {
            events.on("echo", data -> Payload.string(data, "text"), (client, text) -> Map.of("text", text))
                    .on("explode", client -> {
                        throw new IllegalStateException("a bug, not a bad frame");
                    })
                    .on("later", client -> later)
                    .on("exhaust", client -> {
                        throw new OutOfMemoryError("Java heap space (thrown by the test)");
                    });
        }

        @Override
        public void admit(Client client) {
            if ("no".equals(client.parameter("admit"))) {
                throw new Refusal("not today");
            }
        }

        @Override
        public CompletionStage<?> opened(Client client) {
            return client.parameter("wait") == null ? null : opening;
        }
    };
    /** What {@code opened} returns for a connection with a {@code wait} parameter: the test completes it. */
    private final CompletableFuture<Object> opening = new CompletableFuture<>();
    private final Namespace namespace = new Namespace(app, sessions, new Codec(), clock,
            new FrameLimits(new RateLimit("frames", 5, 1_000), new RateLimit("rejections", 3, 10_000)));

    private record Conn(Client client, FakeTransport transport) {
        List<JsonObject> frames() {
            return transport.frames();
        }
    }

    private Conn open(Map<String, List<String>> parameters) {
        FakeTransport transport = new FakeTransport();
        return new Conn(namespace.open(new SendQueue(transport, new SendQueue.Limits(100, Long.MAX_VALUE), Runnable::run), parameters, null), transport);
    }

    @Test
    void connectedComesFirstWithTheIdAndThePath() {
        Conn conn = open(Map.of());
        JsonObject connected = conn.frames().get(0);
        assertEquals("connected", connected.getString("event"));
        assertEquals(conn.client().id().value(), connected.getJsonObject("data").getString("id"));
        assertEquals("/test", connected.getJsonObject("data").getString("namespace"));
    }

    @Test
    void aRefusedConnectionIsClosedWith1008BeforeAnyEvent() {
        Conn conn = open(Map.of("admit", List.of("no")));
        assertNull(conn.client());
        assertEquals(List.of(), conn.frames());
        assertEquals(CloseCode.POLICY_VIOLATION, conn.transport().closeCode());
        assertEquals(0, sessions.size());
    }

    @Test
    void acksCarryTheHandlersDataAndPingIsBuiltIn() {
        Conn conn = open(Map.of());
        namespace.receive(conn.client(), "{\"event\":\"echo\",\"data\":\"hi\",\"ack\":3}");
        namespace.receive(conn.client(), "{\"event\":\"ping\",\"ack\":4}");
        List<JsonObject> frames = conn.frames();
        assertEquals("{\"ack\":3,\"data\":{\"text\":\"hi\"}}", frames.get(1).toString());
        assertEquals("pong", frames.get(2).getString("event"));
        assertEquals(1_000, frames.get(2).getJsonObject("data").getJsonNumber("time").longValue());
        assertEquals("{\"ack\":4,\"data\":{}}", frames.get(3).toString());
    }

    @Test
    void aBugInAHandlerClosesOnlyThatConnectionWith1011() {
        Conn broken = open(Map.of());
        Conn bystander = open(Map.of());
        namespace.receive(broken.client(), "{\"event\":\"explode\",\"ack\":1}");
        assertEquals(CloseCode.SERVER_ERROR, broken.transport().closeCode());
        assertEquals(1, broken.frames().size(), "no ack for a frame that crashed");
        namespace.receive(bystander.client(), "{\"event\":\"echo\",\"data\":\"still fine\",\"ack\":2}");
        assertNull(bystander.transport().closeCode());
        assertEquals("still fine", bystander.frames().get(1).getJsonObject("data").getString("text"));
    }

    /** The finding: while the heap was full, OutOfMemoryErrors vanished without a log line. */
    @Test
    void anOutOfMemoryErrorInAHandlerIsLoggedAtErrorAndClosesThatConnectionWith1011() {
        try (LogCapture log = LogCapture.of(Namespace.class.getName(), Level.SEVERE)) {
            Conn exhausted = open(Map.of());
            Conn bystander = open(Map.of());
            namespace.receive(exhausted.client(), "{\"event\":\"exhaust\",\"ack\":1}");
            assertEquals(CloseCode.SERVER_ERROR, exhausted.transport().closeCode());
            assertTrue(log.records().stream().anyMatch(r -> r.getThrown() instanceof OutOfMemoryError),
                    "no SEVERE record with the OutOfMemoryError");
            namespace.receive(bystander.client(), "{\"event\":\"echo\",\"data\":\"still fine\",\"ack\":2}");
            assertEquals("still fine", bystander.frames().get(1).getJsonObject("data").getString("text"));
        }
    }

    @Test
    void closingTwiceCleansUpOnce() {
        Conn conn = open(Map.of());
        sessions.rooms().join("r", conn.client().id());
        namespace.closed(conn.client());
        namespace.closed(conn.client());
        assertEquals(0, sessions.size());
        assertEquals(false, sessions.rooms().exists("r"));
    }

    @Test
    void everyFrameCountsAgainstTheFrameLimitAndTheNextIsRateLimited() {
        Conn conn = open(Map.of());
        namespace.receive(conn.client(), "not json");
        namespace.receive(conn.client(), "{\"event\":\"nope\"}");
        for (int i = 0; i < 3; i++) {
            namespace.receive(conn.client(), "{\"event\":\"ping\"}");
        }
        namespace.receive(conn.client(), "{\"event\":\"echo\",\"data\":\"sixth\",\"ack\":6}");
        List<JsonObject> frames = conn.frames();
        assertEquals(7, frames.size(), frames::toString);
        assertEquals("RATE_LIMITED", frames.get(6).getJsonObject("error").getString("code"), "answered in its ack");
        clock.advance(1_000);
        namespace.receive(conn.client(), "{\"event\":\"echo\",\"data\":\"later\",\"ack\":7}");
        assertEquals("{\"ack\":7,\"data\":{\"text\":\"later\"}}", conn.frames().get(7).toString());
    }

    @Test
    void repeatedRateLimitedFramesCloseTheConnectionWith1008() {
        Conn flooder = open(Map.of());
        Conn bystander = open(Map.of());
        for (int i = 0; i < 8; i++) {
            namespace.receive(flooder.client(), "{\"event\":\"ping\"}");
        }
        assertNull(flooder.transport().closeCode(), "three rate-limited frames are answered");
        namespace.receive(flooder.client(), "{\"event\":\"ping\"}");
        assertEquals(CloseCode.POLICY_VIOLATION, flooder.transport().closeCode());
        assertEquals(1 + 5 + 3, flooder.frames().size(), "connected, five pongs, three RATE_LIMITED, then the close");
        namespace.receive(bystander.client(), "{\"event\":\"ping\"}");
        assertEquals("pong", bystander.frames().get(1).getString("event"));
    }

    @Test
    void aConnectionsCallbacksNeverOverlapAClosedAsksForRunsAfterTheFrameInHand() throws Exception {
        java.util.concurrent.CountDownLatch inHandler = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        List<String> calls = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        NamespaceApp slow = new NamespaceApp() {
            @Override
            public String path() {
                return "/slow";
            }

            @Override
            public void register(EventTable events) {
                events.on("work", client -> {
                    inHandler.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    calls.add("work on " + Thread.currentThread().getName());
                    return null;
                });
            }

            @Override
            public void closed(Client client) {
                calls.add("closed on " + Thread.currentThread().getName());
            }
        };
        SessionRegistry registry = new SessionRegistry();
        Namespace serial = new Namespace(slow, registry, new Codec(), clock, dev.duplex.testing.Harness.GENEROUS);
        Client client = serial.open(new SendQueue(new FakeTransport(), new SendQueue.Limits(100, Long.MAX_VALUE),
                Runnable::run), Map.of(), null);
        Thread reader = new Thread(() -> serial.receive(client, "{\"event\":\"work\"}"), "reader");
        reader.start();
        inHandler.await();
        Thread closer = new Thread(() -> serial.closed(client), "closer");
        closer.start();
        closer.join(5_000);
        assertEquals(Thread.State.TERMINATED, closer.getState(), "the closing thread queues the close and goes");
        assertEquals(List.of(), calls, "closed() waits for the frame in hand");
        release.countDown();
        reader.join(5_000);
        assertEquals(List.of("work on reader", "closed on reader"), calls);
        serial.receive(client, "{\"event\":\"work\"}");
        assertEquals(2, calls.size(), "a frame after the close finds the connection gone");
    }

    @Test
    void theTokenIsNotKeptAmongTheConnectionsParameters() {
        Conn conn = open(Map.of("token", List.of("a.jwt.value"), "room", List.of("r1")));
        assertNull(conn.client().parameter("token"));
        assertEquals("r1", conn.client().parameter("room"));
    }

    @Test
    void aHandlerThatFinishesLaterHoldsTheConnectionsNextFramesUntilItDoes() {
        Conn conn = open(Map.of());
        namespace.receive(conn.client(), "{\"event\":\"later\",\"ack\":1}");
        namespace.receive(conn.client(), "{\"event\":\"echo\",\"data\":{\"text\":\"after\"},\"ack\":2}");
        assertEquals(1, conn.frames().size(), "only connected: the echo waits for the first frame's answer");
        later.complete(Map.of("done", true));
        List<JsonObject> frames = conn.frames();
        assertEquals(1, frames.get(1).getInt("ack"));
        assertEquals(true, frames.get(1).getJsonObject("data").getBoolean("done"));
        assertEquals(2, frames.get(2).getInt("ack"));
    }

    @Test
    void aHandlerThatFailsLaterWithAProtocolErrorGetsItsErrorAck() {
        Conn conn = open(Map.of());
        namespace.receive(conn.client(), "{\"event\":\"later\",\"ack\":5}");
        later.completeExceptionally(new ProtocolError(ErrorCode.NOT_FOUND, "gone meanwhile"));
        JsonObject answer = conn.frames().get(1);
        assertEquals(5, answer.getInt("ack"));
        assertEquals("NOT_FOUND", answer.getJsonObject("error").getString("code"));
    }

    @Test
    void anOpenedThatFinishesLaterHoldsTheConnectionsFirstFramesUntilItDoes() {
        Conn conn = open(Map.of("wait", List.of("yes")));
        namespace.receive(conn.client(), "{\"event\":\"echo\",\"data\":{\"text\":\"first\"},\"ack\":1}");
        assertEquals(1, conn.frames().size(), "only connected: the echo waits until the connection is ready");
        opening.complete(null);
        assertEquals(1, conn.frames().get(1).getInt("ack"));
    }

    @Test
    void anOpenedThatFailsLaterWithARefusalClosesTheConnectionWithItsCode() {
        Conn conn = open(Map.of("wait", List.of("yes")));
        opening.completeExceptionally(new Refusal(CloseCode.TRY_AGAIN_LATER, "not loaded"));
        assertEquals(CloseCode.TRY_AGAIN_LATER, conn.transport().closeCode());
    }
}
