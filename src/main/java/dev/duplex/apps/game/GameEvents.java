package dev.duplex.apps.game;

import dev.duplex.core.Payload;
import dev.duplex.core.SocketId;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.List;

/** The wire shapes of {@code /game} (PROTOCOL.md section 6). */
public final class GameEvents {
    private GameEvents() {
    }

    /** {@code make-move} data. */
    public record MoveRequest(String roomId, int position) {
        static MoveRequest from(JsonValue data) {
            JsonObject object = Payload.object(data);
            return new MoveRequest(Payload.string(object, "roomId"),
                    (int) Payload.integer(object.getOrDefault("position", JsonValue.NULL), "position", 0, 8));
        }
    }

    /** A seat at the table, as {@code game-start} lists it. */
    public record Player(SocketId id, String username, String symbol) {
    }

    public record WaitingForOpponent(String roomId, String symbol) {
    }

    public record GameStart(String roomId, List<Player> players, String turn, List<String> board) {
    }

    public record MoveMade(int position, String symbol, String turn, List<String> board) {
    }

    public record GameOver(String winner, String winnerSymbol, List<Integer> line, List<String> board) {
    }

    public record OpponentDisconnected(String roomId) {
    }
}
