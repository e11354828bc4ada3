package dev.duplex.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duplex.testing.WsClient;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * The behaviours of PROTOCOL.md that every runtime must share, written once against a base URL: the
 * standalone server runs it ({@code StandaloneConformanceIT}) and so does the WAR in each container
 * ({@code ContainerConformanceIT}), and a cluster with each test's clients on different nodes
 * ({@code ClusterConformanceIT}, {@code ContainerClusterIT}), so no runtime can differ without a test
 * failing. Default settings.
 */
public abstract class ConformanceSuite {
    private static final Duration QUIET = Duration.ofMillis(300);

    /**
     * The application's base URL for the next connection or request, ending in a slash:
     * {@code http://host:port/} or {@code http://host:port/context/}. A cluster gives each next one another
     * node, so that every test's clients are spread over the nodes.
     */
    protected abstract URI base();

    private URI ws(String pathAndQuery) {
        return ws(base(), pathAndQuery);
    }

    private static URI ws(URI base, String pathAndQuery) {
        URI http = base.resolve(pathAndQuery.substring(1));
        return URI.create("ws" + http.toString().substring(4));
    }

    private WsClient connect(String pathAndQuery) {
        return WsClient.connect(ws(pathAndQuery));
    }

    private WsClient joined(String name) {
        return connect("/chat").joinChat(name);
    }

    @Test
    void connectedComesFirstAndPingIsAnswered() {
        for (String namespace : new String[] {"/chat", "/whiteboard", "/game", "/location"}) {
            try (WsClient client = WsClient.open(ws(namespace), Map.of())) {
                JsonObject connected = client.expect("connected").asJsonObject();
                assertEquals(namespace, connected.getString("namespace"));
                assertTrue(connected.getString("id").length() >= 16);
                client.emit("ping", null, 1);
                assertTrue(client.expect("pong").asJsonObject().getJsonNumber("time").longValue() > 0);
                assertEquals("{}", client.expectAck(1).getJsonObject("data").toString());
            }
        }
    }

    @Test
    void chatLobbyPrivateMessagesAndRooms() {
        try (WsClient ann = joined("ann"); WsClient bob = joined("bob")) {
            ann.expect("user-connected");
            ann.emit("send-message", "\" hello \"", 2);
            JsonObject ack = ann.expectAck(2).getJsonObject("data");
            assertEquals("hello", ack.getString("message"));
            assertEquals(ack, bob.expect("receive-message").asJsonObject());
            ann.emit("typing", "true");
            assertEquals(ann.id(), bob.expect("user-typing").asJsonObject().getString("userId"));
            ann.expectNone("user-typing", QUIET);

            bob.emit("private-message", "{\"toUserId\":\"" + ann.id() + "\",\"message\":\"psst\"}");
            assertEquals("bob", ann.expect("private-message").asJsonObject().getString("from"));
            assertEquals(ann.id(), bob.expect("private-message-sent").asJsonObject().getString("toUserId"));

            ann.emit("join-room", "\"conf\"");
            ann.expect("joined-room");
            bob.emit("join-room", "\"conf\"");
            assertEquals(2, bob.expect("joined-room").asJsonObject().getJsonArray("members").size());
            ann.expect("user-joined-room");
            bob.emit("room-message", "{\"roomId\":\"conf\",\"message\":\"in here\"}");
            assertEquals("in here", ann.expect("room-message").asJsonObject().getString("message"));
            bob.close();
            // Connections of earlier tests may still be closing: look for bob's notices by id.
            String bobId = bob.id();
            assertEquals("conf", ann.expectWhere("user-left-room", d -> d.getString("userId").equals(bobId)).getString("roomId"));
            assertEquals("bob", ann.expectWhere("user-disconnected", d -> d.getString("userId").equals(bobId)).getString("username"));
        }
    }

    @Test
    void badFramesGetTheirErrorCodeAndTheConnectionStaysOpen() {
        try (WsClient client = connect("/chat")) {
            client.send("{not json");
            client.expectError("BAD_JSON");
            client.send("{\"event\":\"nope\",\"ack\":3}");
            client.expectAckError(3, "UNKNOWN_EVENT");
            client.emit("send-message", "\"hi\"");
            client.expectError("NOT_JOINED");
            client.emit("user-joined", "{\"username\":\"ann\"}");
            assertTrue(client.expectError("INVALID_PAYLOAD").getString("message").contains("username"));
            client.emit("user-joined", "\"ann\"");
            client.emit("leave-room", "\"absent\"");
            client.expectError("NOT_FOUND");
            assertFalse(client.isClosed());
        }
    }

    @Test
    void theChatRateLimitDropsTheEleventhMessageInTenSeconds() {
        try (WsClient ann = joined("ann")) {
            for (int i = 0; i < 10; i++) {
                ann.emit("send-message", "\"m" + i + "\"", i);
                assertFalse(ann.expectAck(i).containsKey("error"));
            }
            ann.emit("send-message", "\"one more\"", 10);
            ann.expectAckError(10, "RATE_LIMITED");
        }
    }

    @Test
    void aBinaryFrameClosesWith1003() {
        try (WsClient client = connect("/chat")) {
            client.sendBinary(new byte[] {1});
            assertEquals(1003, client.expectClose());
        }
    }

    @Test
    void aMessageOverTheDefault64KibClosesWith1009() {
        try (WsClient client = connect("/chat")) {
            client.send("{\"event\":\"ping\",\"data\":\"" + "x".repeat(60_000) + "\"}");
            client.expect("pong");
            client.send("{\"event\":\"ping\",\"data\":\"" + "x".repeat(65_536) + "\"}");
            assertEquals(1009, client.expectClose());
        }
    }

