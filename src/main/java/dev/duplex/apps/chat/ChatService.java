package dev.duplex.apps.chat;

import dev.duplex.apps.chat.ChatEvents.HistoryRequest;
import dev.duplex.apps.chat.ChatEvents.JoinedRoom;
import dev.duplex.apps.chat.ChatEvents.LeftRoom;
import dev.duplex.apps.chat.ChatEvents.ListUsers;
import dev.duplex.apps.chat.ChatEvents.PrivateMessage;
import dev.duplex.apps.chat.ChatEvents.PrivateMessageReceived;
import dev.duplex.apps.chat.ChatEvents.PrivateMessageSent;
import dev.duplex.apps.chat.ChatEvents.ReceiveMessage;
import dev.duplex.apps.chat.ChatEvents.RoomMessage;
import dev.duplex.apps.chat.ChatEvents.RoomMessageRequest;
import dev.duplex.apps.chat.ChatEvents.UserConnected;
import dev.duplex.apps.chat.ChatEvents.UserDisconnected;
import dev.duplex.apps.chat.ChatEvents.UserJoinedRoom;
import dev.duplex.apps.chat.ChatEvents.UserLeftRoom;
import dev.duplex.apps.chat.ChatEvents.UserTyping;
import dev.duplex.apps.chat.ChatEvents.UsersPage;
import dev.duplex.core.Broadcaster;
import dev.duplex.core.Client;
import dev.duplex.core.ErrorCode;
import dev.duplex.core.EventTable;
import dev.duplex.core.History;
import dev.duplex.core.Ids;
import dev.duplex.core.LocalHistory;
import dev.duplex.core.LocalPresence;
import dev.duplex.core.Member;
import dev.duplex.core.NamespaceApp;
import dev.duplex.core.Payload;
import dev.duplex.core.Presence;
import dev.duplex.core.ProtocolError;
import dev.duplex.core.RoomRegistry;
import dev.duplex.core.Scheduler;
import dev.duplex.core.Session;
import dev.duplex.core.SocketId;
import dev.duplex.core.Target;
import dev.duplex.core.Text;
import jakarta.json.JsonValue;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The rules of {@code /chat} (PROTOCOL.md section 4): joined users, the lobby, typing, private messages
 * and chat rooms. Who is online and who is in which room, over every node, is the {@link Presence} (its
 * scopes: the lobby and each room, valued by username); the {@link RoomRegistry} is where this node's own
 * connections are, for delivery. Thread-safe: this node's users are in a concurrent map, the rest in those
 * two.
 */
public final class ChatService implements NamespaceApp {
    /** Joined users, as a room of the registry. '#' cannot occur in a room id, so no chat room clashes. */
    static final String LOBBY = "#lobby";
    /** The lobby's messages as a {@link History} stream; a room's is {@link #roomStream}. */
    static final String LOBBY_STREAM = "lobby";

    private record Joined(String username) {
    }

    /** What a suspended user's session keeps: its name and its chat rooms (the lobby not among them). */
    private record Away(String username, List<String> rooms) {
    }

    private final RoomRegistry rooms;
    private final Presence presence;
    private final Broadcaster out;
    private final Clock clock;
    private final ChatSettings settings;
    private final PresenceFeed feed;
    private final History history;
    private final ConcurrentHashMap<SocketId, Joined> members = new ConcurrentHashMap<>();
    private volatile boolean draining;

    /** On a node alone. */
    public ChatService(RoomRegistry rooms, Broadcaster out, Clock clock, Scheduler scheduler, ChatSettings settings) {
        this(rooms, new LocalPresence(), out, new LocalHistory(out, clock, settings.history(),
                settings.history().maxAgeMillis()), clock, scheduler, settings);
    }

    /** {@code scheduler}: ends the windows of coalesced presence ({@link PresenceFeed}). */
    public ChatService(RoomRegistry rooms, Presence presence, Broadcaster out, History history, Clock clock,
            Scheduler scheduler, ChatSettings settings) {
        this.rooms = rooms;
        this.presence = presence;
        this.history = history;
        this.out = out;
        this.clock = clock;
        this.settings = settings;
        this.feed = new PresenceFeed(presence, out.here(), scheduler, settings.presence());
        presence.onReconciled(this::reconciled);
        // Another node's own news: its node told everyone, but here the scope may have crossed the threshold.
        presence.onRemoteChange(feed::resized);
    }

    @Override
    public String path() {
        return "/chat";
    }

