package dev.duplex.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ChannelsTest {
    private final Channels channels = new Channels("prod");

    @Test
    void everyChannelReadsBackAsItsNamespaceKindAndName() {
        assertEquals(new Channels.Parsed("/chat", Channels.Kind.ROOM, "#lobby"),
                channels.parse(channels.room("/chat", "#lobby")));
        assertEquals(new Channels.Parsed("/game", Channels.Kind.NODE, "abcdEFGH"),
                channels.parse(channels.node("/game", "abcdEFGH")));
        assertEquals(new Channels.Parsed("/whiteboard", Channels.Kind.ALL, null),
                channels.parse(channels.all("/whiteboard")));
        assertEquals(new Channels.Parsed("/chat", Channels.Kind.PRESENCE, null),
                channels.parse(channels.presence("/chat")));
        assertEquals(new Channels.Parsed(null, Channels.Kind.MEMBERSHIP, null), channels.parse(channels.membership()));
    }

    @Test
    void anotherClustersChannelIsNotOurs() {
        assertNull(channels.parse(new Channels("staging").room("/chat", "r")));
        assertNull(channels.parse("duplex:prod:/chat:other"));
    }

    @Test
    void aClusterNameIsCheckedLikeARoomName() {
        assertThrows(IllegalArgumentException.class, () -> new Channels("a:b"));
        assertThrows(IllegalArgumentException.class, () -> new Channels(""));
    }
}
