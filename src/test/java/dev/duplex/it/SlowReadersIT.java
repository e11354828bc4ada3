package dev.duplex.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duplex.testing.LogCapture;
import dev.duplex.testing.RawSocket;
import dev.duplex.testing.TcpTable;
import dev.duplex.testing.TestServer;
import dev.duplex.testing.WsClient;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Readers that stop reading, on the standalone server with its default send-queue bounds and the chat rate
 * limit raised so one client can flood: each is closed, its TCP connection is gone within seconds, and
 * nobody else notices: no ghost, no error, every message to every healthy reader.
 */
class SlowReadersIT {
    private static final int BATCH = 100;
    private static TestServer server;
    private LogCapture problems;

    @BeforeAll
    static void start() {
        // Every client comes from 127.0.0.1: the per-address limits are raised for the crowd. The lobby of 600
        // stays one told singly: a burst of 600 single departures, each announced to everyone, is the case.
        server = TestServer.start(Map.of("duplex.chat.rate-limit.messages", "1000000",
                "duplex.rate-limit.frames", "1000000", "duplex.limits.connections-per-address", "5000",
                "duplex.limits.handshakes-per-address", "5000", "duplex.chat.presence.coalesce-above", "1000"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void watchTheLog() {
        problems = LogCapture.of("", Level.WARNING);
    }

    @AfterEach
    void unwatch() {
        problems.close();
    }

    private static RawSocket stalledMember(String name) throws Exception {
        RawSocket raw = RawSocket.connect(server.port(), "/chat");
        raw.read(); // connected
        raw.sendText("{\"event\":\"user-joined\",\"data\":\"" + name + "\"}");
        return raw; // and never reads again
    }

    /**
     * Floods the lobby until {@code leaver} is seen leaving; returns how many messages were sent. Each batch
     * ends with an acked message, so the flooder never outruns its own reading of its messages' echoes (it
     * would be a slow reader itself).
     */
    private static int floodUntil(WsClient flooder, WsClient watcher, String leaver, int max) {
        String body = "x".repeat(480);
        for (int i = 0; i < max; i++) {
            boolean lastOfBatch = i % BATCH == BATCH - 1;
            String data = "\"" + i + " " + body + "\"";
            if (!lastOfBatch) {
                flooder.emit("send-message", data);
                continue;
            }
            flooder.emit("send-message", data, i);
            flooder.expectAck(i, Duration.ofSeconds(30));
            if (gone(watcher, leaver)) {
                return i + 1;
            }
        }
        throw new AssertionError("the stalled reader was never closed after " + max + " messages");
    }

    private static boolean gone(WsClient watcher, String leaver) {
        return watcher.pollWhere("user-disconnected", data -> data.getString("username").equals(leaver),
                Duration.ZERO) != null;
    }

    @Test
    void aReaderThatStopsReadingIsClosedAndItsTcpConnectionIsGoneWithinSeconds() throws Exception {
        try (WsClient flooder = server.connect("/chat").joinChat("flooder");
                WsClient healthy = server.connect("/chat").joinChat("healthy");
                RawSocket stalled = stalledMember("stalled")) {
            healthy.expectWhere("user-connected", data -> data.getString("username").equals("stalled"));
            int sent = floodUntil(flooder, healthy, "stalled", 200_000);
            long closedAt = System.nanoTime();
            int port = stalled.localPort();
            while (!TcpTable.withPort(port).stream().allMatch(TcpTable.Socket::isTimeWait)) {
                assertTrue(System.nanoTime() - closedAt < Duration.ofSeconds(15).toNanos(),
                        () -> "still there 15 s after the close: " + TcpTable.withPort(port));
                Thread.sleep(100);
            }
            for (int i = 0; i < sent; i++) {
                String message = healthy.expect("receive-message").asJsonObject().getString("message");
                assertTrue(message.startsWith(i + " "), "in order and nothing lost: " + i);
            }
            assertEquals(List.of(), problems.records(), "nothing went wrong on the server");
        }
    }

    @Test
    void sixHundredMembersThatNeverReadDroppedInOneBurstLeaveNoGhost() throws Exception {
        try (WsClient flooder = server.connect("/chat").joinChat("flooder")) {
            List<RawSocket> stalled = new ArrayList<>();
            try {
                for (int i = 0; i < 600; i++) {
                    stalled.add(stalledMember("stalled" + i));
                }
                flooder.expectWhere("user-connected", data -> data.getString("username").equals("stalled599"));
                String body = "y".repeat(480);
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                int online = 601;
                while (online > 1) {
                    assertTrue(System.nanoTime() < deadline, "still " + online + " online after a minute of flooding");
                    for (int i = 0; i < BATCH; i++) {
                        flooder.emit("send-message", "\"" + body + "\"");
                    }
                    flooder.emit("ping", null, 1);
                    flooder.expectAck(1, Duration.ofSeconds(30));
                    online = onlineNames().size() - 1; // without the one who asks
                }
            } finally {
                for (RawSocket raw : stalled) {
                    raw.close();
                }
            }
            flooder.emit("ping", null, 2);
            flooder.expectAck(2);
            assertEquals(Set.of("flooder", "observer"), onlineNames(), "no ghost in online-users");
            assertTrue(problems.records().stream().noneMatch(r -> r.getThrown() instanceof StackOverflowError),
                    () -> problems.records().toString());
            assertEquals(List.of(), problems.records(), "nothing went wrong on the server");
        }
    }

    private static Set<String> onlineNames() {
        try (WsClient observer = server.connect("/chat")) {
            observer.emit("user-joined", "\"observer\"");
            return observer.expect("online-users").asJsonArray().getValuesAs(JsonObject.class).stream()
                    .map(user -> user.getString("username")).collect(Collectors.toSet());
        }
    }
}
