package dev.duplex.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TextTest {
    @Test
    void controlCharactersAreRemovedThenTheTextIsTrimmed() {
        assertEquals("ann", Text.name(" \u0000a\u0007n\u009Fn\u007F\t ", "username", 32));
        assertEquals("a\nb\tc", Text.message("\n a\nb\tc\u0001 \n", "message", 500));
        assertEquals("ab", Text.name("a\nb", "username", 32), "names lose line feeds too");
    }

    @Test
    void nothingElseIsEscapedOrStripped() {
        String html = "<script>alert('x')</script> & \"quotes\"";
        assertEquals(html, Text.message(html, "message", 500));
    }

    @Test
    void lengthIsCountedInCodePointsAfterCleaning() {
        String smileys = "\uD83D\uDE00".repeat(32);
        assertEquals(smileys, Text.name(smileys, "username", 32));
        ProtocolError tooLong = assertThrows(ProtocolError.class, () -> Text.name(smileys + "x", "username", 32));
        assertEquals(ErrorCode.INVALID_PAYLOAD, tooLong.code());
        assertTrue(tooLong.getMessage().startsWith("username"));
        assertEquals("x".repeat(32), Text.name("\u0001" + "x".repeat(32) + "\u0002 ", "username", 32));
    }

    @Test
    void textThatCleansToNothingIsInvalid() {
        ProtocolError empty = assertThrows(ProtocolError.class, () -> Text.message(" \u0000\n\t ", "message", 500));
        assertTrue(empty.getMessage().contains("message"));
    }

    @Test
    void roomNamesAreTakenAsSentAndOnlyFromTheAllowedCharacters() {
        assertEquals("Team_1-a", Text.roomName("Team_1-a", "roomId"));
        assertTrue(Text.isRoomName("x".repeat(64)));
        assertFalse(Text.isRoomName("x".repeat(65)));
        assertFalse(Text.isRoomName(""));
        assertFalse(Text.isRoomName(" team"));
        assertFalse(Text.isRoomName("caf\u00e9"));
        assertThrows(ProtocolError.class, () -> Text.roomName("a/b", "roomId"));
    }
}
