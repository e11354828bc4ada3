package dev.duplex.apps.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.duplex.testing.Harness;
import dev.duplex.testing.Harness.Conn;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The chat rules driven through a namespace with fake connections: no container, no network. */
class ChatServiceTest {
    private final Harness harness = new Harness(
            (rooms, out, clock) -> new ChatService(rooms, out, clock, (task, delay) -> { }, ChatSettings.from(Harness.config(
                    "duplex.chat.rate-limit.messages", "3", "duplex.chat.max-rooms-per-connection", "3"))));

    private Conn joined(String name) {
        Conn conn = harness.connect();
        conn.send("user-joined", "\"" + name + "\"");
        conn.unread();
        return conn;
    }

    @Test
    void joiningSendsUserConnectedThenOnlineUsers() {
        Conn ann = harness.connect();
        ann.send("user-joined", "\"ann\"");
        var frames = ann.unread();
        assertEquals("user-connected", frames.get(0).getString("event"));
        assertEquals(1, frames.get(0).getJsonObject("data").getInt("totalUsers"));
        assertEquals(harness.clock.millis(), frames.get(0).getJsonObject("data").getJsonNumber("timestamp").longValue());
        JsonArray online = frames.get(1).getJsonArray("data");
        assertEquals("online-users", frames.get(1).getString("event"));
        assertEquals(ann.id(), online.getJsonObject(0).getString("userId"));
    }

    @Test
    void typingIsNotEchoedToTheSender() {
        Conn ann = joined("ann");
        Conn bob = joined("bob");
        ann.unread();
        ann.send("typing", "false");
        ann.nothing();
        JsonObject typing = bob.only("user-typing").asJsonObject();
        assertFalse(typing.getBoolean("isTyping"));
        assertEquals(ann.id(), typing.getString("userId"));
    }

    @Test
    void renamingKeepsTheIdAndTheCount() {
        Conn ann = joined("ann");
        Conn bob = joined("bob");
        ann.unread();
        bob.send("user-joined", "\"robert\"");
        JsonObject renamed = ann.only("user-connected").asJsonObject();
        assertEquals("robert", renamed.getString("username"));
        assertEquals(bob.id(), renamed.getString("userId"));
        assertEquals(2, renamed.getInt("totalUsers"));
        bob.send("send-message", "\"hi\"");
        assertEquals("robert", ann.only("receive-message").asJsonObject().getString("username"));
    }

    @Test
    void senderFieldsComeFromTheServerNeverFromThePayload() {
        Conn ann = joined("ann");
        Conn bob = joined("bob");
        bob.send("join-room", "\"r\"").unread();
        ann.unread();
        bob.send("room-message", "{\"roomId\":\"r\",\"message\":\"x\",\"from\":\"ann\",\"fromUserId\":\"" + ann.id() + "\"}");
        JsonObject message = bob.only("room-message").asJsonObject();
        assertEquals("bob", message.getString("from"));
        assertEquals(bob.id(), message.getString("fromUserId"));
    }

    @Test
    void anAuthenticatedNameWinsOverThePayload() {
        Conn carol = harness.connectAs("carol");
        carol.send("user-joined", "\"mallory\"");
        assertEquals("carol", carol.pushed("user-connected").asJsonObject().getString("username"));
        Conn dave = harness.connectAs("dave");
        dave.send("user-joined", null);
        assertEquals("dave", dave.pushed("user-connected").asJsonObject().getString("username"));
    }

    @Test
    void theRateLimitIsSharedByTheThreeMessageKindsAndSlidesWithTime() {
        Conn ann = joined("ann");
        Conn bob = joined("bob");
        ann.send("join-room", "\"r\"").unread();
        ann.send("send-message", "\"1\"", 1);
        assertNull(ann.ackError(1));
        harness.clock.advance(1_000);
        ann.send("room-message", "{\"roomId\":\"r\",\"message\":\"2\"}", 2);
        assertNull(ann.ackError(2));
        ann.send("private-message", "{\"toUserId\":\"" + bob.id() + "\",\"message\":\"3\"}", 3);
        assertNull(ann.ackError(3));
        bob.unread();

        ann.send("send-message", "\"4\"", 4);
        assertEquals("RATE_LIMITED", ann.ackError(4));
        bob.nothing();
        ann.send("typing", "true");
        assertEquals("user-typing", bob.unread().get(0).getString("event"), "typing has a limit of its own");

        harness.clock.advance(9_000); // the first message leaves the 10 s window
        ann.send("send-message", "\"5\"", 5);
        assertNull(ann.ackError(5));
        ann.send("send-message", "\"6\"", 6);
        assertEquals("RATE_LIMITED", ann.ackError(6));
    }

    @Test
    void rateLimitsArePerConnection() {
        Conn ann = joined("ann");
        Conn bob = joined("bob");
        for (int i = 0; i < 3; i++) {
            ann.send("send-message", "\"a\"");
        }
        ann.send("send-message", "\"a\"", 9);
        assertEquals("RATE_LIMITED", ann.ackError(9));
        bob.send("send-message", "\"b\"", 1);
        assertNull(bob.ackError(1));
    }

