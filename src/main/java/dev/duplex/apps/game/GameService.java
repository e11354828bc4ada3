package dev.duplex.apps.game;

import dev.duplex.apps.game.GameEvents.MoveRequest;
import dev.duplex.core.Broadcaster;
import dev.duplex.core.Client;
import dev.duplex.core.CloseCode;
import dev.duplex.core.EventTable;
import dev.duplex.core.Ids;
import dev.duplex.core.Journal;
import dev.duplex.core.Journals;
import dev.duplex.core.NamespaceApp;
import dev.duplex.core.Payload;
import dev.duplex.core.Presence;
import dev.duplex.core.Refusal;
import dev.duplex.core.SocketId;
import dev.duplex.core.Text;
import jakarta.json.JsonValue;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code /game} (PROTOCOL.md section 6): checks each request against this node's copy of the games, then
 * appends it to the namespace's one journaled stream, where {@link GameRules} applies it in one order for
 * every node; on a node alone at once. In a cluster a node holds the copy while it has {@code /game}
 * connections. Every connection is present in the {@code players} scope, so that when a node dies the
 * others end the games of its players ({@code opponent-disconnected} to the survivors).
 */
public final class GameService implements NamespaceApp {
    private static final String GAMES = "games";
    private static final String PLAYERS = "players";

    private final Presence presence;
    private final GameRules rules;
    private final Journal<GameEntry> journal;
    private final GameSettings settings;
    private final Object following = new Object();
    /** This node's {@code /game} connections and its copy of the games while there are any; under {@link #following}. */
    private int connections;
    private Journal.Copy copy;
    /** This node's connections that have sought a game: each leaves on close, whatever the copy shows. */
    private final Set<SocketId> seekers = ConcurrentHashMap.newKeySet();

    public GameService(Presence presence, Journals journals, Clock clock, GameSettings settings) {
        this.presence = presence;
        this.settings = settings;
        this.rules = new GameRules(clock, settings);
        this.journal = journals.open("games", rules, GameEntry.FORMAT);
        presence.onReconciled(this::reconciled);
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

    /** The connection's requests wait until this node's copy of the games is current. */
    @Override
    public CompletionStage<?> opened(Client client) {
        presence.join(PLAYERS, client.id(), "");
        CompletionStage<Void> current;
        synchronized (following) {
            if (copy == null || copy.current().toCompletableFuture().isCompletedExceptionally()) {
                copy = journal.follow(GAMES);
            }
            connections++;
            current = copy.current();
        }
        return current.exceptionally(failure -> {
            throw new Refusal(CloseCode.TRY_AGAIN_LATER, "The games cannot be loaded just now: try again later");
        });
    }

    private CompletionStage<Object> findGame(Client client, JsonValue data) {
        String username = client.authenticatedName()
                .orElseGet(() -> Text.name(Payload.string(data, "username"), "username", 32));
        seekers.add(client.id());
        // The id is made here, so that every node opens the same game if the seeker has to wait.
        return journal.append(GAMES, new GameEntry.Seek(client.id(), username, Ids.next()));
    }

    private CompletionStage<Object> makeMove(Client client, MoveRequest move) {
        // Refused here what is sure to be refused, so that no stranger's guess reaches the journal.
        rules.requirePlayer(move.roomId(), client.id());
        return journal.append(GAMES, new GameEntry.Move(client.id(), move.roomId(), move.position()));
    }

    private CompletionStage<Object> leaveGame(Client client, String roomId) {
        rules.requirePlayer(roomId, client.id());
        return journal.append(GAMES, new GameEntry.Leave(client.id(), roomId));
    }

    @Override
    public void closed(Client client) {
        // Whatever this copy shows: a seek it has not applied yet (or answered UNAVAILABLE and applied after
        // all) must not leave a seat to a player who has gone.
        if (seekers.remove(client.id())) {
            journal.append(GAMES, new GameEntry.Leave(client.id(), null));
        }
        presence.leave(PLAYERS, client.id());
        synchronized (following) {
            if (--connections == 0 && copy != null) {
                copy.close();
                copy = null;
            }
        }
    }

    /** Another node's player went with its node: whatever it waited for or played ends. */
    private void reconciled(SocketId id, Map<String, String> before, Map<String, String> after, Broadcaster here) {
        if (before.containsKey(PLAYERS) && !after.containsKey(PLAYERS)) {
            // Every node that learns of it appends the same departure, whether or not it holds a copy (one
            // may be loading, or none here): the first ends the game, the rest find nothing to end.
            journal.append(GAMES, new GameEntry.Leave(id, null));
        }
    }

    @Override
    public void draining() {
        rules.draining();
    }
}
