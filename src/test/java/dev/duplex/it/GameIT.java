package dev.duplex.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.duplex.testing.TestServer;
import dev.duplex.testing.WsClient;
import jakarta.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /game} over real sockets: PROTOCOL.md section 6. Tests run one at a time, so pairings are ours. */
class GameIT {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("duplex.game.finished-retention-ms", "1000"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String move(String roomId, int position) {
        return "{\"roomId\":\"" + roomId + "\",\"position\":" + position + "}";
    }

    private static String pair(WsClient x, WsClient o) {
        x.emit("find-game", "\"xena\"");
        String roomId = x.expect("waiting-for-opponent").asJsonObject().getString("roomId");
        o.emit("find-game", "\"otto\"");
        assertEquals(roomId, o.expect("game-start").asJsonObject().getString("roomId"));
        assertEquals(roomId, x.expect("game-start").asJsonObject().getString("roomId"));
        return roomId;
    }

    @Test
    void aFullGameIsPlayedToAWin() {
        try (WsClient x = server.connect("/game"); WsClient o = server.connect("/game")) {
            String roomId = pair(x, o);
            int[] moves = {4, 0, 2, 1, 6};
            for (int i = 0; i < moves.length; i++) {
                WsClient mover = i % 2 == 0 ? x : o;
                mover.emit("make-move", move(roomId, moves[i]), i);
                mover.expectAck(i);
                if (i < moves.length - 1) {
                    JsonObject made = x.expect("move-made").asJsonObject();
                    assertEquals(made, o.expect("move-made").asJsonObject());
                    assertEquals(moves[i], made.getInt("position"));
                    assertEquals(i % 2 == 0 ? "O" : "X", made.getString("turn"));
                }
            }
            JsonObject over = o.expect("game-over").asJsonObject();
            assertEquals(over, x.expect("game-over").asJsonObject());
            assertEquals("xena", over.getString("winner"));
            assertEquals("[2,4,6]", over.getJsonArray("line").toString());
            assertEquals("[\"O\",\"O\",\"X\",null,\"X\",null,\"X\",null,null]", over.getJsonArray("board").toString());
            x.expectNone("move-made", java.time.Duration.ofMillis(200));
            o.emit("make-move", move(roomId, 8));
            o.expectError("GAME_OVER");
        }
    }

    @Test
    void everyRuleViolationHasItsCode() {
        try (WsClient x = server.connect("/game"); WsClient o = server.connect("/game");
                WsClient stranger = server.connect("/game")) {
            String roomId = pair(x, o);
            o.emit("make-move", move(roomId, 0));
            o.expectError("NOT_YOUR_TURN");
            stranger.emit("make-move", move(roomId, 0));
            stranger.expectError("FORBIDDEN");
            stranger.emit("leave-game", "\"" + roomId + "\"");
            stranger.expectError("FORBIDDEN");
            x.emit("make-move", move("missing", 0));
            x.expectError("NOT_FOUND");
            x.emit("make-move", move(roomId, -1));
            x.expectError("INVALID_PAYLOAD");
            x.emit("make-move", "{\"roomId\":\"" + roomId + "\"}");
            x.expectError("INVALID_PAYLOAD");
            x.emit("make-move", move(roomId, 0));
            x.expect("move-made");
            o.expect("move-made");
            o.emit("make-move", move(roomId, 0));
            o.expectError("CELL_TAKEN");
            x.emit("find-game", "\"xena\"");
            x.expectError("FORBIDDEN");
            x.emit("find-game", "\"\"");
            x.expectError("INVALID_PAYLOAD");
        }
    }

    @Test
    void anOpponentLeavingEndsTheGameAndItIsForgottenAfterTheRetention() throws Exception {
        try (WsClient x = server.connect("/game")) {
            String roomId;
            try (WsClient o = server.connect("/game")) {
                roomId = pair(x, o);
            }
            assertEquals(roomId, x.expect("opponent-disconnected").asJsonObject().getString("roomId"));
            x.emit("make-move", move(roomId, 0));
            x.expectError("GAME_OVER");
            Thread.sleep(1100); // the configured retention, 1 s
            x.emit("make-move", move(roomId, 0));
            x.expectError("NOT_FOUND");
        }
    }

    @Test
    void aWaitingSeekerIsNotPairedWithItselfAndCanWithdraw() {
        try (WsClient x = server.connect("/game")) {
            x.emit("find-game", "\"xena\"");
            String roomId = x.expect("waiting-for-opponent").asJsonObject().getString("roomId");
            x.emit("find-game", "\"xena\"");
            assertEquals(roomId, x.expect("waiting-for-opponent").asJsonObject().getString("roomId"));
            x.emit("leave-game", "\"" + roomId + "\"", 1);
            x.expectAck(1);
            x.emit("make-move", move(roomId, 0));
            x.expectError("NOT_FOUND");
        }
    }
}