    @Test
    void joiningARoomTwiceAnswersAgainAndTellsNoOne() {
        Conn ann = joined("ann");
        Conn bob = joined("bob");
        ann.send("join-room", "\"r\"").unread();
        bob.send("join-room", "\"r\"");
        assertEquals(2, bob.only("joined-room").asJsonObject().getJsonArray("members").size());
        ann.only("user-joined-room");
        bob.send("join-room", "\"r\"");
        bob.only("joined-room");
        ann.nothing();
    }

    @Test
    void closingLeavesEveryRoomAndTellsTheLobby() {
        Conn ann = joined("ann");
        Conn bob = joined("bob");
        Conn carol = joined("carol");
        bob.send("join-room", "\"r1\"").send("join-room", "\"r2\"").unread();
        ann.send("join-room", "\"r1\"").unread();
        carol.send("join-room", "\"r2\"").unread();
        bob.unread();
        bob.close();

        var annFrames = ann.unread();
        assertEquals("user-left-room", annFrames.get(0).getString("event"));
        assertEquals("r1", annFrames.get(0).getJsonObject("data").getString("roomId"));
        assertEquals("user-disconnected", annFrames.get(1).getString("event"));
        assertEquals(2, annFrames.get(1).getJsonObject("data").getInt("totalUsers"));
        assertEquals("r2", carol.pushed("user-left-room").asJsonObject().getString("roomId"));
        assertEquals(Set.of(ann.client.id()), harness.sessions.rooms().members("r1"));
        assertEquals(Set.of(), harness.sessions.rooms().roomsOf(bob.client.id()));
    }

    @Test
    void roomsDisappearWithTheirLastMember() {
        Conn ann = joined("ann");
        ann.send("join-room", "\"solo\"").unread();
        ann.send("leave-room", "\"solo\"");
        assertEquals("solo", ann.only("left-room").asJsonObject().getString("roomId"));
        assertFalse(harness.sessions.rooms().exists("solo"));
        ann.send("leave-room", "\"solo\"");
        assertEquals("NOT_FOUND", ann.error());
    }

    @Test
    void privateMessagesToConnectedButUnjoinedSocketsAreNotFound() {
        Conn ann = joined("ann");
        Conn lurker = harness.connect();
        ann.send("private-message", "{\"toUserId\":\"" + lurker.id() + "\",\"message\":\"hi\"}");
        assertEquals("NOT_FOUND", ann.error());
        lurker.nothing();
        assertEquals(2, harness.sessions.size());
    }

    @Test
    void anErrorRepeatsAtMostAnExcerptOfTheClientsInput() {
        Conn ann = joined("ann");
        ann.send("private-message", "{\"toUserId\":\"" + "u".repeat(1_000) + "\",\"message\":\"hi\"}");
        JsonObject error = ann.only("error").asJsonObject();
        assertEquals("NOT_FOUND", error.getString("code"));
        assertEquals("No user with id " + "u".repeat(64) + "\u2026", error.getString("message"));
    }

    @Test
    void aTypingFloodReachesListenersOnlyUpToTheTypingLimit() {
        Conn ann = joined("ann");
        Conn bob = joined("bob");
        ann.unread();
        for (int i = 0; i < 1_000; i++) {
            ann.send("typing", i % 2 == 0 ? "true" : "false");
        }
        assertEquals(20, bob.unread().size(), "the default typing limit is 20 a window");
        long limited = ann.unread().stream().filter(f -> "RATE_LIMITED".equals(
                f.getJsonObject("data").getString("code", null))).count();
        assertEquals(980, limited);
    }

    @Test
    void aConnectionJoinsAtMostTheConfiguredNumberOfRooms() {
        Conn ann = joined("ann");
        for (String room : new String[] {"a", "b", "c"}) {
            ann.send("join-room", "\"" + room + "\"");
        }
        ann.unread();
        ann.send("join-room", "\"d\"", 4);
        assertEquals("FORBIDDEN", ann.ackError(4));
        assertFalse(harness.sessions.rooms().exists("d"));
        ann.send("join-room", "\"a\"", 5);
        assertNull(ann.ackError(5), "a room it is in already answers as before");
        ann.send("leave-room", "\"b\"");
        ann.send("join-room", "\"d\"", 6);
        assertNull(ann.ackError(6), "leaving one makes room for another");
    }

    @Test
    void joinsAndRenamesHaveTheirOwnLimit() {
        Conn ann = harness.connect();
        for (int i = 0; i < 5; i++) {
            ann.send("user-joined", "\"ann" + i + "\"", i);
            assertNull(ann.ackError(i));
        }
        ann.send("user-joined", "\"ann5\"", 5);
        assertEquals("RATE_LIMITED", ann.ackError(5));
        ann.send("send-message", "\"still joined as ann4\"", 6);
        assertEquals("ann4", ann.ack(6).getJsonObject("data").getString("username"));
    }

    @Test
    void atShutdownDeparturesAreNotAnnouncedToOthersWhoAreLeavingToo() {
        java.util.List<Conn> users = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Conn conn = joined("user" + i);
            conn.send("join-room", "\"r\"");
            users.add(conn);
        }
        users.forEach(Conn::unread);
        harness.namespace.drain();
        users.forEach(Conn::close);
        for (Conn conn : users) {
            conn.nothing();
        }
        assertEquals(0, harness.sessions.size());
        assertFalse(harness.sessions.rooms().exists("r"));
    }
}
