package dev.duplex.apps.whiteboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.duplex.core.Codec;
import dev.duplex.core.SocketId;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoardTest {
    private static final SocketId ANN = new SocketId("ann");
    private static final SocketId BOB = new SocketId("bob");

    private static Segment segment(SocketId user, String stroke, double x) {
        return new Segment(0, 0, x, x, "#000000", 1, stroke, user);
    }

    private static final Codec CODEC = new Codec();

    private static List<Double> xs(Board board) {
        return jakarta.json.Json.createReader(new java.io.StringReader(board.json().json())).readArray()
                .getValuesAs(jakarta.json.JsonObject.class).stream().map(s -> s.getJsonNumber("x").doubleValue()).toList();
    }

    private static void draw(Board board, Segment segment) {
        board.append(new BoardEntry.Draw(segment.userId(), segment.strokeId(), CODEC.json(segment)));
    }

    @Test
    void undoRemovesTheCallersWholeLastStrokeWhereverItsSegmentsLie() {
        Board board = new Board("b", 100);
        draw(board, segment(ANN, "a1", 1));
        draw(board, segment(ANN, "a2", 2));
        draw(board, segment(BOB, "a2", 3)); // same stroke id, other user: not ann's stroke
        draw(board, segment(ANN, "a2", 4));
        assertEquals(new Board.Undone("a2", 2), board.undo(ANN));
        assertEquals(List.of(1.0, 3.0), xs(board));
        assertEquals(new Board.Undone("a1", 1), board.undo(ANN));
        assertNull(board.undo(ANN));
        assertEquals(List.of(3.0), xs(board));
    }

    @Test
    void undoOfASegmentWithoutStrokeRemovesJustThatSegment() {
        Board board = new Board("b", 100);
        draw(board, segment(ANN, null, 1));
        draw(board, segment(ANN, null, 2));
        assertEquals(new Board.Undone(null, 1), board.undo(ANN));
        assertEquals(List.of(1.0), xs(board));
    }

    @Test
    void theHistoryJsonIsTheStoredSegmentsInOrder() {
        Board board = new Board("b", 10);
        draw(board, segment(ANN, "s", 1));
        draw(board, segment(BOB, null, 2));
        String json = board.json().json();
        assertEquals(CODEC.json(segment(ANN, "s", 1)).json(), json.substring(1, json.indexOf("},") + 1));
        assertEquals(2, jakarta.json.Json.createReader(new java.io.StringReader(json)).readArray().size());
        assertEquals("[]", new Board("b", 1).json().json());
    }

    @Test
    void pastTheBoundTheOldestWholeStrokesAreDropped() {
        Board board = new Board("b", 4);
        draw(board, segment(ANN, "s1", 1));
        draw(board, segment(BOB, "t1", 2));
        draw(board, segment(ANN, "s1", 3));
        draw(board, segment(BOB, "t1", 4));
        draw(board, segment(ANN, "s2", 5)); // 5 > 4: ann's s1 (segments 1 and 3) goes
        assertEquals(List.of(2.0, 4.0, 5.0), xs(board));
        draw(board, segment(ANN, null, 6));
        draw(board, segment(ANN, null, 7)); // 5 > 4: bob's t1 goes
        assertEquals(List.of(5.0, 6.0, 7.0), xs(board));
    }

    @Test
    void theLoadDrawingsFrameIsBuiltOncePerVersionOfTheHistory() {
        Board board = new Board("b", 10);
        java.util.concurrent.atomic.AtomicInteger built = new java.util.concurrent.atomic.AtomicInteger();
        java.util.function.Function<dev.duplex.core.RawJson, dev.duplex.core.OutgoingText> encoder = json -> {
            built.incrementAndGet();
            return new dev.duplex.core.OutgoingText(json.json());
        };
        draw(board, segment(ANN, "s", 1));
        dev.duplex.core.OutgoingText first = board.loadDrawings(encoder);
        assertSame(first, board.loadDrawings(encoder), "an unchanged board shares one frame");
        draw(board, segment(ANN, "s", 2));
        dev.duplex.core.OutgoingText second = board.loadDrawings(encoder);
        assertNotSame(first, second);
        board.undo(ANN);
        assertNotSame(second, board.loadDrawings(encoder), "undo is a new version");
        board.clear();
        assertEquals("[]", board.loadDrawings(encoder).text(), "clear too");
        assertEquals(4, built.get());
    }
}
