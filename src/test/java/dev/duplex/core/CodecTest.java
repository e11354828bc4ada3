package dev.duplex.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
    }

    @Test
    void theEventMustBeAStringOf1To64CodePoints() throws BadFrame {
        assertEquals("x".repeat(64), codec.decode("{\"event\":\"" + "x".repeat(64) + "\"}").event());
        String emoji64 = "\uD83D\uDE00".repeat(64);
        assertEquals(emoji64, codec.decode("{\"event\":\"" + emoji64 + "\"}").event());
        BadFrame tooLong = assertThrows(BadFrame.class, () -> codec.decode("{\"event\":\"" + "x".repeat(65) + "\"}"));
        assertEquals("x".repeat(65), tooLong.event());
        assertThrows(BadFrame.class, () -> codec.decode("{\"event\":\"\"}"));
        BadFrame number = assertThrows(BadFrame.class, () -> codec.decode("{\"event\":5,\"ack\":3}"));
        assertNull(number.event());
        assertEquals(3L, number.ack(), "a valid ack still gets the failure");
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
}