    @Override
    public void register(EventTable events) {
        events.on("user-joined", data -> data, this::userJoined)
                .on("send-message", ChatEvents::message, this::sendMessage)
                .on("typing", data -> Payload.bool(data, "typing"), this::typing)
                .on("private-message", PrivateMessage::from, this::privateMessage)
                .on("join-room", ChatEvents::roomId, this::joinRoom)
                .on("leave-room", ChatEvents::roomId, this::leaveRoom)
                .on("room-message", RoomMessageRequest::from, this::roomMessage)
                .on("list-users", data -> ListUsers.from(data, settings.presence().pageSize()), this::listUsers)
                .on("history", HistoryRequest::from, this::history)
                .limit(settings.messages(), "send-message", "room-message", "private-message")
                .limit(settings.typing(), "typing")
                .limit(settings.joins(), "user-joined")
                .limit(settings.rooms(), "join-room", "leave-room")
                .limit(settings.lists(), "list-users", "history");
    }

    private Object userJoined(Client client, JsonValue data) {
        // With authentication the token names the user and the payload is ignored.
        String username = client.authenticatedName().orElseGet(() -> ChatEvents.username(data));
        SocketId id = client.id();
        members.put(id, new Joined(username));
        presence.join(LOBBY, id, username);
        // A rename renames the user in its rooms too.
        for (String room : rooms.roomsOf(id)) {
            if (!room.equals(LOBBY)) {
                presence.join(room, id, username);
            }
        }
        if (!rooms.isMember(LOBBY, id)) {
            // A rename is no arrival: the lobby's history comes once, with the first join.
            history.join(LOBBY_STREAM, client, () -> rooms.join(LOBBY, id));
        }
        // Announced once this node hears the lobby from everywhere: whatever anyone sends after seeing the
        // user arrive reaches the user.
        return rooms.ready(LOBBY).thenApply(ready -> {
            feed.changed(LOBBY, id, () -> {
                out.emit(Target.room(LOBBY), "user-connected",
                        new UserConnected(username, id, clock.millis(), presence.count(LOBBY)));
                out.emit(Target.socket(id), "online-users", feed.everyone(LOBBY));
            }, () -> {
                UserConnected self = new UserConnected(username, id, clock.millis(), presence.count(LOBBY));
                out.emit(Target.socket(id), "user-connected", self);
                // In a small lobby everyone hears of a rename; in a big one, the members of the user's small
                // rooms still do, from each room, since their lists of it show the name.
                for (String room : rooms.roomsOf(id)) {
                    if (!room.equals(LOBBY) && !feed.isCoalesced(room)) {
                        out.emit(Target.room(room).except(id), "user-connected", self);
                    }
                }
            });
            return null;
        });
    }

    private Object sendMessage(Client client, String message) {
        Joined member = joined(client);
        ReceiveMessage sent = new ReceiveMessage(Ids.next(), member.username(), message, clock.millis(), client.id());
        history.publish(LOBBY_STREAM, Target.room(LOBBY), "receive-message", sent);
        return sent;
    }

    private Object typing(Client client, Boolean isTyping) {
        Joined member = joined(client);
        out.emit(Target.room(LOBBY).except(client.id()), "user-typing",
                new UserTyping(member.username(), client.id(), isTyping));
        return null;
    }

    private Object privateMessage(Client client, PrivateMessage request) {
        Joined member = joined(client);
        SocketId to = new SocketId(request.toUserId());
        String addressee = presence.get(LOBBY, to);
        if (addressee == null) {
            throw new ProtocolError(ErrorCode.NOT_FOUND, "No user with id " + Text.excerpt(request.toUserId()));
        }
        long now = clock.millis();
        // Each party's copy goes into that party's own stream: a suspended addressee gets it on resuming.
        history.publish(privateStream(to), Target.socket(to), "private-message",
                new PrivateMessageReceived(member.username(), client.id(), request.message(), now));
        history.publish(privateStream(client.id()), Target.socket(client.id()), "private-message-sent",
                new PrivateMessageSent(addressee, to, request.message(), now));
        return null;
    }

