package dev.duplex.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.duplex.core.DuplexConfig;
import dev.duplex.testing.WsClient;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The standalone server writes frames itself ({@link GrizzlyTransport}): every session must get that path,
 * and what it writes must be exactly what a client would get through Tyrus — whole frames in every length
 * form, any text, in order, also when a backlog leaves in gathered writes.
 */
class DirectWritesIT {
    private static StandaloneServer server;

    @BeforeAll
    static void start() throws Exception {
        server = StandaloneServer.start(DuplexConfig.defaults().with("duplex.host", "127.0.0.1")
                .with("duplex.port", "0").with("duplex.chat.rate-limit.messages", "100000")
                .with("duplex.whiteboard.rate-limit.events", "100000").with("duplex.rate-limit.frames", "100000"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static WsClient connect(String pathAndQuery) {
        return WsClient.connect(URI.create("ws://127.0.0.1:" + server.port() + pathAndQuery));
    }

    @Test
    void everySessionOfEveryNamespaceWritesStraightToItsConnection() {
        long before = server.transports().direct();
        List<WsClient> clients = new ArrayList<>();
        for (String path : List.of("/chat", "/whiteboard", "/game", "/location")) {
            for (int i = 0; i < 3; i++) {
                clients.add(connect(path));
            }
        }
        clients.forEach(WsClient::close);
        assertEquals(before + 12, server.transports().direct());
        assertEquals(0, server.transports().portable());
    }

    @Test
    void aBurstReachesEveryReceiverWholeAndInOrder() {
        int receivers = 40;
        int messages = 400;
        List<WsClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < receivers; i++) {
                clients.add(connect("/chat").joinChat("burst" + i));
            }
            WsClient sender = clients.get(0);
            // Multi-byte text (2-, 3- and 4-byte UTF-8) of growing length: 7-bit and 16-bit frame lengths.
            for (int i = 0; i < messages; i++) {
                sender.emit("send-message", "\"" + text(i) + "\"");
            }
            for (WsClient client : clients) {
                for (int i = 0; i < messages; i++) {
                    JsonObject received = client.expect("receive-message").asJsonObject();
                    assertEquals(text(i), received.getString("message"));
                }
            }
        } finally {
            clients.forEach(WsClient::close);
        }
    }

    private static String text(int i) {
        return i + " grüße € 😀 " + "x".repeat(i % 420) + ".";
    }

    @Test
    void aFrameLongerThan64KiBUsesTheLongLengthForm() {
        int segments = 1_500;
        try (WsClient drawer = connect("/whiteboard?board=long")) {
            drawer.expect("load-drawings");
            for (int i = 0; i < segments; i++) {
                drawer.emit("draw", "{\"prevX\":" + i + ",\"prevY\":1,\"x\":" + (i + 1)
                        + ",\"y\":2,\"color\":\"#00ff00\",\"width\":4,\"strokeId\":\"s" + i + "\"}", i);
            }
            for (int i = 0; i < segments; i++) {
                drawer.expectAck(i);
            }
            try (WsClient late = connect("/whiteboard?board=long")) {
                JsonArray history = late.expect("load-drawings").asJsonArray();
                assertEquals(segments, history.size(), "about 150 KB in one frame");
                assertEquals("s" + (segments - 1), history.getJsonObject(segments - 1).getString("strokeId"));
            }
        }
    }
}
