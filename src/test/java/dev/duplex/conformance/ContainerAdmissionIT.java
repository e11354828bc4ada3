package dev.duplex.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duplex.testing.RawSocket;
import java.net.URI;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The handshake limits of the WAR in each container: past its address's handshake rate an upgrade gets
 * HTTP 429 with Retry-After. A deployment of its own, since the test spends the
 * address's whole budget.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ContainerAdmissionIT {
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
}
