package dev.duplex.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duplex.testing.TestServer;
import dev.duplex.testing.WsClient;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sessions and recovery over real sockets (docs/protocol.md, "Sessions and recovery"): clients whose TCP
 * connection is cut without a close frame, at random points of a busy lobby, over a thousand times, resume
 * and end up with every message exactly once and in order; a session past its window starts anew; a wrong
 * secret and a malformed resume are refused.
 */
class RecoveryIT {
    private static final long WINDOW = 3_000;
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of(
                "duplex.chat.rate-limit.messages", "1000000000",
                "duplex.chat.rate-limit.joins", "1000000",
                "duplex.rate-limit.frames", "1000000000",
                "duplex.limits.handshakes-per-address", "1000000000",
                "duplex.chat.history.size", "100000",
                "duplex.session.grace-ms", "1000",
                "duplex.session.window-ms", Long.toString(WINDOW)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A client with a session, as duplex.js is one: it keeps its token and last positions, and resumes. */
    private static final class Resumer {
        WsClient socket;
        String token;
        final Map<String, JsonObject> positions = new HashMap<>();
        /** The offsets of the lobby's messages it got live or replayed, in order. */
        final List<Long> offsets = new ArrayList<>();
        final List<String> texts = new ArrayList<>();
        int drops;
        final String id;
        /** Where it stood in the lobby when it joined: the offset of the last message before it. */
        final long joinedAt;

        Resumer(String name) {
            socket = WsClient.open(server.ws("/chat?session=new"), Map.of());
            JsonObject connected = socket.expect("connected").asJsonObject();
            token = connected.getString("session");
            id = connected.getString("id");
            socket.emit("user-joined", "\"" + name + "\"");
            socket.expect("online-users");
            read();
            joinedAt = positions.get("lobby").getJsonNumber("offset").longValue();
        }

        /** Takes in every frame received so far. */
        void read() {
            for (JsonObject frame : socket.drain()) {
                String event = frame.getString("event", "");
                if (event.equals("history")) {
                    JsonObject data = frame.getJsonObject("data");
                    positions.put(data.getString("stream"), Json.createObjectBuilder().add("stream", data.getString("stream"))
                            .add("epoch", data.getString("epoch")).add("offset", data.getJsonNumber("last").longValue()).build());
                } else if (frame.containsKey("position")) {
                    JsonObject position = frame.getJsonObject("position");
                    positions.put(position.getString("stream"), position);
                    if (event.equals("receive-message")) {
                        offsets.add(position.getJsonNumber("offset").longValue());
                        texts.add(frame.getJsonObject("data").getString("message"));
                    }
                }
            }
        }

        /** Cuts the TCP connection without a close frame, and resumes at once; returns the new connected. */
        JsonObject dropAndResume() {
            socket.abort();
            drops++;
            read();
            return resume();
        }

        JsonObject resume() {
            socket = WsClient.open(server.ws("/chat?session=resume"), Map.of());
            JsonArrayBuilder list = Json.createArrayBuilder();
            positions.values().forEach(list::add);
            socket.send(Json.createObjectBuilder().add("event", "resume")
                    .add("data", Json.createObjectBuilder().add("session", token).add("positions", list)).build().toString());
            JsonObject connected = socket.expect("connected").asJsonObject();
            token = connected.getString("session");
            return connected;
        }
    }

    @Test
    void overAThousandCutsEveryMessageArrivesExactlyOnceInOrder() throws Exception {
        WsClient sender = server.connect("/chat").joinChat("sender");
        List<Resumer> resumers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            resumers.add(new Resumer("r" + i));
        }
        AtomicBoolean sending = new AtomicBoolean(true);
        ExecutorService threads = Executors.newFixedThreadPool(resumers.size() + 1);
        Future<Integer> sent = threads.submit(() -> {
            int count = 0;
            while (sending.get()) {
                // About a thousand a second: a busy lobby, which the history (100,000 here) keeps whole.
                sender.emit("send-message", "\"m" + count++ + "\"");
                Thread.sleep(1);
            }
            sender.emit("send-message", "\"end\"", 1);
            sender.expectAck(1);
            return count;
        });
        List<Future<?>> cycles = new ArrayList<>();
        for (int i = 0; i < resumers.size(); i++) {
            Resumer resumer = resumers.get(i);
            Random random = new Random(17 + i);
            cycles.add(threads.submit(() -> {
                for (int cut = 0; cut < 260; cut++) {
                    Thread.sleep(random.nextInt(8));
                    JsonObject connected = resumer.dropAndResume();
                    assertTrue(connected.getBoolean("resumed") && connected.getBoolean("recovered"), connected::toString);
                }
                return null;
            }));
        }
        for (Future<?> cycle : cycles) {
            cycle.get();
        }
        sending.set(false);
        int messages = sent.get();
        threads.shutdown();
        int drops = 0;
        for (Resumer resumer : resumers) {
            resumer.socket.expectWhere("receive-message", data -> data.getString("message").equals("end"));
            resumer.read();
            drops += resumer.drops;
            // "end" is consumed by the wait: every message before it, from the first after the join, once each.
            List<Long> offsets = resumer.offsets;
            assertEquals(resumer.joinedAt + 1, offsets.get(0));
            for (int i = 1; i < offsets.size(); i++) {
                if (offsets.get(i) != offsets.get(i - 1) + 1) {
                    throw new AssertionError("after offset " + offsets.get(i - 1) + " came " + offsets.get(i)
                            + " (message " + i + " of " + offsets.size() + ", " + resumer.drops + " cuts)");
                }
            }
            assertEquals("m" + (messages - 1), resumer.texts.get(resumer.texts.size() - 1));
            resumer.socket.close();
        }
        assertTrue(drops >= 1_000, "cuts: " + drops);
        assertTrue(messages > 1_000, "messages: " + messages);
        sender.close();
    }

