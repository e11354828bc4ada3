package dev.duplex.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duplex.testing.TestServer;
import dev.duplex.testing.WsClient;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /chat} over real sockets against the standalone server: every row of PROTOCOL.md section 4. */
class ChatIT {
    private static final Duration QUIET = Duration.ofMillis(300);
    private static TestServer server;
    private final List<WsClient> clients = new ArrayList<>();

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("duplex.chat.rate-limit.messages", "5"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void disconnect() {
        clients.forEach(WsClient::close);
    }

    private WsClient connect() {
        WsClient client = server.connect("/chat");
        clients.add(client);
        return client;
    }

    private WsClient joined(String name) {
        return connect().joinChat(name);
    }

    @Test
    void connectedComesFirstWithTheNamespaceAndAnUnguessableId() {
        WsClient client = connect();
        assertTrue(client.id().length() >= 16, client.id());
        assertNotEquals(client.id(), connect().id());
    }

    @Test
    void joiningAnnouncesTheUserToEveryoneAndListsOnlineUsersToTheCaller() {
        WsClient ann = joined("ann");
        WsClient bob = connect();
        bob.emit("user-joined", "\"  bob\\u0007 \"");
        for (WsClient client : List.of(ann, bob)) {
            JsonObject connected = client.expect("user-connected").asJsonObject();
            assertEquals("bob", connected.getString("username"));
            assertEquals(bob.id(), connected.getString("userId"));
            assertTrue(connected.getJsonNumber("timestamp").longValue() > 1_700_000_000_000L);
        }
        JsonArray online = bob.expect("online-users").asJsonArray();
        assertTrue(online.stream().anyMatch(u -> u.asJsonObject().getString("userId").equals(ann.id())));
        assertTrue(online.stream().anyMatch(u -> u.asJsonObject().getString("username").equals("bob")));
        ann.expectNone("online-users", QUIET);
    }

    @Test
    void totalUsersCountsJoinedUsersOnlyAndARenameKeepsIt() {
        WsClient ann = joined("ann");
        connect(); // connected but never joined: not counted, gets no chat broadcasts
        WsClient bob = connect();
        bob.emit("user-joined", "\"bob\"");
        int total = bob.expect("user-connected").asJsonObject().getInt("totalUsers");
        ann.expect("user-connected");
        bob.expect("online-users");

        bob.emit("user-joined", "\"robert\"");
        JsonObject renamed = ann.expect("user-connected").asJsonObject();
        assertEquals("robert", renamed.getString("username"));
        assertEquals(bob.id(), renamed.getString("userId"));
        assertEquals(total, renamed.getInt("totalUsers"));
    }

    @Test
    void lobbyMessagesReachEveryJoinedUserWithTheServerKnownSender() {
        WsClient ann = joined("ann");
        WsClient bob = joined("bob");
        WsClient lurker = connect();
        ann.expect("user-connected");

        ann.emit("send-message", "\"  <img src=x onerror=alert(1)>\\nline two\\u0000  \"", 7);
        JsonObject ack = ann.expectAck(7).getJsonObject("data");
        for (WsClient client : List.of(ann, bob)) {
            JsonObject message = client.expect("receive-message").asJsonObject();
            assertEquals("<img src=x onerror=alert(1)>\nline two", message.getString("message"));
            assertEquals("ann", message.getString("username"));
            assertEquals(ann.id(), message.getString("userId"));
            assertEquals(ack, message);
        }
        lurker.expectNone("receive-message", QUIET);
    }

    @Test
    void typingGoesToEveryoneElseNotTheTypist() {
        WsClient ann = joined("ann");
        WsClient bob = joined("bob");
        ann.expect("user-connected");
        ann.emit("typing", "true");
        JsonObject typing = bob.expect("user-typing").asJsonObject();
        assertEquals("ann", typing.getString("username"));
        assertEquals(ann.id(), typing.getString("userId"));
        assertTrue(typing.getBoolean("isTyping"));
        ann.expectNone("user-typing", QUIET);
        ann.emit("typing", "\"yes\"");
        ann.expectError("INVALID_PAYLOAD");
    }

    @Test
    void privateMessagesReachOnlyTheAddresseeAndConfirmToTheSender() {
        WsClient ann = joined("ann");
        WsClient bob = joined("bob");
        WsClient carol = joined("carol");
        ann.emit("private-message", "{\"toUserId\":\"" + bob.id() + "\",\"message\":\"psst\"}", 3);
        JsonObject received = bob.expect("private-message").asJsonObject();
        assertEquals("ann", received.getString("from"));
        assertEquals(ann.id(), received.getString("fromUserId"));
        assertEquals("psst", received.getString("message"));
        JsonObject sent = ann.expect("private-message-sent").asJsonObject();
        assertEquals("bob", sent.getString("to"));
        assertEquals(bob.id(), sent.getString("toUserId"));
        assertEquals(received.getJsonNumber("timestamp"), sent.getJsonNumber("timestamp"));
        assertEquals(JsonValue.EMPTY_JSON_OBJECT, ann.expectAck(3).getJsonObject("data"));
        carol.expectNone("private-message", QUIET);

        ann.emit("private-message", "{\"toUserId\":\"nobody\",\"message\":\"hi\"}");
        ann.expectError("NOT_FOUND");
        ann.emit("private-message", "{\"toUserId\":\"" + bob.id() + "\"}");
        assertTrue(ann.expectError("INVALID_PAYLOAD").getString("message").contains("message"));
    }

    @Test
    void roomsJoinLeaveAndMessageOnlyTheirMembers() {
        WsClient ann = joined("ann");
        WsClient bob = joined("bob");
        WsClient carol = joined("carol");

        ann.emit("join-room", "\"team-1\"");
        JsonObject joined = ann.expect("joined-room").asJsonObject();
        assertEquals("team-1", joined.getString("roomId"));
        assertEquals(1, joined.getJsonArray("members").size());

        bob.emit("join-room", "\"team-1\"");
        assertEquals(2, bob.expect("joined-room").asJsonObject().getJsonArray("members").size());
        JsonObject arrival = ann.expect("user-joined-room").asJsonObject();
        assertEquals(bob.id(), arrival.getString("userId"));
        assertEquals("bob", arrival.getString("username"));
        bob.expectNone("user-joined-room", QUIET);

        bob.emit("join-room", "\"team-1\""); // again: answered, nobody else told
        bob.expect("joined-room");
        ann.expectNone("user-joined-room", QUIET);

        ann.emit("room-message", "{\"roomId\":\"team-1\",\"message\":\"hello team\"}", 11);
        JsonObject ackData = ann.expectAck(11).getJsonObject("data");
        for (WsClient member : List.of(ann, bob)) {
            JsonObject message = member.expect("room-message").asJsonObject();
            assertEquals("team-1", message.getString("roomId"));
            assertEquals("ann", message.getString("from"));
            assertEquals(ann.id(), message.getString("fromUserId"));
            assertEquals(ackData, message);
        }
        carol.expectNone("room-message", QUIET);

        carol.emit("room-message", "{\"roomId\":\"team-1\",\"message\":\"let me in\"}");
        carol.expectError("FORBIDDEN");
        carol.emit("leave-room", "\"team-1\"");
        carol.expectError("FORBIDDEN");
        carol.emit("leave-room", "\"no-such-room\"");
        carol.expectError("NOT_FOUND");
        carol.emit("room-message", "{\"roomId\":\"no-such-room\",\"message\":\"x\"}");
        carol.expectError("NOT_FOUND");
        carol.emit("join-room", "\"bad room!\"");
        carol.expectError("INVALID_PAYLOAD");

        bob.emit("leave-room", "\"team-1\"");
        assertEquals("team-1", bob.expect("left-room").asJsonObject().getString("roomId"));
        JsonObject left = ann.expect("user-left-room").asJsonObject();
        assertEquals(bob.id(), left.getString("userId"));
        assertEquals("bob", left.getString("username"));
        ann.emit("room-message", "{\"roomId\":\"team-1\",\"message\":\"just me\"}");
        ann.expect("room-message");
        bob.expectNone("room-message", QUIET);
    }

    @Test
    void closingTellsTheOthersAndLeavesEveryRoom() {
        WsClient ann = joined("ann");
        WsClient bob = joined("bob");
        ann.expect("user-connected");
        ann.emit("join-room", "\"r1\"");
        ann.expect("joined-room");
        bob.emit("join-room", "\"r1\"");
        bob.expect("joined-room");
        ann.expect("user-joined-room");

        bob.close();
        JsonObject left = ann.expect("user-left-room").asJsonObject();
        assertEquals("r1", left.getString("roomId"));
        assertEquals(bob.id(), left.getString("userId"));
        // Clients of earlier tests may still be closing: find bob's notice by id.
        JsonObject gone = ann.expectWhere("user-disconnected", data -> data.getString("userId").equals(bob.id()));
        assertEquals("bob", gone.getString("username"));
        assertTrue(gone.containsKey("totalUsers") && gone.containsKey("timestamp"));
    }

    @Test
    void closingWithoutJoiningTellsNobody() {
        WsClient ann = joined("ann");
        WsClient lurker = connect();
        lurker.close();
        ann.expectNoneWhere("user-disconnected", data -> data.getString("userId").equals(lurker.id()), QUIET);
    }

    @Test
    void everyEventButJoinAndPingNeedsAJoin() {
        WsClient client = connect();
        for (String[] frame : new String[][] {{"send-message", "\"hi\""}, {"typing", "true"},
                {"private-message", "{\"toUserId\":\"x\",\"message\":\"m\"}"}, {"join-room", "\"r\""},
                {"leave-room", "\"r\""}, {"room-message", "{\"roomId\":\"r\",\"message\":\"m\"}"}}) {
            client.emit(frame[0], frame[1]);
            JsonObject error = client.expectError("NOT_JOINED");
            assertEquals(frame[0], error.getString("event"));
        }
        client.emit("ping", null, 5);
        assertTrue(client.expect("pong").asJsonObject().getJsonNumber("time").longValue() > 0);
        assertEquals(JsonValue.EMPTY_JSON_OBJECT, client.expectAck(5).getJsonObject("data"));
    }

    @Test
    void usernamesAndMessagesAreValidatedAfterCleaning() {
        WsClient client = connect();
        client.emit("user-joined", "\" \\u0001\\t \"");
        assertTrue(client.expectError("INVALID_PAYLOAD").getString("message").contains("username"));
        client.emit("user-joined", "\"" + "x".repeat(33) + "\"");
        client.expectError("INVALID_PAYLOAD");
        client.emit("user-joined", "42");
        client.expectError("INVALID_PAYLOAD");
        client.emit("user-joined", "\"" + "\uD83D\uDE00".repeat(32) + "\""); // 32 code points, 64 UTF-16 units
        assertEquals("\uD83D\uDE00".repeat(32), client.expect("user-connected").asJsonObject().getString("username"));
        client.emit("send-message", "\"" + "y".repeat(501) + "\"", 1);
        client.expectAckError(1, "INVALID_PAYLOAD");
        client.emit("send-message", "\"   \"", 2);
        client.expectAckError(2, "INVALID_PAYLOAD");
        client.emit("send-message", "\"" + "y".repeat(500) + "\"", 3);
        client.expectAck(3);
    }

    @Test
    void theRateLimitCountsOnlyAcceptedMessagesAndDropsTheRest() {
        WsClient ann = joined("ann");
        WsClient bob = joined("bob");
        ann.expect("user-connected");
        ann.emit("send-message", "\"\"", 100); // rejected for another reason: does not count
        ann.expectAckError(100, "INVALID_PAYLOAD");
        for (int i = 1; i <= 5; i++) {
            ann.emit(i % 2 == 0 ? "send-message" : "private-message",
                    i % 2 == 0 ? "\"m" + i + "\"" : "{\"toUserId\":\"" + bob.id() + "\",\"message\":\"p" + i + "\"}", i);
            assertFalse(ann.expectAck(i).containsKey("error"), "message " + i + " was accepted");
        }
        ann.emit("send-message", "\"one too many\"", 6);
        JsonObject error = ann.expectAckError(6, "RATE_LIMITED");
        assertEquals("Rate limit exceeded. Please slow down.", error.getString("message"));
        ann.emit("room-message", "{\"roomId\":\"nowhere\",\"message\":\"x\"}");
        ann.expectError("RATE_LIMITED"); // over the limit, a message is refused before anything else is checked
        ann.emit("typing", "true"); // not a message: typing has a limit of its own
        bob.expect("user-typing");
        assertEquals("m2", bob.expect("receive-message").asJsonObject().getString("message"));
        assertEquals("m4", bob.expect("receive-message").asJsonObject().getString("message"));
        bob.expectNone("receive-message", QUIET); // the dropped frame reached nobody
    }

    @Test
    void envelopeErrorsAreReportedWithoutClosing() {
        WsClient client = connect();
        client.send("not json");
        assertEquals(JsonValue.NULL, client.expectError("BAD_JSON").get("event"));
        client.send("[1,2]");
        client.expectError("BAD_JSON");
        client.send("{\"event\":\"ping\",\"data\":NaN}");
        client.expectError("BAD_JSON");
        client.send("{\"data\":1}");
        client.expectError("BAD_JSON");
        client.send("{\"event\":\"\"}");
        client.expectError("BAD_JSON");
        client.send("{\"event\":\"" + "e".repeat(65) + "\"}");
        assertEquals("e".repeat(64) + "\u2026", client.expectError("BAD_JSON").getString("event"),
                "an overlong event name is echoed as an excerpt");
        client.send("{\"event\":42}");
        assertEquals(JsonValue.NULL, client.expectError("BAD_JSON").get("event"));
        client.send("{\"event\":\"ping\",\"ack\":-1}");
        assertEquals("ping", client.expectError("BAD_JSON").getString("event"));
        client.send("{\"event\":\"ping\",\"ack\":9007199254740992}");
        client.expectError("BAD_JSON");
        client.send("{\"event\":\"ping\",\"ack\":1.5}");
        client.expectError("BAD_JSON");
        client.send("{\"event\":\"ping\",\"ack\":\"1\"}");
        client.expectError("BAD_JSON");
        client.send("{\"event\":\"\",\"ack\":9}"); // valid ack: the failure goes in the ack frame
        client.expectAckError(9, "BAD_JSON");
        client.send("{\"event\":\"warp\",\"ack\":9007199254740991,\"extra\":true}");
        client.expectAckError(9007199254740991L, "UNKNOWN_EVENT");
        client.send("{\"event\":\"warp\"}");
        assertEquals("warp", client.expectError("UNKNOWN_EVENT").getString("event"));
        client.emit("ping", null);
        client.expect("pong");
        assertFalse(client.isClosed());
    }
}
