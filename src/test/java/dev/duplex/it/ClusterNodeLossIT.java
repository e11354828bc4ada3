package dev.duplex.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A node killed with SIGKILL, saying no goodbye: the other nodes notice within 5 s (its heartbeat in Redis
 * stops), and each of its users is announced gone exactly once to every user of the live nodes, from the
 * lobby and from its rooms, while the users of the live nodes stay.
 */
class ClusterNodeLossIT {
    private static final Duration NOTICED_WITHIN = Duration.ofSeconds(5);
    private final List<WsClient> clients = new ArrayList<>();

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
    void aKilledNodesUsersAreAnnouncedGoneOnceEachWithinFiveSeconds() throws Exception {
        try (ClusterNodes cluster = ClusterNodes.start(3)) {
            WsClient ann = joined(cluster.node(0), "ann");
            WsClient bob = joined(cluster.node(1), "bob");
            WsClient cat = joined(cluster.node(2), "cat");
            WsClient dan = joined(cluster.node(2), "dan");
            for (WsClient live : List.of(ann, bob)) {
                live.expectWhere("user-connected", u -> u.getString("userId").equals(dan.id()));
            }
            ann.emit("join-room", "\"ops\"", 1);
            ann.expectAck(1);
            cat.emit("join-room", "\"ops\"", 2);
            cat.expectAck(2);
            ann.expectWhere("user-joined-room", u -> u.getString("userId").equals(cat.id()));
            String deadTag = cat.id().substring(0, 8);

            long killed = System.nanoTime();
            cluster.node(2).kill();
            for (WsClient live : List.of(ann, bob)) {
                for (WsClient gone : List.of(cat, dan)) {
                    JsonObject left = live.pollWhere("user-disconnected", u -> u.getString("userId").equals(gone.id()),
                            NOTICED_WITHIN.plusSeconds(3));
                    long millis = Duration.ofNanos(System.nanoTime() - killed).toMillis();
                    assertNotNull(left, "no user-disconnected for " + gone.id() + " after " + millis + " ms");
                    assertTrue(millis <= NOTICED_WITHIN.toMillis(), "announced " + millis + " ms after the kill");
                }
            }
            JsonObject leftRoom = ann.expectWhere("user-left-room", u -> u.getString("userId").equals(cat.id()));
            assertEquals("ops", leftRoom.getString("roomId"));
            // Once each: the node that removed the dead one and the others announce it alike.
            for (WsClient live : List.of(ann, bob)) {
                live.expectNoneWhere("user-disconnected",
                        u -> u.getString("userId").equals(cat.id()) || u.getString("userId").equals(dan.id()),
                        Duration.ofSeconds(2));
            }
            ann.expectNone("user-left-room", Duration.ofMillis(200));

            WsClient eve = WsClient.connect(cluster.node(1).ws("/chat"));
            clients.add(eve);
            eve.emit("user-joined", "\"eve\"");
            assertEquals(3, eve.expect("user-connected").asJsonObject().getInt("totalUsers"));
            assertEquals(Set.of("ann", "bob", "eve"), names(eve.expect("online-users")));
            ann.emit("private-message", "{\"toUserId\":\"" + cat.id() + "\",\"message\":\"there?\"}", 3);
            ann.expectAckError(3, "NOT_FOUND");

            String prefix = "duplex:" + cluster.name() + ":";
            assertFalse(cluster.redis().zrange(prefix + "nodes", 0, -1).contains(deadTag), "the dead node stays live");
            assertEquals(0, cluster.redis().exists(prefix + "/chat:presence:" + deadTag), "the dead node's entries stay");
        }
    }
}
