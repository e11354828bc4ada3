package dev.duplex.apps.whiteboard;

import dev.duplex.core.SocketId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The history of one board, in drawing order, bounded by whole strokes. Not thread-safe: the
 * {@link WhiteboardService} holds the board's own lock around every call, so that appending and
 * broadcasting happen in one order for every client.
 */
final class Board {
    /** What an undo removed. */
    record Undone(String strokeId, int removed) {
    }

    private final int maxSegments;
    private final ArrayDeque<Segment> history = new ArrayDeque<>();

    Board(int maxSegments) {
        this.maxSegments = maxSegments;
    }

    void append(Segment segment) {
        history.addLast(segment);
        while (history.size() > maxSegments) {
            dropOldestStroke();
        }
    }

    /** The oldest segment's whole stroke goes, wherever its segments lie. */
    private void dropOldestStroke() {
        Segment oldest = history.pollFirst();
        if (oldest.strokeId() != null) {
            history.removeIf(oldest::sameStroke);
        }
    }

    /** Removes the user's most recent stroke; null when the user has nothing on the board. */
    Undone undo(SocketId userId) {
        Segment last = null;
        for (Iterator<Segment> it = history.descendingIterator(); it.hasNext(); ) {
            Segment segment = it.next();
            if (segment.userId().equals(userId)) {
                last = segment;
                break;
            }
        }
        if (last == null) {
            return null;
        }
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
    }

    boolean isEmpty() {
        return history.isEmpty();
    }

    List<Segment> snapshot() {
        return new ArrayList<>(history);
    }

    int size() {
        return history.size();
    }
}
