package dev.duplex.apps.whiteboard;

import dev.duplex.core.Codec;
import dev.duplex.core.RawJson;
import dev.duplex.core.SocketId;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;

/**
 * The history of one board, in drawing order, bounded by whole strokes. Each segment is kept with its JSON,
 * encoded once when it was drawn, so replaying a long history to a late joiner is a join, not a re-encoding.
 * Not thread-safe: the {@link WhiteboardService} holds the board's own lock around every call, so that
 * appending and broadcasting happen in one order for every client.
 */
final class Board {
    /** What an undo removed. */
    record Undone(String strokeId, int removed) {
    }

    private record Drawn(Segment segment, RawJson json) {
    }

    private final int maxSegments;
    private final ArrayDeque<Drawn> history = new ArrayDeque<>();

    Board(int maxSegments) {
        this.maxSegments = maxSegments;
    }

    void append(Segment segment, RawJson json) {
        history.addLast(new Drawn(segment, json));
        while (history.size() > maxSegments) {
            dropOldestStroke();
        }
    }

    /** The oldest segment's whole stroke goes, wherever its segments lie. */
    private void dropOldestStroke() {
        Segment oldest = history.pollFirst().segment();
        if (oldest.strokeId() != null) {
            history.removeIf(drawn -> oldest.sameStroke(drawn.segment()));
        }
    }

    /** Removes the user's most recent stroke; null when the user has nothing on the board. */
    Undone undo(SocketId userId) {
        Drawn last = null;
        for (Iterator<Drawn> it = history.descendingIterator(); it.hasNext(); ) {
            Drawn drawn = it.next();
            if (drawn.segment().userId().equals(userId)) {
                last = drawn;
                break;
            }
        }
        if (last == null) {
            return null;
        }
        Segment segment = last.segment();
        if (segment.strokeId() == null) {
            history.removeLastOccurrence(last);
            return new Undone(null, 1);
        }
        int before = history.size();
        history.removeIf(drawn -> segment.sameStroke(drawn.segment()));
        return new Undone(segment.strokeId(), before - history.size());
    }

    void clear() {
        history.clear();
    }

    boolean isEmpty() {
        return history.isEmpty();
    }

    /** The history as the JSON array {@code load-drawings} carries. */
    RawJson json() {
        return Codec.array(history.stream().map(Drawn::json).toList());
    }

    /** The segments in drawing order. */
    List<Segment> segments() {
        return history.stream().map(Drawn::segment).toList();
    }
}