    private Object joinRoom(Client client, String roomId) {
        Joined member = joined(client);
        // The lobby is one of the connection's rooms in the registry, not one of its chat rooms.
        if (!rooms.isMember(roomId, client.id()) && rooms.roomsOf(client.id()).size() - 1 >= settings.maxRoomsPerConnection()) {
            throw new ProtocolError(ErrorCode.FORBIDDEN,
                    "A connection may be in at most " + settings.maxRoomsPerConnection() + " rooms: leave one first");
        }
        boolean joinedNow = !rooms.isMember(roomId, client.id())
                && history.join(roomStream(roomId), client, () -> rooms.join(roomId, client.id()));
        presence.join(roomId, client.id(), member.username());
        return rooms.ready(roomId).thenApply(ready -> {
            feed.changed(roomId, client.id(), () -> {
                // The others first: once the caller has its answer, its arrival has been sent to every member.
                if (joinedNow) {
                    out.emit(Target.room(roomId).except(client.id()), "user-joined-room",
                            new UserJoinedRoom(roomId, client.id(), member.username()));
                }
                out.emit(Target.socket(client.id()), "joined-room", new JoinedRoom(roomId, feed.everyone(roomId)));
            }, null);
            return null;
        });
    }

    private Object leaveRoom(Client client, String roomId) {
        Joined member = joined(client);
        requireMember(client, roomId);
        rooms.leave(roomId, client.id());
        presence.leave(roomId, client.id());
        out.emit(Target.socket(client.id()), "left-room", new LeftRoom(roomId));
        feed.changed(roomId, null, () -> out.emit(Target.room(roomId), "user-left-room",
                new UserLeftRoom(roomId, client.id(), member.username())), null);
        return null;
    }

    private Object listUsers(Client client, ListUsers request) {
        joined(client);
        String scope = LOBBY;
        if (request.roomId() != null) {
            requireMember(client, request.roomId());
            scope = request.roomId();
        }
        // One more than asked for tells whether another page follows.
        List<Member> found = presence.list(scope, request.after(), request.prefix(), request.limit() + 1);
        boolean more = found.size() > request.limit();
        List<Member> page = more ? found.subList(0, request.limit()) : found;
        return new UsersPage(PresenceFeed.users(page), presence.count(scope), more);
    }

    private Object roomMessage(Client client, RoomMessageRequest request) {
        Joined member = joined(client);
        requireMember(client, request.roomId());
        RoomMessage sent = new RoomMessage(request.roomId(), Ids.next(), request.message(), member.username(),
                client.id(), clock.millis());
        history.publish(roomStream(request.roomId()), Target.room(request.roomId()), "room-message", sent);
        return sent;
    }

    /** A page of the lobby's or a room's history, for a joined user or a member of the room. */
    private Object history(Client client, HistoryRequest request) {
        joined(client);
        String stream = LOBBY_STREAM;
        if (request.roomId() != null) {
            requireMember(client, request.roomId());
            stream = roomStream(request.roomId());
        }
        return history.page(stream, request.epoch(), request.before(), request.limit()).json();
    }

    /** A room's {@link History} stream: ':' cannot occur in a room id, so no two rooms share one. */
    static String roomStream(String roomId) {
        return "room:" + roomId;
    }

    /** The private messages one user received and sent, as a stream of its own. */
    static String privateStream(SocketId user) {
        return "private:" + user.value();
    }

    @Override
    public void closed(Client client) {
        SocketId id = client.id();
        Joined member = members.remove(id);
        if (member == null) {
            return;
        }
        List<String> chatRooms = chatRooms(id);
        for (String room : List.copyOf(rooms.roomsOf(id))) {
            rooms.leave(room, id);
        }
        leave(id, member.username(), chatRooms);
    }

    /** The user leaves its rooms, then the lobby, over every node, and the others are told. */
    private void leave(SocketId id, String username, List<String> chatRooms) {
        for (String room : chatRooms) {
            presence.leave(room, id);
            if (!draining) {
                feed.changed(room, null, () -> out.emit(Target.room(room), "user-left-room",
                        new UserLeftRoom(room, id, username)), null);
            }
        }
        presence.leave(LOBBY, id);
        if (!draining) {
            feed.changed(LOBBY, null, () -> out.emit(Target.room(LOBBY), "user-disconnected",
                    new UserDisconnected(username, id, clock.millis(), presence.count(LOBBY))), null);
        }
    }

    private List<String> chatRooms(SocketId id) {
        List<String> chatRooms = new ArrayList<>(rooms.roomsOf(id));
        chatRooms.remove(LOBBY);
        return chatRooms;
    }

    // ---- sessions: a user who drops keeps its place for a while ---------------------------------------

    @Override
    public boolean resumable() {
        return true;
    }

    /**
     * The user stays online and in its rooms, for everyone, until the grace period passes: a reconnect within
     * it is seen by nobody. What it misses meanwhile is in the streams.
     */
    @Override
    public void suspended(Client client, Session session) {
        Joined member = members.get(client.id());
        session.state(member == null ? null : new Away(member.username(), chatRooms(client.id())));
    }

