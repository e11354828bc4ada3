package dev.duplex.standalone;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The frames are read back here by the rules of RFC 6455 section 5.2, independently of how they were built. */
class WebSocketFramesTest {
    private record Parsed(int firstByte, boolean masked, long length, byte[] payload) {
    }

    private static Parsed parse(byte[] frame) {
        ByteBuffer in = ByteBuffer.wrap(frame);
        int first = in.get() & 0xFF;
        int second = in.get() & 0xFF;
        long length = second & 0x7F;
        if (length == 126) {
            length = in.getShort() & 0xFFFF;
        } else if (length == 127) {
            length = in.getLong();
        }
        byte[] payload = new byte[in.remaining()];
        in.get(payload);
        return new Parsed(first, (second & 0x80) != 0, length, payload);
    }

    private static void assertRoundTrip(String text, int headerBytes) {
        byte[] frame = WebSocketFrames.text(text);
        Parsed parsed = parse(frame);
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        assertEquals(0x81, parsed.firstByte(), "FIN and the text opcode, no extension bits");
        assertEquals(false, parsed.masked(), "servers never mask");
        assertEquals(utf8.length, parsed.length());
        assertArrayEquals(utf8, parsed.payload());
        assertEquals(headerBytes + utf8.length, frame.length);
    }

    @Test
    void eachLengthTakesItsShortestForm() {
        assertRoundTrip("", 2);
        assertRoundTrip("a".repeat(125), 2);
        assertRoundTrip("a".repeat(126), 4);
        assertRoundTrip("a".repeat(65_535), 4);
        assertRoundTrip("a".repeat(65_536), 10);
        assertRoundTrip("a".repeat(1_000_000), 10);
    }

    @Test
    void lengthsCountUtf8BytesNotCharacters() {
        // 42 characters, 126 bytes: the 16-bit form although the text is short.
        assertRoundTrip("€".repeat(42), 4);
        assertRoundTrip("grüße 😀 \u0000 \"quoted\"", 2);
    }

    @Test
    void aCloseFrameCarriesItsCodeAndAReasonThatFitsAControlFrame() {
        byte[] frame = WebSocketFrames.close(1009, "too big");
        assertEquals(0x88, frame[0] & 0xFF);
        assertEquals(9, frame[1]);
        assertEquals(1009, ((frame[2] & 0xFF) << 8) | (frame[3] & 0xFF));
        assertEquals("too big", new String(frame, 4, frame.length - 4, StandardCharsets.UTF_8));
        assertEquals(125, WebSocketFrames.close(1008, "x".repeat(500))[1], "a control frame's payload is 125 bytes at most");
    }
}