    @Test
    void whiteboardHistoryUndoAndClear() {
        String segment = "{\"prevX\":1,\"prevY\":2,\"x\":3,\"y\":4,\"color\":\"#123456\",\"width\":5,\"strokeId\":\"s\"}";
        try (WsClient ann = connect("/whiteboard?board=conformance")) {
            assertEquals(0, ann.expect("load-drawings").asJsonArray().size());
            ann.emit("draw", segment, 1);
            ann.expectAck(1);
            try (WsClient late = connect("/whiteboard?board=conformance")) {
                JsonArray history = late.expect("load-drawings").asJsonArray();
                assertEquals(1, history.size());
                assertEquals(ann.id(), history.getJsonObject(0).getString("userId"));
                ann.emit("draw", segment);
                assertEquals("#123456", late.expect("draw").asJsonObject().getString("color"));
                ann.emit("undo", null);
                assertEquals(2, late.expect("undo").asJsonObject().getInt("removed"));
                ann.emit("clear-canvas", null);
                late.expect("clear-canvas");
            }
        }
        try (WsClient refused = WsClient.open(ws("/whiteboard?board=bad%20name"), Map.of())) {
            assertEquals(1008, refused.expectClose());
        } catch (CompletionException httpRefusal) {
            assertEquals(400, ((WebSocketHandshakeException) httpRefusal.getCause()).getResponse().statusCode());
        }
    }

    @Test
    void aGameIsPlayedToAWin() {
        try (WsClient x = connect("/game"); WsClient o = connect("/game")) {
            x.emit("find-game", "\"xena\"");
            String roomId = x.expect("waiting-for-opponent").asJsonObject().getString("roomId");
            o.emit("find-game", "\"otto\"");
            o.expect("game-start");
            x.expect("game-start");
            int[] moves = {0, 3, 1, 4};
            for (int i = 0; i < moves.length; i++) {
                (i % 2 == 0 ? x : o).emit("make-move", "{\"roomId\":\"" + roomId + "\",\"position\":" + moves[i] + "}");
                x.expect("move-made");
                o.expect("move-made");
            }
            o.emit("make-move", "{\"roomId\":\"" + roomId + "\",\"position\":5}");
            o.expectError("NOT_YOUR_TURN");
            x.emit("make-move", "{\"roomId\":\"" + roomId + "\",\"position\":2}");
            JsonObject over = o.expect("game-over").asJsonObject();
            assertEquals("xena", over.getString("winner"));
            assertEquals("[0,1,2]", over.getJsonArray("line").toString());
        }
    }

    @Test
    void locationUpdatesReachTheGroup() {
        try (WsClient ann = connect("/location?room=conformance"); WsClient bob = connect("/location?room=conformance")) {
            assertEquals(0, ann.expect("locations-updated").asJsonArray().size());
            bob.expect("locations-updated");
            ann.emit("update-location", "{\"lat\":51.5,\"lng\":-0.12,\"username\":\"ann\"}");
            bob.expectNone("locations-updated", QUIET); // naming the group is not enough to watch it
            bob.emit("update-location", "{\"lat\":48.8,\"lng\":2.35,\"username\":\"bob\"}");
            JsonObject entry = bob.expect("locations-updated").asJsonArray().getValuesAs(JsonObject.class).stream()
                    .filter(e -> e.getString("id").equals(ann.id())).findFirst().orElseThrow();
            assertEquals(ann.id(), entry.getString("id"));
            assertEquals(51.5, entry.getJsonNumber("lat").doubleValue());
            ann.emit("update-location", "{\"lat\":91,\"lng\":0,\"username\":\"ann\"}");
            ann.expectError("INVALID_PAYLOAD");
        }
    }

    @Test
    void anUnknownNamespaceIsRefusedWith404() {
        CompletionException refused = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> WsClient.open(ws("/nowhere"), Map.of()));
        assertEquals(404, ((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode());
    }

    @Test
    void thePagesAndTheClientAreServed() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String page : new String[] {"", "chat.html", "whiteboard.html", "game.html", "location.html",
                "js/duplex.js", "css/style.css"}) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(base().resolve(page)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), page);
            assertFalse(response.body().isEmpty(), page);
        }
    }

    @Test
    void compressionIsNeverNegotiatedEvenWhenABrowserOffersIt() throws Exception {
        String head = dev.duplex.testing.RawSocket.handshake(ws("/chat"),
                Map.of("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits"));
        assertTrue(head.startsWith("HTTP/1.1 101"), head);
        assertFalse(head.toLowerCase(java.util.Locale.ROOT).contains("sec-websocket-extensions"),
                () -> "the inflater has no size cap, so compression stays off:\n" + head);
    }

    @Test
    void byDefaultOnlyPagesOfTheServersOwnOriginMayConnect() {
        URI node = base();
        String own = node.getScheme() + "://" + node.getAuthority();
        try (WsClient page = WsClient.open(ws(node, "/chat"), Map.of("Origin", own))) {
            page.expect("connected");
        }
        for (String other : new String[] {"http://evil.example", "null"}) {
            try (WsClient foreign = WsClient.open(ws("/chat"), Map.of("Origin", other))) {
                assertEquals(1008, foreign.expectClose(), other);
                foreign.expectSilence(Duration.ZERO);
            } catch (CompletionException refused) {
                assertTrue(refused.getCause() instanceof WebSocketHandshakeException, refused.toString());
                assertEquals(403, ((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode());
            }
        }
    }
}
