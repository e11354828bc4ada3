package dev.duplex.apps.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duplex.testing.Harness;
import dev.duplex.testing.Harness.Conn;
import dev.duplex.testing.ManualClock;
import dev.duplex.testing.ManualScheduler;
import dev.duplex.testing.PresenceView;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Big lobbies and rooms (docs/protocol.md): told singly up to the threshold, coalesced into one diff per
 * window above it, singly again at half of it; paged and searched with {@code list-users}. A threshold of 6
 * and pages of 3 stand for the defaults' 200 and 100.
 */
class PresenceFeedTest {
    private static final int ABOVE = 6;
    private static final int PAGE = 3;
    private static final long WINDOW = 250;
    private ManualScheduler scheduler;
    private final Harness harness = new Harness((rooms, out, clock) -> {
        scheduler = new ManualScheduler((ManualClock) clock);
        return new ChatService(rooms, out, clock, scheduler, ChatSettings.from(Harness.config(
                "duplex.chat.presence.coalesce-above", Integer.toString(ABOVE),
                "duplex.chat.presence.page-size", Integer.toString(PAGE),
                "duplex.chat.presence.window-ms", Long.toString(WINDOW),
                "duplex.chat.rate-limit.joins", "100000", "duplex.chat.rate-limit.rooms", "100000",
                "duplex.chat.rate-limit.lists", "100000", "duplex.chat.max-rooms-per-connection", "5")));
    });
    private final Map<String, Conn> byName = new LinkedHashMap<>();

    private Conn join(String name) {
        Conn conn = harness.connect();
        conn.send("user-joined", "\"" + name + "\"");
        byName.put(name, conn);
        return conn;
    }

    private void joinAll(String... names) {
        for (String name : names) {
            join(name);
        }
        byName.values().forEach(Conn::unread);
    }

    private static List<String> names(JsonValue users) {
        return users.asJsonArray().getValuesAs(JsonObject.class).stream().map(u -> u.getString("username")).toList();
    }

    private static List<String> events(List<JsonObject> frames) {
        return frames.stream().map(f -> f.getString("event")).toList();
    }

    @Test
    void growingPastTheThresholdSendsEveryMemberTheFirstPageThenOneDiffPerWindow() {
        joinAll("f", "e", "d", "c", "b", "a");
        Conn g = join("g");
        for (String name : List.of("a", "b", "c", "d", "e", "f")) {
            List<JsonObject> frames = byName.get(name).unread();
            assertEquals(List.of("online-users", "presence-diff"), events(frames), name);
            assertEquals(List.of("a", "b", "c"), names(frames.get(0).get("data")));
            JsonObject total = frames.get(1).getJsonObject("data");
            assertEquals(7, total.getInt("total"));
            assertTrue(total.getJsonArray("added").isEmpty() && total.getJsonArray("removed").isEmpty());
        }
        List<JsonObject> joiner = g.unread();
        assertEquals(List.of("user-connected", "online-users", "presence-diff"), events(joiner));
        assertEquals(7, joiner.get(0).getJsonObject("data").getInt("totalUsers"));
        assertEquals(List.of("a", "b", "c"), names(joiner.get(1).get("data")));

        join("h");
        join("i");
        byName.get("a").nothing();
        scheduler.advance(WINDOW);
        for (Conn conn : byName.values()) {
            List<JsonObject> frames = conn.unread();
            JsonObject diff = frames.get(frames.size() - 1).getJsonObject("data");
            assertEquals(9, diff.getInt("total"));
            assertTrue(diff.getJsonArray("added").isEmpty(), "h and i are not on the first page");
        }

        Conn aaron = join("Aaron");
        aaron.unread();
        scheduler.advance(WINDOW);
        JsonObject diff = byName.get("e").only("presence-diff").asJsonObject();
        assertEquals(10, diff.getInt("total"));
        assertEquals(List.of("Aaron"), names(diff.get("added")));
        assertEquals(List.of(byName.get("c").id()), diff.getJsonArray("removed").getValuesAs(JsonString.class)
                .stream().map(JsonString::getString).toList());
        scheduler.advance(WINDOW);
        byName.get("e").nothing();
    }

    @Test
    void renamesAndLeavesOnTheFirstPageAreInTheNextDiff() {
        joinAll("a", "b", "c", "d", "e", "f", "g", "h");
        byName.get("b").send("user-joined", "\"zed\"");
        byName.get("a").close();
        scheduler.advance(WINDOW);
        JsonObject diff = byName.get("h").pushed("presence-diff").asJsonObject();
        assertEquals(7, diff.getInt("total"));
        assertEquals(Set.of("d", "e"), Set.copyOf(names(diff.get("added"))));
        assertEquals(Set.of(byName.get("a").id(), byName.get("b").id()), diff.getJsonArray("removed")
                .getValuesAs(JsonString.class).stream().map(JsonString::getString).collect(Collectors.toSet()));
    }

