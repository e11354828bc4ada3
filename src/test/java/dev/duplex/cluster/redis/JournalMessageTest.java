package dev.duplex.cluster.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class JournalMessageTest {
    @Test
    void theHeaderIsReadAndTheEntryKeptWholeNewlinesIncluded() {
        JournalMessage message = JournalMessage.parse("ep0ch.1 42 node0001 7\nd u - {\"a\":\"x\ny\"}");
        assertEquals(new JournalMessage("ep0ch.1", 42, "node0001", 7, "d u - {\"a\":\"x\ny\"}"), message);
    }

    @Test
    void theNoticeOfANewEpochHasSequenceZeroAndNoEntry() {
        assertEquals(new JournalMessage("e2", 0, "n", 0, ""), JournalMessage.parse("e2 0 n 0\n"));
    }

    @Test
    void anythingElseIsRefused() {
        for (String text : new String[] {"", "no newline", "a b c\nentry", "e x n 1\nentry", "e 1 n 1 extra\nentry"}) {
            assertThrows(IllegalArgumentException.class, () -> JournalMessage.parse(text), text);
        }
    }
}
