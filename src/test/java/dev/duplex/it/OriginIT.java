package dev.duplex.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.duplex.testing.TestServer;
import dev.duplex.testing.WsClient;
import java.net.http.WebSocketHandshakeException;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code duplex.allowed-origins}: PROTOCOL.md section 8. */
class OriginIT {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("duplex.allowed-origins", "http://good.example, https://app.example"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void anAllowedOriginConnects() {
        for (String origin : new String[] {"http://good.example", "https://app.example"}) {
            try (WsClient client = WsClient.open(server.ws("/chat"), Map.of("Origin", origin))) {
                client.expect("connected");
            }
        }
    }

    @Test
    void anyOtherOriginIsRefusedWith403() {
        for (String origin : new String[] {"http://evil.example", "http://good.example.evil", "null"}) {
            CompletionException refused = assertThrows(CompletionException.class,
                    () -> WsClient.open(server.ws("/chat"), Map.of("Origin", origin)));
            assertEquals(403, ((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode());
        }
    }

    @Test
    void aMissingOriginIsRefusedToo() {
        CompletionException refused = assertThrows(CompletionException.class,
                () -> WsClient.open(server.ws("/chat"), Map.of()));
        assertEquals(403, ((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode());
    }
}
