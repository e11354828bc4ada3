package dev.duplex.apps.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duplex.core.CloseCode;
import dev.duplex.core.History;
import dev.duplex.core.Resume;
import dev.duplex.core.SocketId;
import dev.duplex.testing.Harness;
import dev.duplex.testing.Harness.Conn;
import jakarta.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Resumed chat sessions through a namespace with fake connections: a drop inside the grace period is seen by
 * nobody, what was said meanwhile comes back exactly once and in order, a drop past it is a leave and a
 * return, and a session is only ever resumed with its secret.
 */
class ChatSessionTest {
    private static final long GRACE = 5_000;
    private static final long WINDOW = 120_000;
    private static final Map<String, List<String>> SESSION = Map.of("session", List.of("new"));

    private final Harness harness = Harness.withSessions((rooms, out, clock) -> new ChatService(rooms, out, clock,
            (task, delay) -> { }, ChatSettings.from(Harness.config("duplex.chat.rate-limit.messages", "1000000",
                    "duplex.chat.history.size", "5", "duplex.chat.history.on-join", "5"))), GRACE, WINDOW);

    /** A connection and what its client keeps: the session's token and the last position in each stream. */
    private final class Client {
        Conn conn;
        String token;
        final Map<String, History.Position> positions = new HashMap<>();
        final List<JsonObject> seen = new java.util.ArrayList<>();

        Client(Conn conn) {
            this.conn = conn;
            read();
        }

        List<JsonObject> read() {
            List<JsonObject> fresh = conn.unread();
            for (JsonObject frame : fresh) {
                String event = frame.getString("event", null);
                if ("connected".equals(event)) {
                    token = frame.getJsonObject("data").getString("session", null);
                } else if ("history".equals(event)) {
                    JsonObject data = frame.getJsonObject("data");
                    remember(new History.Position(data.getString("stream"), data.getString("epoch"),
                            data.getJsonNumber("last").longValue()));
                } else if (frame.containsKey("position")) {
                    JsonObject p = frame.getJsonObject("position");
                    remember(new History.Position(p.getString("stream"), p.getString("epoch"),
                            p.getJsonNumber("offset").longValue()));
                }
            }
            seen.addAll(fresh);
            return fresh;
        }

        void remember(History.Position position) {
            positions.put(position.stream(), position);
        }

        Resume resume() {
            String[] parts = token.split("\\.");
            return new Resume(new SocketId(parts[0]), parts[1], Map.copyOf(positions));
        }

        /** Drops and comes back with its session; returns the new connection's frames. */
        List<JsonObject> reconnect() {
            conn.close();
            return resumeNow();
        }

        List<JsonObject> resumeNow() {
            conn = harness.resume(resume());
            return read();
        }
    }

    private Client withSession(String name) {
        Client client = new Client(harness.open(SESSION, null));
        client.conn.send("user-joined", "\"" + name + "\"");
        client.read();
        return client;
    }

    private Conn joined(String name) {
        Conn conn = harness.connect();
        conn.send("user-joined", "\"" + name + "\"");
        conn.unread();
        return conn;
    }

    /** Ann (with a session) and bob in the lobby and in room r1; returns bob, everything read. */
    private Conn bobBesides(Client ann) {
        ann.conn.send("join-room", "\"r1\"");
        ann.read();
        Conn bob = joined("bob");
        bob.send("join-room", "\"r1\"");
        bob.unread();
        ann.read();
        return bob;
    }

    private static List<String> events(List<JsonObject> frames) {
        return frames.stream().map(f -> f.containsKey("event") ? f.getString("event") : "ack").collect(Collectors.toList());
    }

    private static JsonObject connected(List<JsonObject> frames) {
        assertEquals("connected", frames.get(0).getString("event"), frames::toString);
        return frames.get(0).getJsonObject("data");
    }

