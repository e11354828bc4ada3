package dev.duplex.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.duplex.core.SocketId;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EnvelopeTest {
    @Test
    void anEnvelopeReadsBackAsItWasWrittenWithTheFrameUntouched() {
        Envelope envelope = new Envelope("node0001", Set.of(new SocketId("a"), new SocketId("b")),
                Set.of(new SocketId("c")), "{\"event\":\"x\",\"data\":\"h\u00e9llo \ud83d\ude00\"}");
        assertEquals(envelope, Envelope.decode(envelope.encode()));
    }

    @Test
    void truncatedOrForeignBytesAreRefusedNotMisread() {
        byte[] bytes = new Envelope("n", Set.of(), Set.of(new SocketId("c")), "{}").encode();
        assertThrows(IllegalArgumentException.class, () -> Envelope.decode(Arrays.copyOf(bytes, 4)));
        bytes[0] = 9;
        assertThrows(IllegalArgumentException.class, () -> Envelope.decode(bytes));
    }
}
