package dev.duplex.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duplex.testing.ClusterNodes;
import dev.duplex.testing.TestServer;
import dev.duplex.testing.WsClient;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * History and positions over real sockets (docs/protocol.md, "History and positions"): a client that asks
 * for a session gets a stream's recent messages on joining and each message with its position; one that
 * does not ask gets neither; in a cluster, streams are not kept yet and say so.
 */
class HistoryIT {
    private static final Duration QUIET = Duration.ofMillis(300);
    private static TestServer server;
    private final List<WsClient> clients = new ArrayList<>();

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("duplex.chat.rate-limit.messages", "1000"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void disconnect() {
        clients.forEach(WsClient::close);
    }

    private WsClient connect(String query) {
        WsClient client = server.connect("/chat" + query);
        clients.add(client);
        return client;
    }

    @Test
    void aJoinerWithASessionGetsTheLobbysRecentMessagesThenLiveOnesWithPositions() {
        WsClient ann = connect("").joinChat("ann");
        for (int i = 1; i <= 3; i++) {
            ann.emit("send-message", "\"before " + i + "\"", i);
            ann.expectAck(i);
        }
        WsClient bob = connect("?session=new");
        bob.emit("user-joined", "\"bob\"");
        JsonObject history = bob.expect("history").asJsonObject();
        assertEquals("lobby", history.getString("stream"));
        JsonArray events = history.getJsonArray("events");
        List<String> texts = events.stream()
                .map(e -> e.asJsonObject().getJsonObject("data").getString("message")).toList();
        assertTrue(texts.containsAll(List.of("before 1", "before 2", "before 3")), texts::toString);
        long last = events.getJsonObject(events.size() - 1).getJsonObject("position").getJsonNumber("offset").longValue();
        bob.expect("online-users");

        ann.emit("send-message", "\"live\"");
        JsonObject live = bob.expectFrame("receive-message");
        assertEquals("live", live.getJsonObject("data").getString("message"));
        JsonObject position = live.getJsonObject("position");
        assertEquals(last + 1, position.getJsonNumber("offset").longValue());
        assertEquals(history.getString("epoch"), position.getString("epoch"));
        // The client that asked for nothing got the same message without a position.
        JsonObject plain = ann.expectFrame("receive-message");
        while (!plain.getJsonObject("data").getString("message").equals("live")) {
            plain = ann.expectFrame("receive-message");
        }
        assertFalse(plain.containsKey("position"), plain::toString);
        assertEquals(live.getJsonObject("data"), plain.getJsonObject("data"));

        bob.emit("history", "{\"before\":" + last + ",\"limit\":2}", 7);
        JsonObject page = bob.expectAck(7).getJsonObject("data");
        assertEquals(2, page.getJsonArray("events").size());
        bob.emit("history", "{\"limit\":1000}", 8);
        bob.expectAckError(8, "INVALID_PAYLOAD");
    }

    @Test
    void aRoomsJoinerGetsItsHistoryAndAPlainJoinerNone() {
        WsClient ann = connect("?session=new").joinChat("ann");
        ann.emit("join-room", "\"history-room\"");
        ann.expect("joined-room");
        ann.emit("room-message", "{\"roomId\":\"history-room\",\"message\":\"said in the room\"}");
        ann.expect("room-message");
        WsClient bob = connect("?session=new").joinChat("bob");
        bob.emit("join-room", "\"history-room\"");
        JsonObject history = bob.expectWhere("history", h -> h.getString("stream").equals("room:history-room"));
        assertEquals("said in the room",
                history.getJsonArray("events").getJsonObject(0).getJsonObject("data").getString("message"));
        WsClient cid = connect("").joinChat("cid");
        cid.emit("join-room", "\"history-room\"");
        cid.expect("joined-room");
        cid.expectNone("history", QUIET);
    }

    @Test
    void inAClusterStreamsAreNotKeptAndHistorySaysSo() throws Exception {
        try (ClusterNodes cluster = ClusterNodes.start(1)) {
            try (WsClient ann = WsClient.connect(cluster.node(0).ws("/chat?session=new"))) {
                ann.emit("user-joined", "\"ann\"");
                ann.expect("online-users");
                ann.emit("history", null, 1);
                ann.expectAckError(1, "UNAVAILABLE");
                ann.emit("send-message", "\"hi\"");
                assertFalse(ann.expectFrame("receive-message").containsKey("position"));
                ann.expectNone("history", QUIET);
            }
        }
    }
}
