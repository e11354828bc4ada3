package dev.duplex.standalone;

import java.nio.charset.StandardCharsets;

/**
 * Server-to-client text and close frames (RFC 6455 section 5.2): final, unmasked, no extension bits. The
 * standalone server negotiates no extensions, so this is the whole framing of what it writes itself.
 */
final class WebSocketFrames {
    private static final int FIN_TEXT = 0x81;
    private static final int LENGTH_16 = 126;
    private static final int LENGTH_64 = 127;

    private WebSocketFrames() {
    }

    static byte[] text(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        int length = payload.length;
        int header = length < LENGTH_16 ? 2 : length <= 0xFFFF ? 4 : 10;
        byte[] frame = new byte[header + length];
        frame[0] = (byte) FIN_TEXT;
        if (header == 2) {
            frame[1] = (byte) length;
        } else if (header == 4) {
            frame[1] = LENGTH_16;
            frame[2] = (byte) (length >>> 8);
            frame[3] = (byte) length;
        } else {
            frame[1] = LENGTH_64;
            // A Java array is shorter than 2^31 bytes: the four high bytes of the 64-bit length stay zero.
            for (int i = 0; i < 4; i++) {
                frame[6 + i] = (byte) (length >>> (24 - 8 * i));
            }
        }
        System.arraycopy(payload, 0, frame, header, length);
        return frame;
    }

    /** A close frame with its status code and a reason short enough for a control frame (123 bytes at most). */
    static byte[] close(int code, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        int length = Math.min(text.length, 123);
        byte[] frame = new byte[4 + length];
        frame[0] = (byte) 0x88;
        frame[1] = (byte) (2 + length);
        frame[2] = (byte) (code >>> 8);
        frame[3] = (byte) code;
        System.arraycopy(text, 0, frame, 4, length);
        return frame;
    }
}
