package dev.duplex.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duplex.testing.ClusterNodes;
import dev.duplex.testing.JarServer;
import dev.duplex.testing.WsClient;
import jakarta.json.JsonArray;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /location} with a group's members on different nodes: one list, in one order, for everyone; each
 * node coalesces for its own members; a member who leaves, or whose node dies, is taken off the list.
 */
class ClusterLocationIT {
    private final List<WsClient> clients = new ArrayList<>();

    @AfterEach
    void disconnect() {
        clients.forEach(WsClient::close);
    }

    private WsClient in(JarServer node, String group) {
        WsClient client = WsClient.connect(node.ws("/location?room=" + group));
        clients.add(client);
        assertEquals(0, client.expect("locations-updated").asJsonArray().size());
        return client;
    }

    private static String at(double lat, double lng, String name) {
        return "{\"lat\":" + lat + ",\"lng\":" + lng + ",\"username\":\"" + name + "\"}";
    }

    private static List<String> names(JsonArray list) {
        return list.stream().map(JsonValue::asJsonObject).map(entry -> entry.getString("username")).toList();
    }

    @Test
    void aGroupOverTwoNodesIsOneListInOneOrder() throws Exception {
        try (ClusterNodes cluster = ClusterNodes.start(2)) {
            WsClient ann = in(cluster.node(0), "walk");
            WsClient bob = in(cluster.node(1), "walk");
            WsClient elsewhere = in(cluster.node(1), "other");
            ann.emit("update-location", at(51.5, -0.12, "ann"), 1);
            ann.expectAck(1);
            assertEquals(List.of("ann"), names(ann.expect("locations-updated").asJsonArray()));
            bob.expectNone("locations-updated", Duration.ofMillis(300));

            bob.emit("update-location", at(48.85, 2.35, "bob"), 2);
            bob.expectAck(2);
            assertEquals(List.of("ann", "bob"), names(bob.awaitArray("locations-updated", list -> list.size() == 2)));
            assertEquals(List.of("ann", "bob"), names(ann.awaitArray("locations-updated", list -> list.size() == 2)));

            // Eight quick moves (within the rate limit of 10 a second once the window has passed): each node
            // sends its members few lists, the last with the last position.
            Thread.sleep(1_000);
            for (int i = 1; i <= 8; i++) {
                ann.emit("update-location", at(51.5 + i, -0.12, "ann"), 10 + i);
            }
            ann.expectAck(18);
            JsonArray last = bob.awaitArray("locations-updated",
                    list -> list.getJsonObject(0).getJsonNumber("lat").doubleValue() == 59.5);
            assertEquals(List.of("ann", "bob"), names(last));
            elsewhere.expectNone("locations-updated", Duration.ofMillis(100));

            bob.close();
            assertEquals(List.of("ann"), names(ann.awaitArray("locations-updated", list -> list.size() == 1)));
        }
    }

    @Test
    void theMembersOfANodeThatDiesAreTakenOffTheList() throws Exception {
        try (ClusterNodes cluster = ClusterNodes.start(2)) {
            WsClient ann = in(cluster.node(0), "safety");
            WsClient cat = in(cluster.node(1), "safety");
            cat.emit("update-location", at(40.7, -74.0, "cat"), 1);
            cat.expectAck(1);
            ann.emit("update-location", at(51.5, -0.12, "ann"), 2);
            ann.expectAck(2);
            ann.awaitArray("locations-updated", list -> list.size() == 2);

            cluster.node(1).kill();
            long killed = System.nanoTime();
            assertEquals(List.of("ann"), names(ann.awaitArray("locations-updated", list -> list.size() == 1)));
            assertTrue(System.nanoTime() - killed < Duration.ofSeconds(5).toNanos(), "within 5 s");
            // A newcomer on the live node finds only ann once it shares.
            WsClient dan = in(cluster.node(0), "safety");
            dan.emit("update-location", at(1, 1, "dan"), 3);
            assertEquals(List.of("ann", "dan"), names(dan.awaitArray("locations-updated", list -> list.size() >= 2)));
        }
    }
}
