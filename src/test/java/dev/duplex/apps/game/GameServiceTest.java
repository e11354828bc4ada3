package dev.duplex.apps.game;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duplex.core.Journals;
import dev.duplex.core.LocalPresence;
import dev.duplex.testing.Harness;
import dev.duplex.testing.Harness.Conn;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GameServiceTest {
    private final Harness harness = new Harness((rooms, out, clock) -> new GameService(new LocalPresence(),
            Journals.local(out), clock, GameSettings.from(Harness.config("duplex.game.rate-limit.events", "1000"))));

    private String pair(Conn x, Conn o) {
        x.send("find-game", "\"xena\"");
        String roomId = x.only("waiting-for-opponent").asJsonObject().getString("roomId");
        o.send("find-game", "\"otto\"");
        JsonObject start = o.only("game-start").asJsonObject();
        assertEquals(start, x.only("game-start").asJsonObject());
        assertEquals(roomId, start.getString("roomId"));
        return roomId;
    }

    private static String move(String roomId, int position) {
        return "{\"roomId\":\"" + roomId + "\",\"position\":" + position + "}";
    }

    @Test
    void theFirstSeekerWaitsAsXAndTheSecondStartsTheGame() {
        Conn x = harness.connect();
        Conn o = harness.connect();
        x.send("find-game", "\"xena\"");
        JsonObject waiting = x.only("waiting-for-opponent").asJsonObject();
        assertEquals("X", waiting.getString("symbol"));
        o.send("find-game", "\"otto\"");
        JsonObject start = o.only("game-start").asJsonObject();
        assertEquals("X", start.getString("turn"));
        assertEquals(9, start.getJsonArray("board").size());
        assertTrue(start.getJsonArray("board").stream().allMatch(c -> c.getValueType() == jakarta.json.JsonValue.ValueType.NULL));
        JsonObject first = start.getJsonArray("players").getJsonObject(0);
        assertEquals(x.id(), first.getString("id"));
        assertEquals("xena", first.getString("username"));
        assertEquals("X", first.getString("symbol"));
        assertEquals("O", start.getJsonArray("players").getJsonObject(1).getString("symbol"));
    }

    @Test
    void aWaitingPlayerIsNeverPairedWithItselfAndAPlayingOneCannotSeek() {
        Conn x = harness.connect();
        x.send("find-game", "\"xena\"");
        String roomId = x.only("waiting-for-opponent").asJsonObject().getString("roomId");
        x.send("find-game", "\"xena\"");
        assertEquals(roomId, x.only("waiting-for-opponent").asJsonObject().getString("roomId"));
        Conn o = harness.connect();
        o.send("find-game", "\"otto\"");
        o.only("game-start");
        o.send("find-game", "\"otto\"");
        assertEquals("FORBIDDEN", o.error());
    }

    @Test
    void movesAreCheckedInTurnAndTheWinEndsTheGameWithGameOverOnly() {
        Conn x = harness.connect();
        Conn o = harness.connect();
        Conn stranger = harness.connect();
        String roomId = pair(x, o);
        o.send("make-move", move(roomId, 0));
        assertEquals("NOT_YOUR_TURN", o.error());
        stranger.send("make-move", move(roomId, 0));
        assertEquals("FORBIDDEN", stranger.error());
        x.send("make-move", move("nope", 0));
        assertEquals("NOT_FOUND", x.error());
        x.send("make-move", move("g".repeat(1_000), 0));
        assertEquals("No game " + "g".repeat(64) + "\u2026", x.only("error").asJsonObject().getString("message"),
                "an error repeats only an excerpt of the client's input");
        x.send("make-move", move(roomId, 9));
        assertEquals("INVALID_PAYLOAD", x.error());
        x.send("make-move", "{\"roomId\":\"" + roomId + "\",\"position\":\"4\"}");
        assertEquals("INVALID_PAYLOAD", x.error());

        x.send("make-move", move(roomId, 4));
        JsonObject made = o.only("move-made").asJsonObject();
        assertEquals(4, made.getInt("position"));
        assertEquals("X", made.getString("symbol"));
        assertEquals("O", made.getString("turn"));
        assertEquals("X", made.getJsonArray("board").getString(4));
        x.only("move-made");
        o.send("make-move", move(roomId, 4));
        assertEquals("CELL_TAKEN", o.error());

        o.send("make-move", move(roomId, 0));
        x.send("make-move", move(roomId, 2));
        o.send("make-move", move(roomId, 1));
        x.unread();
        o.unread();
        x.send("make-move", move(roomId, 6));
        JsonObject over = o.only("game-over").asJsonObject();
        assertEquals(over, x.only("game-over").asJsonObject());
        assertEquals("xena", over.getString("winner"));
        assertEquals("X", over.getString("winnerSymbol"));
        assertEquals(List.of(2, 4, 6), over.getJsonArray("line").getValuesAs(jakarta.json.JsonNumber.class)
                .stream().map(n -> n.intValue()).toList());
        o.send("make-move", move(roomId, 8));
        assertEquals("GAME_OVER", o.error());
    }

    @Test
    void aDrawHasNullWinnerAndLine() {
        Conn x = harness.connect();
        Conn o = harness.connect();
        String roomId = pair(x, o);
        int[] moves = {0, 1, 2, 4, 3, 5, 7, 6, 8};
        for (int i = 0; i < moves.length; i++) {
            (i % 2 == 0 ? x : o).send("make-move", move(roomId, moves[i]));
        }
        JsonObject over = x.pushed("game-over").asJsonObject();
        assertTrue(over.isNull("winner") && over.isNull("winnerSymbol") && over.isNull("line"));
    }

    @Test
    void finishedGamesAnswerGameOverForTheRetentionThenNotFound() {
        Conn x = harness.connect();
        Conn o = harness.connect();
        String roomId = pair(x, o);
        o.close();
        assertEquals(roomId, x.only("opponent-disconnected").asJsonObject().getString("roomId"));
        x.send("make-move", move(roomId, 0));
        assertEquals("GAME_OVER", x.error());
        harness.clock.advance(59_999);
        x.send("make-move", move(roomId, 0));
        assertEquals("GAME_OVER", x.error());
        harness.clock.advance(1);
        x.send("make-move", move(roomId, 0));
        assertEquals("NOT_FOUND", x.error());
    }

    @Test
    void leavingWithdrawsAWaitingGameOrEndsARunningOne() {
        Conn x = harness.connect();
        x.send("find-game", "\"xena\"");
        String withdrawn = x.only("waiting-for-opponent").asJsonObject().getString("roomId");
        x.send("leave-game", "\"" + withdrawn + "\"", 1);
        assertEquals(null, x.ackError(1));
        Conn o = harness.connect();
        o.send("find-game", "\"otto\"");
        assertNotEquals(withdrawn, o.only("waiting-for-opponent").asJsonObject().getString("roomId"),
                "the withdrawn game pairs no one");

        x.send("find-game", "\"xena\"");
        String roomId = x.only("game-start").asJsonObject().getString("roomId");
        o.unread();
        Conn stranger = harness.connect();
        stranger.send("leave-game", "\"" + roomId + "\"");
        assertEquals("FORBIDDEN", stranger.error());
        x.send("leave-game", "\"" + roomId + "\"");
        assertEquals(roomId, o.only("opponent-disconnected").asJsonObject().getString("roomId"));
        x.nothing();
        o.send("make-move", move(roomId, 0));
        assertEquals("GAME_OVER", o.error());
        o.send("find-game", "\"otto\"");
        o.only("waiting-for-opponent");
    }

    @Test
    void anAuthenticatedNameWinsOverThePayload() {
        Conn x = harness.connectAs("xena");
        Conn o = harness.connectAs("otto");
        x.send("find-game", "\"mallory\"");
        x.unread();
        o.send("find-game", null);
        JsonObject start = o.only("game-start").asJsonObject();
        assertEquals("xena", start.getJsonArray("players").getJsonObject(0).getString("username"));
        assertEquals("otto", start.getJsonArray("players").getJsonObject(1).getString("username"));
    }

    @Test
    void closingWhileWaitingWithdrawsTheSeat() {
        Conn x = harness.connect();
        x.send("find-game", "\"xena\"");
        x.unread();
        x.close();
        Conn o = harness.connect();
        o.send("find-game", "\"otto\"");
        o.only("waiting-for-opponent");
    }

    @Test
    void twoMovesAtTheSameInstantAreNeverBothAccepted() throws Exception {
        for (int round = 0; round < 200; round++) {
            Conn x = harness.connect();
            Conn o = harness.connect();
            String roomId = pair(x, o);
            // X moves twice at once on different cells: exactly one may stand.
            AtomicInteger accepted = new AtomicInteger();
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            List<Integer> cells = new ArrayList<>(List.of(0, 8));
            for (int cell : cells) {
                pool.execute(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    x.send("make-move", move(roomId, cell));
                });
            }
            go.countDown();
            pool.shutdown();
            assertTrue(pool.awaitTermination(5, TimeUnit.SECONDS));
            for (JsonObject frame : o.unread()) {
                if (frame.getString("event").equals("move-made")) {
                    accepted.incrementAndGet();
                }
            }
            assertEquals(1, accepted.get(), "round " + round);
            x.close();
            o.close();
        }
    }

    @Test
    void atShutdownAPlayerIsNotToldItsOpponentLeft() {
        Conn x = harness.connect();
        Conn o = harness.connect();
        x.send("find-game", "\"xena\"");
        o.send("find-game", "\"otto\"");
        x.unread();
        o.unread();
        harness.namespace.drain();
        x.close();
        o.nothing();
    }

    @Test
    void movesTheRulesRefuseDoNotCountAgainstTheRateLimit() {
        Harness limited = new Harness((rooms, out, clock) -> new GameService(new LocalPresence(), Journals.local(out),
                clock, GameSettings.from(Harness.config("duplex.game.rate-limit.events", "4"))));
        Conn x = limited.connect();
        Conn o = limited.connect();
        x.send("find-game", "\"xena\"");
        x.only("waiting-for-opponent");
        o.send("find-game", "\"otto\"");
        String roomId = o.only("game-start").asJsonObject().getString("roomId");
        x.only("game-start");
        for (int i = 0; i < 3; i++) {
            o.send("make-move", move(roomId, 4), i);
            assertEquals("NOT_YOUR_TURN", o.ackError(i));
        }
        x.send("make-move", move(roomId, 4), 10);
        assertNull(x.ackError(10));
        o.unread();
        o.send("make-move", move(roomId, 0), 11);
        assertNull(o.ackError(11), "o's legal move stands: its three refused ones took no permits");
    }
}
