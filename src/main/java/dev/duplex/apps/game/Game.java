package dev.duplex.apps.game;

import dev.duplex.apps.game.GameEvents.Player;
import dev.duplex.apps.game.TicTacToe.Symbol;
import dev.duplex.core.SocketId;
import java.util.ArrayList;
import java.util.List;

/**
 * One game: its players, its board and where it stands. Every method is called with the game's own lock
 * held ({@code synchronized (game)}), so two moves can never both be taken for one turn.
 */
final class Game {
    enum State { WAITING, RUNNING, FINISHED }

    final String roomId;
    final TicTacToe rules = new TicTacToe();
    private final List<Player> players = new ArrayList<>(2);
    private volatile State state = State.WAITING;
    private volatile long finishedAt;
    /** The entries that made the game what it is (seeks, moves, a departure), for rebuilding it elsewhere. */
    private final List<GameEntry> history = new ArrayList<>(12);

    Game(String roomId, SocketId x, String username) {
        this.roomId = roomId;
        players.add(new Player(x, username, Symbol.X.name()));
    }

    void start(SocketId o, String username) {
        players.add(new Player(o, username, Symbol.O.name()));
        state = State.RUNNING;
    }

    void finish(long now) {
        rules.end();
        state = State.FINISHED;
        finishedAt = now;
    }

    void record(GameEntry entry) {
        history.add(entry);
    }

    List<GameEntry> history() {
        return List.copyOf(history);
    }

    State state() {
        return state;
    }

    long finishedAt() {
        return finishedAt;
    }

    List<Player> players() {
        return List.copyOf(players);
    }

    /** The player's symbol, or null for someone else. */
    Symbol symbolOf(SocketId id) {
        for (Player player : players) {
            if (player.id().equals(id)) {
                return Symbol.valueOf(player.symbol());
            }
        }
        return null;
    }

    Player player(Symbol symbol) {
        return players.get(symbol.ordinal());
    }

    List<SocketId> playerIds() {
        return players.stream().map(Player::id).toList();
    }

    /** The other player of a running game, or null. */
    SocketId opponentOf(SocketId id) {
        for (Player player : players) {
            if (!player.id().equals(id)) {
                return player.id();
            }
        }
        return null;
    }
}
