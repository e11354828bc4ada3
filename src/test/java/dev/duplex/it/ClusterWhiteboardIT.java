package dev.duplex.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duplex.testing.ClusterNodes;
import dev.duplex.testing.JarServer;
import dev.duplex.testing.OwnRedis;
import dev.duplex.testing.WsClient;
import io.lettuce.core.KillArgs;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /whiteboard} with its drawers spread over nodes: one board, one drawing order for everyone, late
 * joiners on any node given the whole board and then exactly what follows, undo and clear acting once
 * everywhere, and a board that outlives the nodes that held it and a Redis that lost it.
 */
class ClusterWhiteboardIT {
    private static final Duration QUIET = Duration.ofMillis(500);
    private final List<WsClient> clients = new ArrayList<>();

    @AfterEach
    void disconnect() {
        clients.forEach(WsClient::close);
    }

    private JsonArray open(JarServer node, String board, WsClient[] holder) {
        WsClient client = WsClient.connect(node.ws("/whiteboard?board=" + board));
        clients.add(client);
        holder[0] = client;
        return client.expect("load-drawings").asJsonArray();
    }

    private WsClient on(JarServer node, String board) {
        WsClient[] holder = new WsClient[1];
        open(node, board, holder);
        return holder[0];
    }

    private static String segment(double x, String stroke) {
        return "{\"prevX\":" + x + ",\"prevY\":1,\"x\":" + (x + 1) + ",\"y\":2,\"color\":\"#00ff00\",\"width\":4"
                + (stroke == null ? "" : ",\"strokeId\":\"" + stroke + "\"") + "}";
    }

    private static List<Double> xs(JsonArray segments) {
        return segments.stream().map(s -> s.asJsonObject().getJsonNumber("prevX").doubleValue()).toList();
    }

    private static void draw(WsClient client, double x, String stroke, long ack) {
        client.emit("draw", segment(x, stroke), ack);
        client.expectAck(ack);
    }

    @Test
    void aBoardSpreadOverThreeNodesIsOneBoard() throws Exception {
        try (ClusterNodes cluster = ClusterNodes.start(3)) {
            WsClient ann = on(cluster.node(0), "shared");
            WsClient bob = on(cluster.node(1), "shared");
            draw(ann, 1, "a1", 1);
            draw(ann, 2, "a1", 2);
            draw(bob, 3, null, 3);
            assertEquals(1.0, bob.expect("draw").asJsonObject().getJsonNumber("prevX").doubleValue());
            JsonObject second = bob.expect("draw").asJsonObject();
            assertEquals(ann.id(), second.getString("userId"));
            assertEquals("a1", second.getString("strokeId"));
            assertEquals(3.0, ann.expect("draw").asJsonObject().getJsonNumber("prevX").doubleValue());
            ann.expectNone("draw", QUIET);
            bob.expectNone("draw", QUIET);

            // A node that holds nothing of the board yet loads it whole; then exactly what follows.
            WsClient[] holder = new WsClient[1];
            assertEquals(List.of(1.0, 2.0, 3.0), xs(open(cluster.node(2), "shared", holder)));
            WsClient cat = holder[0];
            draw(ann, 4, "a2", 4);
            assertEquals(4.0, cat.expect("draw").asJsonObject().getJsonNumber("prevX").doubleValue());
            bob.expect("draw");
            cat.expectNone("draw", QUIET);

            ann.emit("undo", null, 5);
            ann.expectAck(5);
            for (WsClient everyone : List.of(ann, bob, cat)) {
                JsonObject undo = everyone.expect("undo").asJsonObject();
                assertEquals("a2", undo.getString("strokeId"));
                assertEquals(1, undo.getInt("removed"));
                everyone.expectNone("undo", QUIET);
            }
            cat.emit("undo", null, 6);
            cat.expectAckError(6, "NOT_FOUND");
            bob.expectNone("undo", QUIET);

            bob.emit("clear-canvas", null, 7);
            bob.expectAck(7);
            for (WsClient everyone : List.of(ann, bob, cat)) {
                assertEquals(bob.id(), everyone.expect("clear-canvas").asJsonObject().getString("userId"));
            }
            assertEquals(List.of(), xs(open(cluster.node(1), "shared", holder)));
            assertEquals(List.of(), xs(open(cluster.node(2), "shared", holder)));
        }
    }

