package dev.duplex.apps.whiteboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.duplex.core.RawJson;
import dev.duplex.core.SocketId;
import org.junit.jupiter.api.Test;

class BoardEntryTest {
    private static final SocketId ANN = new SocketId("node0001AAAAAAAAAAAAAAAAAAAAAA");

    private static BoardEntry roundTrip(BoardEntry entry) {
        return BoardEntry.FORMAT.decode(BoardEntry.FORMAT.encode(entry));
    }

    @Test
    void everyKindOfEntryReadsBackAsItWasWritten() {
        RawJson json = new RawJson("{\"prevX\":1,\"userId\":\"" + ANN.value() + "\",\"color\":\"#000000\"}");
        assertEquals(new BoardEntry.Draw(ANN, "s1", json), roundTrip(new BoardEntry.Draw(ANN, "s1", json)));
        assertEquals(new BoardEntry.Draw(ANN, null, json), roundTrip(new BoardEntry.Draw(ANN, null, json)));
        assertEquals(new BoardEntry.Undo(ANN), roundTrip(new BoardEntry.Undo(ANN)));
        assertEquals(new BoardEntry.Clear(ANN), roundTrip(new BoardEntry.Clear(ANN)));
    }

    @Test
    void aStrokeIdOfAnyTextSurvivesEvenSpacesNewlinesAndADash() {
        RawJson json = new RawJson("{\"x\":\"a b\"}");
        for (String stroke : new String[] {"-", "a b c", "line\nbreak", "ünï côdé 🎨", " "}) {
            assertEquals(stroke, ((BoardEntry.Draw) roundTrip(new BoardEntry.Draw(ANN, stroke, json))).strokeId());
        }
    }

    @Test
    void textThatIsNoEntryIsRefused() {
        for (String text : new String[] {"", "x y", "d only", "u", "c a b"}) {
            assertThrows(IllegalArgumentException.class, () -> BoardEntry.FORMAT.decode(text), text);
        }
    }
}
