package dev.duplex.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.duplex.testing.FakeTransport;
import dev.duplex.testing.ManualClock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeartbeatTest {
    private final ManualClock clock = new ManualClock(0);
    private final SessionRegistry sessions = new SessionRegistry();
    private final Namespace namespace = new Namespace(new NamespaceApp() {
        @Override
        public String path() {
            return "/test";
        }

        @Override
        public void register(EventTable events) {
        }
    }, sessions, new Codec(), clock, dev.duplex.testing.Harness.GENEROUS);
    private static final SendQueue.Limits LIMITS = new SendQueue.Limits(10, Long.MAX_VALUE);
    private final dev.duplex.testing.ManualExecutor io = new dev.duplex.testing.ManualExecutor();
    private final Heartbeat heartbeat = new Heartbeat(List.of(namespace), 1_000, 300, clock);

    @Test
    void pingsEveryIntervalAndClosesOnlySilentConnections() {
        FakeTransport quiet = new FakeTransport();
        FakeTransport chatty = new FakeTransport();
        namespace.open(new SendQueue(quiet, LIMITS, io), Map.of(), null);
        Client talker = namespace.open(new SendQueue(chatty, LIMITS, io), Map.of(), null);

        for (int t = 0; t < 1_000; t += 100) {
            clock.advance(100);
            talker.touch(clock.millis());
            heartbeat.tick();
        }
        assertEquals(3, quiet.pings(), "pinged at 300, 600 and 900 ms");
        assertNull(quiet.closeCode(), "silent for exactly the timeout: not yet");

        clock.advance(100);
        heartbeat.tick();
        assertNull(quiet.closeCode(), "the scheduler never closes itself: a close may block");
        assertEquals(1, io.runAll(), "the close waits for an I/O thread");
        assertEquals(CloseCode.NORMAL, quiet.closeCode());
        assertNull(chatty.closeCode());
    }
}