    @Test
    void drawersRacingOnTwoNodesGiveEveryoneTheSameOrder() throws Exception {
        try (ClusterNodes cluster = ClusterNodes.start(2)) {
            WsClient ann = on(cluster.node(0), "race");
            WsClient bob = on(cluster.node(1), "race");
            WsClient watcher0 = on(cluster.node(0), "race");
            WsClient watcher1 = on(cluster.node(1), "race");
            int each = 100;
            for (int i = 0; i < each; i++) {
                ann.emit("draw", segment(i, "a"));
                bob.emit("draw", segment(1000 + i, "b"));
            }
            List<Double> seen0 = new ArrayList<>();
            List<Double> seen1 = new ArrayList<>();
            for (int i = 0; i < 2 * each; i++) {
                seen0.add(watcher0.expect("draw").asJsonObject().getJsonNumber("prevX").doubleValue());
                seen1.add(watcher1.expect("draw").asJsonObject().getJsonNumber("prevX").doubleValue());
            }
            assertEquals(seen0, seen1, "one order on both nodes");
            WsClient[] holder = new WsClient[1];
            assertEquals(seen0, xs(open(cluster.node(0), "race", holder)), "and in the history");
            assertEquals(seen0, xs(open(cluster.node(1), "race", holder)));
            // Each drawer's own segments stay in the order it drew them.
            assertEquals(seen0.stream().filter(x -> x < 1000).toList(), seen0.stream().filter(x -> x < 1000).sorted().toList());
        }
    }

