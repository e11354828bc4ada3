package dev.duplex.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duplex.testing.ClusterNodes;
import dev.duplex.testing.JarServer;
import dev.duplex.testing.WsClient;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /game} with its players on different nodes: matchmaking pairs across nodes (one seat for the whole
 * cluster, so racing seekers make exactly one game), moves are ruled once in one order, strangers on a third
 * node are refused as on one node, and a player whose node dies loses its game to the survivor.
 */
class ClusterGameIT {
    private static final Duration QUIET = Duration.ofMillis(500);
    private final List<WsClient> clients = new ArrayList<>();

    @AfterEach
    void disconnect() {
        clients.forEach(WsClient::close);
    }

    private WsClient on(JarServer node) {
        WsClient client = WsClient.connect(node.ws("/game"));
        clients.add(client);
        return client;
    }

    private static String move(String roomId, int position) {
        return "{\"roomId\":\"" + roomId + "\",\"position\":" + position + "}";
    }

    /** The ack number a player used for its claim in the given race. */
    private static long ack(WsClient player, WsClient x, int turn) {
        return (player == x ? 100 : 200) + turn;
    }

    private static String waitFor(WsClient x, String name) {
        x.emit("find-game", "\"" + name + "\"");
        return x.expect("waiting-for-opponent").asJsonObject().getString("roomId");
    }

    @Test
    void playersOnTwoNodesPlayAWholeGameThatAThirdNodeKnowsOf() throws Exception {
        try (ClusterNodes cluster = ClusterNodes.start(3)) {
            WsClient ann = on(cluster.node(0));
            WsClient bob = on(cluster.node(1));
            String roomId = waitFor(ann, "ann");
            bob.emit("find-game", "\"bob\"", 1);
            bob.expectAck(1);
            JsonObject start = bob.expect("game-start").asJsonObject();
            assertEquals(start, ann.expect("game-start").asJsonObject());
            assertEquals(roomId, start.getString("roomId"));
            assertEquals("X", start.getString("turn"));

            ann.emit("make-move", move(roomId, 0), 2);
            ann.expectAck(2);
            assertEquals(ann.expect("move-made").asJsonObject(), bob.expect("move-made").asJsonObject());
            bob.emit("make-move", move(roomId, 0), 3);
            bob.expectAckError(3, "CELL_TAKEN");
            ann.emit("make-move", move(roomId, 1), 4);
            ann.expectAckError(4, "NOT_YOUR_TURN");

            WsClient stranger = on(cluster.node(2));
            stranger.emit("make-move", move(roomId, 5), 5);
            stranger.expectAckError(5, "FORBIDDEN");
            stranger.emit("make-move", move("no-such-game", 5), 6);
            stranger.expectAckError(6, "NOT_FOUND");
            stranger.emit("find-game", "\"cat\"", 7);
            stranger.expectAck(7);
            assertTrue(stranger.expect("waiting-for-opponent").asJsonObject().getString("roomId").length() > 0);

            int[] rest = {3, 1, 4, 2};
            for (int i = 0; i < rest.length; i++) {
                WsClient mover = i % 2 == 0 ? bob : ann;
                mover.emit("make-move", move(roomId, rest[i]), 10 + i);
                mover.expectAck(10 + i);
            }
            JsonObject over = bob.expectWhere("game-over", o -> true);
            assertEquals(over, ann.expectWhere("game-over", o -> true));
            assertEquals("ann", over.getString("winner"));
            assertEquals("[0,1,2]", over.getJsonArray("line").toString());
            ann.emit("make-move", move(roomId, 8), 20);
            ann.expectAckError(20, "GAME_OVER");
            bob.expectNone("game-over", QUIET);
        }
    }

