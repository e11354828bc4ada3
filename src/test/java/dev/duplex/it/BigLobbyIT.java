package dev.duplex.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duplex.testing.ClusterNodes;
import dev.duplex.testing.JarServer;
import dev.duplex.testing.PresenceView;
import dev.duplex.testing.WsClient;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * Big lobbies and rooms on real servers (docs/protocol.md, "Big lobbies and rooms"), with a threshold of 12
 * and pages of 5 standing for the defaults' 200 and 100: after random joins, renames, leaves and room
 * changes that cross the threshold both ways, every client's view, built only from the frames it got, is
 * the true membership (everyone while told singly, the first page while coalesced) with the exact total, on
 * one node and with the clients spread over three.
 */
class BigLobbyIT {
    private static final int ABOVE = 12;
    private static final int PAGE = 5;
    private static final Duration CONVERGED_WITHIN = Duration.ofSeconds(2);
    private static final Map<String, String> SETTINGS = Map.of(
            "duplex.chat.presence.coalesce-above", Integer.toString(ABOVE),
            "duplex.chat.presence.page-size", Integer.toString(PAGE),
            "duplex.chat.presence.window-ms", "100",
            "duplex.chat.rate-limit.joins", "100000",
            "duplex.chat.rate-limit.rooms", "100000",
            "duplex.chat.rate-limit.lists", "100000");

    private record Client(WsClient socket, PresenceView lobby, PresenceView room) {
        void read() {
            for (JsonObject frame : socket.drain()) {
                lobby.apply(frame);
                room.apply(frame);
            }
        }
    }

    @Test
    void onOneNodeEveryViewMatchesTheTrueMembership() throws Exception {
        try (JarServer node = JarServer.start("256m", SETTINGS)) {
            randomRun(index -> node, 7);
        }
    }

    @Test
    void onThreeNodesEveryViewMatchesTheTrueMembership() throws Exception {
        try (ClusterNodes cluster = ClusterNodes.start(3, SETTINGS)) {
            randomRun(index -> cluster.node(index % 3), 11);
        }
    }

