package dev.duplex.conformance;

import static dev.duplex.testing.ClientFrame.BINARY;
import static dev.duplex.testing.ClientFrame.CLOSE;
import static dev.duplex.testing.ClientFrame.CONTINUATION;
import static dev.duplex.testing.ClientFrame.PING;
import static dev.duplex.testing.ClientFrame.PONG;
import static dev.duplex.testing.ClientFrame.TEXT;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.duplex.testing.ClientFrame;
import dev.duplex.testing.RawSocket;
import dev.duplex.testing.RawSocket.Frame;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.StringReader;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RFC 6455 framing as the key cases of the Autobahn TestSuite check it, ported to JUnit with a raw-socket
 * client and written once against a base URI: the standalone server runs it ({@code StandaloneFramingIT}) and
 * so does the WAR in each container ({@code ContainerFramingIT}). Default settings, the {@code /chat}
 * namespace.
 *
 * <p>Covered: payload lengths across the 7-, 16- and 64-bit length forms up to and past the 64 KiB message
 * limit; frames split over many TCP writes and several frames in one; reserved bits, reserved opcodes and
 * unmasked frames (1002); control frames (ping payloads echoed, 125 bytes at most, never fragmented, pongs
 * ignored, pings between fragments); fragmentation (reassembly, continuations out of place, the limit
 * across fragments: 1009); UTF-8 (multi-byte text delivered exactly, invalid, overlong, surrogate and
 * truncated sequences, also across fragments: 1007); the close handshake (echoed codes, invalid codes and
 * payloads: 1002, the server closing TCP after its close frame); and Duplex's own rule, binary frames (1003).
 *
 * <p>Every failure case asserts the exact close code and that the server then ends the TCP connection.
 * Where a container departs from the RFC, the test keeps the RFC's expectation and that container skips it,
 * saying why.
 */
public abstract class WebSocketFramingSuite {
    /** How long any single expectation may take: the server answers on loopback in milliseconds. */
    private static final Duration WAIT = Duration.ofSeconds(5);
    /** Between pieces of a split frame, so the server reads each piece on its own. */
    private static final Duration PIECE_PAUSE = Duration.ofMillis(2);
    /** Long enough for a server's write completion to run on an idle loopback connection; see {@link #connectIdle}. */
    private static final Duration SETTLE = Duration.ofMillis(100);
    private static final int LIMIT = 64 * 1024;
    private static final int NO_STATUS = -1;
    private static final String PING_JSON = "{\"event\":\"ping\"}";
    private static final String PING_PREFIX = "{\"event\":\"ping\",\"data\":\"";
    /** "κόσμε" followed by an encoded surrogate U+D800, then "edited": Autobahn's case 6.3.1. */
    private static final byte[] INVALID_UTF8 = hex("CE BA E1 BD B9 CE BC CE B5 ED A0 80 65 64 69 74 65 64");

    /** The application's base URL, ending in a slash: {@code http://host:port/} or {@code http://host:port/context/}. */
    protected abstract URI base();

    // Framing: lengths, length forms, TCP segmentation.

    @Test
    void anEmptyTextFrameIsAnErrorEventNotAClose() throws IOException {
        try (RawSocket raw = connect()) {
            raw.send(ClientFrame.of(TEXT, new byte[0]));
            assertEquals("BAD_JSON", expectEvent(raw, "error").getJsonObject("data").getString("code"));
            assertStillUsable(raw);
        }
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {125, 126, 65535, LIMIT})
    void aTextMessageUpToTheLimitIsAnsweredInEveryLengthForm(int bytes) throws IOException {
        try (RawSocket raw = connect()) {
            raw.send(ClientFrame.text(pingOfBytes(bytes)));
            expectEvent(raw, "pong");
        }
    }

    @Test
    void aTextMessageOneByteOverTheLimitClosesWith1009() throws IOException {
        try (RawSocket raw = connect()) {
            raw.send(ClientFrame.text(pingOfBytes(LIMIT + 1)));
            assertServerCloses(raw, 1009);
        }
    }

    @Test
    void aSixtyFourBitLengthIsReadExactlySoTheNextFrameStaysInStep() throws IOException {
        try (RawSocket raw = connect()) {
            raw.send(ClientFrame.text(pingOfBytes(LIMIT)), ClientFrame.text("{\"event\":\"ping\",\"ack\":7}"));
            expectAll(raw, isEvent("pong"), isEvent("pong"), isAck(7));
        }
    }

