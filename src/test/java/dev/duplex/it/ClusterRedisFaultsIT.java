package dev.duplex.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duplex.testing.ClusterNodes;
import dev.duplex.testing.JarServer;
import dev.duplex.testing.OwnRedis;
import dev.duplex.testing.WsClient;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on a Redis of the test's own, which the test stops, restarts (with its data, or empty) and slows:
 * each node goes on serving its own clients meanwhile, logs the outage once, and when Redis is back the
 * nodes deliver across again within 2 s and converge on who is online, telling their users what they missed.
 */
class ClusterRedisFaultsIT {
    private static final Map<String, String> SETTINGS = Map.of("duplex.chat.rate-limit.messages", "1000");
    private static final Duration CONVERGED_WITHIN = Duration.ofSeconds(6);
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

    private WsClient joinedSeeing(JarServer node, String name, Set<String> online) {
        WsClient client = WsClient.connect(node.ws("/chat"));
        clients.add(client);
        client.emit("user-joined", "\"" + name + "\"");
        client.expect("user-connected");
        assertEquals(online, names(client.expect("online-users")));
        return client;
    }

    private static Set<String> names(JsonValue online) {
        return online.asJsonArray().stream().map(user -> user.asJsonObject().getString("username"))
                .collect(Collectors.toSet());
    }

    private static ClusterNodes twoNodes(OwnRedis redis) throws Exception {
        ClusterNodes cluster = new ClusterNodes(redis.uri(), SETTINGS);
        cluster.add();
        cluster.add();
        return cluster;
    }

    /** Who a newcomer on the node sees online (the newcomer itself left out). */
    private Set<String> onlineSeenFrom(JarServer node) {
        try (WsClient newcomer = WsClient.connect(node.ws("/chat"))) {
            newcomer.emit("user-joined", "\"newcomer\"");
            Set<String> names = names(newcomer.expect("online-users"));
            names.remove("newcomer");
            return names;
        }
    }

