package dev.duplex.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class RoomRegistryTest {
    private final RoomRegistry rooms = new RoomRegistry();
    private final SocketId ann = new SocketId("ann");
    private final SocketId bob = new SocketId("bob");

    @Test
    void keepsBothIndexesInStep() {
        assertTrue(rooms.join("a", ann));
        assertFalse(rooms.join("a", ann), "already a member");
        rooms.join("b", ann);
        rooms.join("a", bob);
        assertEquals(Set.of(ann, bob), rooms.members("a"));
        assertEquals(Set.of("a", "b"), rooms.roomsOf(ann));
        assertTrue(rooms.isMember("b", ann));
        assertFalse(rooms.isMember("b", bob));
    }

    @Test
    void theLastMemberOutDeletesTheRoom() {
        rooms.join("a", ann);
        rooms.join("a", bob);
        assertTrue(rooms.leave("a", ann));
        assertTrue(rooms.exists("a"));
        assertFalse(rooms.leave("a", ann), "no longer a member");
        rooms.leave("a", bob);
        assertFalse(rooms.exists("a"));
        assertEquals(Set.of(), rooms.members("a"));
        assertEquals(Set.of(), rooms.roomsOf(bob));
    }

    @Test
    void leaveAllEmptiesEveryRoomOfTheSocket() {
        rooms.join("a", ann);
        rooms.join("b", ann);
        rooms.join("b", bob);
        assertEquals(Set.of("a", "b"), Set.copyOf(rooms.leaveAll(ann)));
        assertFalse(rooms.exists("a"));
        assertEquals(Set.of(bob), rooms.members("b"));
        assertEquals(Set.of(), rooms.leaveAll(ann));
    }
}
