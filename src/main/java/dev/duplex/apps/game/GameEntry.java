package dev.duplex.apps.game;

import dev.duplex.core.Journal;
import dev.duplex.core.SocketId;

/** One change to the namespace's games, as its journal carries it: a seek, a move, a departure. */
sealed interface GameEntry {
    /** {@code find-game}: {@code gameId} names the game the seeker opens if nobody is waiting. */
    record Seek(SocketId id, String username, String gameId) implements GameEntry {
    }

    /** {@code make-move}, as the client named the game. */
    record Move(SocketId id, String gameId, int position) implements GameEntry {
    }

    /** {@code leave-game} for a named game, or (null) a player gone from whatever it waits for or plays. */
    record Leave(SocketId id, String gameId) implements GameEntry {
    }

    /**
     * Entries as text between nodes, the client's text last so that it may hold anything:
     * {@code s <id> <gameId> <username>}, {@code m <id> <position> <gameId>}, {@code l <id>[ <gameId>]}.
     * Socket ids and server-made game ids are URL-safe base64 and hold no space.
     */
    Journal.Format<GameEntry> FORMAT = new Journal.Format<>() {
        @Override
        public String encode(GameEntry entry) {
            if (entry instanceof Seek seek) {
                return "s " + seek.id().value() + " " + seek.gameId() + " " + seek.username();
            }
            if (entry instanceof Move move) {
                return "m " + move.id().value() + " " + move.position() + " " + move.gameId();
            }
            Leave leave = (Leave) entry;
            return "l " + leave.id().value() + (leave.gameId() == null ? "" : " " + leave.gameId());
        }

        @Override
        public GameEntry decode(String text) {
            String[] parts = text.split(" ", text.startsWith("l ") ? 3 : 4);
            try {
                if (parts.length == 4 && parts[0].equals("s")) {
                    return new Seek(new SocketId(parts[1]), parts[3], parts[2]);
                }
                if (parts.length == 4 && parts[0].equals("m")) {
                    return new Move(new SocketId(parts[1]), parts[3], Integer.parseInt(parts[2]));
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Not a game entry: bad position");
            }
            if (parts[0].equals("l") && (parts.length == 2 || parts.length == 3)) {
                return new Leave(new SocketId(parts[1]), parts.length == 3 ? parts[2] : null);
            }
            throw new IllegalArgumentException("Not a game entry");
        }
    };
}
