package dev.duplex.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SameOriginTest {
    @Test
    void anOriginMatchesTheHostItConnectsTo() {
        assertTrue(SameOrigin.matches("http://chat.example:8080", "chat.example:8080"));
        assertTrue(SameOrigin.matches("https://Chat.Example", "chat.example"), "default port, any case");
        assertTrue(SameOrigin.matches("https://chat.example", "chat.example:443"));
        assertTrue(SameOrigin.matches("http://[::1]:8080", "[::1]:8080"));
        assertTrue(SameOrigin.matches("http://127.0.0.1:9000", "127.0.0.1:9000"));
    }

    @Test
    void anyOtherOriginDoesNot() {
        assertFalse(SameOrigin.matches("http://evil.example", "chat.example"));
        assertFalse(SameOrigin.matches("http://chat.example:8081", "chat.example:8080"));
        assertFalse(SameOrigin.matches("http://chat.example.evil", "chat.example"));
        assertFalse(SameOrigin.matches("null", "chat.example"));
        assertFalse(SameOrigin.matches("http://chat.example", null));
        assertFalse(SameOrigin.matches("not a uri", "chat.example"));
        assertFalse(SameOrigin.matches("http://[::1]:8080", "[::2]:8080"));
    }
}
