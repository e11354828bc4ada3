package dev.duplex.apps.whiteboard;

import dev.duplex.core.Broadcaster;
import dev.duplex.core.Client;
import dev.duplex.core.Codec;
import dev.duplex.core.ErrorCode;
import dev.duplex.core.EventTable;
import dev.duplex.core.NamespaceApp;
import dev.duplex.core.OutgoingText;
import dev.duplex.core.ProtocolError;
import dev.duplex.core.RawJson;
import dev.duplex.core.RoomRegistry;
import dev.duplex.core.SharedStates;
import dev.duplex.core.SocketId;
import dev.duplex.core.Target;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

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
    /** Segments held by all boards of this node, against {@code duplex.whiteboard.max-segments}. */
    private final AtomicLong segments = new AtomicLong();

    public WhiteboardService(RoomRegistry rooms, Broadcaster out, Codec codec, WhiteboardSettings settings) {
        this.rooms = rooms;
        this.out = out;
        this.codec = codec;
        this.settings = settings;
        this.boards = new SharedStates<>("boards", name -> new Board(name, settings.maxHistory()),
                settings.maxBoards(), board -> !rooms.exists(board.name()), board -> segments.addAndGet(-board.size()));
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
            return out.sendLater(Target.socket(client.id()), loadDrawings(board));
        }).run();
    }

    private Object draw(Client client, Segment segment) {
        Member member = member(client);
        Board board = board(member);
        // Encoded once, outside the lock: the same JSON is broadcast now and replayed to late joiners.
        RawJson json = codec.json(segment);
        makeRoomForASegment();
        Runnable write;
        synchronized (board) {
            int before = board.size();
            board.append(segment, json);
            segments.addAndGet(board.size() - before);
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
            segments.addAndGet(-undone.removed());
            out.emit(Target.room(member.board()), "undo", new UndoEvent(client.id(), undone.strokeId(), undone.removed()));
        }
        return null;
    }

    private Object clear(Client client) {
        Member member = member(client);
        Board board = board(member);
        synchronized (board) {
            segments.addAndGet(-board.size());
            board.clear();
            out.emit(Target.room(member.board()), "clear-canvas", new ClearEvent(client.id()));
        }
        return null;
    }

    private Object requestDrawings(Client client) {
        Board board = board(member(client));
        Runnable write;
        synchronized (board) {
            write = out.sendLater(Target.socket(client.id()), loadDrawings(board));
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

    /**
     * Keeps the node's drawings within their budget: boards nobody is on are forgotten, least recently used
     * first, and when every board is in use the draw is refused. Runs before the board's lock is taken, as
     * forgetting takes other boards' locks; concurrent drawers may pass the budget by one segment each.
     */
    private void makeRoomForASegment() {
        while (segments.get() >= settings.maxSegments()) {
            if (!boards.forgetLeastRecentlyUsedIdle()) {
                throw new ProtocolError(ErrorCode.FORBIDDEN, "This server holds as many drawings as it may ("
                        + settings.maxSegments() + " segments): undo or clear some first");
            }
        }
    }

    /** The board's history as one frame, shared by every joiner and request until the board changes. */
    private OutgoingText loadDrawings(Board board) {
        return board.loadDrawings(history -> out.encode("load-drawings", history));
    }

    private Member member(Client client) {
        return members.get(client.id());
    }

    /** A member's board: it exists while the member is on it. */
    private Board board(Member member) {
        return boards.get(member.board());
    }
}