    @Override
    public void departed(Session session) {
        if (session.state() instanceof Away away && members.remove(session.id()) != null) {
            leave(session.id(), away.username(), away.rooms());
        }
    }

    /**
     * Back in the lobby and its rooms, each stream replaying what it missed (or its history, when the gap is
     * no longer covered), then the lobby's and each room's members as a joiner gets them; if the others were
     * told it left, they are told it is back, as for a join.
     */
    @Override
    public void resumed(Client client, Session session, Map<String, History.Position> positions, boolean departed,
            Consumer<Boolean> greet) {
        SocketId id = client.id();
        String own = privateStream(id);
        List<History.Rejoin> rejoins = new ArrayList<>();
        rejoins.add(new History.Rejoin(own, positions.get(own), () -> { }));
        Away away = session.state() instanceof Away kept ? kept : null;
        if (away != null) {
            members.put(id, new Joined(away.username()));
            if (departed) {
                presence.join(LOBBY, id, away.username());
                away.rooms().forEach(room -> presence.join(room, id, away.username()));
            }
            rejoins.add(new History.Rejoin(LOBBY_STREAM, positions.get(LOBBY_STREAM), () -> rooms.join(LOBBY, id)));
            for (String room : away.rooms()) {
                rejoins.add(new History.Rejoin(roomStream(room), positions.get(roomStream(room)), () -> rooms.join(room, id)));
            }
        }
        history.resume(client, rejoins, greet);
        if (away == null) {
            return;
        }
        String username = away.username();
        feed.changed(LOBBY, id, () -> {
            if (departed) {
                out.emit(Target.room(LOBBY).except(id), "user-connected",
                        new UserConnected(username, id, clock.millis(), presence.count(LOBBY)));
            }
            out.emit(Target.socket(id), "online-users", feed.everyone(LOBBY));
        }, null);
        for (String room : away.rooms()) {
            feed.changed(room, id, () -> {
                if (departed) {
                    out.emit(Target.room(room).except(id), "user-joined-room", new UserJoinedRoom(room, id, username));
                }
                out.emit(Target.socket(id), "joined-room", new JoinedRoom(room, feed.everyone(room)));
            }, null);
        }
    }

    /**
     * A user of another node whose presence this node learned late: its node went away, or Redis hid its
     * joins, renames and leaves for a while. This node tells its own connections what they missed, in the
     * order a user's own node would have: rooms left, then the lobby; the lobby (or a new name), then rooms
     * joined.
     */
    private void reconciled(SocketId id, Map<String, String> before, Map<String, String> after, Broadcaster here) {
        before.forEach((room, name) -> {
            if (!room.equals(LOBBY) && !after.containsKey(room)) {
                feed.changed(room, null, () -> here.emit(Target.room(room), "user-left-room",
                        new UserLeftRoom(room, id, name)), null);
            }
        });
        String was = before.get(LOBBY);
        String is = after.get(LOBBY);
        long now = clock.millis();
        if (was != null && is == null) {
            feed.changed(LOBBY, null, () -> here.emit(Target.room(LOBBY), "user-disconnected",
                    new UserDisconnected(was, id, now, presence.count(LOBBY))), null);
        } else if (is != null && !is.equals(was)) {
            feed.changed(LOBBY, null, () -> here.emit(Target.room(LOBBY), "user-connected",
                    new UserConnected(is, id, now, presence.count(LOBBY))), null);
        }
        after.forEach((room, name) -> {
            if (!room.equals(LOBBY) && !before.containsKey(room)) {
                feed.changed(room, null, () -> here.emit(Target.room(room), "user-joined-room",
                        new UserJoinedRoom(room, id, name)), null);
            }
        });
    }

    @Override
    public void draining() {
        draining = true;
    }

    /** The number of joined users, over every node. */
    public int totalUsers() {
        return presence.count(LOBBY);
    }

    private Joined joined(Client client) {
        Joined member = members.get(client.id());
        if (member == null) {
            throw new ProtocolError(ErrorCode.NOT_JOINED);
        }
        return member;
    }

    private void requireMember(Client client, String roomId) {
        if (presence.count(roomId) == 0) {
            throw new ProtocolError(ErrorCode.NOT_FOUND, "No room " + roomId);
        }
        if (!rooms.isMember(roomId, client.id())) {
            throw new ProtocolError(ErrorCode.FORBIDDEN, "Not a member of room " + roomId);
        }
    }
}
