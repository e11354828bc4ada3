package dev.duplex.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duplex.testing.TestServer;
import dev.duplex.testing.WsClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Idle page connections are closed after the keep-alive timeout; quiet WebSockets are not. */
class HttpKeepAliveIT {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("duplex.http.keep-alive-seconds", "1"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void anIdlePageConnectionIsClosed() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write("GET /index.html HTTP/1.1\r\nHost: duplex\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.setSoTimeout(10_000);
            InputStream in = socket.getInputStream();
            String head = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 200", head);
            long idleSince = System.nanoTime();
            try {
                while (in.read() >= 0) {
                    // The rest of the response; then the server closes the connection.
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the idle keep-alive connection was still open after 10 s", e);
            }
            assertTrue(System.nanoTime() - idleSince >= 500_000_000L, "closed by the idle timeout, not at once");
        }
    }

    @Test
    void aQuietWebSocketOutlivesTheKeepAliveTimeout() throws InterruptedException {
        try (WsClient client = server.connect("/chat")) {
            Thread.sleep(3_500);
            client.emit("user-joined", "\"quiet\"");
            client.expect("online-users");
        }
    }
}