    @Test
    void aFrameWrittenOneByteAtATimeIsReassembled() throws IOException {
        try (RawSocket raw = connect()) {
            // 126 bytes: the 16-bit length and the masking key are split too.
            raw.writeInPieces(ClientFrame.text(pingOfBytes(126)).bytes(), 1, PIECE_PAUSE);
            expectEvent(raw, "pong");
        }
    }

    @Test
    void aLongFrameSplitAcrossManyWritesIsReassembled() throws IOException {
        try (RawSocket raw = connect()) {
            raw.writeInPieces(ClientFrame.text(pingOfBytes(LIMIT)).bytes(), 1000, PIECE_PAUSE);
            expectEvent(raw, "pong");
        }
    }

    @Test
    void severalFramesInOneWriteAreEachAnswered() throws IOException {
        try (RawSocket raw = connect()) {
            raw.send(ClientFrame.text(PING_JSON), ClientFrame.text(PING_JSON),
                    ClientFrame.of(PING, bytes("in one write")), ClientFrame.text(PING_JSON));
            expectAll(raw, isEvent("pong"), isEvent("pong"), isEvent("pong"), isPong(bytes("in one write")));
        }
    }

    // Reserved bits, reserved opcodes, masking.

    @ParameterizedTest(name = "RSV{0}")
    @ValueSource(ints = {1, 2, 3})
    void aTextFrameWithAReservedBitSetIsAProtocolError(int rsv) throws IOException {
        try (RawSocket raw = connectIdle()) {
            raw.send(ClientFrame.text(PING_JSON).withRsv(0x80 >>> rsv));
            assertServerCloses(raw, 1002);
        }
    }

    @Test
    void aPingWithAReservedBitSetIsAProtocolError() throws IOException {
        try (RawSocket raw = connectIdle()) {
            raw.send(ClientFrame.of(PING, bytes("rsv")).withRsv(ClientFrame.RSV1 | ClientFrame.RSV3));
            assertServerCloses(raw, 1002);
        }
    }

    @ParameterizedTest(name = "opcode {0}")
    @ValueSource(ints = {3, 4, 5, 6, 7, 11, 12, 13, 14, 15})
    void aFrameWithAReservedOpcodeIsAProtocolError(int opcode) throws IOException {
        try (RawSocket raw = connectIdle()) {
            raw.send(ClientFrame.of(opcode, bytes("reserved")));
            assertServerCloses(raw, 1002);
        }
    }

    // Control frames.

    @Test
    void aPingIsAnsweredWithAPongCarryingTheSamePayload() throws IOException {
        try (RawSocket raw = connect()) {
            raw.send(ClientFrame.of(PING, bytes("Hello, \u00e9\u00e8!")));
            expectFrame(raw, isPong(bytes("Hello, \u00e9\u00e8!")));
        }
    }