    @Test
    void shrinkingToHalfTheThresholdSendsTheWholeListThenSingleEventsAgain() {
        joinAll("a", "b", "c", "d", "e", "f", "g");
        for (String name : List.of("g", "f", "e")) {
            byName.remove(name).close();
        }
        scheduler.advance(WINDOW);
        byName.values().forEach(conn -> assertEquals(List.of("presence-diff"), events(conn.unread())));
        byName.remove("d").close();
        for (Conn conn : byName.values()) {
            List<JsonObject> frames = conn.unread();
            assertEquals(List.of("online-users", "user-disconnected"), events(frames));
            assertEquals(Set.of("a", "b", "c"), Set.copyOf(names(frames.get(0).get("data"))));
            assertEquals(3, frames.get(1).getJsonObject("data").getInt("totalUsers"));
        }
        join("x");
        assertEquals(List.of("user-connected"), events(byName.get("a").unread()));
        scheduler.advance(WINDOW);
        byName.get("a").nothing();
    }

    @Test
    void aBigRoomIsCoalescedLikeTheLobby() {
        joinAll("a", "b", "c", "d", "e", "f", "g", "h");
        List<Conn> members = new ArrayList<>(byName.values());
        for (Conn conn : members.subList(0, 6)) {
            conn.send("join-room", "\"big\"");
        }
        members.forEach(Conn::unread);
        scheduler.advance(WINDOW);
        members.forEach(Conn::unread);
        members.get(6).send("join-room", "\"big\"");
        JsonObject answer = members.get(6).only("joined-room").asJsonObject();
        assertEquals(7, answer.getInt("total"));
        assertEquals(List.of("a", "b", "c"), names(answer.get("members")));
        JsonObject fresh = members.get(0).only("joined-room").asJsonObject();
        assertEquals(7, fresh.getInt("total"));
        members.get(7).nothing();
        members.forEach(Conn::unread);

        members.get(0).send("leave-room", "\"big\"");
        assertEquals(List.of("left-room"), events(members.get(0).unread()));
        scheduler.advance(WINDOW);
        JsonObject diff = members.get(1).only("presence-diff").asJsonObject();
        assertEquals("big", diff.getString("roomId"));
        assertEquals(6, diff.getInt("total"));
        assertEquals(List.of("d"), names(diff.get("added")));
        members.get(0).nothing();
        members.get(7).nothing();
    }

    @Test
    void listUsersPagesThroughTheLobbyInNameOrderAndFindsByPrefix() {
        joinAll("carol", "Bob", "alice", "bea", "Al", "dan", "eve", "frank");
        Conn alice = byName.get("alice");
        List<String> seen = new ArrayList<>();
        JsonObject after = null;
        for (int page = 0; ; page++) {
            long ack = 10 + page;
            alice.send("list-users", after == null ? "{}" : "{\"after\":" + after + "}", ack);
            JsonObject data = alice.ack(ack).getJsonObject("data");
            assertEquals(8, data.getInt("total"));
            JsonArray users = data.getJsonArray("users");
            seen.addAll(names(users));
            if (!data.getBoolean("more")) {
                break;
            }
            assertEquals(PAGE, users.size());
            after = users.getJsonObject(users.size() - 1);
        }
        assertEquals(List.of("Al", "alice", "bea", "Bob", "carol", "dan", "eve", "frank"), seen);

        alice.send("list-users", "{\"prefix\":\"B\",\"limit\":1}", 30);
        JsonObject found = alice.ack(30).getJsonObject("data");
        assertEquals(List.of("bea"), names(found.get("users")));
        assertTrue(found.getBoolean("more"));
        alice.send("list-users", "{\"prefix\":\"b\",\"after\":{\"userId\":\"" + byName.get("bea").id()
                + "\",\"username\":\"bea\"}}", 31);
        found = alice.ack(31).getJsonObject("data");
        assertEquals(List.of("Bob"), names(found.get("users")));
        assertFalse(found.getBoolean("more"));
        // A member who left still marks a place to go on from.
        byName.get("bea").close();
        alice.send("list-users", "{\"after\":{\"userId\":\"" + byName.get("bea").id() + "\",\"username\":\"bea\"},\"limit\":1}", 32);
        assertEquals(List.of("Bob"), names(alice.ack(32).getJsonObject("data").get("users")));
        alice.send("list-users", "{\"prefix\":\"zz\"}", 33);
        assertTrue(alice.ack(33).getJsonObject("data").getJsonArray("users").isEmpty());
    }

