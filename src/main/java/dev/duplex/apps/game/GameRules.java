package dev.duplex.apps.game;

import dev.duplex.apps.game.GameEvents.GameOver;
import dev.duplex.apps.game.GameEvents.GameStart;
import dev.duplex.apps.game.GameEvents.MoveMade;
import dev.duplex.apps.game.GameEvents.OpponentDisconnected;
import dev.duplex.apps.game.GameEvents.WaitingForOpponent;
import dev.duplex.apps.game.TicTacToe.Symbol;
import dev.duplex.core.Broadcaster;
import dev.duplex.core.ErrorCode;
import dev.duplex.core.Journal;
import dev.duplex.core.ProtocolError;
import dev.duplex.core.SocketId;
import dev.duplex.core.Target;
import dev.duplex.core.Text;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Matchmaking and every game of the namespace, changed only by {@link GameEntry}s applied in the journal's
 * order (PROTOCOL.md section 6): the same state, events and answers on every node that applies them, each
 * node telling its own players. Matchmaking has one lock for the single waiting seat; each game has its
 * own, taken after the matchmaking lock when both are needed. Finished games answer {@code GAME_OVER} for
 * the retention time, then are forgotten (by each node on its own clock: only later answers differ).
 */
final class GameRules implements Journal.Machine<GameEntry> {
    private final Clock clock;
    private final GameSettings settings;
    private final ConcurrentHashMap<String, Game> games = new ConcurrentHashMap<>();
    /** Each connection's waiting or running game. */
    private final ConcurrentHashMap<SocketId, Game> current = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Game> finished = new ConcurrentLinkedQueue<>();
    private final Object matchmaking = new Object();
    private Game waiting;
    private volatile boolean draining;

    GameRules(Clock clock, GameSettings settings) {
        this.clock = clock;
        this.settings = settings;
    }

    /** Shutdown has begun: a game this node's closes end is not announced (the server left, not a player). */
    void draining() {
        draining = true;
    }

