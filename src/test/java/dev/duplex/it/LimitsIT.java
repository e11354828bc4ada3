package dev.duplex.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duplex.testing.RawSocket;
import dev.duplex.testing.TestServer;
import dev.duplex.testing.WsClient;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Size limits, binary frames, heartbeats and idle timeouts, with small limits so the test is quick. */
class LimitsIT {
    private static final int MAX_BYTES = 2048;
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of(
                "duplex.max-message-bytes", Integer.toString(MAX_BYTES),
                "duplex.idle-timeout-ms", "1200",
                "duplex.ping-interval-ms", "200"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String messageOfBytes(int bytes) {
        String prefix = "{\"event\":\"ping\",\"data\":\"";
        return prefix + "x".repeat(bytes - prefix.length() - 2) + "\"}";
    }

    @Test
    void aMessageAtTheLimitIsHandledAndOneByteMoreClosesWith1009() {
        try (WsClient client = server.connect("/chat")) {
            client.send(messageOfBytes(MAX_BYTES));
            client.expect("pong");
            client.send(messageOfBytes(MAX_BYTES + 1));
            assertEquals(1009, client.expectClose());
        }
    }

    @Test
    void multiByteCharactersCountAsTheirUtf8Bytes() {
        try (WsClient client = server.connect("/chat")) {
            String prefix = "{\"event\":\"ping\",\"data\":\"";
            int room = MAX_BYTES - prefix.length() - 2;
            client.send(prefix + "\u00e9".repeat(room / 2 + 1) + "\"}"); // 2 bytes each: just over
            assertEquals(1009, client.expectClose());
        }
    }

    @Test
    void fragmentsAreReassembledBeforeTheLimitApplies() {
        try (WsClient client = server.connect("/chat")) {
            String big = messageOfBytes(MAX_BYTES + 100);
            client.sendFragment(big.substring(0, 1000), false);
            client.sendFragment(big.substring(1000, 2000), false);
            client.sendFragment(big.substring(2000), true);
            assertEquals(1009, client.expectClose());
        }
    }

    @Test
    void aBinaryFrameClosesWith1003() {
        try (WsClient client = server.connect("/chat")) {
            client.sendBinary(new byte[] {1, 2, 3});
            assertEquals(1003, client.expectClose());
        }
    }

    @Test
    void aClientThatAnswersPingsStaysOpenPastTheIdleTimeout() throws Exception {
        try (RawSocket raw = RawSocket.connect(server.port(), "/chat")) {
            long end = System.nanoTime() + 2_500_000_000L;
            int pings = 0;
            while (System.nanoTime() < end) {
                RawSocket.Frame frame = raw.read();
                assertTrue(frame.opcode() != 0x8, "closed although it answered every ping");
                if (frame.opcode() == 0x9) {
                    pings++;
                    raw.sendFrame(0xA, true, frame.payload());
                }
            }
            assertTrue(pings >= 5, "pings: " + pings);
        }
    }

    @Test
    void aSilentClientIsClosedAfterTheIdleTimeout() throws Exception {
        try (RawSocket raw = RawSocket.connect(server.port(), "/chat")) {
            long start = System.nanoTime();
            int code = raw.readUntilClose(); // ignores the pings: never answers
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(1000, code);
            assertTrue(elapsedMillis >= 1100 && elapsedMillis < 3000, "closed after " + elapsedMillis + " ms");
        }
    }

    @Test
    void textFramesKeepAClientAlive() throws Exception {
        try (RawSocket raw = RawSocket.connect(server.port(), "/chat")) {
            long end = System.nanoTime() + 2_000_000_000L;
            long nextPing = 0;
            while (System.nanoTime() < end) {
                if (System.nanoTime() > nextPing) {
                    raw.sendText("{\"event\":\"ping\"}");
                    nextPing = System.nanoTime() + 300_000_000L;
                }
                assertTrue(raw.read().opcode() != 0x8, "closed although it kept talking");
            }
        }
    }

    @Test
    void aNamespaceThatDoesNotExistIsRefusedWith404() throws Exception {
        CompletionException refused = assertThrows(CompletionException.class,
                () -> WsClient.open(server.ws("/nope"), Map.of()));
        assertTrue(refused.getCause() instanceof WebSocketHandshakeException, refused.toString());
        assertEquals(404, ((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode());
    }

    @Test
    void theStaticPagesAreServedOnTheSamePort() throws IOException, InterruptedException {
        HttpResponse<String> page = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(server.http("/")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("Duplex"));
    }

    @Test
    void aMisbehavingConnectionNeverDisturbsTheOthers() throws Exception {
        try (WsClient ann = server.connect("/chat"); WsClient bob = server.connect("/chat");
                WsClient rogue = server.connect("/chat")) {
            ann.emit("user-joined", "\"ann\"");
            bob.emit("user-joined", "\"bob\"");
            rogue.emit("user-joined", "\"rogue\"");
            bob.expect("online-users");
            rogue.send("{{{{").send("{\"event\":\"send-message\",\"data\":{\"nested\":[1,2,{}]}}");
            rogue.send("{\"event\":\"join-room\",\"data\":\"" + "z".repeat(65) + "\"}");
            rogue.expectError("BAD_JSON");
            rogue.expectError("INVALID_PAYLOAD");
            rogue.expectError("INVALID_PAYLOAD");
            rogue.sendBinary(new byte[64]);
            assertEquals(1003, rogue.expectClose());
            ann.emit("send-message", "\"still here\"");
            assertEquals("still here", bob.expect("receive-message").asJsonObject().getString("message"));
            assertFalse(bob.isClosed());
        }
    }
}
