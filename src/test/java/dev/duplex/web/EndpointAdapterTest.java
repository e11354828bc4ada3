package dev.duplex.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EndpointAdapterTest {
    @Test
    void utf8LengthIsCountedWithoutEncoding() {
        for (String text : new String[] {"a".repeat(100), "\u00e9".repeat(50), "\u20ac".repeat(34),
                "\uD83D\uDE00".repeat(25), "a\u00e9\u20ac\uD83D\uDE00".repeat(10)}) {
            int bytes = text.getBytes(StandardCharsets.UTF_8).length;
            assertFalse(EndpointAdapter.utf8LengthExceeds(text, bytes), text);
            assertTrue(EndpointAdapter.utf8LengthExceeds(text, bytes - 1), text);
        }
    }
}
