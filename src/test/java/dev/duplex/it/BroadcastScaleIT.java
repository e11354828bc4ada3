package dev.duplex.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.duplex.testing.TestServer;
import dev.duplex.testing.WsClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A lobby message reaches every one of many joined clients exactly once. 300 clients by default;
 * {@code -Dduplex.it.clients=1000} for the full-size run.
 */
class BroadcastScaleIT {
    private static final int CLIENTS = Integer.getInteger("duplex.it.clients", 300);
    private static TestServer server;
    private static final List<WsClient> clients = new ArrayList<>();

    @BeforeAll
    static void start() {
        // Every client comes from 127.0.0.1: the per-address limits are raised for the crowd.
        server = TestServer.start(Map.of("duplex.chat.rate-limit.messages", "1000",
                "duplex.limits.connections-per-address", "5000", "duplex.limits.handshakes-per-address", "5000"));
        for (int i = 0; i < CLIENTS; i++) {
            WsClient client = server.connect("/chat");
            client.emit("user-joined", "\"user" + i + "\"");
            client.expect("online-users");
            clients.add(client);
        }
    }

    @AfterAll
    static void stop() {
        clients.forEach(WsClient::close);
        server.close();
    }

    @Test
    void everyJoinedClientGetsEachLobbyMessageExactlyOnce() {
        WsClient sender = clients.get(0);
        for (int i = 0; i < 5; i++) {
            sender.emit("send-message", "\"broadcast " + i + "\"");
        }
        for (WsClient client : clients) {
            for (int i = 0; i < 5; i++) {
                assertEquals("broadcast " + i, client.expect("receive-message").asJsonObject().getString("message"));
            }
            client.expectNone("receive-message", java.time.Duration.ZERO);
        }
    }
}
