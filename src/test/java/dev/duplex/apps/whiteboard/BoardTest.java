package dev.duplex.apps.whiteboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.duplex.core.SocketId;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoardTest {
    private static final SocketId ANN = new SocketId("ann");
    private static final SocketId BOB = new SocketId("bob");

    private static Segment segment(SocketId user, String stroke, double x) {
        return new Segment(0, 0, x, x, "#000000", 1, stroke, user);
    }

    private static List<Double> xs(Board board) {
        return board.snapshot().stream().map(Segment::x).toList();
    }

    @Test
    void undoRemovesTheCallersWholeLastStrokeWhereverItsSegmentsLie() {
        Board board = new Board(100);
        board.append(segment(ANN, "a1", 1));
        board.append(segment(ANN, "a2", 2));
        board.append(segment(BOB, "a2", 3)); // same stroke id, other user: not ann's stroke
        board.append(segment(ANN, "a2", 4));
        assertEquals(new Board.Undone("a2", 2), board.undo(ANN));
        assertEquals(List.of(1.0, 3.0), xs(board));
        assertEquals(new Board.Undone("a1", 1), board.undo(ANN));
        assertNull(board.undo(ANN));
        assertEquals(List.of(3.0), xs(board));
    }

    @Test
    void undoOfASegmentWithoutStrokeRemovesJustThatSegment() {
        Board board = new Board(100);
        board.append(segment(ANN, null, 1));
        board.append(segment(ANN, null, 2));
        assertEquals(new Board.Undone(null, 1), board.undo(ANN));
        assertEquals(List.of(1.0), xs(board));
    }

    @Test
    void pastTheBoundTheOldestWholeStrokesAreDropped() {
        Board board = new Board(4);
        board.append(segment(ANN, "s1", 1));
        board.append(segment(BOB, "t1", 2));
        board.append(segment(ANN, "s1", 3));
        board.append(segment(BOB, "t1", 4));
        board.append(segment(ANN, "s2", 5)); // 5 > 4: ann's s1 (segments 1 and 3) goes
        assertEquals(List.of(2.0, 4.0, 5.0), xs(board));
        board.append(segment(ANN, null, 6));
        board.append(segment(ANN, null, 7)); // 5 > 4: bob's t1 goes
        assertEquals(List.of(5.0, 6.0, 7.0), xs(board));
    }
}
