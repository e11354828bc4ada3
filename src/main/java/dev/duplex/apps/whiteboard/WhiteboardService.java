package dev.duplex.apps.whiteboard;

import dev.duplex.core.Broadcaster;
import dev.duplex.core.Client;
import dev.duplex.core.Codec;
import dev.duplex.core.ErrorCode;
import dev.duplex.core.EventTable;
import dev.duplex.core.NamespaceApp;
import dev.duplex.core.ProtocolError;
import dev.duplex.core.RawJson;
import dev.duplex.core.RoomRegistry;
import dev.duplex.core.SharedStates;
import dev.duplex.core.SocketId;
import dev.duplex.core.Target;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rules of {@code /whiteboard} (PROTOCOL.md section 5). Each board has its own lock, held while its
 * history changes and the change is broadcast, so every client sees one drawing order and a late joiner's
 * {@code load-drawings} is followed by exactly the segments drawn after it.
 */
public final class WhiteboardService implements NamespaceApp {
    public record UndoEvent(SocketId userId, String strokeId, int removed) {
    }

    public record ClearEvent(SocketId userId) {
    }

    private record Member(String board) {
    }

    private final RoomRegistry rooms;
    private final Broadcaster out;
    private final Codec codec;
    private final WhiteboardSettings settings;
    private final SharedStates<Board> boards;
    private final ConcurrentHashMap<SocketId, Member> members = new ConcurrentHashMap<>();

    public WhiteboardService(RoomRegistry rooms, Broadcaster out, Codec codec, WhiteboardSettings settings) {
        this.rooms = rooms;
        this.out = out;
        this.codec = codec;
        this.settings = settings;
        this.boards = new SharedStates<>(name -> new Board(settings.maxHistory()));
    }

    @Override
    public String path() {
        return "/whiteboard";
    }

    @Override
    public void register(EventTable events) {
        events.on("draw", data -> data, (client, data) -> draw(client, Segment.from(data, client.id())))
                .on("undo", this::undo)
                .on("clear-canvas", this::clear)
                .on("request-drawings", this::requestDrawings)
                .limit(settings.drawing(), "draw", "undo", "clear-canvas")
                .limit(settings.requests(), "request-drawings");
    }

    @Override
    public void admit(Client client) {
        client.roomParameter("board");
    }

    @Override
    public void opened(Client client) {
        String name = client.roomParameter("board");
        members.put(client.id(), new Member(name));
        // The history's place in the joiner's queue is fixed under the lock, before any later draw; the
        // write (a long history can be megabytes) happens after it is released.
        boards.enter(name, board -> {
            rooms.join(name, client.id());
            return out.emitLater(Target.socket(client.id()), "load-drawings", board.json());
        }).run();
    }

    private Object draw(Client client, Segment segment) {
        Member member = member(client);
        Board board = board(member);
        // Encoded once, outside the lock: the same JSON is broadcast now and replayed to late joiners.
        RawJson json = codec.json(segment);
        Runnable write;
        synchronized (board) {
            board.append(segment, json);
            write = out.emitLater(Target.room(member.board()).except(client.id()), "draw", json);
        }
        write.run();
        return null;
    }

    private Object undo(Client client) {
        Member member = member(client);
        Board board = board(member);
        synchronized (board) {
            Board.Undone undone = board.undo(client.id());
            if (undone == null) {
                throw new ProtocolError(ErrorCode.NOT_FOUND, "Nothing of yours to undo");
            }
            out.emit(Target.room(member.board()), "undo", new UndoEvent(client.id(), undone.strokeId(), undone.removed()));
        }
        return null;
    }

    private Object clear(Client client) {
        Member member = member(client);
        Board board = board(member);
        synchronized (board) {
            board.clear();
            out.emit(Target.room(member.board()), "clear-canvas", new ClearEvent(client.id()));
        }
        return null;
    }

    private Object requestDrawings(Client client) {
        Board board = board(member(client));
        Runnable write;
        synchronized (board) {
            write = out.emitLater(Target.socket(client.id()), "load-drawings", board.json());
        }
        write.run();
        return null;
    }

    @Override
    public void closed(Client client) {
        Member member = members.remove(client.id());
        if (member == null) {
            return;
        }
        // An empty board with nobody on it is forgotten; one with drawings waits for late joiners.
        boards.leave(member.board(), board -> rooms.leave(member.board(), client.id()),
                board -> board.isEmpty() && !rooms.exists(member.board()));
    }

    private Member member(Client client) {
        return members.get(client.id());
    }

    /** A member's board: it exists while the member is on it. */
    private Board board(Member member) {
        return boards.get(member.board());
    }
}