    /** Sends from {@code from} until {@code to} receives one; the milliseconds that took. */
    private static long millisUntilDelivered(WsClient from, WsClient to) {
        long start = System.nanoTime();
        for (int i = 0; ; i++) {
            String text = "probe " + i;
            from.emit("send-message", "\"" + text + "\"");
            if (to.pollWhere("receive-message", m -> m.getString("message").equals(text), Duration.ofMillis(100)) != null) {
                return Duration.ofNanos(System.nanoTime() - start).toMillis();
            }
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos(), "never delivered across again");
        }
    }

    private static int count(String log, String text) {
        Matcher matcher = Pattern.compile(Pattern.quote(text)).matcher(log);
        int count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }

    @Test
    void aThirtySecondOutageLeavesEachNodeServingItsOwnAndTheNodesConvergeWhenRedisIsBack() throws Exception {
        try (OwnRedis redis = OwnRedis.start(true); ClusterNodes cluster = twoNodes(redis)) {
            WsClient ann = joined(cluster.node(0), "ann");
            WsClient amy = joined(cluster.node(0), "amy");
            WsClient bob = joinedSeeing(cluster.node(1), "bob", Set.of("ann", "amy", "bob"));
            ann.expectWhere("user-connected", u -> u.getString("userId").equals(bob.id()));

            redis.stop();
            long down = System.nanoTime();
            // Each node serves its own: a message reaches the sender's neighbours on its node at once.
            for (int i = 0; i < 20; i++) {
                String text = "while down " + i;
                ann.emit("send-message", "\"" + text + "\"", 100 + i);
                ann.expectAck(100 + i);
                amy.expectWhere("receive-message", m -> m.getString("message").equals(text));
            }
            // What changes meanwhile: cal joins node 1, amy leaves node 0. Each node's own users see it.
            WsClient cal = joined(cluster.node(1), "cal");
            bob.expectWhere("user-connected", u -> u.getString("userId").equals(cal.id()));
            amy.close();
            ann.expectWhere("user-disconnected", u -> u.getString("userId").equals(amy.id()));
            Thread.sleep(Math.max(0, Duration.ofSeconds(30).toMillis() - Duration.ofNanos(System.nanoTime() - down).toMillis()));

            redis.startAgain();
            assertTrue(millisUntilDelivered(bob, ann) < 2_000 + 500, "cross-node delivery took too long to return");
            assertTrue(millisUntilDelivered(ann, bob) < 2_000, "cross-node delivery took too long to return");
            // What each node's users missed is told: ann learns of cal, bob of amy's leaving.
            JsonObject calArrived = ann.pollWhere("user-connected", u -> u.getString("userId").equals(cal.id()),
                    CONVERGED_WITHIN);
            assertNotNull(calArrived, "node 0 never told ann that cal joined during the outage");
            JsonObject amyLeft = bob.pollWhere("user-disconnected", u -> u.getString("userId").equals(amy.id()),
                    CONVERGED_WITHIN);
            assertNotNull(amyLeft, "node 1 never told bob that amy left during the outage");
            assertEquals(Set.of("ann", "bob", "cal"), onlineSeenFrom(cluster.node(0)));
            assertEquals(Set.of("ann", "bob", "cal"), onlineSeenFrom(cluster.node(1)));
            // Nobody who stayed is announced gone, and the news comes once.
            assertNull(ann.pollWhere("user-disconnected", u -> u.getString("userId").equals(bob.id()), Duration.ofSeconds(1)),
                () -> "bob, who stayed, was announced gone; node 0:\n" + cluster.node(0).log() + "\nnode 1:\n"
                        + cluster.node(1).log());
            ann.expectNoneWhere("user-connected", u -> u.getString("userId").equals(cal.id()), Duration.ofMillis(200));

            for (int node = 0; node < 2; node++) {
                String log = cluster.node(node).log();
                assertEquals(1, count(log, "is unreachable"), "the outage is logged once per node: " + log);
                assertEquals(1, count(log, "is reachable again"), log);
                assertEquals(0, count(log, "Reconnecting"), "Lettuce logs each attempt: " + log);
            }
        }
    }

    @Test
    void aRedisRestartedEmptyIsFilledAgainWithoutAnyoneSeeingUsersComeAndGo() throws Exception {
        try (OwnRedis redis = OwnRedis.start(false); ClusterNodes cluster = twoNodes(redis)) {
            WsClient ann = joined(cluster.node(0), "ann");
            WsClient bob = joined(cluster.node(1), "bob");
            ann.expectWhere("user-connected", u -> u.getString("userId").equals(bob.id()));
            ann.emit("join-room", "\"ops\"", 1);
            ann.expectAck(1);
            bob.emit("join-room", "\"ops\"", 2);
            bob.expectAck(2);
            ann.expectWhere("user-joined-room", u -> u.getString("userId").equals(bob.id()));

            redis.stop();
            Thread.sleep(2_000);
            redis.startAgain();
            millisUntilDelivered(ann, bob);
            millisUntilDelivered(bob, ann);
            // Both nodes state their users again; the online list is whole on either node.
            long deadline = System.nanoTime() + CONVERGED_WITHIN.toNanos();
            while (cluster.redis().zcard("duplex:" + cluster.name() + ":nodes") < 2) {
                assertTrue(System.nanoTime() < deadline, "the nodes never registered again");
                Thread.sleep(100);
            }
            assertEquals(Set.of("ann", "bob"), onlineSeenFrom(cluster.node(0)));
            assertEquals(Set.of("ann", "bob"), onlineSeenFrom(cluster.node(1)));
            bob.emit("room-message", "{\"roomId\":\"ops\",\"message\":\"still here\"}", 3);
            bob.expectAck(3);
            ann.expectWhere("room-message", m -> m.getString("message").equals("still here"));
            // Nothing happened to anyone, so nobody is told anything about ann or bob.
            for (WsClient client : List.of(ann, bob)) {
                String other = client == ann ? bob.id() : ann.id();
                client.expectNoneWhere("user-disconnected", u -> u.getString("userId").equals(other), Duration.ofSeconds(1));
                client.expectNoneWhere("user-connected", u -> u.getString("userId").equals(other), Duration.ofMillis(100));
                client.expectNone("user-left-room", Duration.ofMillis(100));
            }
        }
    }

    @Test
    void aSlowRedisDelaysOnlyWhatCrossesNodes() throws Exception {
        try (OwnRedis redis = OwnRedis.start(false); ClusterNodes cluster = twoNodes(redis)) {
            WsClient ann = joined(cluster.node(0), "ann");
            WsClient amy = joined(cluster.node(0), "amy");
            WsClient bob = joined(cluster.node(1), "bob");
            ann.expectWhere("user-connected", u -> u.getString("userId").equals(bob.id()));
            Process slow = redis.freeze(1.5);
            Thread.sleep(100);
            long sent = System.nanoTime();
            ann.emit("send-message", "\"while slow\"", 1);
            amy.expectWhere("receive-message", m -> m.getString("message").equals("while slow"));
            long local = Duration.ofNanos(System.nanoTime() - sent).toMillis();
            assertTrue(local < 300, "a local delivery waited " + local + " ms for Redis");
            bob.expectWhere("receive-message", m -> m.getString("message").equals("while slow"));
            long across = Duration.ofNanos(System.nanoTime() - sent).toMillis();
            assertTrue(across > 1_000, "the cross-node delivery did not wait for Redis: " + across + " ms");
            slow.waitFor();
        }
    }
}
