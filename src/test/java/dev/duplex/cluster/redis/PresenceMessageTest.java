package dev.duplex.cluster.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PresenceMessageTest {
    @Test
    void joinsLeavesAndResetsReadBackAsWritten() {
        PresenceMessage join = new PresenceMessage.Change("abcdEFGH", 7, "#lobby", "abcdEFGHxyz", "zoë");
        PresenceMessage leave = new PresenceMessage.Change("abcdEFGH", 8, "room-1", "abcdEFGHxyz", null);
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put(PresenceMessage.field("#lobby", "abcdEFGHxyz"), "zoë");
        entries.put(PresenceMessage.field("room-1", "abcdEFGHxyz"), "zoë");
        PresenceMessage reset = new PresenceMessage.Reset("abcdEFGH", 9, entries);
        PresenceMessage batch = new PresenceMessage.Batch("abcdEFGH", 11, java.util.List.of(
                new PresenceMessage.Change("abcdEFGH", 11, "#lobby", "abcdEFGHxyz", "zoë"),
                new PresenceMessage.Change("abcdEFGH", 11, "#lobby", "abcdEFGHuvw", null)));
        for (PresenceMessage message : new PresenceMessage[] {join, leave, reset, batch}) {
            assertEquals(message, PresenceMessage.decode(message.encode()));
        }
        assertEquals(new PresenceMessage.Reset("n", 1, Map.of()),
                PresenceMessage.decode(new PresenceMessage.Reset("n", 1, Map.of()).encode()));
    }

    @Test
    void aTruncatedOrUnknownMessageIsRefused() {
        byte[] reset = new PresenceMessage.Reset("n", 1, Map.of("#lobby a", "ann")).encode();
        assertThrows(IllegalArgumentException.class, () -> PresenceMessage.decode(Arrays.copyOf(reset, reset.length - 2)));
        byte[] unknown = reset.clone();
        unknown[0] = 9;
        assertThrows(IllegalArgumentException.class, () -> PresenceMessage.decode(unknown));
    }
}