    /** NOT_FOUND for no such game, FORBIDDEN when the connection is not one of its players. */
    void requirePlayer(String roomId, SocketId id) {
        Game game = find(roomId);
        synchronized (game) {
            requirePlayer(game, id, roomId);
        }
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

    @Override
    public Object apply(String stream, GameEntry entry, Broadcaster here) {
        if (entry instanceof GameEntry.Seek seek) {
            seek(seek, here);
        } else if (entry instanceof GameEntry.Move move) {
            move(move, here);
        } else {
            GameEntry.Leave leave = (GameEntry.Leave) entry;
            if (leave.gameId() != null) {
                Game game = find(leave.gameId());
                synchronized (game) {
                    requirePlayer(game, leave.id(), leave.gameId());
                }
                leave(leave, game, here);
            } else {
                Game game = current.get(leave.id());
                if (game != null) {
                    leave(leave, game, here);
                }
            }
        }
        return null;
    }

    private void seek(GameEntry.Seek seek, Broadcaster here) {
        SocketId id = seek.id();
        forgetExpiredGames();
        synchronized (matchmaking) {
            Game mine = current.get(id);
            if (mine == waiting && mine != null) {
                here.emit(Target.socket(id), "waiting-for-opponent", new WaitingForOpponent(mine.roomId, Symbol.X.name()));
                return;
            }
            if (mine != null) {
                throw new ProtocolError(ErrorCode.FORBIDDEN, "You are already playing game " + mine.roomId);
            }
            if (waiting == null) {
                Game game = new Game(seek.gameId(), id, seek.username());
                game.record(seek);
                games.put(game.roomId, game);
                current.put(id, game);
                waiting = game;
                here.emit(Target.socket(id), "waiting-for-opponent", new WaitingForOpponent(game.roomId, Symbol.X.name()));
                return;
            }
            Game game = waiting;
            waiting = null;
            synchronized (game) {
                game.start(id, seek.username());
                game.record(seek);
                current.put(id, game);
                here.emit(Target.sockets(game.playerIds()), "game-start",
                        new GameStart(game.roomId, game.players(), game.rules.turn().name(), game.rules.board()));
            }
        }
    }

    private void move(GameEntry.Move move, Broadcaster here) {
        Game game = find(move.gameId());
        synchronized (game) {
            Symbol symbol = requirePlayer(game, move.id(), move.gameId());
            if (game.state() == Game.State.WAITING) {
                throw new ProtocolError(ErrorCode.NOT_YOUR_TURN, "The game has not started: waiting for an opponent");
            }
            TicTacToe.Outcome outcome = game.rules.play(symbol, move.position());
            Target players = Target.sockets(game.playerIds());
            if (outcome instanceof TicTacToe.Rejected rejected) {
                throw new ProtocolError(rejected.code(), rejected.message());
            }
            game.record(move);
            if (outcome instanceof TicTacToe.Accepted accepted) {
                here.emit(players, "move-made",
                        new MoveMade(move.position(), symbol.name(), accepted.next().name(), game.rules.board()));
            } else if (outcome instanceof TicTacToe.Won won) {
                end(game);
                here.emit(players, "game-over", new GameOver(game.player(won.winner()).username(),
                        won.winner().name(), won.line(), game.rules.board()));
            } else {
                end(game);
                here.emit(players, "game-over", new GameOver(null, null, null, game.rules.board()));
            }
        }
    }

    /** The player's symbol in the game, or FORBIDDEN. */
    private static Symbol requirePlayer(Game game, SocketId id, String roomId) {
        Symbol symbol = game.symbolOf(id);
        if (symbol == null) {
            throw new ProtocolError(ErrorCode.FORBIDDEN, "You are not a player of game " + Text.excerpt(roomId));
        }
        return symbol;
    }

    /** A waiting game is withdrawn; a running one ends and the opponent is told. */
    private void leave(GameEntry.Leave leave, Game game, Broadcaster here) {
        SocketId id = leave.id();
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
            game.record(leave);
            end(game);
            // At shutdown the opponent is being closed with 1001 too: it did not leave, the server did.
            if (!draining) {
                here.emit(Target.socket(game.opponentOf(id)), "opponent-disconnected", new OpponentDisconnected(game.roomId));
            }
        }
    }

    private void end(Game game) {
        game.finish(clock.millis());
        game.playerIds().forEach(player -> current.remove(player, game));
        finished.add(game);
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

    @Override
    public void reset(String stream) {
        synchronized (matchmaking) {
            waiting = null;
            games.clear();
            current.clear();
            finished.clear();
        }
    }

    /**
     * After a rebuild the copy is right but this node's players may have missed what changed: each game they
     * are in is told as it stands now (a running game as {@code game-start}, the board included).
     */
    @Override
    public void rebuilt(String stream, Broadcaster here) {
        for (Game game : games.values()) {
            synchronized (game) {
                if (game.state() == Game.State.RUNNING) {
                    here.emit(Target.sockets(game.playerIds()), "game-start",
                            new GameStart(game.roomId, game.players(), game.rules.turn().name(), game.rules.board()));
                }
            }
        }
    }

    /**
     * Each kept game's own entries: the finished ones in the order they finished (a player may have played
     * several), then the running ones (whose players are all different), then the waiting one. Replayed in
     * order onto empty matchmaking they pair the same players into the same games and replay their moves.
     */
    @Override
    public List<GameEntry> snapshot(String stream) {
        // Games past their retention are not carried over: replaying them would keep them for another one.
        forgetExpiredGames();
        List<Game> order = new ArrayList<>(finished);
        Game seat;
        synchronized (matchmaking) {
            seat = waiting;
        }
        for (Game game : games.values()) {
            if (game.state() == Game.State.RUNNING) {
                order.add(game);
            }
        }
        if (seat != null) {
            order.add(seat);
        }
        List<GameEntry> entries = new ArrayList<>();
        for (Game game : order) {
            synchronized (game) {
                entries.addAll(game.history());
            }
        }
        return entries;
    }
}