    @Test
    void seekersRacingOnTwoNodesForOneWaitingPlayerMakeExactlyOneGame() throws Exception {
        try (ClusterNodes cluster = ClusterNodes.start(3)) {
            WsClient cat = on(cluster.node(0));
            String roomId = waitFor(cat, "cat");
            WsClient ann = on(cluster.node(1));
            WsClient bob = on(cluster.node(2));
            ann.emit("find-game", "\"ann\"");
            bob.emit("find-game", "\"bob\"");
            JsonObject start = cat.expect("game-start").asJsonObject();
            assertEquals(roomId, start.getString("roomId"));
            String opponent = start.getJsonArray("players").getJsonObject(1).getString("username");
            WsClient paired = opponent.equals("ann") ? ann : bob;
            WsClient left = paired == ann ? bob : ann;
            assertEquals(start, paired.expect("game-start").asJsonObject());
            String second = left.expect("waiting-for-opponent").asJsonObject().getString("roomId");
            assertTrue(!second.equals(roomId), "the one left over waits for a game of its own");
            left.expectNone("game-start", QUIET);
            cat.expectNone("game-start", QUIET);
        }
    }

    @Test
    void movesRacingFromTwoNodesAreRuledOnceEachTurnGameAfterGame() throws Exception {
        try (ClusterNodes cluster = ClusterNodes.start(2)) {
            for (int round = 0; round < 20; round++) {
                WsClient x = on(cluster.node(round % 2));
                WsClient o = on(cluster.node((round + 1) % 2));
                String roomId = waitFor(x, "x" + round);
                o.emit("find-game", "\"o" + round + "\"");
                x.expect("game-start");
                o.expect("game-start");
                // Both players claim the same cell at once, on their two nodes: the player whose turn it is
                // gets it, the other is refused (not its turn, or the cell is taken, as the race fell), and
                // both see that one move only. First the centre on X's turn, then a corner on O's.
                int[] cells = {4, 0};
                for (int turn = 0; turn < cells.length; turn++) {
                    x.emit("make-move", move(roomId, cells[turn]), 100 + turn);
                    o.emit("make-move", move(roomId, cells[turn]), 200 + turn);
                    WsClient mover = turn == 0 ? x : o;
                    WsClient other = turn == 0 ? o : x;
                    assertTrue(!mover.expectAck(ack(mover, x, turn)).containsKey("error"), "the mover's move stands");
                    JsonObject refused = other.expectAck(ack(other, x, turn));
                    String code = refused.getJsonObject("error").getString("code");
                    assertTrue(code.equals("NOT_YOUR_TURN") || code.equals("CELL_TAKEN"), refused::toString);
                    JsonObject made = x.expect("move-made").asJsonObject();
                    assertEquals(made, o.expect("move-made").asJsonObject());
                    assertEquals(cells[turn], made.getInt("position"));
                    assertEquals(turn == 0 ? "X" : "O", made.getString("symbol"));
                }
                x.expectNone("move-made", Duration.ofMillis(100));
                x.close();
                o.close();
            }
        }
    }

    @Test
    void aPlayerWhoseNodeDiesLosesItsGameAndItsSeat() throws Exception {
        try (ClusterNodes cluster = ClusterNodes.start(2)) {
            WsClient ann = on(cluster.node(0));
            WsClient bob = on(cluster.node(1));
            String roomId = waitFor(ann, "ann");
            bob.emit("find-game", "\"bob\"");
            ann.expect("game-start");
            WsClient dan = on(cluster.node(1));
            waitFor(dan, "dan");

            cluster.node(1).kill();
            long killed = System.nanoTime();
            JsonObject gone = ann.expect("opponent-disconnected").asJsonObject();
            assertEquals(roomId, gone.getString("roomId"));
            assertTrue(System.nanoTime() - killed < Duration.ofSeconds(5).toNanos(), "noticed within 5 s");
            ann.emit("make-move", move(roomId, 4), 1);
            ann.expectAckError(1, "GAME_OVER");

            // Dan's seat went with dan: a new seeker waits instead of being paired with a ghost.
            WsClient eve = on(cluster.node(0));
            eve.emit("find-game", "\"eve\"");
            eve.expect("waiting-for-opponent");
            eve.expectNone("game-start", QUIET);
        }
    }
}
