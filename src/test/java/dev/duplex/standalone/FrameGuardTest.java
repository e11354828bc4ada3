package dev.duplex.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.duplex.core.RateLimiter;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.memory.Buffers;
import org.glassfish.grizzly.memory.MemoryManager;
import org.junit.jupiter.api.Test;

class FrameGuardTest {
    private final FrameGuard guard = new FrameGuard(100, new RateLimiter(2, 1_000));

    private static Buffer bytes(int... values) {
        byte[] array = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            array[i] = (byte) values[i];
        }
        return Buffers.wrap(MemoryManager.DEFAULT_MEMORY_MANAGER, array);
    }

    /** A masked frame header for a payload of {@code length} bytes (the 16-bit form from 126). */
    private static int[] header(int opcode, int length) {
        return length < 126 ? new int[] {0x80 | opcode, 0x80 | length, 1, 2, 3, 4}
                : new int[] {0x80 | opcode, 0x80 | 126, length >>> 8, length & 0xFF, 1, 2, 3, 4};
    }

    private static int[] frame(int opcode, int length) {
        int[] header = header(opcode, length);
        int[] frame = new int[header.length + length];
        System.arraycopy(header, 0, frame, 0, header.length);
        return frame;
    }

    @Test
    void framesWithinTheRulesPassAndTheBufferIsLeftWhereItWas() {
        Buffer buffer = bytes(frame(0x1, 100));
        assertNull(guard.inspect(buffer, 0));
        assertEquals(0, buffer.position());
        assertNull(guard.inspect(bytes(frame(0x1, 5)), 0), "the next frame is read from its header on");
    }

    @Test
    void headersAndPayloadsSplitAcrossReadsAreFollowed() {
        int[] frame = frame(0x1, 100);
        for (int value : frame) {
            assertNull(guard.inspect(bytes(value), 0));
        }
        assertEquals(new FrameGuard.Violation(1009, "Message larger than 100 bytes"),
                guard.inspect(bytes(header(0x1, 101)), 0), "and then a frame too large");
    }

    @Test
    void anUnmaskedFrameIsAProtocolError() {
        assertEquals(1002, guard.inspect(bytes(0x81, 0x02, 'h', 'i'), 0).code());
        assertEquals(1002, guard.inspect(bytes(0x81), 0).code(), "once failed, always failed");
    }

    @Test
    void aDataFrameDeclaringMoreThanTheLimitIsRefusedFromItsHeader() {
        assertEquals(1009, guard.inspect(bytes(header(0x1, 101)), 0).code(), "no payload byte was needed");
        FrameGuard another = new FrameGuard(100, new RateLimiter(2, 1_000));
        assertEquals(1009, another.inspect(bytes(0x80, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 1, 2, 3, 4), 0)
                .code(), "a 64-bit length");
    }

    @Test
    void pingsPastTheFrameLimitArePolicyViolations() {
        assertNull(guard.inspect(bytes(frame(0x9, 0)), 0));
        assertNull(guard.inspect(bytes(frame(0x9, 3)), 0));
        assertEquals(1008, guard.inspect(bytes(frame(0x9, 0)), 10).code());
    }

    @Test
    void controlFramesAreNotHeldToTheMessageLimit() {
        FrameGuard tiny = new FrameGuard(1, new RateLimiter(10, 1_000));
        assertNull(tiny.inspect(bytes(frame(0xA, 125)), 0), "a pong of 125 bytes: Tyrus checks control frames");
    }
}
