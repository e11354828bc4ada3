package dev.duplex.standalone;

import dev.duplex.core.RateLimiter;
import org.glassfish.grizzly.Buffer;

/**
 * Reads the frame headers of one upgraded connection as its bytes go by, before Tyrus buffers anything, and
 * names the first rule a frame breaks (RFC 6455 section 5): a client frame must be masked (Tyrus would act on
 * an unmasked one), a data frame may not declare more payload than the message limit (Tyrus would buffer up
 * to its whole frame buffer first, 4 MiB a connection, before refusing it), and pings may not come faster
 * than the frame limit (each ping's pong is queued, whether or not the client reads it). Payload bytes are
 * skipped, never copied. Not thread-safe: a connection's reads come one at a time.
 */
final class FrameGuard {
    /** A broken rule: the close code and reason to fail the connection with. */
    record Violation(int code, String reason) {
    }

    private static final int MAX_HEADER = 14;
    private static final int OPCODE_PING = 0x9;

    private final long maxPayload;
    private final RateLimiter pings;
    private final byte[] header = new byte[MAX_HEADER];
    private int headerLength;
    private long payloadLeft;
    private Violation violation;

    FrameGuard(long maxPayload, RateLimiter pings) {
        this.maxPayload = maxPayload;
        this.pings = pings;
    }

    /** Looks at the buffer's remaining bytes (its position is left alone); the violation, once there is one. */
    Violation inspect(Buffer buffer, long now) {
        int index = buffer.position();
        int limit = buffer.limit();
        while (violation == null && index < limit) {
            if (payloadLeft > 0) {
                int skipped = (int) Math.min(payloadLeft, limit - index);
                payloadLeft -= skipped;
                index += skipped;
                continue;
            }
            header[headerLength++] = buffer.get(index++);
            int needed = headerSize();
            if (needed > 0 && headerLength == needed) {
                frameHeaderRead(now);
            }
        }
        return violation;
    }

    /** The whole header's size once its first two bytes are known, else 0. */
    private int headerSize() {
        if (headerLength < 2) {
            return 0;
        }
        if ((header[1] & 0x80) == 0) {
            violation = new Violation(1002, "Client frames must be masked");
            return 0;
        }
        int length = header[1] & 0x7F;
        return 2 + (length == 126 ? 2 : length == 127 ? 8 : 0) + 4;
    }

    private void frameHeaderRead(long now) {
        int opcode = header[0] & 0x0F;
        long length = payloadLength();
        headerLength = 0;
        if (opcode <= 0x2 && length > maxPayload) {
            violation = new Violation(1009, "Message larger than " + maxPayload + " bytes");
        } else if (opcode == OPCODE_PING && !pings.tryAcquire(now)) {
            violation = new Violation(1008, "Too many pings");
        } else {
            payloadLeft = length;
        }
    }

    private long payloadLength() {
        int length = header[1] & 0x7F;
        if (length < 126) {
            return length;
        }
        int bytes = length == 126 ? 2 : 8;
        long value = 0;
        for (int i = 0; i < bytes; i++) {
            value = (value << 8) | (header[2 + i] & 0xFF);
        }
        // A 64-bit length with the top bit set is itself a protocol error; as a huge length it is refused too.
        return value < 0 ? Long.MAX_VALUE : value;
    }
}
