package dev.duplex.testing;

import dev.duplex.core.Member;
import dev.duplex.core.SocketId;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.HashMap;
import java.util.Map;

/**
 * What one chat client knows of the lobby, or of one room, after the frames it got, applied the way
 * docs/protocol.md ("Big lobbies and rooms") tells a client to: a list replaces the view, single events
 * change it while the scope is told singly, a {@code presence-diff} changes the first page and the total
 * while it is coalesced. Tests compare it with the true membership.
 */
public final class PresenceView {
    private final String roomId;
    private final Map<String, String> members = new HashMap<>();
    private boolean coalesced;
    private int total;

    private PresenceView(String roomId) {
        this.roomId = roomId;
    }

    public static PresenceView lobby() {
        return new PresenceView(null);
    }

    public static PresenceView room(String roomId) {
        return new PresenceView(roomId);
    }

    /** Applies one frame the client got; frames of other scopes and events are ignored. */
    public void apply(JsonObject frame) {
        String event = frame.getString("event", null);
        if (event == null || !frame.containsKey("data") || frame.isNull("data")) {
            return;
        }
        JsonValue value = frame.get("data");
        if (roomId == null) {
            applyLobby(event, value);
        } else if (event.equals("user-connected")) {
            // A rename, wherever the user is listed.
            String userId = value.asJsonObject().getString("userId");
            if (!coalesced && members.containsKey(userId)) {
                members.put(userId, value.asJsonObject().getString("username"));
            }
        } else if (value instanceof JsonObject data && roomId.equals(data.getString("roomId", null))) {
            applyRoom(event, data);
        }
    }

    private void applyLobby(String event, JsonValue value) {
        switch (event) {
            case "online-users" -> {
                replace(value.asJsonArray().getValuesAs(JsonObject.class));
                coalesced = false;
            }
            case "presence-diff" -> {
                if (!value.asJsonObject().containsKey("roomId")) {
                    diff(value.asJsonObject());
                }
            }
            case "user-connected" -> {
                if (!coalesced) {
                    members.put(value.asJsonObject().getString("userId"), value.asJsonObject().getString("username"));
                }
            }
            case "user-disconnected" -> {
                if (!coalesced) {
                    members.remove(value.asJsonObject().getString("userId"));
                }
            }
            default -> {
            }
        }
    }

    private void applyRoom(String event, JsonObject data) {
        switch (event) {
            case "joined-room" -> {
                replace(data.getJsonArray("members").getValuesAs(JsonObject.class));
                coalesced = data.containsKey("total");
                total = data.getInt("total", 0);
            }
            case "presence-diff" -> diff(data);
            case "user-joined-room" -> {
                if (!coalesced) {
                    members.put(data.getString("userId"), data.getString("username"));
                }
            }
            case "user-left-room" -> {
                if (!coalesced) {
                    members.remove(data.getString("userId"));
                }
            }
            case "left-room" -> {
                members.clear();
                coalesced = false;
            }
            default -> {
            }
        }
    }

    private void replace(Iterable<JsonObject> users) {
        members.clear();
        users.forEach(user -> members.put(user.getString("userId"), user.getString("username")));
    }

    private void diff(JsonObject diff) {
        coalesced = true;
        total = diff.getInt("total");
        diff.getJsonArray("removed").getValuesAs(jakarta.json.JsonString.class)
                .forEach(id -> members.remove(id.getString()));
        diff.getJsonArray("added").getValuesAs(JsonObject.class)
                .forEach(user -> members.put(user.getString("userId"), user.getString("username")));
    }

    /** The members the client shows: everyone while told singly, the first page while coalesced. */
    public Map<String, String> members() {
        return Map.copyOf(members);
    }

    public boolean coalesced() {
        return coalesced;
    }

    /** The scope's size as the client knows it. */
    public int total() {
        return coalesced ? total : members.size();
    }

    /**
     * What a client of a scope with these members should show: all of them while told singly, else the
     * first {@code pageSize} in the server's order (by name ignoring case, then name, then id).
     */
    public static Map<String, String> expected(Map<String, String> truth, boolean coalesced, int pageSize) {
        if (!coalesced) {
            return Map.copyOf(truth);
        }
        Map<String, String> page = new HashMap<>();
        truth.entrySet().stream()
                .map(entry -> new Member(new SocketId(entry.getKey()), entry.getValue()))
                .sorted().limit(pageSize)
                .forEach(member -> page.put(member.id().value(), member.value()));
        return page;
    }

    @Override
    public String toString() {
        return (coalesced ? "coalesced " + total + " " : "singly ") + members;
    }
}
