package dev.duplex.apps.game;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.duplex.core.Broadcaster;
import dev.duplex.core.ErrorCode;
import dev.duplex.core.ProtocolError;
import dev.duplex.core.SocketId;
import dev.duplex.testing.Harness;
import dev.duplex.testing.ManualClock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The game rules as a journal's machine: entries in, state out, and a snapshot that rebuilds the state. */
class GameRulesTest {
    private static final SocketId ANN = new SocketId("ann");
    private static final SocketId BOB = new SocketId("bob");
    private static final SocketId CAT = new SocketId("cat");
    private static final SocketId DAN = new SocketId("dan");
    private final ManualClock clock = new ManualClock(1_000_000);
    private final GameSettings settings = GameSettings.from(Harness.config());

    private GameRules rules() {
        return new GameRules(clock, settings);
    }

    private static void apply(GameRules rules, GameEntry... entries) {
        for (GameEntry entry : entries) {
            try {
                rules.apply("games", entry, Broadcaster.NONE);
            } catch (ProtocolError refused) {
                // as on every node: a refused entry changes nothing
            }
        }
    }

    private static void refused(ErrorCode code, GameRules rules, GameEntry entry) {
        assertEquals(code, assertThrows(ProtocolError.class, () -> rules.apply("games", entry, Broadcaster.NONE)).code());
    }

    @Test
    void aSnapshotReplayedOntoEmptyRulesRebuildsFinishedRunningAndWaitingGames() {
        GameRules original = rules();
        apply(original,
                new GameEntry.Seek(ANN, "ann", "g1"), new GameEntry.Seek(BOB, "bob", "unused"),
                new GameEntry.Move(ANN, "g1", 0), new GameEntry.Move(BOB, "g1", 3), new GameEntry.Move(ANN, "g1", 1),
                new GameEntry.Move(BOB, "g1", 4), new GameEntry.Move(ANN, "g1", 2),
                // ann plays again, this time against cat, and the game is left running
                new GameEntry.Seek(ANN, "ann", "g2"), new GameEntry.Seek(CAT, "cat", "unused"),
                new GameEntry.Move(ANN, "g2", 4),
                new GameEntry.Seek(BOB, "bob", "g3"), new GameEntry.Leave(BOB, "g3"),
                new GameEntry.Seek(DAN, "dan", "g4"));
        List<GameEntry> snapshot = original.snapshot("games");

        GameRules rebuilt = rules();
        apply(rebuilt, snapshot.toArray(GameEntry[]::new));
        assertEquals(snapshot, rebuilt.snapshot("games"), "the same state, so the same snapshot");
        refused(ErrorCode.GAME_OVER, rebuilt, new GameEntry.Move(ANN, "g1", 8));
        refused(ErrorCode.NOT_YOUR_TURN, rebuilt, new GameEntry.Move(ANN, "g2", 0));
        refused(ErrorCode.CELL_TAKEN, rebuilt, new GameEntry.Move(CAT, "g2", 4));
        refused(ErrorCode.NOT_FOUND, rebuilt, new GameEntry.Move(BOB, "g3", 0));
        refused(ErrorCode.NOT_YOUR_TURN, rebuilt, new GameEntry.Move(DAN, "g4", 0));
        // Dan still waits: the next seeker is paired with dan, in g4.
        apply(rebuilt, new GameEntry.Seek(BOB, "bob", "g5"));
        rebuilt.requirePlayer("g4", BOB);
    }

    @Test
    void aDepartureWithoutAGameEndsWhateverThePlayerIsInAndIsHarmlessTwice() {
        GameRules rules = rules();
        apply(rules, new GameEntry.Seek(ANN, "ann", "g1"), new GameEntry.Seek(BOB, "bob", "x"),
                new GameEntry.Leave(BOB, null), new GameEntry.Leave(BOB, null));
        refused(ErrorCode.GAME_OVER, rules, new GameEntry.Move(ANN, "g1", 0));
        apply(rules, new GameEntry.Seek(CAT, "cat", "g2"), new GameEntry.Leave(CAT, null));
        refused(ErrorCode.NOT_FOUND, rules, new GameEntry.Move(CAT, "g2", 0));
    }

    @Test
    void entriesReadBackAsTheyWereWrittenWhateverTheClientNamedTheGame() {
        for (GameEntry entry : List.of(new GameEntry.Seek(ANN, "ann with spaces", "g1"),
                new GameEntry.Move(ANN, "a room\nid with spaces", 7), new GameEntry.Move(ANN, "", 0),
                new GameEntry.Leave(ANN, " padded "), new GameEntry.Leave(ANN, null))) {
            assertEquals(entry, GameEntry.FORMAT.decode(GameEntry.FORMAT.encode(entry)));
        }
        assertThrows(IllegalArgumentException.class, () -> GameEntry.FORMAT.decode("m ann x g1"));
        assertThrows(IllegalArgumentException.class, () -> GameEntry.FORMAT.decode("q ann"));
    }
}
