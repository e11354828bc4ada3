package dev.duplex.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duplex.testing.ClientFrame;
import dev.duplex.testing.RawSocket;
import jakarta.json.Json;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The admission limits of the WAR in each container: past its address's handshake rate an upgrade gets
 * HTTP 429 with Retry-After; past its address's connection cap (50 in the container runs, set by the build) a
 * connection is closed with 1013; a connection closed for abuse bars its address's upgrades for the abuse
 * penalty. A deployment of its own, since the tests spend addresses' whole budgets; the cap is tried from
 * 127.0.0.7 and 127.0.0.8 and the penalty from 127.0.0.9, so none shares a budget with the rate's 127.0.0.1.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ContainerAdmissionIT {
    private static final int CAP = 50;

    @ArquillianResource
    private URL deployment;

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployed.war();
    }

    private URI chat() {
        return URI.create("ws" + Deployed.base(deployment).toString().substring(4) + "chat");
    }

    @Test
    void connectionsPastTheAddresssCapAreClosedWith1013AndACloseFreesAPlace() throws Exception {
        InetAddress full = InetAddress.getByName("127.0.0.7");
        List<RawSocket> open = new ArrayList<>();
        try {
            // Each is counted before its `connected` is sent; waiting for it keeps the order of the counts the
            // order of the handshakes (a container may answer 101 before it calls the endpoint, so the next
            // handshake could otherwise be counted first and take the last place).
            for (int i = 0; i < CAP; i++) {
                RawSocket raw = RawSocket.connectFrom(full, chat());
                open.add(raw);
                assertEquals("connected", firstEvent(raw), "connection " + i + " within the cap");
            }
            try (RawSocket refused = RawSocket.connectFrom(full, chat())) {
                assertEquals(1013, refused.readUntilClose(), "the connection past the cap");
            }
            try (RawSocket other = RawSocket.connectFrom(InetAddress.getByName("127.0.0.8"), chat())) {
                assertEquals("connected", firstEvent(other), "another address is not affected");
            }
            open.remove(0).close();
            // The container reports the close on its own time: the place is free once it has.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                try (RawSocket again = RawSocket.connectFrom(full, chat())) {
                    RawSocket.Frame first = again.read(Duration.ofSeconds(10));
                    if (first.opcode() != ClientFrame.CLOSE) {
                        break;
                    }
                    assertEquals(1013, first.closeCode());
                    assertTrue(System.nanoTime() < deadline, "the closed connection's place was never freed");
                }
                Thread.sleep(100);
            }
        } finally {
            for (RawSocket raw : open) {
                raw.close();
            }
        }
    }

    private static String firstEvent(RawSocket raw) throws Exception {
        RawSocket.Frame frame = raw.read(Duration.ofSeconds(10));
        assertEquals(ClientFrame.TEXT, frame.opcode(), "the first frame");
        return Json.createReader(new StringReader(frame.text())).readObject().getString("event");
    }

    @Test
    void handshakesPastTheAddresssRateGet429WithRetryAfter() throws Exception {
        // 200 handshakes in any 60 s from one address (the build lengthens the default 10 s window, so that a
        // slow container takes them within it), sent from several threads; each connection closes at once,
        // so the connection limit never comes into it.
        ExecutorService senders = Executors.newFixedThreadPool(8);
        List<Future<String>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < 260; i++) {
                answers.add(senders.submit(() -> RawSocket.handshake(chat(), Map.of())));
            }
            int upgraded = 0;
            String refused = null;
            for (Future<String> answer : answers) {
                String head = answer.get(60, TimeUnit.SECONDS);
                if (head.startsWith("HTTP/1.1 101")) {
                    upgraded++;
                } else {
                    refused = head;
                }
            }
            assertTrue(upgraded <= 200, upgraded + " handshakes were upgraded");
            String answer = refused;
            assertTrue(answer != null && answer.startsWith("HTTP/1.1 429"), () -> "no 429, last refusal: " + answer);
            assertTrue(answer.toLowerCase(Locale.ROOT).contains("retry-after: 60"), answer);
        } finally {
            senders.shutdownNow();
        }
    }

    @Test
    void aConnectionClosedForAbuseBarsItsAddresssUpgradesWith429() throws Exception {
        // The default chat limit (10 messages in 10 s) and escalation (100 rate-limited answers in 10 s).
        InetAddress abuser = InetAddress.getByName("127.0.0.9");
        try (RawSocket flooder = RawSocket.connectFrom(abuser, chat())) {
            List<ClientFrame> flood = new ArrayList<>();
            flood.add(ClientFrame.text("{\"event\":\"user-joined\",\"data\":\"flooder\"}"));
            for (int i = 0; i < 120; i++) {
                flood.add(ClientFrame.text("{\"event\":\"send-message\",\"data\":\"spam\"}"));
            }
            flooder.send(flood.toArray(ClientFrame[]::new));
            assertEquals(1008, flooder.readUntilClose(), "closed for collecting too many rate-limited answers");
        }
        // The container reports the close on its own time; the penalty starts once it has.
        String head = RawSocket.handshakeUntilRefused(chat(), abuser, Duration.ofSeconds(10));
        assertTrue(head.startsWith("HTTP/1.1 429"), head);
        // What is left of the 30 s penalty, not the 60 s handshake window of a rate refusal.
        Matcher retryAfter = Pattern.compile("retry-after: (\\d+)").matcher(head.toLowerCase(Locale.ROOT));
        assertTrue(retryAfter.find() && Integer.parseInt(retryAfter.group(1)) <= 30, head);
    }
}
