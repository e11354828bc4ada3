package dev.duplex.apps.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duplex.testing.Harness;
import dev.duplex.testing.Harness.Conn;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The lobby's and rooms' history through a namespace with fake connections: what a joiner gets, what a
 * positioned frame adds to a plain one, paging, bounds, and that clients that did not ask see no change.
 */
class ChatHistoryTest {
    private static final Map<String, List<String>> SESSION = Map.of("session", List.of("new"));

    private final Harness harness = new Harness((rooms, out, clock) -> new ChatService(rooms, out, clock,
            (task, delay) -> { }, ChatSettings.from(Harness.config("duplex.chat.rate-limit.messages", "1000000",
                    "duplex.chat.rate-limit.lists", "1000000", "duplex.chat.history.size", "5",
                    "duplex.chat.history.on-join", "3", "duplex.chat.history.max-age-ms", "60000"))));

    private Conn joined(String name, Map<String, List<String>> parameters) {
        Conn conn = harness.connect(parameters);
        conn.send("user-joined", "\"" + name + "\"");
        conn.unread();
        return conn;
    }

    private static List<String> messages(JsonArray events) {
        return events.stream().map(e -> e.asJsonObject().getJsonObject("data").getString("message"))
                .collect(Collectors.toList());
    }

    @Test
    void aPositionedJoinerGetsTheRecentMessagesFirstThenLiveOnes() {
        Conn ann = joined("ann", Map.of());
        for (int i = 1; i <= 4; i++) {
            ann.send("send-message", "\"m" + i + "\"");
        }
        Conn bob = harness.connect(SESSION);
        bob.send("user-joined", "\"bob\"");
        List<JsonObject> frames = bob.unread();
        assertEquals("history", frames.get(0).getString("event"), frames::toString);
        JsonObject history = frames.get(0).getJsonObject("data");
        assertEquals("lobby", history.getString("stream"));
        assertEquals(List.of("m2", "m3", "m4"), messages(history.getJsonArray("events")));
        assertTrue(history.getBoolean("more"));
        JsonObject last = history.getJsonArray("events").getJsonObject(2);
        assertEquals("receive-message", last.getString("event"));
        assertEquals(4, last.getJsonObject("position").getInt("offset"));
        assertEquals(history.getString("epoch"), last.getJsonObject("position").getString("epoch"));

        ann.send("send-message", "\"m5\"");
        JsonObject live = bob.unread().get(0);
        assertEquals("m5", live.getJsonObject("data").getString("message"));
        assertEquals(5, live.getJsonObject("position").getInt("offset"));
        assertEquals("lobby", live.getJsonObject("position").getString("stream"));
    }

    @Test
    void aClientThatAskedForNothingGetsTheVeryFramesOfBefore() {
        Conn ann = joined("ann", Map.of());
        Conn bob = joined("bob", SESSION);
        int before = ann.transport.written().size();
        int bobBefore = bob.transport.written().size();
        ann.send("send-message", "\"hello\"");
        String plain = ann.transport.written().get(before);
        String positioned = bob.transport.written().get(bobBefore);
        assertFalse(plain.contains("position"), plain);
        assertTrue(positioned.startsWith(plain.substring(0, plain.length() - 1) + ",\"position\":{"), positioned);
        // A joiner that did not ask gets no history either.
        Conn cid = harness.connect();
        cid.send("user-joined", "\"cid\"");
        assertTrue(cid.unread().stream().noneMatch(f -> "history".equals(f.getString("event", null))));
    }

    @Test
    void aRoomHasItsOwnStreamAndItsJoinerItsHistory() {
        Conn ann = joined("ann", Map.of());
        ann.send("join-room", "\"r1\"");
        ann.send("room-message", "{\"roomId\":\"r1\",\"message\":\"in the room\"}");
        ann.send("send-message", "\"in the lobby\"");
        Conn bob = joined("bob", SESSION);
        bob.send("join-room", "\"r1\"");
        JsonObject history = bob.pushed("history").asJsonObject();
        assertEquals("room:r1", history.getString("stream"));
        JsonArray events = history.getJsonArray("events");
        assertEquals(1, events.size());
        assertEquals("room-message", events.getJsonObject(0).getString("event"));
        assertEquals(1, events.getJsonObject(0).getJsonObject("position").getInt("offset"));
        // Joining a room again (already a member) sends no second history.
        bob.send("join-room", "\"r1\"");
        assertTrue(bob.unread().stream().noneMatch(f -> "history".equals(f.getString("event", null))));
    }

    @Test
    void aRenameBringsNoSecondHistory() {
        Conn ann = joined("ann", SESSION);
        ann.send("send-message", "\"hi\"");
        ann.unread();
        ann.send("user-joined", "\"anna\"");
        assertTrue(ann.unread().stream().noneMatch(f -> "history".equals(f.getString("event", null))));
    }

    @Test
    void pagesGoBackFromAnOffsetUntilNothingIsKept() {
        Conn ann = joined("ann", SESSION);
        for (int i = 1; i <= 7; i++) {
            ann.send("send-message", "\"m" + i + "\"");
        }
        ann.unread();
        // Only the last 5 are kept (3 to 7).
        ann.send("history", "{\"before\":6,\"limit\":2}", 1);
        JsonObject page = ann.ack(1).getJsonObject("data");
        assertEquals(List.of("m4", "m5"), messages(page.getJsonArray("events")));
        assertTrue(page.getBoolean("more"));
        ann.send("history", "{\"before\":4,\"limit\":2,\"epoch\":\"" + page.getString("epoch") + "\"}", 2);
        page = ann.ack(2).getJsonObject("data");
        assertEquals(List.of("m3"), messages(page.getJsonArray("events")));
        assertFalse(page.getBoolean("more"));
        ann.send("history", null, 3);
        page = ann.ack(3).getJsonObject("data");
        assertEquals(List.of("m3", "m4", "m5", "m6", "m7"), messages(page.getJsonArray("events")));
    }

