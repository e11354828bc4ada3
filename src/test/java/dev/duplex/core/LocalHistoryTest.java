package dev.duplex.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duplex.testing.ManualClock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bounds of a node's history: its byte budget over all streams, and streams forgotten and begun again. */
class LocalHistoryTest {
    private final ManualClock clock = new ManualClock(1_000_000);
    private final LocalBroadcaster out = new LocalBroadcaster(new Codec(), new SessionRegistry());

    private static Map<String, String> message(int i) {
        return Map.of("message", "x".repeat(100) + i);
    }

    @Test
    void pastTheByteBudgetTheOldestEventsAnywhereGoFirst() {
        LocalHistory history = new LocalHistory(out, clock, new History.Limits(1_000, 600_000, 10, 10_000), 600_000);
        for (int i = 0; i < 200; i++) {
            clock.advance(1);
            history.publish(i % 2 == 0 ? "a" : "b", Target.room("r"), "m", message(i));
        }
        assertTrue(history.bytes() <= 10_000, () -> "kept " + history.bytes());
        History.Page a = history.page("a", null, null, 1_000);
        History.Page b = history.page("b", null, null, 1_000);
        // Both streams lost their oldest: what is left is the newest of both, in about equal parts.
        assertTrue(a.events().size() > 10 && b.events().size() > 10, () -> a.events().size() + " " + b.events().size());
        assertTrue(a.events().get(0).json().contains("x" + (200 - 2 * a.events().size())), a.events().get(0)::json);
        assertTrue(Math.abs(a.events().size() - b.events().size()) <= 1);
    }

    @Test
    void aStreamUnusedPastEveryWindowIsForgottenAndBeginsAgainUnderANewEpoch() {
        LocalHistory history = new LocalHistory(out, clock, new History.Limits(100, 10_000, 10, 1_000_000), 120_000);
        History.Position first = history.publish("quiet", Target.room("r"), "m", message(1));
        assertEquals(1, first.offset());
        // Its event expires, yet its numbering is kept for the recovery window...
        clock.advance(61_000);
        history.publish("busy", Target.room("r"), "m", message(2));
        assertEquals(first.epoch(), history.page("quiet", first.epoch(), 2L, 10).epoch());
        // ...and then the stream is forgotten: its old epoch is refused, and it begins again from 1.
        clock.advance(120_000);
        history.publish("busy", Target.room("r"), "m", message(3));
        ProtocolError gone = assertThrows(ProtocolError.class, () -> history.page("quiet", first.epoch(), null, 10));
        assertEquals(ErrorCode.NOT_FOUND, gone.code());
        History.Position again = history.publish("quiet", Target.room("r"), "m", message(4));
        assertEquals(1, again.offset());
        assertNotEquals(first.epoch(), again.epoch());
    }

    @Test
    void aPositionedFrameIsThePlainOneWithOneFieldMore() {
        History.Position position = new History.Position("room:a-1", "AbC_d-9", 17);
        assertEquals("{\"data\":1,\"event\":\"m\",\"position\":{\"stream\":\"room:a-1\",\"epoch\":\"AbC_d-9\",\"offset\":17}}",
                position.into("{\"data\":1,\"event\":\"m\"}"));
        assertThrows(IllegalArgumentException.class, () -> new History.Position("a\"b", "e", 1));
        assertThrows(IllegalArgumentException.class, () -> new History.Position("a", "e", -1));
    }
}