    @Test
    void aNewSessionIsOfferedOnlyToClientsThatAskForOne() {
        JsonObject plain = harness.open(Map.of(), null).unread().get(0).getJsonObject("data");
        assertEquals(Set.of("id", "namespace"), plain.keySet());
        JsonObject offered = harness.open(SESSION, null).unread().get(0).getJsonObject("data");
        assertTrue(offered.getString("session").startsWith(offered.getString("id") + "."));
        assertFalse(offered.getBoolean("resumed"));
        assertFalse(offered.getBoolean("recovered"));
    }

    @Test
    void aDropInsideTheGraceIsSeenByNobodyAndWhatWasMissedComesBackOnceInOrder() {
        Client ann = withSession("ann");
        Conn bob = bobBesides(ann);
        String annId = ann.conn.id();

        ann.conn.close();
        bob.send("send-message", "\"one\"");
        bob.send("room-message", "{\"roomId\":\"r1\",\"message\":\"two\"}");
        bob.send("private-message", "{\"toUserId\":\"" + annId + "\",\"message\":\"three\"}");
        bob.send("send-message", "\"four\"");
        harness.scheduler.advance(GRACE - 1);
        assertTrue(bob.unread().stream().noneMatch(f -> f.getString("event", "").startsWith("user-")));

        List<JsonObject> back = ann.resumeNow();
        JsonObject hello = connected(back);
        assertEquals(annId, hello.getString("id"));
        assertTrue(hello.getBoolean("resumed"));
        assertTrue(hello.getBoolean("recovered"));
        List<String> replayed = back.stream().filter(f -> f.containsKey("position"))
                .map(f -> f.getJsonObject("data").getString("message")).collect(Collectors.toList());
        assertEquals(Set.of("one", "two", "three", "four"), Set.copyOf(replayed));
        assertEquals(4, replayed.size());
        assertTrue(replayed.indexOf("one") < replayed.indexOf("four"));
        // After the replays, the lobby's and the room's members, as a joiner gets them.
        List<String> events = events(back);
        assertTrue(events.indexOf("online-users") > events.lastIndexOf("receive-message"), events::toString);
        assertTrue(events.contains("joined-room"), events::toString);
        assertTrue(bob.unread().stream().noneMatch(f -> f.getString("event", "").startsWith("user-")));

        // Back for good: live messages reach it, in the lobby and the room, and nothing is replayed twice.
        bob.send("room-message", "{\"roomId\":\"r1\",\"message\":\"five\"}");
        List<JsonObject> live = ann.read();
        assertEquals(List.of("room-message"), events(live));
        harness.scheduler.advance(WINDOW);
        assertTrue(bob.unread().stream().noneMatch(f -> f.getString("event", "").startsWith("user-")));
    }

    @Test
    void aStreamWithNothingNewRecoversWithNoEvents() {
        Client ann = withSession("ann");
        List<JsonObject> back = ann.reconnect();
        assertTrue(connected(back).getBoolean("recovered"));
        assertTrue(back.stream().noneMatch(f -> f.containsKey("position")), back::toString);
    }

    @Test
    void pastTheGraceOthersSeeALeaveAndThenAReturnUnderTheSameId() {
        Client ann = withSession("ann");
        Conn bob = bobBesides(ann);
        String annId = ann.conn.id();
        ann.conn.close();
        harness.scheduler.advance(GRACE);
        List<String> gone = events(bob.unread());
        assertTrue(gone.contains("user-left-room") && gone.contains("user-disconnected"), gone::toString);

        List<JsonObject> back = ann.resumeNow();
        assertTrue(connected(back).getBoolean("resumed"));
        List<JsonObject> told = bob.unread();
        JsonObject connected = told.stream().filter(f -> "user-connected".equals(f.getString("event", null)))
                .findFirst().orElseThrow().getJsonObject("data");
        assertEquals(annId, connected.getString("userId"));
        assertEquals("ann", connected.getString("username"));
        assertTrue(events(told).contains("user-joined-room"), told::toString);
        bob.send("private-message", "{\"toUserId\":\"" + annId + "\",\"message\":\"welcome back\"}");
        assertEquals("welcome back", ann.conn.pushed("private-message").asJsonObject().getString("message"));
    }

