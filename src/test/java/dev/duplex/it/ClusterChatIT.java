package dev.duplex.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duplex.testing.ClusterNodes;
import dev.duplex.testing.JarServer;
import dev.duplex.testing.WsClient;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /chat} with its users spread over three nodes in separate JVMs, joined through the real Redis:
 * presence, the lobby, private messages and rooms behave as on one server, a node hears only the rooms it
 * has members of, each broadcast is one publish, and a node that stops takes its users with it at once.
 */
class ClusterChatIT {
    private static final Duration QUIET = Duration.ofMillis(500);
    private static ClusterNodes cluster;
    private final List<WsClient> clients = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        cluster = ClusterNodes.start(3, Map.of("duplex.chat.rate-limit.messages", "1000"));
    }

    @AfterAll
    static void stop() throws Exception {
        cluster.close();
    }

    @AfterEach
    void disconnect() {
        clients.forEach(WsClient::close);
    }

    private WsClient joined(JarServer node, String name) {
        WsClient client = WsClient.connect(node.ws("/chat"));
        clients.add(client);
        client.joinChat(name);
        return client;
    }

    private static Set<String> names(JsonValue online) {
        return online.asJsonArray().stream().map(user -> user.asJsonObject().getString("username"))
                .collect(Collectors.toSet());
    }

    @Test
    void usersOnThreeNodesChatAsOnOneServer() {
        WsClient ann = joined(cluster.node(0), "ann");
        WsClient bob = joined(cluster.node(1), "bob");
        JsonObject bobArrived = ann.expectWhere("user-connected", u -> u.getString("username").equals("bob"));
        assertEquals(bob.id(), bobArrived.getString("userId"));
        WsClient cat = WsClient.connect(cluster.node(2).ws("/chat"));
        clients.add(cat);
        cat.emit("user-joined", "\"cat\"");
        for (WsClient client : List.of(ann, bob, cat)) {
            JsonObject catArrived = client.expectWhere("user-connected", u -> u.getString("username").equals("cat"));
            assertTrue(catArrived.getInt("totalUsers") >= 3, catArrived.toString());
        }
        assertTrue(names(cat.expect("online-users")).containsAll(Set.of("ann", "bob", "cat")));

        ann.emit("send-message", "\"hello from node 0\"", 1);
        JsonObject sent = ann.expectAck(1).getJsonObject("data");
        for (WsClient client : List.of(ann, bob, cat)) {
            JsonObject received = client.expectWhere("receive-message", m -> m.getString("id").equals(sent.getString("id")));
            assertEquals("hello from node 0", received.getString("message"));
            assertEquals(ann.id(), received.getString("userId"));
        }

        cat.emit("typing", "true");
        ann.expectWhere("user-typing", t -> t.getString("userId").equals(cat.id()));
        bob.expectWhere("user-typing", t -> t.getString("userId").equals(cat.id()));
        cat.expectNone("user-typing", QUIET);

        bob.emit("private-message", "{\"toUserId\":\"" + cat.id() + "\",\"message\":\"psst\"}");
        JsonObject whisper = cat.expect("private-message").asJsonObject();
        assertEquals("bob", whisper.getString("from"));
        assertEquals(bob.id(), whisper.getString("fromUserId"));
        assertEquals("cat", bob.expect("private-message-sent").asJsonObject().getString("to"));
        ann.expectNone("private-message", QUIET);

        bob.close();
        for (WsClient client : List.of(ann, cat)) {
            JsonObject left = client.expectWhere("user-disconnected", u -> u.getString("userId").equals(bob.id()));
            assertEquals("bob", left.getString("username"));
        }
        ann.emit("private-message", "{\"toUserId\":\"" + bob.id() + "\",\"message\":\"still there?\"}", 2);
        ann.expectAckError(2, "NOT_FOUND");
    }

    @Test
    void roomsSpanNodesAndOnlyNodesWithMembersHearThem() throws InterruptedException {
        WsClient ann = joined(cluster.node(0), "ann");
        WsClient bob = joined(cluster.node(1), "bob");
        WsClient cat = joined(cluster.node(2), "cat");
        String room = "span-" + System.nanoTime();
        bob.emit("join-room", "\"" + room + "\"");
        bob.expect("joined-room");
        cat.emit("join-room", "\"" + room + "\"");
        JsonObject joined = cat.expect("joined-room").asJsonObject();
        assertEquals(Set.of("bob", "cat"), names(joined.get("members")));
        assertEquals(cat.id(), bob.expect("user-joined-room").asJsonObject().getString("userId"));

        String channel = "duplex:" + cluster.name() + ":/chat:room:" + room;
        assertEquals(2L, cluster.redis().pubsubNumsub(channel).get(channel), "only the two nodes with members listen");

        cat.emit("room-message", "{\"roomId\":\"" + room + "\",\"message\":\"in the room\"}", 3);
        cat.expectAck(3);
        assertEquals("in the room", bob.expect("room-message").asJsonObject().getString("message"));
        assertEquals("in the room", cat.expect("room-message").asJsonObject().getString("message"));
        ann.expectNone("room-message", QUIET);

        ann.emit("join-room", "\"" + room + "\"");
        assertEquals(Set.of("ann", "bob", "cat"), names(ann.expect("joined-room").asJsonObject().get("members")));
        bob.expectWhere("user-joined-room", j -> j.getString("userId").equals(ann.id()));

        cat.close();
        assertEquals(cat.id(), bob.expectWhere("user-left-room", l -> l.getString("userId").equals(cat.id())).getString("userId"));
        ann.expectWhere("user-left-room", l -> l.getString("userId").equals(cat.id()));
        bob.emit("leave-room", "\"" + room + "\"");
        bob.expect("left-room");
        ann.expectWhere("user-left-room", l -> l.getString("userId").equals(bob.id()));
        ann.emit("leave-room", "\"" + room + "\"");
        ann.expect("left-room");
        awaitNumsub(channel, 0);
    }

    private static void awaitNumsub(String channel, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        long now;
        while ((now = cluster.redis().pubsubNumsub(channel).get(channel)) != expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(expected, now, "subscribers of " + channel);
    }

    @Test
    void eachBroadcastIsPublishedOnceWhateverTheNodes() {
        WsClient ann = joined(cluster.node(0), "ann");
        WsClient bob = joined(cluster.node(1), "bob");
        joined(cluster.node(2), "cat");
        ann.expectWhere("user-connected", u -> u.getString("username").equals("cat"));
        bob.expectWhere("user-connected", u -> u.getString("username").equals("cat"));
        long before = cluster.publishes();
        int messages = 20;
        for (int i = 0; i < messages; i++) {
            ann.emit("send-message", "\"m" + i + "\"");
        }
        for (int i = 0; i < messages; i++) {
            String text = "m" + i;
            bob.expectWhere("receive-message", m -> m.getString("message").equals(text));
        }
        assertEquals(messages, cluster.publishes() - before, "one publish per broadcast");
    }

    @Test
    void aNodeThatStartsLaterSeesWhoIsOnlineAndAStoppedNodesUsersLeaveAtOnce() throws Exception {
        WsClient ann = joined(cluster.node(0), "ann");
        JarServer late = cluster.add();
        WsClient dan = WsClient.connect(late.ws("/chat"));
        clients.add(dan);
        dan.emit("user-joined", "\"dan\"");
        assertTrue(names(dan.expect("online-users")).containsAll(Set.of("ann", "dan")));
        ann.expectWhere("user-connected", u -> u.getString("username").equals("dan"));

        long stopping = System.nanoTime();
        late.close();
        JsonObject left = ann.expectWhere("user-disconnected", u -> u.getString("userId").equals(dan.id()));
        long millis = Duration.ofNanos(System.nanoTime() - stopping).toMillis();
        assertEquals("dan", left.getString("username"));
        assertTrue(millis < 3_000, "announced " + millis + " ms after the stop began");
        ann.expectNoneWhere("user-disconnected", u -> u.getString("userId").equals(dan.id()), QUIET);
        ann.emit("private-message", "{\"toUserId\":\"" + dan.id() + "\",\"message\":\"gone?\"}", 4);
        ann.expectAckError(4, "NOT_FOUND");
    }
}
