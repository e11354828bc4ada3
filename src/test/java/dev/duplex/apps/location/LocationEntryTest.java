package dev.duplex.apps.location;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.duplex.core.SocketId;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocationEntryTest {
    private static final SocketId ANN = new SocketId("node0001AAAA");

    @Test
    void entriesReadBackExactlyNumbersAndAnyUsernameIncluded() {
        for (LocationEntry entry : List.of(
                new LocationEntry.Put(new LocationService.Entry(ANN, 51.507351, -0.127758, "ann", 1_764_000_000_123L)),
                new LocationEntry.Put(new LocationService.Entry(ANN, -90, 180, "a n n  ", 0)),
                new LocationEntry.Put(new LocationService.Entry(ANN, 0.1 + 0.2, 1e-7, "ünï 🧭", 1)),
                new LocationEntry.Remove(ANN))) {
            assertEquals(entry, LocationEntry.FORMAT.decode(LocationEntry.FORMAT.encode(entry)));
        }
    }

    @Test
    void textThatIsNoEntryIsRefused() {
        for (String text : new String[] {"", "r", "r a b", "p a 1 2 3", "p a x 2 3 ann", "q a"}) {
            assertThrows(IllegalArgumentException.class, () -> LocationEntry.FORMAT.decode(text), text);
        }
    }
}