    @Test
    void pastTheWindowTheSessionIsGoneAndTheClientGetsANewOne() throws Exception {
        Resumer ann = new Resumer("ann");
        ann.socket.abort();
        Thread.sleep(WINDOW + 1_500);
        JsonObject connected = ann.resume();
        assertFalse(connected.getBoolean("resumed"));
        assertFalse(connected.getBoolean("recovered"));
        assertNotEquals(ann.id, connected.getString("id"));
        ann.socket.close();
    }

    @Test
    void aWrongSecretAndAMalformedResumeAreRefused() {
        Resumer ann = new Resumer("ann");
        String id = ann.token.substring(0, ann.token.indexOf('.'));
        WsClient thief = WsClient.open(server.ws("/chat?session=resume"), Map.of());
        thief.send("{\"event\":\"resume\",\"data\":{\"session\":\"" + id + "." + "A".repeat(43) + "\",\"positions\":[]}}");
        assertEquals(1008, thief.expectClose());
        assertEquals("Session refused", thief.closeReason());
        WsClient garbled = WsClient.open(server.ws("/chat?session=resume"), Map.of());
        garbled.send("{\"event\":\"resume\",\"data\":{\"session\":\"" + ann.token + "\",\"positions\":[{\"stream\":\"lobby\",\"offset\":-1}]}}");
        assertEquals(1008, garbled.expectClose());
        assertTrue(garbled.closeReason().startsWith("Malformed resume"), garbled.closeReason());
        WsClient silent = WsClient.open(server.ws("/chat?session=resume"), Map.of());
        silent.send("{\"event\":\"user-joined\",\"data\":\"x\"}");
        assertEquals(1008, silent.expectClose());
        // None of it touched the session: its owner still resumes it.
        ann.socket.abort();
        assertTrue(ann.resume().getBoolean("resumed"));
        ann.socket.close();
    }

    @Test
    void aClientThatNeverAskedSeesTheProtocolOfBefore() {
        WsClient asked = WsClient.open(server.ws("/chat?session=new"), Map.of());
        JsonObject connected = asked.expect("connected").asJsonObject();
        assertTrue(connected.containsKey("session"));
        asked.close();
        WsClient old = WsClient.open(server.ws("/chat"), Map.of());
        assertEquals(2, old.expect("connected").asJsonObject().size());
        old.close();
    }
}
