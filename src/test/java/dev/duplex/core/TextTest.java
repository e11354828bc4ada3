package dev.duplex.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
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

    @Test
    void namesLoseBidiControlsAndInvisibleCharactersButKeepEmojiJoiners() {
        assertEquals("ann", Text.name("a\u200Bn\u2060n\uFEFF\u00AD", "username", 32));
        assertEquals("evil", Text.name("\u202Eevil\u202C\u2066\u2069\u200E\u200F", "username", 32));
        String coder = "\uD83D\uDC69\u200D\uD83D\uDCBB";
        assertEquals(coder, Text.name(coder, "username", 32), "a ZWJ emoji sequence is one visible name");
        assertEquals("\u202Ekept in messages", Text.message("\u202Ekept in messages", "message", 500));
    }

    @Test
    void aNameOfNothingVisibleIsInvalid() {
        for (String blank : new String[] {"\u200B\u200B", "\u3164", "\u200D", " \u0301 ", "\u2800\u2800"}) {
            ProtocolError error = assertThrows(ProtocolError.class, () -> Text.name(blank, "username", 32), blank);
            assertEquals(ErrorCode.INVALID_PAYLOAD, error.code());
        }
    }

    @Test
    void unpairedSurrogatesBecomeTheReplacementCharacter() {
        assertEquals("a\uFFFDb\uFFFD", Text.wellFormed("a\uDC00b\uD800"));
        String pair = "x\uD83D\uDE00y";
        assertSame(pair, Text.wellFormed(pair));
        assertEquals("\uFFFD\uD83D\uDE00", Text.message("\uD83D\uD83D\uDE00", "message", 500));
        assertEquals("ann\uFFFD", Text.name("ann\uDBFF", "username", 32));
    }

    @Test
    void excerptsKeepTheFirst64CodePoints() {
        assertEquals("short", Text.excerpt("short"));
        String emoji = "\uD83D\uDE00".repeat(70);
        assertEquals("\uD83D\uDE00".repeat(64) + "\u2026", Text.excerpt(emoji), "never cuts a pair in half");
        assertEquals("x".repeat(64) + "\u2026", Text.excerpt("x".repeat(60_000)));
    }
}
