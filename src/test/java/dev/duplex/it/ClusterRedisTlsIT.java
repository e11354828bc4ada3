package dev.duplex.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duplex.testing.ClusterNodes;
import dev.duplex.testing.JarServer;
import dev.duplex.testing.OwnRedis;
import dev.duplex.testing.WsClient;
import jakarta.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code duplex.redis.uri=rediss://:password@host:port}: nodes meet through a Redis of the test's own that
 * speaks only TLS and requires a password. The certificate is checked (a node that does not trust it does
 * not start), so is the password, and neither failure shows the password.
 */
class ClusterRedisTlsIT {
    private static final String PASSWORD = "s3cret-of-the-cluster";
    private static OwnRedis redis;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = OwnRedis.startWithTls(PASSWORD);
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    private static Map<String, String> trusting() {
        return Map.of("javax.net.ssl.trustStore", redis.trustStore().toString(),
                "javax.net.ssl.trustStorePassword", OwnRedis.TRUST_STORE_PASSWORD);
    }

    @Test
    void twoNodesChatThroughRedisOverTlsWithAPassword() throws Exception {
        try (ClusterNodes cluster = new ClusterNodes(redis.uri(), trusting())) {
            JarServer first = cluster.add();
            JarServer second = cluster.add();
            try (WsClient alice = WsClient.connect(first.ws("/chat")); WsClient bob = WsClient.connect(second.ws("/chat"))) {
                alice.joinChat("alice");
                bob.joinChat("bob");
                alice.expectWhere("user-connected", data -> data.getString("username").equals("bob"));
                alice.emit("send-message", "\"over TLS\"");
                JsonObject message = bob.expectWhere("receive-message", data -> data.getString("message").equals("over TLS"));
                assertEquals("alice", message.getString("username"));
            }
            for (JarServer node : new JarServer[] {first, second}) {
                assertTrue(node.log().contains("joined cluster"), node.log());
                assertFalse(node.log().contains(PASSWORD), "the password is never logged");
            }
        }
    }

    @Test
    void aWrongPasswordStopsTheNodeAtStartWithoutShowingIt() {
        String wrong = "not-the-password";
        Map<String, String> settings = new HashMap<>(trusting());
        settings.put("duplex.redis.uri", redis.uri().replace(PASSWORD, wrong));
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> JarServer.start("256m", settings));
        assertTrue(refused.getMessage().contains("WRONGPASS"), refused.getMessage());
        assertTrue(refused.getMessage().contains("Cannot connect to Redis at 127.0.0.1:"), "one line says why");
        assertFalse(refused.getMessage().contains(wrong), refused.getMessage());
    }

    @Test
    void aNodeThatDoesNotTrustTheCertificateDoesNotStart() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> JarServer.start("256m", Map.of("duplex.redis.uri", redis.uri())));
        assertTrue(refused.getMessage().contains("certification path"), refused.getMessage());
        assertFalse(refused.getMessage().contains(PASSWORD), refused.getMessage());
    }
}
