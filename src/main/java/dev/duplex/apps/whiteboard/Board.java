package dev.duplex.apps.whiteboard;

import dev.duplex.core.Codec;
import dev.duplex.core.OutgoingText;
import dev.duplex.core.RawJson;
import dev.duplex.core.SocketId;
import dev.duplex.core.StreamCopy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

/**
 * The history of one board, in drawing order, bounded by whole strokes. Each segment is kept as the JSON it
 * was broadcast as, with just what undo needs beside it (who drew it, in which stroke), so replaying a long
 * history to a late joiner is a join, not a re-encoding. The {@code load-drawings} frame is built once per
 * version of the history and shared by everyone who asks for that version: requests for an unchanged board
 * cost no memory of their own.
 *
 * <p>Not thread-safe: the {@link WhiteboardService} holds the board's own lock around every call, so that
 * appending and broadcasting happen in one order for every client. The board is this node's copy of a
 * journaled state ({@link #copy}).
 */
final class Board {
    /** What an undo removed. */
    record Undone(String strokeId, int removed) {
    }

    private final String name;
    private final int maxSegments;
    private final ArrayDeque<BoardEntry.Draw> history = new ArrayDeque<>();
    private OutgoingText loadDrawings;
    /** This node's copy of the board's journal. */
    final StreamCopy copy;

    Board(String name, int maxSegments) {
        this.name = name;
        this.maxSegments = maxSegments;
        this.copy = new StreamCopy(name);
    }

    String name() {
        return name;
    }

    void append(BoardEntry.Draw draw) {
        history.addLast(draw);
        while (history.size() > maxSegments) {
            dropOldestStroke();
        }
        loadDrawings = null;
    }

    /** The oldest segment's whole stroke goes, wherever its segments lie. */
    private void dropOldestStroke() {
        BoardEntry.Draw oldest = history.pollFirst();
        if (oldest.strokeId() != null) {
            history.removeIf(oldest::sameStroke);
        }
    }

    /** Removes the user's most recent stroke; null when the user has nothing on the board. */
    Undone undo(SocketId userId) {
        BoardEntry.Draw last = null;
        for (Iterator<BoardEntry.Draw> it = history.descendingIterator(); it.hasNext(); ) {
            BoardEntry.Draw drawn = it.next();
            if (drawn.userId().equals(userId)) {
                last = drawn;
                break;
            }
        }
        if (last == null) {
            return null;
        }
        loadDrawings = null;
        if (last.strokeId() == null) {
            history.removeLastOccurrence(last);
            return new Undone(null, 1);
        }
        int before = history.size();
        history.removeIf(last::sameStroke);
        return new Undone(last.strokeId(), before - history.size());
    }

    void clear() {
        history.clear();
        loadDrawings = null;
    }

    boolean isEmpty() {
        return history.isEmpty();
    }

    int size() {
        return history.size();
    }

    /** The history as journal entries: replayed in order onto an empty board, they rebuild this one. */
    List<BoardEntry> entries() {
        return new ArrayList<>(history);
    }

    /** The history as the JSON array {@code load-drawings} carries. */
    RawJson json() {
        return Codec.array(history.stream().map(BoardEntry.Draw::json).toList());
    }

    /** The {@code load-drawings} frame of this version, encoded by {@code encoder} on the first request. */
    OutgoingText loadDrawings(Function<RawJson, OutgoingText> encoder) {
        if (loadDrawings == null) {
            loadDrawings = encoder.apply(json());
        }
        return loadDrawings;
    }
}