    @Test
    void listUsersRefusesBadPagesAndRoomsTheCallerIsNotIn() {
        joinAll("ann", "bob");
        Conn ann = byName.get("ann");
        byName.get("bob").send("join-room", "\"secret\"");
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("{\"limit\":0}", "INVALID_PAYLOAD");
        refused.put("{\"limit\":" + (PAGE + 1) + "}", "INVALID_PAYLOAD");
        refused.put("{\"limit\":\"2\"}", "INVALID_PAYLOAD");
        refused.put("{\"limit\":1.5}", "INVALID_PAYLOAD");
        refused.put("{\"after\":\"bob\"}", "INVALID_PAYLOAD");
        refused.put("{\"after\":{\"userId\":\"x\"}}", "INVALID_PAYLOAD");
        refused.put("{\"prefix\":\"\"}", "INVALID_PAYLOAD");
        refused.put("{\"prefix\":\"   \"}", "INVALID_PAYLOAD");
        refused.put("{\"roomId\":\"no such\"}", "INVALID_PAYLOAD");
        refused.put("[]", "INVALID_PAYLOAD");
        refused.put("{\"roomId\":\"nowhere\"}", "NOT_FOUND");
        refused.put("{\"roomId\":\"secret\"}", "FORBIDDEN");
        long ack = 1;
        for (Map.Entry<String, String> entry : refused.entrySet()) {
            ann.send("list-users", entry.getKey(), ack);
            assertEquals(entry.getValue(), ann.ackError(ack), entry.getKey());
            ack++;
        }
        ann.send("list-users", null, ack);
        assertEquals(2, ann.ack(ack).getJsonObject("data").getInt("total"));
        Conn stranger = harness.connect();
        stranger.send("list-users", "{}", 1);
        assertEquals("NOT_JOINED", stranger.ackError(1));
        byName.get("bob").unread();
        byName.get("bob").send("list-users", "{\"roomId\":\"secret\"}", 2);
        assertEquals(List.of("bob"), names(byName.get("bob").ack(2).getJsonObject("data").get("users")));
    }

    /**
     * Random joins, renames, leaves and room changes, with windows ending in between: after the last
     * window every client's view, built only from what it received, is the true membership (all of it
     * while told singly, the first page while coalesced) with the exact total.
     */
    @Test
    void everyClientsViewMatchesTheTrueMembershipAfterRandomChanges() {
        for (long seed = 1; seed <= 40; seed++) {
            checkRandomRun(seed);
        }
    }

    private record Client(Conn conn, PresenceView lobby, PresenceView room) {
        void read() {
            for (JsonObject frame : conn.unread()) {
                lobby.apply(frame);
                room.apply(frame);
            }
        }
    }

    private void checkRandomRun(long seed) {
        Random random = new Random(seed);
        Map<String, Client> clients = new LinkedHashMap<>();
        Map<String, String> lobby = new HashMap<>();
        Map<String, String> room = new HashMap<>();
        boolean[] coalesced = {false, false};
        for (int step = 0; step < 300; step++) {
            int op = random.nextInt(10);
            List<String> ids = new ArrayList<>(clients.keySet());
            if (op < 4 || ids.isEmpty()) {
                Conn conn = harness.connect();
                String name = randomName(random);
                conn.send("user-joined", "\"" + name + "\"");
                clients.put(conn.id(), new Client(conn, PresenceView.lobby(), PresenceView.room("r")));
                lobby.put(conn.id(), name);
            } else {
                String id = ids.get(random.nextInt(ids.size()));
                Client client = clients.get(id);
                if (op < 6) {
                    client.conn().close();
                    clients.remove(id);
                    lobby.remove(id);
                    room.remove(id);
                } else if (op < 7) {
                    String name = randomName(random);
                    client.conn().send("user-joined", "\"" + name + "\"");
                    lobby.put(id, name);
                    room.computeIfPresent(id, (key, old) -> name);
                } else if (op < 9) {
                    client.conn().send("join-room", "\"r\"");
                    room.put(id, lobby.get(id));
                } else if (room.containsKey(id)) {
                    client.conn().send("leave-room", "\"r\"");
                    room.remove(id);
                }
            }
            track(coalesced, 0, lobby.size());
            track(coalesced, 1, room.size());
            if (random.nextInt(8) == 0) {
                scheduler.advance(WINDOW);
            }
            clients.values().forEach(Client::read);
        }
        scheduler.advance(WINDOW);
        clients.values().forEach(Client::read);
        for (Client client : clients.values()) {
            String where = "seed " + seed + ", client " + client.conn().id();
            assertEquals(coalesced[0], client.lobby().coalesced(), where);
            assertEquals(PresenceView.expected(lobby, coalesced[0], PAGE), client.lobby().members(), where);
            assertEquals(lobby.size(), client.lobby().total(), where);
            if (room.containsKey(client.conn().id())) {
                assertEquals(coalesced[1], client.room().coalesced(), where + " in the room");
                assertEquals(PresenceView.expected(room, coalesced[1], PAGE), client.room().members(), where);
                assertEquals(room.size(), client.room().total(), where);
            }
        }
        clients.values().forEach(client -> client.conn().close());
        scheduler.advance(WINDOW);
    }

    /** The threshold's rule: coalesced past it, singly again at half of it. */
    private static void track(boolean[] coalesced, int scope, int size) {
        if (!coalesced[scope] && size > ABOVE) {
            coalesced[scope] = true;
        } else if (coalesced[scope] && size <= ABOVE / 2) {
            coalesced[scope] = false;
        }
    }

    private static String randomName(Random random) {
        String[] names = {"ann", "Ann", "bob", "cy", "Dee", "eve", "al", "zoe", "mo", "Bo"};
        return names[random.nextInt(names.length)] + (random.nextBoolean() ? "" : Integer.toString(random.nextInt(3)));
    }
}
