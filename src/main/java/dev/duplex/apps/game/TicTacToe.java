package dev.duplex.apps.game;

import dev.duplex.core.ErrorCode;
import java.util.Arrays;
import java.util.List;

/**
 * The rules of tic-tac-toe as a pure state machine: {@link #play} returns what a move did and changes the
 * state only when it is accepted. Cells are numbered 0-8 row by row; X moves first. Not thread-safe: a
 * game's lock guards it.
 */
public final class TicTacToe {
    /** A player's mark. */
    public enum Symbol {
        X, O;

        Symbol other() {
            return this == X ? O : X;
        }
    }

    /** What a move did. */
    public sealed interface Outcome {
    }

    /** The move stands and the game goes on; {@code next} is to move. */
    public record Accepted(Symbol next) implements Outcome {
    }

    /** The move completed {@code line} (ascending cells). */
    public record Won(Symbol winner, List<Integer> line) implements Outcome {
    }

    /** The move filled the board without a line. */
    public record Draw() implements Outcome {
    }

    /** The move breaks a rule; nothing changed. */
    public record Rejected(ErrorCode code, String message) implements Outcome {
    }

    private static final int[][] LINES = {
        {0, 1, 2}, {3, 4, 5}, {6, 7, 8}, {0, 3, 6}, {1, 4, 7}, {2, 5, 8}, {0, 4, 8}, {2, 4, 6}};

    private final Symbol[] cells = new Symbol[9];
    private Symbol turn = Symbol.X;
    private boolean over;

    public Outcome play(Symbol symbol, int position) {
        if (over) {
            return new Rejected(ErrorCode.GAME_OVER, "The game is over");
        }
        if (position < 0 || position > 8) {
            return new Rejected(ErrorCode.INVALID_PAYLOAD, "position must be an integer from 0 to 8");
        }
        if (symbol != turn) {
            return new Rejected(ErrorCode.NOT_YOUR_TURN, "It is " + turn + "'s turn");
        }
        if (cells[position] != null) {
            return new Rejected(ErrorCode.CELL_TAKEN, "Cell " + position + " is taken");
        }
        cells[position] = symbol;
        for (int[] line : LINES) {
            if (cells[line[0]] == symbol && cells[line[1]] == symbol && cells[line[2]] == symbol) {
                over = true;
                return new Won(symbol, List.of(line[0], line[1], line[2]));
            }
        }
        if (Arrays.stream(cells).allMatch(cell -> cell != null)) {
            over = true;
            return new Draw();
        }
        turn = symbol.other();
        return new Accepted(turn);
    }

    /** Ends the game early (a player left). */
    public void end() {
        over = true;
    }

    public boolean isOver() {
        return over;
    }

    public Symbol turn() {
        return turn;
    }

    /** The board as the protocol sends it: 9 entries, "X", "O" or null. */
    public List<String> board() {
        return Arrays.stream(cells).map(cell -> cell == null ? null : cell.name()).toList();
    }
}
