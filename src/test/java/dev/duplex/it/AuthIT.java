package dev.duplex.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.duplex.testing.TestServer;
import dev.duplex.testing.WsClient;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** JWT authentication: PROTOCOL.md section 8. */
class AuthIT {
    private static final String SECRET = "an-hs256-secret-of-at-least-32-bytes!";
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("duplex.jwt.secret", SECRET, "duplex.jwt.first-frame-timeout-ms", "1000",
                "duplex.limits.connections-per-user", "2"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String token(String name, Instant expires, String secret, JWSAlgorithm algorithm) throws Exception {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().expirationTime(Date.from(expires));
        if (name != null) {
            claims.claim("name", name);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(algorithm), claims.build());
        jwt.sign(new MACSigner(secret.getBytes()));
        return jwt.serialize();
    }

    static String token(String name, Instant expires) throws Exception {
        return token(name, expires, SECRET, JWSAlgorithm.HS256);
    }

    private static void assertRefused(String query) {
        try (WsClient client = WsClient.open(server.ws("/chat" + query), Map.of())) {
            assertEquals(1008, client.expectClose());
            client.expectSilence(Duration.ZERO);
        }
    }

    @Test
    void aMissingTokenIsRefusedBeforeAnyEvent() {
        assertRefused(""); // once the first-frame deadline passes
        assertRefused("?token=");
    }

    @Test
    void aTokenInTheFirstFrameAuthenticatesBeforeConnected() throws Exception {
        try (WsClient client = WsClient.open(server.ws("/chat"), Map.of())) {
            client.expectSilence(Duration.ofMillis(200)); // no connected without a token
            client.emit("authenticate", "{\"token\":\"" + token("ann", Instant.now().plusSeconds(60)) + "\"}");
            client.expect("connected");
            client.emit("user-joined", "\"mallory\"");
            assertEquals("ann", client.expect("user-connected").asJsonObject().getString("username"));
            client.expectNone("user-connected", Duration.ofMillis(1_500)); // past the first-frame deadline
            client.emit("ping", null, 1);
            client.expectAck(1);
            assertTrue(!client.isClosed(), "an authenticated connection outlives the deadline for its token");
        }
    }

    @Test
    void aUserHoldsAtMostItsConnectionsAndClosingOneMakesRoom() throws Exception {
        String query = "/chat?token=" + token("carol", Instant.now().plusSeconds(60));
        try (WsClient first = WsClient.connect(server.ws(query)); WsClient second = WsClient.connect(server.ws(query))) {
            try (WsClient third = WsClient.open(server.ws(query), Map.of())) {
                assertEquals(1013, third.expectClose());
                third.expectSilence(Duration.ZERO);
            }
            first.close();
            Thread.sleep(200);
            try (WsClient again = WsClient.connect(server.ws(query))) {
                again.emit("ping", null, 1);
                again.expectAck(1);
            }
            second.emit("ping", null, 2);
            second.expectAck(2);
        }
    }

    @Test
    void aFirstFrameOtherThanAValidAuthenticateIsRefused() throws Exception {
        try (WsClient client = WsClient.open(server.ws("/chat"), Map.of())) {
            client.emit("user-joined", "\"ann\"");
            assertEquals(1008, client.expectClose());
            client.expectSilence(Duration.ZERO);
        }
        try (WsClient client = WsClient.open(server.ws("/chat"), Map.of())) {
            client.emit("authenticate", "{\"token\":\"" + token("ann", Instant.now().minusSeconds(5)) + "\"}");
            assertEquals(1008, client.expectClose());
        }
    }

    @Test
    void forgedExpiredAndWrongAlgorithmTokensAreRefused() throws Exception {
        Instant later = Instant.now().plusSeconds(3600);
        assertRefused("?token=" + token("ann", later, "another-secret-that-is-long-enough-too", JWSAlgorithm.HS256));
        assertRefused("?token=" + token("ann", Instant.now().minusSeconds(5)));
        assertRefused("?token=" + token("ann", later, SECRET + SECRET, JWSAlgorithm.HS512));
        assertRefused("?token=" + new PlainJWT(new JWTClaimsSet.Builder().claim("name", "ann")
                .expirationTime(Date.from(later)).build()).serialize());
        assertRefused("?token=" + token(null, later));
        assertRefused("?token=not.a.jwt");
    }

    @Test
    void theTokensNameIsTheUsernameWhateverThePayloadSays() throws Exception {
        try (WsClient client = WsClient.connect(server.ws("/chat?token=" + token("ann", Instant.now().plusSeconds(60))))) {
            client.emit("user-joined", "\"mallory\"");
            assertEquals("ann", client.expect("user-connected").asJsonObject().getString("username"));
            client.emit("send-message", "\"hello\"");
            assertEquals("ann", client.expect("receive-message").asJsonObject().getString("username"));
        }
    }

    @Test
    void theConnectionIsClosedWhenItsTokenExpires() throws Exception {
        // exp is in whole seconds
        Instant expires = Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.SECONDS);
        try (WsClient client = WsClient.connect(server.ws("/chat?token=" + token("ann", expires)))) {
            assertEquals(1008, client.expectClose());
            assertTrue(!Instant.now().isBefore(expires.minusMillis(50)), "closed before the token expired");
        }
    }

    @Test
    void aSessionResumesOnlyWithItsOwnUsersTokenInTheResumeFrame() throws Exception {
        String ann = token("ann", Instant.now().plusSeconds(60));
        WsClient first = WsClient.open(server.ws("/chat?session=new&token=" + ann), Map.of());
        String session = first.expect("connected").asJsonObject().getString("session");
        first.abort();
        String resume = "{\"event\":\"resume\",\"data\":{\"session\":\"" + session + "\",\"positions\":[],\"token\":\"%s\"}}";
        // Another user's valid token does not resume ann's session.
        try (WsClient bob = WsClient.open(server.ws("/chat?session=resume"), Map.of())) {
            bob.send(resume.formatted(token("bob", Instant.now().plusSeconds(60))));
            assertEquals(1008, bob.expectClose());
            assertEquals("Session refused", bob.closeReason());
        }
        // Without a token, authentication refuses it first.
        try (WsClient nobody = WsClient.open(server.ws("/chat?session=resume"), Map.of())) {
            nobody.send(resume.replace(",\"token\":\"%s\"", ""));
            assertEquals(1008, nobody.expectClose());
        }
        try (WsClient again = WsClient.open(server.ws("/chat?session=resume"), Map.of())) {
            again.send(resume.formatted(ann));
            JsonObject connected = again.expect("connected").asJsonObject();
            assertTrue(connected.getBoolean("resumed"));
            assertEquals(session.substring(0, session.indexOf('.')), connected.getString("id"));
        }
    }
}
