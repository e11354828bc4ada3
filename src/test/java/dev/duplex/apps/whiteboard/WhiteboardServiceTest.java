package dev.duplex.apps.whiteboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duplex.core.Codec;
import dev.duplex.core.Journals;
import dev.duplex.testing.Harness;
import dev.duplex.testing.Harness.Conn;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WhiteboardServiceTest {
    private final Harness harness = new Harness((rooms, out, clock) ->
            new WhiteboardService(rooms, out, Journals.local(out), new Codec(), WhiteboardSettings.from(Harness.config(
                    "duplex.whiteboard.rate-limit.events", "100000"))));

    private Conn on(String board) {
        return harness.connect(Map.of("board", List.of(board)));
    }

    private static String segment(double x, String stroke) {
        return "{\"prevX\":0,\"prevY\":0,\"x\":" + x + ",\"y\":1,\"color\":\"#AbCdEf\",\"width\":3"
                + (stroke == null ? "" : ",\"strokeId\":\"" + stroke + "\"") + "}";
    }

    @Test
    void drawGoesToEveryoneElseOnTheBoardWithTheSendersId() {
        Conn ann = on("b");
        Conn bob = on("b");
        Conn other = on("elsewhere");
        ann.send("draw", segment(5, "s1").replace("}", ",\"userId\":\"forged\",\"extra\":[1]}"));
        ann.nothing();
        JsonObject drawn = bob.only("draw").asJsonObject();
        assertEquals(java.util.Set.of("prevX", "prevY", "x", "y", "color", "width", "strokeId", "userId"), drawn.keySet(),
                "the stored segment: the known fields plus the server's userId");
        assertEquals(ann.id(), drawn.getString("userId"));
        assertEquals("#AbCdEf", drawn.getString("color"));
        assertEquals("s1", drawn.getString("strokeId"));
        other.nothing();
    }

    @Test
    void lateJoinersGetTheHistoryInDrawingOrder() {
        Conn ann = on("b");
        ann.send("draw", segment(1, "s")).send("draw", segment(2, "s")).send("draw", segment(3, null));
        Conn late = harness.open(Map.of("board", List.of("b")), null);
        var frames = late.unread();
        assertEquals("connected", frames.get(0).getString("event"));
        JsonArray history = frames.get(1).getJsonArray("data");
        assertEquals("load-drawings", frames.get(1).getString("event"));
        assertEquals(3, history.size());
        assertEquals(3.0, history.getJsonObject(2).getJsonNumber("x").doubleValue());
        assertTrue(history.getJsonObject(2).isNull("strokeId"));
        assertEquals(ann.id(), history.getJsonObject(0).getString("userId"));
    }

    @Test
    void aJoinerWhileOthersDrawGetsTheHistoryThenExactlyTheDrawsAfterIt() throws Exception {
        Conn drawer = on("mid");
        AtomicInteger drawn = new AtomicInteger();
        Thread drawing = new Thread(() -> {
            for (int i = 0; i < 2_000; i++) {
                drawer.send("draw", segment(i, "s"));
                drawn.incrementAndGet();
            }
        });
        drawing.start();
        while (drawn.get() < 200) {
            Thread.onSpinWait();
        }
        Conn late = harness.open(Map.of("board", List.of("mid")), null);
        drawing.join(20_000);

        List<JsonObject> frames = late.unread();
        assertEquals("connected", frames.get(0).getString("event"));
        assertEquals("load-drawings", frames.get(1).getString("event"), "the history before any live draw");
        List<JsonObject> seen = new ArrayList<>(frames.get(1).getJsonArray("data").getValuesAs(JsonObject.class));
        for (JsonObject frame : frames.subList(2, frames.size())) {
            assertEquals("draw", frame.getString("event"));
            seen.add(frame.getJsonObject("data"));
        }
        late.send("request-drawings", null);
        List<JsonObject> history = late.only("load-drawings").asJsonArray().getValuesAs(JsonObject.class);
        assertEquals(2_000, history.size());
        assertEquals(history, seen, "no segment missed, none twice, in the history's order");
    }

    @Test
    void segmentsAreValidatedFieldByField() {
        Conn ann = on("b");
        String[][] bad = {
            {"{\"prevX\":-1,\"prevY\":0,\"x\":0,\"y\":0,\"color\":\"#000000\",\"width\":1}", "prevX"},
            {"{\"prevX\":0,\"prevY\":0,\"x\":10001,\"y\":0,\"color\":\"#000000\",\"width\":1}", "x"},
            {"{\"prevX\":0,\"prevY\":0,\"x\":0,\"y\":\"1\",\"color\":\"#000000\",\"width\":1}", "y"},
            {"{\"prevX\":0,\"prevY\":0,\"x\":0,\"y\":0,\"color\":\"red\",\"width\":1}", "color"},
            {"{\"prevX\":0,\"prevY\":0,\"x\":0,\"y\":0,\"color\":\"#0000000\",\"width\":1}", "color"},
            {"{\"prevX\":0,\"prevY\":0,\"x\":0,\"y\":0,\"color\":\"#000000\",\"width\":0.5}", "width"},
            {"{\"prevX\":0,\"prevY\":0,\"x\":0,\"y\":0,\"color\":\"#000000\",\"width\":51}", "width"},
            {"{\"prevX\":0,\"prevY\":0,\"x\":0,\"y\":0,\"color\":\"#000000\",\"width\":1,\"strokeId\":\"\"}", "strokeId"},
            {"{\"prevX\":0,\"prevY\":0,\"x\":0,\"y\":0,\"color\":\"#000000\",\"width\":1,\"strokeId\":7}", "strokeId"},
            {"[1,2]", "data"},
        };
        for (String[] row : bad) {
            ann.send("draw", row[0]);
            JsonObject error = ann.only("error").asJsonObject();
            assertEquals("INVALID_PAYLOAD", error.getString("code"), row[0]);
            assertTrue(error.getString("message").startsWith(row[1]), error.toString());
        }
        ann.send("draw", "{\"prevX\":0,\"prevY\":10000,\"x\":0.5,\"y\":0,\"color\":\"#000000\",\"width\":50,\"strokeId\":null}", 1);
        assertNull(ann.ackError(1));
    }

    @Test
    void undoTellsTheWholeBoardAndClearEmptiesIt() {
        Conn ann = on("b");
        Conn bob = on("b");
        ann.send("undo", null);
        assertEquals("NOT_FOUND", ann.error());
        ann.send("draw", segment(1, "s")).send("draw", segment(2, "s"));
        bob.unread();
        ann.send("undo", null);
        JsonObject undo = bob.only("undo").asJsonObject();
        assertEquals(ann.id(), undo.getString("userId"));
        assertEquals("s", undo.getString("strokeId"));
        assertEquals(2, undo.getInt("removed"));
        assertEquals(undo, ann.only("undo").asJsonObject());

        bob.send("draw", segment(3, null));
        ann.unread();
        ann.send("clear-canvas", null);
        assertEquals(ann.id(), bob.only("clear-canvas").asJsonObject().getString("userId"));
        ann.only("clear-canvas");
        bob.send("request-drawings", null);
        assertEquals(0, bob.only("load-drawings").asJsonArray().size());
    }

    @Test
    void anInvalidBoardIsRefusedBeforeAnyEventAndAnEmptyOneIsTheDefault() {
        Conn refused = harness.open(Map.of("board", List.of("no spaces")), null);
        assertNull(refused.client);
        Conn empty = on("");
        empty.send("draw", segment(1, null));
        Conn dflt = on("default");
        assertEquals(2, harness.sessions.rooms().size("default"), "empty board parameter is the default board");
        dflt.send("request-drawings", null);
        assertEquals(1, dflt.only("load-drawings").asJsonArray().size());
    }

    @Test
    void concurrentDrawersNeverCorruptTheHistoryOrItsOrder() throws Exception {
        int drawers = 4;
        int each = 500;
        List<Conn> conns = new ArrayList<>();
        for (int i = 0; i < drawers; i++) {
            conns.add(on("busy"));
        }
        Conn watcher = on("busy");
        ExecutorService pool = Executors.newFixedThreadPool(drawers);
        CountDownLatch go = new CountDownLatch(1);
        for (Conn conn : conns) {
            pool.execute(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    conn.send("draw", segment(i, "s"));
                }
            });
        }
        go.countDown();
        pool.shutdown();
        assertTrue(pool.awaitTermination(20, TimeUnit.SECONDS));

        List<JsonObject> live = watcher.unread().stream().map(f -> f.getJsonObject("data")).toList();
        watcher.send("request-drawings", null);
        List<JsonObject> history = watcher.only("load-drawings").asJsonArray().getValuesAs(JsonObject.class);
        assertEquals(drawers * each, history.size());
        assertEquals(history, live, "the watcher saw the draws in exactly the history's order");
        for (Conn conn : conns) {
            List<Double> mine = history.stream().filter(s -> s.getString("userId").equals(conn.id()))
                    .map(s -> s.getJsonNumber("x").doubleValue()).toList();
            for (int i = 0; i < each; i++) {
                assertEquals(i, mine.get(i), "each drawer's segments in its own order");
            }
        }
    }

    @Test
    void joinersAndRequestsOfAnUnchangedBoardShareOneLoadDrawingsMessage() {
        Conn ann = on("big");
        for (int i = 0; i < 100; i++) {
            ann.send("draw", segment(i, "s" + i));
        }
        List<Object> frames = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Conn joiner = on("big");
            joiner.send("request-drawings", null);
            joiner.transport.messages().stream().filter(m -> m.text().startsWith("{\"data\":[")).forEach(frames::add);
        }
        assertEquals(10, frames.size());
        assertTrue(frames.stream().allMatch(frame -> frame == frames.get(0)), "one message, not ten copies");
        ann.send("draw", segment(1, "later"));
        Conn after = on("big");
        assertTrue(after.transport.messages().stream().noneMatch(frame -> frame == frames.get(0)), "a new version");
    }

    @Test
    void requestDrawingsHasALimitOfItsOwn() {
        Conn ann = on("b");
        ann.send("request-drawings", null, 1).send("request-drawings", null, 2).send("request-drawings", null, 3);
        assertEquals("RATE_LIMITED", ann.ackError(3));
        ann.send("draw", segment(1, null), 4);
        assertNull(ann.ackError(4), "drawing is limited apart");
        harness.clock.advance(1_000);
        ann.send("request-drawings", null, 5);
        assertNull(ann.ackError(5));
    }

    @Test
    void pastTheBoardLimitTheLeastRecentlyUsedBoardNobodyIsOnIsForgotten() {
        Harness small = new Harness((rooms, out, clock) -> new WhiteboardService(rooms, out, Journals.local(out), new Codec(),
                WhiteboardSettings.from(Harness.config("duplex.whiteboard.max-boards", "2"))));
        Harness.Conn ann = small.connect(Map.of("board", List.of("a")));
        ann.send("draw", segment(1, null));
        ann.close();
        Harness.Conn bob = small.connect(Map.of("board", List.of("b")));
        Harness.Conn cat = small.connect(Map.of("board", List.of("c")));
        assertNull(cat.transport.closeCode(), "board a, with drawings but nobody on it, made room");
        Harness.Conn back = small.connect(Map.of("board", List.of("a")));
        assertEquals(dev.duplex.core.CloseCode.TRY_AGAIN_LATER, back.transport.closeCode(),
                "b and c are in use: no room for a again");
        assertEquals(1, back.transport.frames().size(), "connected, then the close: no board was loaded");
        bob.nothing();
    }

    @Test
    void theNodesSegmentBudgetForgetsIdleBoardsThenRefusesDraws() {
        Harness small = new Harness((rooms, out, clock) -> new WhiteboardService(rooms, out, Journals.local(out), new Codec(),
                WhiteboardSettings.from(Harness.config("duplex.whiteboard.max-segments", "3"))));
        Harness.Conn ann = small.connect(Map.of("board", List.of("a")));
        ann.send("draw", segment(1, null)).send("draw", segment(2, null));
        ann.close();
        Harness.Conn bob = small.connect(Map.of("board", List.of("b")));
        for (int i = 0; i < 3; i++) {
            bob.send("draw", segment(i, null), i);
            assertNull(bob.ackError(i), "board a is forgotten to make room");
        }
        bob.send("draw", segment(9, null), 9);
        assertEquals("FORBIDDEN", bob.ackError(9), "b is in use: nothing left to forget");
        bob.send("undo", null);
        bob.send("draw", segment(9, null), 10);
        assertNull(bob.ackError(10), "undo gave the room back");
        Harness.Conn late = small.connect(Map.of("board", List.of("a")));
        assertEquals(0, late.transport.frames().get(1).getJsonArray("data").size(), "a's drawings are gone");
    }
}
