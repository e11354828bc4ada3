package dev.duplex.apps.whiteboard;

import dev.duplex.core.Broadcaster;
import dev.duplex.core.Client;
import dev.duplex.core.Codec;
import dev.duplex.core.ErrorCode;
import dev.duplex.core.EventTable;
import dev.duplex.core.Journal;
import dev.duplex.core.Journals;
import dev.duplex.core.NamespaceApp;
import dev.duplex.core.OutgoingText;
import dev.duplex.core.ProtocolError;
import dev.duplex.core.RoomRegistry;
import dev.duplex.core.SharedStates;
import dev.duplex.core.SocketId;
import dev.duplex.core.StreamCopy;
import dev.duplex.core.Target;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The rules of {@code /whiteboard} (PROTOCOL.md section 5). A board changes only through its
 * {@link Journal}: {@code draw}, {@code undo} and {@code clear-canvas} are appended as entries, and
 * {@link Rules} applies each one to the board under the board's own lock and tells this node's members. So
 * every client, on whichever node, sees one drawing order, and a late joiner's {@code load-drawings} is
 * followed by exactly the segments drawn after it. On a node alone an entry is applied at once, on the
 * drawer's thread; in a cluster every node that has members on a board holds a copy of it and applies the
 * entries in the journal's order, and a board nobody here is on is dropped (the journal keeps it).
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
    private final Journal<BoardEntry> journal;
    private final SharedStates<Board> boards;
    private final ConcurrentHashMap<SocketId, Member> members = new ConcurrentHashMap<>();
    /** Segments held by all boards of this node, against {@code duplex.whiteboard.max-segments}. */
    private final AtomicLong segments = new AtomicLong();

    public WhiteboardService(RoomRegistry rooms, Broadcaster out, Journals journals, Codec codec,
            WhiteboardSettings settings) {
        this.rooms = rooms;
        this.out = out;
        this.codec = codec;
        this.settings = settings;
        this.journal = journals.open("boards", new Rules(), BoardEntry.FORMAT);
        this.boards = new SharedStates<>("boards", name -> new Board(name, settings.maxHistory()),
                settings.maxBoards(), board -> board.copy.nobodyArriving() && !rooms.exists(board.name()), this::forgotten);
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
    public CompletionStage<?> opened(Client client) {
        String name = client.roomParameter("board");
        members.put(client.id(), new Member(name));
        return enter(client, name);
    }

    /**
     * Joins the client to its board once this node's copy of it is current. The history's place in the
     * joiner's queue is fixed under the board's lock, before any later entry; the write (a long history can
     * be megabytes) happens after it is released.
     */
    private CompletionStage<?> enter(Client client, String name) {
        return StreamCopy.join(boards, name, board -> board.copy, journal, board -> joined(client, board), this::unused,
                "board");
    }

    private Runnable joined(Client client, Board board) {
        rooms.join(board.name(), client.id());
        return out.sendLater(Target.socket(client.id()), loadDrawings(board));
    }

    private CompletionStage<Object> draw(Client client, Segment segment) {
        makeRoomForASegment();
        // Encoded once: the same JSON is broadcast now and replayed to late joiners.
        return journal.append(member(client).board(),
                new BoardEntry.Draw(client.id(), segment.strokeId(), codec.json(segment)));
    }

    private CompletionStage<Object> undo(Client client) {
        return journal.append(member(client).board(), new BoardEntry.Undo(client.id()));
    }

    private CompletionStage<Object> clear(Client client) {
        return journal.append(member(client).board(), new BoardEntry.Clear(client.id()));
    }

    private Object requestDrawings(Client client) {
        Runnable write = boards.ifPresent(member(client).board(),
                board -> out.sendLater(Target.socket(client.id()), loadDrawings(board)));
        if (write != null) {
            write.run();
        }
        return null;
    }

    @Override
    public void closed(Client client) {
        Member member = members.remove(client.id());
        if (member == null) {
            return;
        }
        boards.leave(member.board(), board -> rooms.leave(member.board(), client.id()), this::unused);
    }

    /**
     * An empty board with nobody on it (or arriving) is forgotten; one with drawings waits for late joiners,
     * unless the journal keeps it elsewhere.
     */
    private boolean unused(Board board) {
        return board.copy.unused(rooms.exists(board.name()), board.isEmpty(), journal);
    }

    private void forgotten(Board board) {
        segments.addAndGet(-board.size());
        board.copy.drop();
    }

    /**
     * Keeps the node's drawings within their budget: boards nobody is on are forgotten, least recently used
     * first, and when every board is in use the draw is refused. Runs before any board's lock is taken, as
     * forgetting takes other boards' locks; concurrent drawers may pass the budget by one segment each, and
     * in a cluster other nodes' drawers by what they draw on boards this node holds.
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

    /**
     * The rules that turn a board's entries into its history, the same on every node. Each runs under the
     * board's lock and only on a board this node still holds (one forgotten meanwhile is no longer counted).
     */
    private final class Rules implements Journal.Machine<BoardEntry> {
        private static final Runnable NOTHING = () -> { };

        @Override
        public Object apply(String name, BoardEntry entry, Broadcaster here) {
            Runnable write = boards.ifPresent(name, board -> applyTo(board, entry, here));
            if (write != null) {
                write.run();
            }
            return null;
        }

        private Runnable applyTo(Board board, BoardEntry entry, Broadcaster here) {
            Target everyone = Target.room(board.name());
            if (entry instanceof BoardEntry.Draw draw) {
                int before = board.size();
                board.append(draw);
                segments.addAndGet(board.size() - before);
                return here.emitLater(everyone.except(draw.userId()), "draw", draw.json());
            }
            if (entry instanceof BoardEntry.Undo undo) {
                Board.Undone undone = board.undo(undo.userId());
                if (undone == null) {
                    throw new ProtocolError(ErrorCode.NOT_FOUND, "Nothing of yours to undo");
                }
                segments.addAndGet(-undone.removed());
                return here.emitLater(everyone, "undo", new UndoEvent(undo.userId(), undone.strokeId(), undone.removed()));
            }
            BoardEntry.Clear clear = (BoardEntry.Clear) entry;
            segments.addAndGet(-board.size());
            board.clear();
            return here.emitLater(everyone, "clear-canvas", new ClearEvent(clear.userId()));
        }

        @Override
        public void reset(String name) {
            boards.ifPresent(name, board -> {
                segments.addAndGet(-board.size());
                board.clear();
                return NOTHING;
            });
        }

        @Override
        public void rebuilt(String name, Broadcaster here) {
            Runnable write = boards.ifPresent(name, board -> here.sendLater(Target.room(name), loadDrawings(board)));
            if (write != null) {
                write.run();
            }
        }

        @Override
        public List<BoardEntry> snapshot(String name) {
            List<BoardEntry> entries = boards.ifPresent(name, Board::entries);
            return entries == null ? List.of() : entries;
        }
    }
}