    /**
     * With the lobby coalesced, a node's joins reach the other nodes in one publish per window, not one per
     * join; and the users of a node that dies leave the others' views in one diff.
     */
    @Test
    void aBigLobbyCostsEachNodeOnePublishPerWindowAndADeadNodesUsersLeaveInOneDiff() throws Exception {
        Map<String, String> settings = new HashMap<>(SETTINGS);
        settings.put("duplex.chat.presence.window-ms", "500");
        try (ClusterNodes cluster = ClusterNodes.start(2, settings)) {
            List<WsClient> stayers = new ArrayList<>();
            for (int i = 0; i < ABOVE; i++) {
                WsClient stayer = WsClient.connect(cluster.node(1).ws("/chat"));
                stayer.emit("user-joined", "\"stay" + i + "\"", 1);
                stayer.expectAck(1);
                stayers.add(stayer);
            }
            WsClient watcher = stayers.get(0);
            List<WsClient> goers = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                goers.add(WsClient.connect(cluster.node(0).ws("/chat")));
            }
            // Past the threshold with the first of them; the rest join within one window.
            goers.get(0).emit("user-joined", "\"go0\"", 1);
            goers.get(0).expectAck(1);
            Thread.sleep(1_000);
            long before = cluster.publishes();
            for (int i = 1; i < goers.size(); i++) {
                goers.get(i).emit("user-joined", "\"go" + i + "\"", 1);
            }
            goers.subList(1, goers.size()).forEach(goer -> goer.expectAck(1));
            Thread.sleep(1_200);
            long publishes = cluster.publishes() - before;
            assertTrue(publishes >= 1 && publishes <= 3, "19 joins in one window cost " + publishes + " publishes");
            assertTotalSeen(watcher, ABOVE + 20);

            watcher.drain();
            cluster.node(0).kill();
            JsonObject diff = watcher.pollWhere("presence-diff", d -> d.getInt("total") == ABOVE, Duration.ofSeconds(10));
            assertNotNull(diff, "the dead node's users never left");
            assertTrue(diff.getJsonArray("removed").size() > 0, "go0 and others were on the first page: " + diff);
            Thread.sleep(1_000);
            for (JsonObject frame : watcher.drain()) {
                assertFalse(frame.getString("event", "").equals("user-disconnected"), "told one by one: " + frame);
                assertFalse(frame.getString("event", "").equals("presence-diff"), "more than one diff: " + frame);
            }
            stayers.forEach(WsClient::close);
        }
    }

    private static void assertTotalSeen(WsClient client, int total) {
        client.expectWhere("presence-diff", diff -> diff.getInt("total") == total);
    }

    @Test
    void aBigLobbyIsPagedAndSearchedOverTheWire() throws Exception {
        try (JarServer node = JarServer.start("256m", SETTINGS)) {
            List<WsClient> users = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                WsClient user = WsClient.connect(node.ws("/chat"));
                user.emit("user-joined", "\"u" + (char) ('a' + i) + "\"", 1);
                user.expectAck(1);
                users.add(user);
            }
            WsClient last = users.get(19);
            List<String> seen = new ArrayList<>();
            String after = null;
            for (int page = 0; page < 10; page++) {
                last.emit("list-users", after == null ? "{}" : "{\"after\":" + after + "}", 10 + page);
                JsonObject answer = last.expectAck(10 + page).getJsonObject("data");
                assertEquals(20, answer.getInt("total"));
                var list = answer.getJsonArray("users");
                list.getValuesAs(JsonObject.class).forEach(user -> seen.add(user.getString("username")));
                if (!answer.getBoolean("more")) {
                    break;
                }
                after = list.getJsonObject(list.size() - 1).toString();
            }
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                expected.add("u" + (char) ('a' + i));
            }
            assertEquals(expected, seen);
            last.emit("list-users", "{\"prefix\":\"UJ\"}", 30);
            assertEquals("uj", last.expectAck(30).getJsonObject("data").getJsonArray("users").getJsonObject(0)
                    .getString("username"));
            last.emit("list-users", "{\"limit\":" + (PAGE + 1) + "}", 31);
            last.expectAckError(31, "INVALID_PAYLOAD");
            users.forEach(WsClient::close);
        }
    }

    private void randomRun(IntFunction<JarServer> nodeFor, long seed) throws Exception {
        Random random = new Random(seed);
        Map<String, Client> clients = new LinkedHashMap<>();
        Map<String, String> lobby = new HashMap<>();
        Map<String, String> room = new HashMap<>();
        int opened = 0;
        long ack = 1;
        for (int step = 0; step < 400; step++) {
            int op = random.nextInt(20);
            List<String> ids = new ArrayList<>(clients.keySet());
            // Grow past the threshold first (+0.3 a step), then shrink below half of it (-0.4 a step).
            boolean growing = step < 150;
            if (op < (growing ? 8 : 2) || ids.isEmpty()) {
                WsClient socket = WsClient.connect(nodeFor.apply(opened++).ws("/chat"));
                String name = name(random);
                socket.emit("user-joined", "\"" + name + "\"", ack);
                socket.expectAck(ack++);
                clients.put(socket.id(), new Client(socket, PresenceView.lobby(), PresenceView.room("r")));
                lobby.put(socket.id(), name);
            } else {
                String id = ids.get(random.nextInt(ids.size()));
                Client client = clients.get(id);
                if (op < 10) {
                    client.socket().close();
                    clients.remove(id);
                    lobby.remove(id);
                    room.remove(id);
                } else if (op < 12) {
                    String name = name(random);
                    client.socket().emit("user-joined", "\"" + name + "\"", ack);
                    client.socket().expectAck(ack++);
                    lobby.put(id, name);
                    room.computeIfPresent(id, (key, old) -> name);
                } else if (op < (growing ? 17 : 15)) {
                    client.socket().emit("join-room", "\"r\"", ack);
                    client.socket().expectAck(ack++);
                    room.put(id, lobby.get(id));
                } else if (room.containsKey(id)) {
                    client.socket().emit("leave-room", "\"r\"", ack);
                    client.socket().expectAck(ack++);
                    room.remove(id);
                }
            }
            if (step == 149) {
                assertTrue(lobby.size() > ABOVE, "the run must cross the threshold: " + lobby.size());
            }
        }
        assertTrue(lobby.size() <= ABOVE / 2 + 4, "the run must come back down: " + lobby.size());
        long deadline = System.nanoTime() + CONVERGED_WITHIN.toNanos();
        String wrong;
        do {
            Thread.sleep(100);
            clients.values().forEach(Client::read);
            wrong = firstWrong(clients, lobby, room);
        } while (wrong != null && System.nanoTime() < deadline);
        assertEquals(null, wrong);
        clients.values().forEach(client -> client.socket().close());
    }

    /** What is wrong with the clients' views, or null when each is the truth. */
    private static String firstWrong(Map<String, Client> clients, Map<String, String> lobby, Map<String, String> room) {
        for (Client client : clients.values()) {
            String wrong = wrong("lobby", client.lobby(), lobby);
            if (wrong == null && room.containsKey(client.socket().id())) {
                wrong = wrong("room", client.room(), room);
            }
            if (wrong != null) {
                return client.socket().id() + ": " + wrong;
            }
        }
        return null;
    }

    private static String wrong(String scope, PresenceView view, Map<String, String> truth) {
        // Between half the threshold and the threshold either form is right, as the path there decides.
        boolean coalesced = view.coalesced();
        if ((truth.size() > ABOVE && !coalesced) || (truth.size() <= ABOVE / 2 && coalesced)) {
            return scope + " of " + truth.size() + " in the wrong form: " + view;
        }
        Map<String, String> expected = PresenceView.expected(truth, coalesced, PAGE);
        if (!expected.equals(view.members()) || view.total() != truth.size()) {
            return scope + " shows " + view + ", expected " + truth.size() + " " + expected;
        }
        return null;
    }

    private static String name(Random random) {
        String[] names = {"ann", "Ann", "bob", "cy", "Dee", "eve", "al", "zoe", "mo", "Bo"};
        return names[random.nextInt(names.length)] + random.nextInt(5);
    }
}
