package dev.duplex.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One client frame with every header bit chosen by the test, RFC 6455 section 5.2: FIN, the three reserved
 * bits, any opcode (reserved ones too), masked or not. The length always takes its shortest form (7, 16 or
 * 64 bits) as the RFC requires. Immutable; {@link #bytes()} draws a fresh masking key each time.
 */
public record ClientFrame(int opcode, boolean fin, int rsv, boolean masked, byte[] payload) {
    public static final int CONTINUATION = 0x0;
    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;
    /** The reserved bits as they sit in the first header byte. */
    public static final int RSV1 = 0x40;
    public static final int RSV2 = 0x20;
    public static final int RSV3 = 0x10;

    public ClientFrame {
        payload = payload.clone();
    }

    /** A final, masked frame with no reserved bit set: what a polite client sends. */
    public static ClientFrame of(int opcode, byte[] payload) {
        return new ClientFrame(opcode, true, 0, true, payload);
    }

    public static ClientFrame text(String text) {
        return of(TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A close frame with a status code and a reason given as raw bytes (so it can be invalid UTF-8). */
    public static ClientFrame close(int code, byte[] reason) {
        byte[] payload = new byte[2 + reason.length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(reason, 0, payload, 2, reason.length);
        return of(CLOSE, payload);
    }

    /** The same frame with FIN cleared: a fragment that more frames must follow. */
    public ClientFrame notFinal() {
        return new ClientFrame(opcode, false, rsv, masked, payload);
    }

    /** The same frame with reserved bits set ({@link #RSV1}, {@link #RSV2}, {@link #RSV3}, or'ed). */
    public ClientFrame withRsv(int bits) {
        return new ClientFrame(opcode, fin, bits, masked, payload);
    }

    /** The same frame without a masking key, which a client must never send (RFC 6455 section 5.1). */
    public ClientFrame unmasked() {
        return new ClientFrame(opcode, fin, rsv, false, payload);
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** The frame as it goes on the wire. */
    public byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 14);
        out.write((fin ? 0x80 : 0) | (rsv & 0x70) | (opcode & 0x0F));
        int maskBit = masked ? 0x80 : 0;
        if (payload.length < 126) {
            out.write(maskBit | payload.length);
        } else if (payload.length < 65536) {
            out.write(maskBit | 126);
            out.write(payload.length >>> 8);
            out.write(payload.length);
        } else {
            out.write(maskBit | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) ((long) payload.length >>> shift));
            }
        }
        if (!masked) {
            out.writeBytes(payload);
            return out.toByteArray();
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        out.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            out.write(payload[i] ^ mask[i & 3]);
        }
        return out.toByteArray();
    }

    /** All frames back to back, for one TCP write. */
    public static byte[] concat(ClientFrame... frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ClientFrame frame : frames) {
            out.writeBytes(frame.bytes());
        }
        return out.toByteArray();
    }
}
