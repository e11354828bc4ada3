package dev.duplex.apps.game;

import dev.duplex.apps.game.GameEvents.GameOver;
import dev.duplex.apps.game.GameEvents.GameStart;
import dev.duplex.apps.game.GameEvents.MoveMade;
import dev.duplex.apps.game.GameEvents.MoveRequest;
import dev.duplex.apps.game.GameEvents.OpponentDisconnected;
import dev.duplex.apps.game.GameEvents.WaitingForOpponent;
import dev.duplex.apps.game.TicTacToe.Symbol;
import dev.duplex.core.Broadcaster;
import dev.duplex.core.Client;
import dev.duplex.core.ErrorCode;
import dev.duplex.core.EventTable;
import dev.duplex.core.Ids;
import dev.duplex.core.NamespaceApp;
import dev.duplex.core.Payload;
import dev.duplex.core.ProtocolError;
import dev.duplex.core.SocketId;
import dev.duplex.core.Target;
import dev.duplex.core.Text;
import jakarta.json.JsonValue;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The rules of {@code /game} (PROTOCOL.md section 6): matchmaking, moves, the end of games. Matchmaking
 * has one lock for the single waiting seat; each game has its own, taken after the matchmaking lock
 * when both are needed. Finished games answer {@code GAME_OVER} for the retention time, then are forgotten.
 */
public final class GameService implements NamespaceApp {
    private final Broadcaster out;
    private final Clock clock;
    private final GameSettings settings;
    private final ConcurrentHashMap<String, Game> games = new ConcurrentHashMap<>();
    /** Each connection's waiting or running game. */
    private final ConcurrentHashMap<SocketId, Game> current = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Game> finished = new ConcurrentLinkedQueue<>();
    private final Object matchmaking = new Object();
    private Game waiting;
    private volatile boolean draining;

    public GameService(Broadcaster out, Clock clock, GameSettings settings) {
        this.out = out;
        this.clock = clock;
        this.settings = settings;
    }

    @Override
    public String path() {
        return "/game";
    }

    @Override
    public void register(EventTable events) {
        events.on("find-game", data -> data, this::findGame)
                .on("make-move", MoveRequest::from, this::makeMove)
                .on("leave-game", data -> Payload.string(data, "roomId"), this::leaveGame)
                .limit(settings.events(), "find-game", "make-move", "leave-game");
    }

    private Object findGame(Client client, JsonValue data) {
        String username = client.authenticatedName()
                .orElseGet(() -> Text.name(Payload.string(data, "username"), "username", 32));
        SocketId id = client.id();
        forgetExpiredGames();
        synchronized (matchmaking) {
            Game mine = current.get(id);
            if (mine == waiting && mine != null) {
                out.emit(Target.socket(id), "waiting-for-opponent", new WaitingForOpponent(mine.roomId, Symbol.X.name()));
                return null;
            }
            if (mine != null) {
                throw new ProtocolError(ErrorCode.FORBIDDEN, "You are already playing game " + mine.roomId);
            }
            if (waiting == null) {
                Game game = new Game(Ids.next(), id, username);
                games.put(game.roomId, game);
                current.put(id, game);
                waiting = game;
                out.emit(Target.socket(id), "waiting-for-opponent", new WaitingForOpponent(game.roomId, Symbol.X.name()));
                return null;
            }
            Game game = waiting;
            waiting = null;
            synchronized (game) {
                game.start(id, username);
                current.put(id, game);
                out.emit(Target.sockets(game.playerIds()), "game-start",
                        new GameStart(game.roomId, game.players(), game.rules.turn().name(), game.rules.board()));
            }
        }
        return null;
    }

    private Object makeMove(Client client, MoveRequest move) {
        Game game = find(move.roomId());
        synchronized (game) {
            Symbol symbol = game.symbolOf(client.id());
            if (symbol == null) {
                throw new ProtocolError(ErrorCode.FORBIDDEN, "You are not a player of game " + Text.excerpt(move.roomId()));
            }
            if (game.state() == Game.State.WAITING) {
                throw new ProtocolError(ErrorCode.NOT_YOUR_TURN, "The game has not started: waiting for an opponent");
            }
            TicTacToe.Outcome outcome = game.rules.play(symbol, move.position());
            Target players = Target.sockets(game.playerIds());
            if (outcome instanceof TicTacToe.Rejected rejected) {
                throw new ProtocolError(rejected.code(), rejected.message());
            }
            if (outcome instanceof TicTacToe.Accepted accepted) {
                out.emit(players, "move-made",
                        new MoveMade(move.position(), symbol.name(), accepted.next().name(), game.rules.board()));
            } else if (outcome instanceof TicTacToe.Won won) {
                end(game);
                out.emit(players, "game-over", new GameOver(game.player(won.winner()).username(),
                        won.winner().name(), won.line(), game.rules.board()));
            } else {
                end(game);
                out.emit(players, "game-over", new GameOver(null, null, null, game.rules.board()));
            }
        }
        return null;
    }

    private Object leaveGame(Client client, String roomId) {
        Game game = find(roomId);
        synchronized (game) {
            if (game.symbolOf(client.id()) == null) {
                throw new ProtocolError(ErrorCode.FORBIDDEN, "You are not a player of game " + Text.excerpt(roomId));
            }
        }
        leave(client.id(), game);
        return null;
    }

    @Override
    public void closed(Client client) {
        Game game = current.get(client.id());
        if (game != null) {
            leave(client.id(), game);
        }
    }

    /** A waiting game is withdrawn; a running one ends and the opponent is told. */
    private void leave(SocketId id, Game game) {
        synchronized (matchmaking) {
            if (waiting == game) {
                waiting = null;
                games.remove(game.roomId);
                current.remove(id);
                return;
            }
        }
        synchronized (game) {
            if (game.state() != Game.State.RUNNING) {
                return;
            }
            end(game);
            // At shutdown the opponent is being closed with 1001 too: it did not leave, the server did.
            if (!draining) {
                out.emit(Target.socket(game.opponentOf(id)), "opponent-disconnected", new OpponentDisconnected(game.roomId));
            }
        }
    }

    @Override
    public void draining() {
        draining = true;
    }

    private void end(Game game) {
        game.finish(clock.millis());
        game.playerIds().forEach(player -> current.remove(player, game));
        finished.add(game);
    }

    /** The game, or NOT_FOUND. */
    private Game find(String roomId) {
        forgetExpiredGames();
        Game game = games.get(roomId);
        if (game == null) {
            throw new ProtocolError(ErrorCode.NOT_FOUND, "No game " + Text.excerpt(roomId));
        }
        return game;
    }

    /** Finished games past their retention go, oldest first; called on the way of every request. */
    private void forgetExpiredGames() {
        long now = clock.millis();
        for (Game oldest; (oldest = finished.peek()) != null && now - oldest.finishedAt() >= settings.finishedRetentionMillis(); ) {
            if (finished.remove(oldest)) {
                games.remove(oldest.roomId, oldest);
            }
        }
    }
}
