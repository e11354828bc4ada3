package dev.duplex.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duplex.testing.RawSocket;
import dev.duplex.testing.TestServer;
import dev.duplex.testing.WsClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Who may connect to the standalone server: per-address and per-node connection caps, handshake rates, drain. */
class AdmissionIT {
    /** Reads from a connection the server should have closed: true once it ends (EOF or reset). */
    private static boolean endedWithin(Socket socket, int millis) throws IOException {
        socket.setSoTimeout(millis);
        InputStream in = socket.getInputStream();
        try {
            return in.read() == -1;
        } catch (SocketException reset) {
            return true;
        } catch (java.net.SocketTimeoutException stillOpen) {
            return false;
        }
    }

    @Test
    void anAddressPastItsConnectionLimitIsClosedAtAcceptAndClosingMakesRoom() throws Exception {
        try (TestServer server = TestServer.start(Map.of("duplex.limits.connections-per-address", "3"))) {
            List<Socket> opened = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    opened.add(new Socket("127.0.0.1", server.port())); // silent: they send nothing at all
                }
                // Accepts are handled on several selector threads, in no fixed order: any one of the four
                // may be the one past the limit, and exactly one is.
                List<Socket> refused = new ArrayList<>();
                for (Socket socket : opened) {
                    if (endedWithin(socket, refused.isEmpty() ? 2_000 : 200)) {
                        refused.add(socket);
                    }
                }
                assertEquals(1, refused.size(), "one connection past the limit of three is closed at once");
                opened.removeAll(refused);
                opened.remove(0).close();
                Thread.sleep(200);
                try (WsClient client = server.connect("/chat")) {
                    client.emit("ping", null, 1);
                    client.expectAck(1);
                }
            } finally {
                for (Socket socket : opened) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void handshakesPastTheAddresssRateGet429WithRetryAfter() throws Exception {
        try (TestServer server = TestServer.start(Map.of("duplex.limits.handshakes-per-address", "3",
                "duplex.limits.handshake-window-ms", "60000"))) {
            for (int i = 0; i < 3; i++) {
                WsClient.connect(server.ws("/chat")).close();
            }
            String head = RawSocket.handshake(server.ws("/chat"), Map.of());
            assertTrue(head.startsWith("HTTP/1.1 429"), head);
            assertTrue(head.contains("Retry-After: 60"), head);
        }
    }

    /**
     * Rate limits are per connection, so without more a script would reconnect to refill them: the
     * connection closed for collecting too many rate-limited answers bars its address's handshakes for the
     * abuse penalty, while a connection already open from that address and every other address go on.
     */
    @Test
    void aConnectionClosedForAbuseBarsItsAddressFromReconnectingForThePenalty() throws Exception {
        try (TestServer server = TestServer.start(Map.of("duplex.chat.rate-limit.messages", "1",
                "duplex.rate-limit.close-after", "3", "duplex.limits.abuse-penalty-ms", "60000"))) {
            InetAddress abuserAddress = InetAddress.getByName("127.0.0.21");
            try (RawSocket bystander = RawSocket.connectFrom(abuserAddress, server.ws("/chat"));
                    RawSocket abuser = RawSocket.connectFrom(abuserAddress, server.ws("/chat"))) {
                abuser.sendText("{\"event\":\"user-joined\",\"data\":\"flooder\"}");
                for (int i = 0; i < 6; i++) {
                    abuser.sendText("{\"event\":\"send-message\",\"data\":\"spam\"}");
                }
                assertEquals(1008, abuser.readUntilClose());
                // The penalty starts once the server has handled the close, a moment after the close frame.
                String head = RawSocket.handshakeUntilRefused(URI.create("ws://127.0.0.1:" + server.port() + "/chat"),
                        abuserAddress, Duration.ofSeconds(5));
                assertTrue(head.startsWith("HTTP/1.1 429"), head);
                assertTrue(head.contains("Retry-After: 60") || head.contains("Retry-After: 59"), head);
                assertTrue(bystander.read().text().contains("\"connected\""));
                bystander.sendText("{\"event\":\"ping\",\"ack\":1}");
                assertTrue(bystander.read().text().contains("\"pong\""), "an open connection from it goes on");
            }
            try (WsClient other = server.connect("/chat")) {
                other.emit("ping", null, 1);
                other.expectAck(1);
            }
        }
    }

    /** The shutdown delay keeps the node up, refusing upgrades, before it closes anyone. */
    @Test
    void upgradesWhileTheServerDrainsGet503() throws Exception {
        TestServer server = TestServer.start(Map.of("duplex.shutdown-delay-ms", "1500"));
        WsClient connected = server.connect("/chat");
        connected.emit("ping", null, 1);
        connected.expectAck(1);
        Thread closing = new Thread(server::close, "shutdown");
        try {
            closing.start();
            Thread.sleep(300);
            String head = RawSocket.handshake(server.ws("/chat"), Map.of());
            assertTrue(head.startsWith("HTTP/1.1 503"), head);
        } finally {
            closing.join(10_000);
        }
        assertEquals(Thread.State.TERMINATED, closing.getState());
        assertEquals(1001, connected.expectClose(), "and then everyone is closed with 1001");
        connected.close();
    }
}