    @Test
    void pastTheWindowTheSessionIsGoneAndTheClientStartsAnew() {
        Client ann = withSession("ann");
        String annId = ann.conn.id();
        ann.conn.close();
        harness.scheduler.advance(WINDOW);
        JsonObject hello = connected(ann.resumeNow());
        assertFalse(hello.getBoolean("resumed"));
        assertFalse(hello.getBoolean("recovered"));
        assertNotEquals(annId, hello.getString("id"));
    }

    @Test
    void aGapTheHistoryNoLongerCoversIsNotRecoveredAndGetsAFreshHistory() {
        Client ann = withSession("ann");
        Conn bob = joined("bob");
        ann.conn.close();
        for (int i = 1; i <= 7; i++) {
            bob.send("send-message", "\"m" + i + "\"");
        }
        List<JsonObject> back = ann.resumeNow();
        assertFalse(connected(back).getBoolean("recovered"));
        assertTrue(back.stream().noneMatch(f -> f.containsKey("position")), "no partial replay");
        JsonObject history = back.stream().filter(f -> "history".equals(f.getString("event", null))
                && f.getJsonObject("data").getString("stream").equals("lobby")).findFirst().orElseThrow();
        assertEquals(5, history.getJsonObject("data").getJsonArray("events").size());
    }

    @Test
    void aPositionFromTheFutureOrAnotherEpochIsNotRecovered() {
        Client ann = withSession("ann");
        Conn bob = joined("bob");
        bob.send("send-message", "\"m1\"");
        ann.read();
        History.Position real = ann.positions.get("lobby");
        ann.conn.close();
        ann.remember(new History.Position("lobby", real.epoch(), real.offset() + 10));
        assertFalse(connected(ann.resumeNow()).getBoolean("recovered"));
        ann.read();
        ann.conn.close();
        ann.remember(new History.Position("lobby", "otherEpoch", real.offset()));
        assertFalse(connected(ann.resumeNow()).getBoolean("recovered"));
    }

    @Test
    void aWrongSecretIsRefusedAndChangesNothing() {
        Client ann = withSession("ann");
        ann.conn.close();
        Resume real = ann.resume();
        Conn thief = harness.resume(new Resume(real.id(), "x".repeat(43), real.positions()));
        assertEquals(CloseCode.POLICY_VIOLATION, thief.transport.closeCode());
        assertEquals("Session refused", thief.transport.closeReason());
        assertTrue(thief.unread().isEmpty());
        // The real client still resumes.
        assertTrue(connected(ann.resumeNow()).getBoolean("resumed"));
    }

    @Test
    void aResumeTakesOverAConnectionTheServerStillThinksOpen() {
        Client ann = withSession("ann");
        Conn old = ann.conn;
        Conn bob = joined("bob");
        List<JsonObject> back = ann.resumeNow();
        assertTrue(connected(back).getBoolean("resumed"));
        assertEquals(CloseCode.NORMAL, old.transport.closeCode());
        assertTrue(bob.unread().stream().noneMatch(f -> f.getString("event", "").startsWith("user-")));
        bob.send("send-message", "\"to the new one\"");
        assertEquals("to the new one", ann.conn.pushed("receive-message").asJsonObject().getString("message"));
        assertNull(old.transport.frames().stream().filter(f -> f.toString().contains("to the new one")).findFirst().orElse(null));
    }

    @Test
    void aDropWhileTheServerShutsDownEndsTheSession() {
        Client ann = withSession("ann");
        String annId = ann.conn.id();
        harness.namespace.drain();
        JsonObject hello = connected(ann.reconnect());
        assertFalse(hello.getBoolean("resumed"));
        assertNotEquals(annId, hello.getString("id"));
    }
}