    @Test
    void aPingOf125BytesIsAnswered() throws IOException {
        byte[] payload = new byte[125];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 7); // any bytes: a ping's payload is not text
        }
        try (RawSocket raw = connect()) {
            raw.send(ClientFrame.of(PING, payload));
            expectFrame(raw, isPong(payload));
        }
    }

    @Test
    void aPingOf126BytesIsAProtocolError() throws IOException {
        try (RawSocket raw = connectIdle()) {
            raw.send(ClientFrame.of(PING, new byte[126]));
            assertServerCloses(raw, 1002);
        }
    }

    @Test
    void aFragmentedPingIsAProtocolError() throws IOException {
        try (RawSocket raw = connectIdle()) {
            raw.send(ClientFrame.of(PING, bytes("frag")).notFinal(), ClientFrame.of(CONTINUATION, bytes("ment")));
            assertServerCloses(raw, 1002);
        }
    }

    @Test
    void anUnsolicitedPongIsIgnored() throws IOException {
        try (RawSocket raw = connect()) {
            raw.send(ClientFrame.of(PONG, bytes("unsolicited")));
            raw.send(ClientFrame.text(PING_JSON));
            List<Frame> others = expectAll(raw, isEvent("pong")).others();
            assertTrue(others.stream().noneMatch(f -> f.opcode() == PONG), () -> "answered a pong: " + describe(others));
        }
    }

    @Test
    void aPingBetweenFragmentsIsAnsweredAndTheMessageStillArrivesWhole() throws IOException {
        try (RawSocket raw = joined("ann")) {
            byte[] message = bytes(sendMessage("before and after the ping"));
            raw.send(ClientFrame.of(TEXT, Arrays.copyOfRange(message, 0, 40)).notFinal());
            raw.send(ClientFrame.of(PING, bytes("mid")));
            raw.send(ClientFrame.of(CONTINUATION, Arrays.copyOfRange(message, 40, message.length)));
            expectAll(raw, isPong(bytes("mid")), isMessage("before and after the ping"));
        }
    }

    // Fragmentation.

    @Test
    void aTextMessageInTwoFragmentsArrivesAsOneMessage() throws IOException {
        try (RawSocket raw = joined("ann")) {
            raw.send(fragments(bytes(sendMessage("two halves")), 20));
            expectAll(raw, isMessage("two halves"));
        }
    }

    @Test
    void aTextMessageInManyFragmentsIncludingEmptyOnesArrivesAsOneMessage() throws IOException {
        try (RawSocket raw = joined("ann")) {
            byte[] message = bytes(sendMessage("many small pieces, some of them empty"));
            List<ClientFrame> frames = new ArrayList<>();
            frames.add(ClientFrame.of(TEXT, new byte[0]).notFinal());
            for (int from = 0; from < message.length; from += 3) {
                byte[] piece = Arrays.copyOfRange(message, from, Math.min(from + 3, message.length));
                frames.add(ClientFrame.of(CONTINUATION, piece).notFinal());
                if (from % 15 == 0) {
                    frames.add(ClientFrame.of(CONTINUATION, new byte[0]).notFinal());
                }
            }
            frames.add(ClientFrame.of(CONTINUATION, new byte[0]));
            raw.send(frames.toArray(ClientFrame[]::new));
            expectAll(raw, isMessage("many small pieces, some of them empty"));
        }
    }

    @Test
    void aContinuationWithNoMessageStartedIsAProtocolError() throws IOException {
        try (RawSocket raw = connectIdle()) {
            raw.send(ClientFrame.of(CONTINUATION, bytes(PING_JSON)));
            assertServerCloses(raw, 1002);
        }
    }

    @Test
    void aNewTextFrameInsideAnUnfinishedMessageIsAProtocolError() throws IOException {
        try (RawSocket raw = connectIdle()) {
            raw.send(ClientFrame.text("{\"event\":").notFinal(), ClientFrame.text(PING_JSON));
            assertServerCloses(raw, 1002);
        }
    }

    @Test
    void fragmentsReassembledToExactlyTheLimitAreAnswered() throws IOException {
        try (RawSocket raw = connect()) {
            raw.send(fragments(bytes(pingOfBytes(LIMIT)), 30_000));
            expectEvent(raw, "pong");
        }
    }

    @Test
    void fragmentsReassembledPastTheLimitCloseWith1009() throws IOException {
        try (RawSocket raw = connect()) {
            raw.send(fragments(bytes(pingOfBytes(LIMIT + 1)), 30_000));
            assertServerCloses(raw, 1009);
        }
    }

    // UTF-8.

    @Test
    void multiByteTextReachesAnotherUserExactly() throws IOException {
        // Two-, three- and four-byte sequences: é, Cyrillic, a check mark, an emoji, a musical symbol.
        String text = "h\u00e9llo \u043c\u0438\u0440 \u2713 \ud83d\ude00 \ud834\udd1e";
        try (RawSocket ann = joined("ann"); RawSocket bob = joined("bob")) {
            ann.send(ClientFrame.text(sendMessage(text)));
            expectAll(bob, isMessage(text));
        }
    }

    @Test
    void aCodePointSplitAcrossFragmentsIsValid() throws IOException {
        String emoji = "\ud83d\ude00";
        byte[] message = bytes(sendMessage("split " + emoji));
        int cut = indexOf(message, (byte) 0xF0) + 2; // two of the emoji's four bytes in each fragment
        try (RawSocket raw = joined("ann")) {
            raw.send(ClientFrame.of(TEXT, Arrays.copyOfRange(message, 0, cut)).notFinal());
            raw.send(ClientFrame.of(CONTINUATION, Arrays.copyOfRange(message, cut, message.length)));
            expectAll(raw, isMessage("split " + emoji));
        }
    }

    @Test
    void invalidUtf8InOneFrameClosesWith1007() throws IOException {
        try (RawSocket raw = connectIdle()) {
            raw.send(ClientFrame.of(TEXT, pingWithRawData(hex("CE BA E1 BD FF"))));
            assertServerCloses(raw, 1007);
        }
    }

    @Test
    void invalidUtf8AcrossFragmentsClosesWith1007() throws IOException {
        try (RawSocket raw = connectIdle()) {
            // The first fragment ends inside a four-byte sequence; the second does not continue it.
            raw.send(ClientFrame.of(TEXT, concat(bytes(PING_PREFIX), hex("F0 9F"))).notFinal());
            raw.send(ClientFrame.of(CONTINUATION, concat(hex("41"), bytes("\"}"))));
            assertServerCloses(raw, 1007);
        }
    }

    @Test
    void aMessageEndingInsideACodePointClosesWith1007() throws IOException {
        try (RawSocket raw = connectIdle()) {
            raw.send(ClientFrame.of(TEXT, concat(bytes(PING_JSON), hex("E2 82"))));
            assertServerCloses(raw, 1007);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"C0 AF", "C1 BF", "E0 80 AF", "E0 9F BF", "F0 80 80 AF", "F0 8F BF BF"})
    void anOverlongEncodingClosesWith1007(String sequence) throws IOException {
        try (RawSocket raw = connectIdle()) {
            raw.send(ClientFrame.of(TEXT, pingWithRawData(hex(sequence))));
            assertServerCloses(raw, 1007);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ED A0 80", "ED BF BF", "ED A0 BD ED B8 80"})
    void aSurrogateEncodedInUtf8ClosesWith1007(String sequence) throws IOException {
        try (RawSocket raw = connectIdle()) {
            raw.send(ClientFrame.of(TEXT, pingWithRawData(hex(sequence))));
            assertServerCloses(raw, 1007);
        }
    }

    @Test
    void aCodePointPastU10ffffClosesWith1007() throws IOException {
        try (RawSocket raw = connectIdle()) {
            raw.send(ClientFrame.of(TEXT, pingWithRawData(hex("F4 90 80 80"))));
            assertServerCloses(raw, 1007);
        }
    }

    // The close handshake.

    @Test
    void aClientCloseIsEchoedWith1000AndTheServerThenClosesTcp() throws IOException {
        try (RawSocket raw = connectIdle()) {
            raw.send(ClientFrame.close(1000, bytes("bye")));
            assertEquals(1000, awaitCloseCode(raw), "the echoed close code");
            assertTcpEnds(raw);
        }
    }

    @Test
    void anEmptyCloseIsAnsweredWithAnEmptyCloseOr1000() throws IOException {
        try (RawSocket raw = connectIdle()) {
            raw.send(ClientFrame.of(CLOSE, new byte[0]));
            int code = awaitCloseCode(raw);
            // With no status received there is none to echo (RFC 6455 7.1.5): empty, or a normal 1000.
            assertTrue(code == NO_STATUS || code == 1000, "answered an empty close with " + code);
            assertTcpEnds(raw);
        }
    }

    @Test
    void aCloseWithAOneBytePayloadIsAProtocolError() throws IOException {
        try (RawSocket raw = connectIdle()) {
            raw.send(ClientFrame.of(CLOSE, new byte[] {0x03}));
            assertEquals(1002, awaitCloseCode(raw), "the answer to a 1-byte close payload");
            assertTcpEnds(raw);
        }
    }

    @ParameterizedTest(name = "code {0}")
    @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000})
    void aCloseWithAnInvalidCodeIsAProtocolError(int code) throws IOException {
        try (RawSocket raw = connectIdle()) {
            raw.send(ClientFrame.close(code, new byte[0]));
            assertEquals(1002, awaitCloseCode(raw), "the answer to close code " + code);
            assertTcpEnds(raw);
        }
    }

    @ParameterizedTest(name = "code {0}")
    @ValueSource(ints = {3000, 4999})
    void aCloseWithAValidCodeIsEchoed(int code) throws IOException {
        try (RawSocket raw = connectIdle()) {
            raw.send(ClientFrame.close(code, bytes("valid")));
            assertEquals(code, awaitCloseCode(raw), "the echoed close code");
            assertTcpEnds(raw);
        }
    }

    @Test
    void aCloseReasonThatIsInvalidUtf8IsRejected() throws IOException {
        try (RawSocket raw = connectIdle()) {
            raw.send(ClientFrame.close(1000, INVALID_UTF8));
            int code = awaitCloseCode(raw);
            assertTrue(code == 1007 || code == 1002, "answered an invalid UTF-8 close reason with " + code);
            assertTcpEnds(raw);
        }
    }

    // Duplex's own rule: no binary.

    @Test
    void aBinaryFrameClosesWith1003() throws IOException {
        try (RawSocket raw = connect()) {
            raw.send(ClientFrame.of(BINARY, bytes(PING_JSON)));
            assertServerCloses(raw, 1003);
        }
    }

    @Test
    void aFragmentedBinaryMessageClosesWith1003() throws IOException {
        try (RawSocket raw = connect()) {
            raw.send(ClientFrame.of(BINARY, new byte[] {1, 2}).notFinal(), ClientFrame.of(CONTINUATION, new byte[] {3}));
            assertServerCloses(raw, 1003);
        }
    }

    // Where a container departs from the RFC: the RFC's expectation stays, and the runtime that cannot meet
    // it skips the case, naming why (README, "Known limits"), so a skipped case is never a passed one.

    /** Tyrus acts on an unmasked frame as if it were masked; the standalone server checks masks itself. */
    @Test
    void anUnmaskedClientFrameIsAProtocolError() throws IOException {
        assumeFalse(runtime().startsWith("Payara"), "Tyrus inside Payara acts on unmasked client frames");
        try (RawSocket raw = connectIdle()) {
            raw.send(ClientFrame.text(PING_JSON).unmasked());
            assertServerCloses(raw, 1002);
        }
    }

    /**
     * Tomcat gives the close frame of a protocol error 50 ms to be written by default (its
     * {@code ABNORMAL_SESSION_CLOSE_SEND_TIMEOUT}); while the completion of its previous write was pending, that
     * write timed out and Tomcat closed TCP without a close frame. Duplex gives it a second. Undertow queues
     * the close frame of a protocol error and then closes the channel at once from its read listener
     * ({@code AbstractReceiveListener.onError}), so a frame still being written drops it; that is below Duplex.
     */
    @Test
    void aBadFrameWhileTheServerIsStillWritingGetsItsCloseFrame() throws IOException {
        assumeFalse(runtime().startsWith("WildFly"), "Undertow closes the channel before a queued close frame is written");
        // The ping's answer is being written when the bad frame, from the same TCP write, is read.
        for (int round = 1; round <= 20; round++) {
            try (RawSocket raw = connect()) {
                raw.send(ClientFrame.text(PING_JSON), ClientFrame.text(PING_JSON).withRsv(ClientFrame.RSV1));
                assertEquals(1002, awaitCloseCode(raw), "close code in round " + round);
            }
        }
    }

    /** Duplex bounds the wait for the client's close answer (Tomcat's own default is 30 s). */
    @Test
    void theServerClosesTcpAfterItsCloseFrameEvenIfTheClientNeverAnswers() throws IOException {
        try (RawSocket raw = connect()) {
            raw.send(ClientFrame.of(BINARY, new byte[] {1}));
            assertEquals(1003, awaitCloseCode(raw), "the close code for a binary frame");
            assertTcpEnds(raw); // no close frame in reply: the server must not wait for one forever
        }
    }

    /** The runtime under test, as the build names it ({@code conformance.container}); standalone otherwise. */
    private static String runtime() {
        return System.getProperty("conformance.container", "standalone");
    }

    // Connections.

    private URI chat() {
        URI http = base().resolve("chat");
        return URI.create("ws" + http.toString().substring(4));
    }

    /** A raw connection to {@code /chat}, past its {@code connected} event. */
    private RawSocket connect() throws IOException {
        RawSocket raw = RawSocket.connect(chat());
        try {
            expectEvent(raw, "connected");
            return raw;
        } catch (RuntimeException | Error | IOException e) {
            raw.close();
            throw e;
        }
    }

    /**
     * A raw connection with no write of the server's still completing, for frames the runtime itself must
     * reject: Tomcat loses its close frame when one is (see {@link #aBadFrameWhileTheServerIsStillWritingGetsItsCloseFrame}), and each case here is about
     * its own rule. One bounded pause; the race keeps its own test.
     */
    private RawSocket connectIdle() throws IOException {
        RawSocket raw = connect();
        try {
            Thread.sleep(SETTLE.toMillis());
            return raw;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            raw.close();
            throw new InterruptedIOException("interrupted while settling");
        }
    }

    /** A raw connection joined to the chat as {@code name}: it gets every lobby message, its own included. */
    private RawSocket joined(String name) throws IOException {
        RawSocket raw = connect();
        try {
            raw.send(ClientFrame.text("{\"event\":\"user-joined\",\"data\":\"" + name + "\"}"));
            expectEvent(raw, "online-users");
            return raw;
        } catch (RuntimeException | Error | IOException e) {
            raw.close();
            throw e;
        }
    }

    // Expectations. Frames the server sends unasked (its heartbeat pings, other users' notices) are skipped.

    /** The answers a test waits for, and what else came meanwhile. */
    private record Answers(List<Frame> matched, List<Frame> others) {
    }

    /** A frame condition with its description, for failure messages. */
    private record Expected(String what, Predicate<Frame> test) {
    }

    private static Expected isEvent(String event) {
        return new Expected("event " + event, f -> f.opcode() == TEXT && event.equals(json(f).getString("event", null)));
    }

    private static Expected isAck(long ack) {
        return new Expected("ack " + ack, f -> f.opcode() == TEXT && json(f).containsKey("ack")
                && json(f).getJsonNumber("ack").longValue() == ack);
    }

    private static Expected isMessage(String text) {
        return new Expected("receive-message " + text, f -> f.opcode() == TEXT
                && "receive-message".equals(json(f).getString("event", null))
                && text.equals(json(f).getJsonObject("data").getString("message")));
    }

    private static Expected isPong(byte[] payload) {
        return new Expected("pong frame " + HexFormat.of().formatHex(payload),
                f -> f.opcode() == PONG && Arrays.equals(payload, f.payload()));
    }

    private static JsonObject expectEvent(RawSocket raw, String event) throws IOException {
        return json(expectAll(raw, isEvent(event)).matched().get(0));
    }

    private static Frame expectFrame(RawSocket raw, Expected expected) throws IOException {
        return expectAll(raw, expected).matched().get(0);
    }

    /**
     * Reads until each expectation has matched one frame, in any order (a pong and a text answer travel
     * separate paths in a server); fails on a close frame, a closed or reset connection, or the deadline.
     */
    private static Answers expectAll(RawSocket raw, Expected... expected) throws IOException {
        List<Expected> missing = new ArrayList<>(List.of(expected));
        List<Frame> matched = new ArrayList<>();
        List<Frame> others = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!missing.isEmpty()) {
            Frame frame = readBefore(raw, deadline, () -> "waiting for " + whats(missing) + ", after " + describe(others));
            Expected hit = missing.stream().filter(e -> e.test().test(frame)).findFirst().orElse(null);
            if (hit != null) {
                missing.remove(hit);
                matched.add(frame);
            } else if (frame.opcode() == CLOSE) {
                fail("expected " + whats(missing) + ", but the server closed with " + describeClose(frame)
                        + (others.isEmpty() ? "" : " after " + describe(others)));
            } else {
                others.add(frame);
            }
        }
        return new Answers(matched, others);
    }

    /** Asserts the server's close code, answers the close as a client must, and asserts TCP then ends. */
    private static void assertServerCloses(RawSocket raw, int expected) throws IOException {
        int code = awaitCloseCode(raw);
        assertEquals(expected, code, "close code");
        try {
            raw.send(code == NO_STATUS ? ClientFrame.of(CLOSE, new byte[0]) : ClientFrame.close(code, new byte[0]));
        } catch (IOException alreadyClosed) {
            // The server may have closed TCP right after failing the connection (RFC 6455 7.1.7): fine.
        }
        assertTcpEnds(raw);
    }

    /** The status code of the server's next close frame, or {@link #NO_STATUS} for an empty one. */
    private static int awaitCloseCode(RawSocket raw) throws IOException {
        List<Frame> others = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Frame frame = readBefore(raw, deadline, () -> "waiting for a close frame, after " + describe(others));
            if (frame.opcode() == CLOSE) {
                return frame.payload().length < 2 ? NO_STATUS : frame.closeCode();
            }
            others.add(frame);
        }
    }

    private static void assertTcpEnds(RawSocket raw) throws IOException {
        assertNotEquals(RawSocket.Ending.STILL_OPEN, raw.awaitEnd(WAIT),
                "the server kept the TCP connection open " + WAIT.toSeconds() + " s after its close frame");
    }

    /** After a case the server must survive, the connection still answers a ping. */
    private static void assertStillUsable(RawSocket raw) throws IOException {
        raw.send(ClientFrame.text(PING_JSON));
        expectEvent(raw, "pong");
    }

    /** One frame, turning a dead or silent connection into a failure that says what the server did. */
    private static Frame readBefore(RawSocket raw, long deadline, Supplier<String> context)
            throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            fail("nothing more within " + WAIT.toSeconds() + " s (connection still open), " + context.get());
        }
        try {
            return raw.read(Duration.ofNanos(left));
        } catch (SocketTimeoutException e) {
            return fail("nothing more within " + WAIT.toSeconds() + " s (connection still open), " + context.get());
        } catch (EOFException e) {
            return fail("the server closed TCP without a close frame, " + context.get());
        } catch (SocketException e) {
            return fail("the server reset the connection without a close frame (" + e.getMessage() + "), " + context.get());
        }
    }

    // Messages and bytes.

    /** {@code {"event":"ping","data":"xx…"}} of exactly {@code bytes} UTF-8 bytes. */
    private static String pingOfBytes(int bytes) {
        return PING_PREFIX + "x".repeat(bytes - PING_PREFIX.length() - 2) + "\"}";
    }

    /** A ping whose data string holds the given bytes as they are, valid UTF-8 or not. */
    private static byte[] pingWithRawData(byte[] data) {
        return concat(bytes(PING_PREFIX), data, bytes("\"}"));
    }

    private static String sendMessage(String text) {
        return "{\"event\":\"send-message\",\"data\":\"" + text + "\"}";
    }

    /** The message as a text frame and continuations of at most {@code size} bytes. */
    private static ClientFrame[] fragments(byte[] message, int size) {
        List<ClientFrame> frames = new ArrayList<>();
        for (int from = 0; from < message.length; from += size) {
            byte[] piece = Arrays.copyOfRange(message, from, Math.min(from + size, message.length));
            ClientFrame frame = ClientFrame.of(from == 0 ? TEXT : CONTINUATION, piece);
            frames.add(from + size >= message.length ? frame : frame.notFinal());
        }
        return frames.toArray(ClientFrame[]::new);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }

    private static byte[] hex(String spaced) {
        return HexFormat.of().parseHex(spaced.replace(" ", ""));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        throw new IllegalArgumentException("no " + b);
    }

    /** A text frame as JSON; an empty object when it is not JSON, so conditions simply do not match. */
    private static JsonObject json(Frame frame) {
        try {
            return Json.createReader(new StringReader(frame.text())).readObject();
        } catch (JsonException | IllegalStateException e) {
            return JsonObject.EMPTY_JSON_OBJECT;
        }
    }

    private static String whats(List<Expected> expected) {
        return expected.stream().map(Expected::what).toList().toString();
    }

    private static String describeClose(Frame close) {
        if (close.payload().length < 2) {
            return "an empty close frame";
        }
        return close.closeCode() + " \"" + new String(close.payload(), 2, close.payload().length - 2, UTF_8) + "\"";
    }

    private static String describe(List<Frame> frames) {
        if (frames.isEmpty()) {
            return "no other frame";
        }
        return frames.stream().map(f -> switch (f.opcode()) {
            case TEXT -> "text " + abbreviate(f.text());
            case PING -> "ping";
            case PONG -> "pong " + HexFormat.of().formatHex(f.payload());
            case CLOSE -> "close " + describeClose(f);
            default -> "opcode " + f.opcode();
        }).toList().toString();
    }

    private static String abbreviate(String text) {
        return text.length() <= 120 ? text : text.substring(0, 120) + "…";
    }
}
