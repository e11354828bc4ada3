package dev.duplex.apps.whiteboard;

import dev.duplex.core.Journal;
import dev.duplex.core.RawJson;
import dev.duplex.core.SocketId;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** One change to a board, as its journal carries it: a segment drawn, an undo, a clear. */
sealed interface BoardEntry {
    /** A segment as drawn: who drew it, in which stroke (null: none), and its JSON as broadcast. */
    record Draw(SocketId userId, String strokeId, RawJson json) implements BoardEntry {
        /** Whether this segment belongs to the same stroke of the same user (no stroke id: none). */
        boolean sameStroke(Draw other) {
            return strokeId != null && userId.equals(other.userId) && strokeId.equals(other.strokeId);
        }
    }

    record Undo(SocketId userId) implements BoardEntry {
    }

    record Clear(SocketId userId) implements BoardEntry {
    }

    /**
     * Entries as text between nodes: {@code d <userId> <stroke> <json>} (the stroke id in URL-safe base64, or
     * {@code -} for none, so that the JSON need not be parsed again), {@code u <userId>}, {@code c <userId>}.
     * Socket ids are URL-safe base64 and hold no space.
     */
    Journal.Format<BoardEntry> FORMAT = new Journal.Format<>() {
        private final Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
        private final Base64.Decoder decoder = Base64.getUrlDecoder();

        @Override
        public String encode(BoardEntry entry) {
            if (entry instanceof Draw draw) {
                String stroke = draw.strokeId() == null ? "-"
                        : encoder.encodeToString(draw.strokeId().getBytes(StandardCharsets.UTF_8));
                return "d " + draw.userId().value() + " " + stroke + " " + draw.json().json();
            }
            return (entry instanceof Undo undo ? "u " + undo.userId().value() : "c " + ((Clear) entry).userId().value());
        }

        @Override
        public BoardEntry decode(String text) {
            String[] parts = text.split(" ", 4);
            if (parts.length == 4 && parts[0].equals("d")) {
                String strokeId = parts[2].equals("-") ? null
                        : new String(decoder.decode(parts[2]), StandardCharsets.UTF_8);
                return new Draw(new SocketId(parts[1]), strokeId, new RawJson(parts[3]));
            }
            if (parts.length == 2 && parts[0].equals("u")) {
                return new Undo(new SocketId(parts[1]));
            }
            if (parts.length == 2 && parts[0].equals("c")) {
                return new Clear(new SocketId(parts[1]));
            }
            throw new IllegalArgumentException("Not a board entry: " + (text.length() > 40 ? text.substring(0, 40) : text));
        }
    };
}
