package dev.duplex.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duplex.testing.TestServer;
import dev.duplex.testing.WsClient;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /whiteboard} over real sockets: PROTOCOL.md section 5. */
class WhiteboardIT {
    private static final Duration QUIET = Duration.ofMillis(300);
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("duplex.whiteboard.max-history", "6", "duplex.whiteboard.rate-limit.events", "40"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static WsClient board(String name) {
        WsClient client = server.connect("/whiteboard?board=" + name);
        client.expect("load-drawings");
        return client;
    }

    private static String segment(double x, String stroke) {
        return "{\"prevX\":" + x + ",\"prevY\":1,\"x\":" + (x + 1) + ",\"y\":2,\"color\":\"#00ff00\",\"width\":4"
                + (stroke == null ? "" : ",\"strokeId\":\"" + stroke + "\"") + "}";
    }

    @Test
    void aSessionWithDrawingUndoAndClearRunsEndToEnd() {
        try (WsClient ann = board("session"); WsClient bob = board("session"); WsClient elsewhere = board("other")) {
            ann.emit("draw", segment(1, "s1"));
            ann.emit("draw", segment(2, "s1"));
            JsonObject first = bob.expect("draw").asJsonObject();
            assertEquals(ann.id(), first.getString("userId"));
            assertEquals("s1", first.getString("strokeId"));
            assertEquals(1.0, first.getJsonNumber("prevX").doubleValue());
            bob.expect("draw");
            bob.emit("draw", segment(3, null), 5);
            bob.expectAck(5);
            assertTrue(ann.expect("draw").asJsonObject().isNull("strokeId"));
            ann.expectNone("draw", QUIET);
            elsewhere.expectSilence(QUIET);

            try (WsClient late = server.connect("/whiteboard?board=session")) {
                JsonArray history = late.expect("load-drawings").asJsonArray();
                assertEquals(3, history.size());
                assertEquals(bob.id(), history.getJsonObject(2).getString("userId"));
            }

            ann.emit("undo", null);
            for (WsClient client : new WsClient[] {ann, bob}) {
                JsonObject undo = client.expect("undo").asJsonObject();
                assertEquals(ann.id(), undo.getString("userId"));
                assertEquals("s1", undo.getString("strokeId"));
                assertEquals(2, undo.getInt("removed"));
            }
            ann.emit("undo", null, 8);
            ann.expectAckError(8, "NOT_FOUND");

            bob.emit("clear-canvas", null);
            assertEquals(bob.id(), ann.expect("clear-canvas").asJsonObject().getString("userId"));
            bob.expect("clear-canvas");
            ann.emit("request-drawings", null);
            assertEquals(0, ann.expect("load-drawings").asJsonArray().size());
        }
    }

    @Test
    void historyIsBoundedByWholeStrokes() {
        try (WsClient ann = board("bounded")) {
            for (int i = 0; i < 4; i++) {
                ann.emit("draw", segment(i, "old"));
            }
            for (int i = 0; i < 3; i++) {
                ann.emit("draw", segment(10 + i, "new"));
            }
            ann.emit("request-drawings", null);
            JsonArray history = ann.expect("load-drawings").asJsonArray();
            assertEquals(3, history.size(), "the whole 4-segment stroke went when the 7th segment came");
            assertTrue(history.getValuesAs(JsonObject.class).stream().allMatch(s -> s.getString("strokeId").equals("new")));
        }
    }

    @Test
    void badSegmentsAndBoardsAreRefused() throws Exception {
        try (WsClient ann = board("checks")) {
            ann.emit("draw", "{\"prevX\":0,\"prevY\":0,\"x\":0,\"y\":0,\"color\":\"#00ff00\",\"width\":1e400}");
            assertTrue(ann.expectError("INVALID_PAYLOAD").getString("message").startsWith("width"), "not finite");
            ann.emit("draw", "{\"prevX\":0,\"prevY\":0,\"x\":0,\"y\":0,\"color\":\"#00ff0\",\"width\":1}");
            assertTrue(ann.expectError("INVALID_PAYLOAD").getString("message").contains("color"));
            ann.emit("erase", null);
            ann.expectError("UNKNOWN_EVENT");
        }
        try (WsClient refused = WsClient.open(server.ws("/whiteboard?board=" + "x".repeat(65)), Map.of())) {
            assertEquals(1008, refused.expectClose());
            refused.expectSilence(Duration.ZERO);
        }
        try (WsClient empty = server.connect("/whiteboard?board=")) {
            empty.expect("load-drawings");
        }
    }

    @Test
    void drawingFasterThanTheRateLimitIsDropped() {
        try (WsClient ann = board("fast"); WsClient bob = board("fast")) {
            for (int i = 0; i < 45; i++) {
                ann.emit("draw", segment(i % 100, null), i);
            }
            int limited = 0;
            for (int i = 0; i < 45; i++) {
                if (ann.expectAck(i).containsKey("error")) {
                    limited++;
                }
            }
            assertTrue(limited >= 5, "limited " + limited);
            for (int i = 0; i < 45 - limited; i++) {
                bob.expect("draw");
            }
            bob.expectNone("draw", QUIET);
        }
    }
}
