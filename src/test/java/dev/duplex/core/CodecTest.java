package dev.duplex.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CodecTest {
    private final Codec codec = new Codec();

    @Test
    void decodesTheEnvelopeAndIgnoresUnknownFields() throws BadFrame {
        IncomingFrame frame = codec.decode("{\"event\":\"send-message\",\"data\":\"Hello\",\"ack\":7,\"x\":[1]}");
        assertEquals("send-message", frame.event());
        assertEquals("\"Hello\"", frame.data().toString());
        assertEquals(7L, frame.ack());
    }

    @Test
    void absentDataIsJsonNullAndAbsentAckIsNull() throws BadFrame {
        IncomingFrame frame = codec.decode("{\"event\":\"ping\"}");
        assertEquals(JsonValue.NULL, frame.data());
        assertNull(frame.ack());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "nope", "[]", "\"event\"", "42", "null", "{\"event\":\"a\"} {}",
            "{\"event\":\"a\",\"data\":NaN}", "{\"event\":\"a\",\"data\":Infinity}", "{\"event\":\"a\""})
    void framesThatAreNotOneJsonObjectAreBadJsonWithNoEventName(String text) {
        BadFrame bad = assertThrows(BadFrame.class, () -> codec.decode(text));
        assertNull(bad.event());
        assertNull(bad.ack());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "9007199254740992", "1.5", "\"3\"", "true", "null", "1e400", "[1]"})
    void anAckOutsideTheIntegersFrom0To2Pow53Minus1IsBadJson(String ack) {
        BadFrame bad = assertThrows(BadFrame.class, () -> codec.decode("{\"event\":\"ping\",\"ack\":" + ack + "}"));
        assertEquals("ping", bad.event());
        assertNull(bad.ack(), "an invalid ack cannot carry the answer");
    }

    @Test
    void integralAcksInAnyNotationAreAccepted() throws BadFrame {
        assertEquals(0L, codec.decode("{\"event\":\"e\",\"ack\":0}").ack());
        assertEquals(9007199254740991L, codec.decode("{\"event\":\"e\",\"ack\":9007199254740991}").ack());
        assertEquals(100L, codec.decode("{\"event\":\"e\",\"ack\":1e2}").ack());
        assertEquals(4L, codec.decode("{\"event\":\"e\",\"ack\":4.0}").ack());
        assertEquals(0L, codec.decode("{\"event\":\"e\",\"ack\":0e20}").ack(), "zero with any exponent is zero");
    }

    @Test
    void theEventMustBeAStringOf1To64CodePoints() throws BadFrame {
        assertEquals("x".repeat(64), codec.decode("{\"event\":\"" + "x".repeat(64) + "\"}").event());
        String emoji64 = "\uD83D\uDE00".repeat(64);
        assertEquals(emoji64, codec.decode("{\"event\":\"" + emoji64 + "\"}").event());
        BadFrame tooLong = assertThrows(BadFrame.class, () -> codec.decode("{\"event\":\"" + "x".repeat(65) + "\"}"));
        assertEquals("x".repeat(64) + "\u2026", tooLong.event(), "an overlong name is echoed as an excerpt");
        assertThrows(BadFrame.class, () -> codec.decode("{\"event\":\"\"}"));
        BadFrame number = assertThrows(BadFrame.class, () -> codec.decode("{\"event\":5,\"ack\":3}"));
        assertNull(number.event());
        assertEquals(3L, number.ack(), "a valid ack still gets the failure");
    }

    /** Found by fuzzing: the refusal of a bad ack echoed the event name whole, however long. */
    @Test
    void aBadAckEchoesOnlyAnExcerptOfTheEventName() {
        BadFrame badAck = assertThrows(BadFrame.class,
                () -> codec.decode("{\"event\":\"" + "x".repeat(100_000) + "\",\"ack\":false}"));
        assertEquals("x".repeat(64) + "\u2026", badAck.event());
    }

    @Test
    void encodesEventsAcksAndErrorsWithNullsKept() {
        assertEquals("{\"data\":{\"a\":1},\"event\":\"e\"}", codec.event("e", Map.of("a", 1)));
        assertEquals("{\"ack\":7,\"data\":{}}", codec.ack(7, null));
        assertEquals("{\"ack\":7,\"error\":{\"code\":\"RATE_LIMITED\",\"message\":\"slow\"}}",
                codec.ackError(7, ErrorCode.RATE_LIMITED, "slow"));
        assertEquals("{\"data\":{\"code\":\"BAD_JSON\",\"event\":null,\"message\":\"m\"},\"event\":\"error\"}",
                codec.errorEvent(ErrorCode.BAD_JSON, "m", null));
        assertEquals("{\"data\":[null,\"X\"],\"event\":\"e\"}", codec.event("e", Arrays.asList(null, "X")));
    }

    @Test
    void rawJsonIsEmbeddedWithoutEncodingItAgain() {
        RawJson stored = codec.json(Map.of("x", 1));
        assertEquals("{\"data\":{\"x\":1},\"event\":\"draw\"}", codec.event("draw", stored));
        assertEquals("{\"data\":[{\"x\":1},{\"x\":1}],\"event\":\"load-drawings\"}",
                codec.event("load-drawings", Codec.array(java.util.List.of(stored, stored))));
    }

    @Test
    void socketIdsAreEncodedAsPlainStrings() {
        assertEquals("{\"data\":{\"id\":\"abc\",\"namespace\":\"/chat\"},\"event\":\"connected\"}",
                codec.event("connected", new Namespace.Connected(new SocketId("abc"), "/chat")));
    }

    @ParameterizedTest
    @ValueSource(ints = {1_000, 5_000, 100_000})
    void nestingBeyondTheParsersDepthIsBadJson(int depth) {
        String deep = "{\"event\":\"e\",\"data\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
        BadFrame bad = assertThrows(BadFrame.class, () -> codec.decode(deep));
        assertNull(bad.ack());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e2147483648", "1e-2147483649", "1E99999999999", "-0.5e-9999999999"})
    void exponentsOutsideTheIntRangeAreBadJson(String number) {
        assertThrows(BadFrame.class, () -> codec.decode("{\"event\":\"e\",\"data\":" + number + "}"));
        assertThrows(BadFrame.class, () -> codec.decode("{\"event\":\"e\",\"ack\":" + number + "}"));
    }

    @Test
    void numberLiteralsLongerThanTheParserTakesAreBadJson() {
        String digits = "1".repeat(5_000);
        assertThrows(BadFrame.class, () -> codec.decode("{\"event\":\"e\",\"data\":" + digits + "}"));
        assertThrows(BadFrame.class, () -> codec.decode("{\"event\":\"e\",\"data\":{\"x\":0." + digits + "}}"));
    }

    @Test
    void unpairedSurrogateEscapesAreReplacedWithTheReplacementCharacter() throws BadFrame {
        IncomingFrame frame = codec.decode(
                "{\"event\":\"e\",\"data\":{\"a\\ud800\":[\"x\\udc00y\",\"\\ud83d\\ude00\",\"z\\ud83d\"]}}");
        assertEquals("{\"a\uFFFD\":[\"x\uFFFDy\",\"\uD83D\uDE00\",\"z\uFFFD\"]}", frame.data().toString());
        assertEquals("e\uFFFD", codec.decode("{\"event\":\"e\\udfff\"}").event());
        assertEquals("\\ud800 kept as written", ((JsonString) codec.decode(
                "{\"event\":\"e\",\"data\":\"\\\\ud800 kept as written\"}").data()).getString(),
                "an escaped backslash starts no escape");
    }
}
