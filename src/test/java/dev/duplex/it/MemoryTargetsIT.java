package dev.duplex.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duplex.testing.JarServer;
import dev.duplex.testing.RawSocket;
import dev.duplex.testing.Segments;
import dev.duplex.testing.WsClient;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a hostile client can make the server hold, measured on the packaged jar with {@code -Xmx512m} and
 * default limits unless said: the live heap after a full GC may grow by at most the budget for
 * each attack, and the server goes on serving.
 */
class MemoryTargetsIT {
    private static final String HEAP = "512m";

    @Test
    void aFullBoardWithSixtyStalledJoinersAndARequestSpammerStaysWithin96MiB() throws Exception {
        // Only the drawer needs to be fast: it fills the board to its 50,000-segment history limit.
        try (JarServer server = JarServer.start(HEAP, Map.of("duplex.whiteboard.rate-limit.events", "1000000",
                "duplex.rate-limit.frames", "1000000"))) {
            int segments = 50_000;
            try (WsClient drawer = WsClient.connect(server.ws("/whiteboard?board=full"))) {
                drawer.expect("load-drawings");
                // Only the last draw asks for an ack: frames are handled in order, so its ack means the board is full.
                for (int i = 0; i < segments; i++) {
                    String segment = Segments.json("stroke-" + i, i % 9000);
                    if (i < segments - 1) {
                        drawer.emit("draw", segment);
                    } else {
                        drawer.emit("draw", segment, i);
                    }
                }
                drawer.expectAck(segments - 1, Duration.ofSeconds(60));
            }
            long before = server.liveHeapMiB();
            List<RawSocket> stalled = new ArrayList<>();
            try {
                for (int i = 0; i < 60; i++) {
                    stalled.add(RawSocket.connect(server.port(), "/whiteboard?board=full")); // never read again
                }
                try (RawSocket spammer = RawSocket.connect(server.port(), "/whiteboard?board=full")) {
                    for (int i = 0; i < 100; i++) {
                        spammer.sendText("{\"event\":\"request-drawings\"}"); // and never reads either
                    }
                    Thread.sleep(1_000);
                    long after = server.liveHeapMiB();
                    report("full board, 60 stalled joiners, 100 request-drawings", before, after);
                    assertTrue(after - before <= 96, "live heap grew from " + before + " to " + after + " MiB");
                }
                long start = System.nanoTime();
                try (WsClient viewer = WsClient.connect(server.ws("/whiteboard?board=full"))) {
                    assertEquals(segments, viewer.expect("load-drawings").asJsonArray().size());
                }
                assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos(), "the fresh viewer waited too long");
            } finally {
                for (RawSocket raw : stalled) {
                    raw.close();
                }
            }
        }
    }

    @Test
    void oneHundredTwentyConnectionsSendingMostOfA4MBFramePinAtMost128MiB() throws Exception {
        try (JarServer server = JarServer.start(HEAP, Map.of())) {
            long before = server.liveHeapMiB();
            List<Socket> senders = new ArrayList<>();
            byte[] chunk = new byte[64 * 1024];
            try {
                for (int i = 0; i < 120; i++) {
                    RawSocket raw = RawSocket.connect(server.port(), "/chat");
                    raw.write(new byte[] {(byte) 0x81, (byte) (0x80 | 127), 0, 0, 0, 0, 0, 0x40, 0, 0, 1, 2, 3, 4});
                    senders.add(raw.socket());
                }
                for (Socket socket : senders) {
                    OutputStream out = socket.getOutputStream();
                    try {
                        for (int sent = 0; sent < 3_900_000; sent += chunk.length) {
                            out.write(chunk);
                        }
                    } catch (IOException closedByTheServer) {
                        // The server refused the frame from its header and closed: the point.
                    }
                }
                long after = server.liveHeapMiB();
                report("120 connections sending 3.9 MB of a 4 MB frame", before, after);
                assertTrue(after - before <= 128, "live heap grew from " + before + " to " + after + " MiB");
                try (WsClient client = WsClient.connect(server.ws("/chat"))) {
                    client.emit("ping", null, 1);
                    client.expectAck(1);
                }
            } finally {
                for (Socket socket : senders) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void aHundredThousandPingsFromAClientThatNeverReadsPinAtMost16MiB() throws Exception {
        try (JarServer server = JarServer.start(HEAP, Map.of())) {
            long before = server.liveHeapMiB();
            try (RawSocket flooder = RawSocket.connect(server.port(), "/chat")) {
                byte[] ping = {(byte) 0x89, (byte) 0x80, 1, 2, 3, 4};
                byte[] burst = new byte[ping.length * 1_000];
                for (int i = 0; i < 1_000; i++) {
                    System.arraycopy(ping, 0, burst, i * ping.length, ping.length);
                }
                try {
                    for (int i = 0; i < 100; i++) {
                        flooder.write(burst);
                    }
                } catch (IOException closedByTheServer) {
                    // Past the frame limit the server closes the connection: the point.
                }
                long after = server.liveHeapMiB();
                report("100,000 pings from a client that never reads", before, after);
                assertTrue(after - before <= 16, "live heap grew from " + before + " to " + after + " MiB");
            }
        }
    }

    /** The figures, for the record (the Failsafe report keeps them). */
    private static void report(String attack, long before, long after) {
        System.out.println("[memory] " + attack + ": live heap " + before + " -> " + after + " MiB");
    }
}