    @Test
    void badPagesGetClearErrorsAndChangeNothing() {
        Conn ann = joined("ann", SESSION);
        ann.send("send-message", "\"m1\"");
        ann.unread();
        ann.send("history", "{\"limit\":101}", 1);
        assertEquals("INVALID_PAYLOAD", ann.ackError(1));
        ann.send("history", "{\"limit\":0}", 2);
        assertEquals("INVALID_PAYLOAD", ann.ackError(2));
        ann.send("history", "{\"before\":99}", 3);
        assertEquals("INVALID_PAYLOAD", ann.ackError(3));
        ann.send("history", "{\"before\":-1}", 4);
        assertEquals("INVALID_PAYLOAD", ann.ackError(4));
        ann.send("history", "{\"epoch\":\"notThisOne\"}", 5);
        assertEquals("NOT_FOUND", ann.ackError(5));
        ann.send("history", "{\"epoch\":\"../../x\"}", 6);
        assertEquals("INVALID_PAYLOAD", ann.ackError(6));
        ann.send("history", "{\"roomId\":\"nowhere\"}", 7);
        assertEquals("NOT_FOUND", ann.ackError(7));
        ann.send("history", "\"lobby\"", 8);
        assertEquals("INVALID_PAYLOAD", ann.ackError(8));
        Conn stranger = harness.connect(SESSION);
        stranger.send("history", null, 9);
        assertEquals("NOT_JOINED", stranger.ackError(9));
        ann.send("history", null, 10);
        assertEquals(List.of("m1"), messages(ann.ack(10).getJsonObject("data").getJsonArray("events")));
    }

    @Test
    void aRoomsHistoryIsForItsMembersOnly() {
        Conn ann = joined("ann", SESSION);
        ann.send("join-room", "\"r1\"");
        ann.send("room-message", "{\"roomId\":\"r1\",\"message\":\"secret\"}");
        Conn bob = joined("bob", SESSION);
        bob.send("history", "{\"roomId\":\"r1\"}", 1);
        assertEquals("FORBIDDEN", bob.ackError(1));
    }

    @Test
    void messagesOlderThanTheMaxAgeAreGone() {
        Conn ann = joined("ann", SESSION);
        ann.send("send-message", "\"old\"");
        harness.clock.advance(60_001);
        ann.send("send-message", "\"new\"");
        ann.unread();
        ann.send("history", null, 1);
        assertEquals(List.of("new"), messages(ann.ack(1).getJsonObject("data").getJsonArray("events")));
    }

    @Test
    void offsetsFollowOneAnotherInEveryReceiversOrder() {
        Conn ann = joined("ann", SESSION);
        Conn bob = joined("bob", SESSION);
        List<Integer> offsets = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            (i % 2 == 0 ? ann : bob).send("send-message", "\"m" + i + "\"");
        }
        for (JsonObject frame : bob.unread()) {
            if ("receive-message".equals(frame.getString("event", null))) {
                offsets.add(frame.getJsonObject("position").getInt("offset"));
            }
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            expected.add(i);
        }
        assertEquals(expected, offsets);
    }

    @Test
    void joinersRacingPublishersMissNothingAndGetNothingTwice() throws Exception {
        Harness big = new Harness((rooms, out, clock) -> new ChatService(rooms, out, clock, (task, delay) -> { },
                ChatSettings.from(Harness.config("duplex.chat.rate-limit.messages", "1000000",
                        "duplex.chat.rate-limit.joins", "1000000", "duplex.chat.history.size", "100000",
                        "duplex.chat.history.on-join", "100000"))));
        Conn ann = big.connect();
        ann.send("user-joined", "\"ann\"");
        Conn bob = big.connect();
        bob.send("user-joined", "\"bob\"");
        int perSender = 2_000;
        Thread[] senders = new Thread[2];
        for (int s = 0; s < 2; s++) {
            Conn sender = s == 0 ? ann : bob;
            senders[s] = new Thread(() -> {
                for (int i = 0; i < perSender; i++) {
                    sender.receive("{\"event\":\"send-message\",\"data\":\"x\"}");
                }
            });
        }
        for (Thread sender : senders) {
            sender.start();
        }
        List<Conn> joiners = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Conn joiner = big.connect(SESSION);
            joiner.send("user-joined", "\"j" + i + "\"");
            joiners.add(joiner);
        }
        for (Thread sender : senders) {
            sender.join();
        }
        for (Conn joiner : joiners) {
            List<Long> seen = new ArrayList<>();
            for (JsonObject frame : joiner.unread()) {
                String event = frame.getString("event", null);
                if ("history".equals(event)) {
                    frame.getJsonObject("data").getJsonArray("events").forEach(e ->
                            seen.add(e.asJsonObject().getJsonObject("position").getJsonNumber("offset").longValue()));
                } else if ("receive-message".equals(event)) {
                    seen.add(frame.getJsonObject("position").getJsonNumber("offset").longValue());
                }
            }
            // Everything from the first message on, each once, in order: history and live meet exactly.
            for (int i = 0; i < seen.size(); i++) {
                if (seen.get(i) != i + 1) {
                    throw new AssertionError("after offset " + i + " came " + seen.get(i) + " (of " + seen.size() + ")");
                }
            }
            assertEquals(2 * perSender, seen.size());
        }
    }
}
