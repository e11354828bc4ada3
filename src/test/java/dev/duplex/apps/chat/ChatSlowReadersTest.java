package dev.duplex.apps.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.duplex.core.CloseCode;
import dev.duplex.core.SendQueue;
import dev.duplex.testing.Harness;
import dev.duplex.testing.Harness.Conn;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Readers that stop reading, closed in the middle of other clients' broadcasts: each is cleaned up after the
 * broadcast that overflowed it, never inside it, so closes never nest and nobody stays behind as a ghost.
 */
class ChatSlowReadersTest {
    private final Harness harness = new Harness((rooms, out, clock) -> new ChatService(rooms, out, clock, (task, delay) -> { },
            ChatSettings.from(Harness.config("duplex.chat.rate-limit.messages", "1000"))))
            .queueLimits(new SendQueue.Limits(5, Long.MAX_VALUE));

    private Conn joined(String name) {
        Conn conn = harness.connect();
        conn.send("user-joined", "\"" + name + "\"");
        conn.unread();
        return conn;
    }

    @Test
    void sixHundredStalledMembersDroppedInOneBurstLeaveNoGhostAndTheFlooderIsStillAnswered() {
        Conn flooder = joined("flooder");
        Conn healthy = joined("healthy");
        List<Conn> stalled = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            Conn conn = joined("stalled" + i);
            conn.transport.holdWrites();
            stalled.add(conn);
        }
        healthy.unread();
        for (int i = 0; i < 20; i++) {
            flooder.send("send-message", "\"m" + i + "\"", i);
        }
        for (Conn conn : stalled) {
            assertEquals(CloseCode.POLICY_VIOLATION, conn.transport.closeCode());
        }
        List<String> received = healthy.unread().stream().filter(f -> "receive-message".equals(f.getString("event")))
                .map(f -> f.getJsonObject("data").getString("message")).toList();
        assertEquals(20, received.size(), "the healthy reader got every message");
        flooder.send("ping", null, 99);
        assertNull(flooder.ackError(99), "the flooder's connection still answers");

        Conn fresh = joined("fresh");
        fresh.send("user-joined", "\"fresh\"");
        JsonObject online = fresh.unread().stream().filter(f -> "online-users".equals(f.getString("event")))
                .findFirst().orElseThrow();
        Set<String> names = online.getJsonArray("data").getValuesAs(JsonObject.class).stream()
                .map(user -> user.getString("username")).collect(Collectors.toSet());
        assertEquals(Set.of("flooder", "healthy", "fresh"), names, "no ghost in online-users");
        assertEquals(3, harness.sessions.size());
    }
}
