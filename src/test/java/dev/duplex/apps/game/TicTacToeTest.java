package dev.duplex.apps.game;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duplex.apps.game.TicTacToe.Symbol;
import dev.duplex.core.ErrorCode;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TicTacToeTest {
    private static TicTacToe.Outcome playAll(TicTacToe game, int... positions) {
        TicTacToe.Outcome outcome = null;
        Symbol symbol = Symbol.X;
        for (int position : positions) {
            outcome = game.play(symbol, position);
            symbol = symbol == Symbol.X ? Symbol.O : Symbol.X;
        }
        return outcome;
    }

    @Test
    void xStartsAndTurnsAlternate() {
        TicTacToe game = new TicTacToe();
        assertEquals(new TicTacToe.Rejected(ErrorCode.NOT_YOUR_TURN, "It is X's turn"), game.play(Symbol.O, 0));
        assertEquals(new TicTacToe.Accepted(Symbol.O), game.play(Symbol.X, 4));
        assertEquals(ErrorCode.NOT_YOUR_TURN, ((TicTacToe.Rejected) game.play(Symbol.X, 0)).code());
        assertEquals(ErrorCode.CELL_TAKEN, ((TicTacToe.Rejected) game.play(Symbol.O, 4)).code());
        assertEquals(Arrays.asList(null, null, null, null, "X", null, null, null, null), game.board());
    }

    @Test
    void everyLineWinsWithItsCellsInAscendingOrder() {
        int[][] lines = {{0, 1, 2}, {3, 4, 5}, {6, 7, 8}, {0, 3, 6}, {1, 4, 7}, {2, 5, 8}, {0, 4, 8}, {2, 4, 6}};
        for (int[] line : lines) {
            TicTacToe game = new TicTacToe();
            int[] others = java.util.stream.IntStream.range(0, 9)
                    .filter(c -> Arrays.stream(line).noneMatch(l -> l == c)).toArray();
            // O plays cells that never make a line before X completes its own, in reverse to scramble order.
            TicTacToe.Outcome outcome = playAll(game, line[2], others[0], line[0], others[1], line[1]);
            assertEquals(new TicTacToe.Won(Symbol.X, List.of(line[0], line[1], line[2])), outcome, Arrays.toString(line));
            assertTrue(game.isOver());
        }
    }

    @Test
    void aFullBoardWithoutALineIsADraw() {
        TicTacToe game = new TicTacToe();
        assertEquals(new TicTacToe.Draw(), playAll(game, 0, 1, 2, 4, 3, 5, 7, 6, 8));
        assertEquals(ErrorCode.GAME_OVER, ((TicTacToe.Rejected) game.play(Symbol.O, 0)).code());
    }

    @Test
    void aWinOnTheLastCellIsAWinNotADraw() {
        TicTacToe game = new TicTacToe();
        assertEquals(new TicTacToe.Won(Symbol.X, List.of(2, 4, 6)), playAll(game, 0, 1, 2, 3, 4, 8, 5, 7, 6));
    }

    @Test
    void movesAfterTheEndAreGameOverAndChangeNothing() {
        TicTacToe game = new TicTacToe();
        playAll(game, 0, 3, 1, 4, 2);
        List<String> board = game.board();
        assertEquals(ErrorCode.GAME_OVER, ((TicTacToe.Rejected) game.play(Symbol.O, 8)).code());
        assertEquals(board, game.board());
    }
}