    @Test
    void aBoardOutlivesTheNodesThatHeldItAndIsCompactedInRedis() throws Exception {
        try (ClusterNodes cluster = ClusterNodes.start(2, Map.of("duplex.cluster.journal-compact-after", "10"))) {
            WsClient ann = on(cluster.node(0), "kept");
            for (int i = 0; i < 40; i++) {
                ann.emit("draw", segment(i, "s" + (i / 10)));
            }
            draw(ann, 40, null, 1);
            ann.emit("undo", null, 2);
            ann.expectAck(2);
            ann.close();
            List<Double> expected = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                expected.add((double) i);
            }
            // Nobody is on the board any more: no node holds it, Redis does.
            WsClient[] holder = new WsClient[1];
            assertEquals(expected, xs(open(cluster.node(1), "kept", holder)));
            String key = "duplex:" + cluster.name() + ":/whiteboard:journal:kept:";
            assertTrue(cluster.redis().llen(key + "log") < 20, "the log was compacted: " + cluster.redis().llen(key + "log"));
            assertTrue(cluster.redis().llen(key + "snapshot") >= 10, "into a snapshot");

            WsClient bob = holder[0];
            on(cluster.node(0), "kept");
            cluster.node(0).kill();
            draw(bob, 50, null, 3);
            expected.add(50.0);
            assertEquals(expected, xs(open(cluster.node(1), "kept", holder)), "intact after a node died");
        }
    }

    @Test
    void theClusterHoldsAtMostItsBoardLimitInRedis() throws Exception {
        try (ClusterNodes cluster = ClusterNodes.start(1, Map.of("duplex.cluster.journal-max-streams", "2"))) {
            draw(on(cluster.node(0), "one"), 1, null, 1);
            draw(on(cluster.node(0), "two"), 1, null, 1);
            WsClient third = on(cluster.node(0), "three");
            third.emit("draw", segment(1, null), 1);
            assertTrue(third.expectAckError(1, "FORBIDDEN").getString("message").contains("as many boards"));
            third.emit("undo", null, 2);
            third.expectAckError(2, "FORBIDDEN");
            draw(on(cluster.node(0), "one"), 2, null, 3);
            assertEquals(2, cluster.redis().zcard("duplex:" + cluster.name() + ":/whiteboard:journals"));
        }
    }

    @Test
    void pastTheLimitANewBoardTakesThePlaceOfTheLeastRecentlyUsedOneThatNoNodeHolds() throws Exception {
        // A time to live of 4 s: followers mark their boards every second, a board unmarked for 3 s is unheld.
        try (ClusterNodes cluster = ClusterNodes.start(1, Map.of("duplex.cluster.journal-max-streams", "2",
                "duplex.cluster.journal-ttl-ms", "4000"))) {
            WsClient left = on(cluster.node(0), "left");
            draw(left, 1, null, 1);
            left.close();
            WsClient held = on(cluster.node(0), "held");
            draw(held, 1, null, 1);
            Thread.sleep(3_500);
            draw(on(cluster.node(0), "new"), 1, null, 1);
            assertEquals(List.of("held", "new"),
                    cluster.redis().zrange("duplex:" + cluster.name() + ":/whiteboard:journals", 0, -1).stream().sorted().toList());
            WsClient another = on(cluster.node(0), "another");
            another.emit("draw", segment(1, null), 1);
            another.expectAckError(1, "FORBIDDEN");
            draw(held, 2, null, 2);
        }
    }

    @Test
    void whatANodeMissedWhileItsSubscriptionDroppedReachesItsMembersOnceInOrder() throws Exception {
        try (ClusterNodes cluster = ClusterNodes.start(2)) {
            WsClient ann = on(cluster.node(0), "dropped");
            WsClient bob = on(cluster.node(1), "dropped");
            List<Double> acked = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                if (i == 20) {
                    // Both nodes lose their subscriptions at once; Lettuce reconnects, and what was published
                    // meanwhile is gone from the channel, not from the log.
                    cluster.redis().clientKill(KillArgs.Builder.typePubsub());
                }
                ann.emit("draw", segment(i, null), i + 1);
                if (!ann.expectAck(i + 1, Duration.ofSeconds(10)).containsKey("error")) {
                    acked.add((double) i);
                }
                Thread.sleep(20);
            }
            WsClient[] holder = new WsClient[1];
            List<Double> history = xs(open(cluster.node(1), "dropped", holder));
            assertTrue(history.containsAll(acked), () -> "every confirmed segment is kept: " + history);
            assertEquals(history, xs(open(cluster.node(0), "dropped", holder)), "one board on both nodes");
            assertEquals(history, xs(open(cluster.add(), "dropped", holder)), "as Redis keeps it");
            List<Double> seen = new ArrayList<>();
            while (seen.size() < history.size()) {
                seen.add(bob.expect("draw").asJsonObject().getJsonNumber("prevX").doubleValue());
            }
            assertEquals(history, seen, "the member on the other node saw each segment once, in order");
            bob.expectNone("draw", QUIET);
        }
    }

    @Test
    void aRedisThatRestartsEmptyGetsTheBoardBackFromTheNodes() throws Exception {
        try (OwnRedis redis = OwnRedis.start(false);
                ClusterNodes cluster = new ClusterNodes(redis.uri(), Map.of())) {
            cluster.add();
            cluster.add();
            WsClient ann = on(cluster.node(0), "restored");
            WsClient bob = on(cluster.node(1), "restored");
            draw(ann, 1, "a", 1);
            draw(ann, 2, "a", 2);
            bob.expect("draw");
            bob.expect("draw");

            redis.stop();
            ann.emit("draw", segment(3, "a"), 3);
            ann.expectAckError(3, "UNAVAILABLE");
            redis.startAgain();

            // Both nodes reload; the board comes back from their copies, and drawing goes on across nodes.
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            long ack = 10;
            while (true) {
                ann.emit("draw", segment(4, "a"), ++ack);
                JsonObject answer = ann.expectAck(ack);
                if (!answer.containsKey("error")) {
                    break;
                }
                assertTrue(System.nanoTime() < deadline, "drawing resumes after Redis is back: " + answer);
                Thread.sleep(200);
            }
            assertEquals(4.0, bob.expectWhere("draw", d -> true).getJsonNumber("prevX").doubleValue());
            WsClient[] holder = new WsClient[1];
            assertEquals(List.of(1.0, 2.0, 4.0), xs(open(cluster.node(0), "restored", holder)));
            assertEquals(List.of(1.0, 2.0, 4.0), xs(open(cluster.node(1), "restored", holder)));
            for (WsClient member : List.of(ann, bob)) {
                member.expectNone("clear-canvas", Duration.ofMillis(100));
            }
        }
    }
}
