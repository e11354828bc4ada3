package dev.duplex.apps.chat;

import dev.duplex.core.Codec;
import dev.duplex.core.Member;
import dev.duplex.core.Payload;
import dev.duplex.core.ProtocolError;
import dev.duplex.core.SocketId;
import dev.duplex.core.Text;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.bind.annotation.JsonbProperty;
import java.util.List;

/** The wire shapes of {@code /chat} (PROTOCOL.md section 4): what clients send and what they get. */
public final class ChatEvents {
    public static final int MAX_USERNAME = 32;
    public static final int MAX_MESSAGE = 500;

    private ChatEvents() {
    }

    // ---- client to server ----------------------------------------------------------------------

    /** {@code private-message} data. */
    public record PrivateMessage(String toUserId, String message) {
        static PrivateMessage from(JsonValue data) {
            JsonObject object = Payload.object(data);
            return new PrivateMessage(Payload.string(object, "toUserId"),
                    Text.message(Payload.string(object, "message"), "message", MAX_MESSAGE));
        }
    }

    /** {@code room-message} data. */
    public record RoomMessageRequest(String roomId, String message) {
        static RoomMessageRequest from(JsonValue data) {
            JsonObject object = Payload.object(data);
            return new RoomMessageRequest(Text.roomName(Payload.string(object, "roomId"), "roomId"),
                    Text.message(Payload.string(object, "message"), "message", MAX_MESSAGE));
        }
    }

    /**
     * {@code list-users} data: the lobby's members (no {@code roomId}) or a room's, after the member the
     * client holds last ({@code after}, as the list gave it), whose name starts with {@code prefix}.
     */
    record ListUsers(String roomId, Member after, String prefix, int limit) {
        /** {@code pageSize}: the default and the largest {@code limit}. */
        static ListUsers from(JsonValue data, int pageSize) {
            JsonObject object = data.getValueType() == JsonValue.ValueType.NULL ? JsonValue.EMPTY_JSON_OBJECT
                    : Payload.object(data);
            String roomId = object.containsKey("roomId") ? Text.roomName(Payload.string(object, "roomId"), "roomId") : null;
            Member after = null;
            if (object.containsKey("after")) {
                if (!(object.get("after") instanceof JsonObject last)) {
                    throw ProtocolError.invalid("after must be an object {userId, username}");
                }
                after = new Member(new SocketId(Payload.string(last, "userId")), Payload.string(last, "username"));
            }
            String prefix = object.containsKey("prefix")
                    ? Text.name(Payload.string(object, "prefix"), "prefix", MAX_USERNAME) : "";
            int limit = object.containsKey("limit")
                    ? (int) Payload.integer(object.get("limit"), "limit", 1, pageSize) : pageSize;
            return new ListUsers(roomId, after, prefix, limit);
        }
    }

    /**
     * {@code history} data: the lobby's (no {@code roomId}) or a room's messages before offset {@code before}
     * (absent: the newest) of epoch {@code epoch} (absent: whatever the stream's is), at most {@code limit}.
     */
    record HistoryRequest(String roomId, String epoch, Long before, int limit) {
        static final int MAX_LIMIT = 100;
        static final int DEFAULT_LIMIT = 50;

        static HistoryRequest from(JsonValue data) {
            JsonObject object = data.getValueType() == JsonValue.ValueType.NULL ? JsonValue.EMPTY_JSON_OBJECT
                    : Payload.object(data);
            String roomId = object.containsKey("roomId") ? Text.roomName(Payload.string(object, "roomId"), "roomId") : null;
            String epoch = object.containsKey("epoch") ? Payload.string(object, "epoch") : null;
            if (epoch != null && !Text.isRoomName(epoch)) {
                throw ProtocolError.invalid("epoch must be an epoch from a position");
            }
            Long before = object.containsKey("before") ? Payload.integer(object.get("before"), "before", 1, Codec.MAX_ACK) : null;
            int limit = object.containsKey("limit")
                    ? (int) Payload.integer(object.get("limit"), "limit", 1, MAX_LIMIT) : DEFAULT_LIMIT;
            return new HistoryRequest(roomId, epoch, before, limit);
        }
    }

    static String username(JsonValue data) {
        return Text.name(Payload.string(data, "username"), "username", MAX_USERNAME);
    }

    static String message(JsonValue data) {
        return Text.message(Payload.string(data, "message"), "message", MAX_MESSAGE);
    }

    static String roomId(JsonValue data) {
        return Text.roomName(Payload.string(data, "roomId"), "roomId");
    }

    // ---- server to client ----------------------------------------------------------------------

    public record UserConnected(String username, SocketId userId, long timestamp, int totalUsers) {
    }

    public record UserDisconnected(String username, SocketId userId, long timestamp, int totalUsers) {
    }

    public record OnlineUser(SocketId userId, String username) {
    }

    public record ReceiveMessage(String id, String username, String message, long timestamp, SocketId userId) {
    }

    public record UserTyping(String username, SocketId userId, @JsonbProperty("isTyping") boolean isTyping) {
    }

    public record PrivateMessageReceived(String from, SocketId fromUserId, String message, long timestamp) {
    }

    public record PrivateMessageSent(String to, SocketId toUserId, String message, long timestamp) {
    }

    public record JoinedRoom(String roomId, List<OnlineUser> members) {
    }

    /** {@code joined-room} of a coalesced room: its first page of members and how many it has. */
    public record CoalescedRoom(String roomId, List<OnlineUser> members, int total) {
    }

    /** {@code presence-diff} of the lobby: its total, and who came onto and went off its first page. */
    public record LobbyDiff(int total, List<OnlineUser> added, List<SocketId> removed) {
    }

    /** {@code presence-diff} of a room. */
    public record RoomDiff(String roomId, int total, List<OnlineUser> added, List<SocketId> removed) {
    }

    /** The ack data of {@code list-users}: a page, the scope's total, and whether more match after it. */
    public record UsersPage(List<OnlineUser> users, int total, boolean more) {
    }

    public record UserJoinedRoom(String roomId, SocketId userId, String username) {
    }

    public record LeftRoom(String roomId) {
    }

    public record UserLeftRoom(String roomId, SocketId userId, String username) {
    }

    public record RoomMessage(String roomId, String id, String message, String from, SocketId fromUserId,
            long timestamp) {
    }
}
