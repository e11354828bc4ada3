package dev.duplex.apps.location;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duplex.core.Journals;
import dev.duplex.core.LocalPresence;
import dev.duplex.testing.Harness;
import dev.duplex.testing.Harness.Conn;
import dev.duplex.testing.ManualScheduler;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocationServiceTest {
    private ManualScheduler scheduler;
    private final Harness harness = new Harness((rooms, out, clock) -> {
        scheduler = new ManualScheduler((dev.duplex.testing.ManualClock) clock);
        return new LocationService(rooms, out, new LocalPresence(), Journals.local(out), clock, scheduler,
                LocationSettings.from(Harness.config("duplex.location.rate-limit.updates", "1000")));
    });

    private Conn in(String room) {
        return harness.connect(Map.of("room", List.of(room)));
    }

    private static String at(double lat, double lng, String name) {
        return "{\"lat\":" + lat + ",\"lng\":" + lng + ",\"username\":\"" + name + "\"}";
    }

    @Test
    void aNewcomerSeesNoPositionUntilItSharesItsOwn() {
        Conn ann = in("g");
        ann.send("update-location", at(1, 2, "ann"));
        Conn late = harness.open(Map.of("room", List.of("g")), null);
        assertEquals(0, late.unread().get(1).getJsonArray("data").size(), "an empty list on open");
        harness.clock.advance(1_000);
        ann.send("update-location", at(1, 2, "ann"));
        late.nothing();
        harness.clock.advance(1_000);
        late.send("update-location", at(3, 4, "late"));
        JsonArray list = late.only("locations-updated").asJsonArray();
        assertEquals(2, list.size(), "sharing its own position shows it the group");
        JsonObject entry = list.getJsonObject(0);
        assertEquals(ann.id(), entry.getString("id"));
        assertEquals(1.0, entry.getJsonNumber("lat").doubleValue());
        assertEquals(2.0, entry.getJsonNumber("lng").doubleValue());
        assertEquals("ann", entry.getString("username"));
        assertEquals(harness.clock.millis() - 1_000, entry.getJsonNumber("timestamp").longValue(), "ann's last update");
    }

    @Test
    void updatesReachEverySharerOfTheGroupCallerIncludedAndNeverOtherGroups() {
        Conn ann = in("g");
        Conn bob = in("g");
        Conn other = in("h");
        bob.send("update-location", at(0, 0, "bob"));
        bob.unread();
        harness.clock.advance(1_000);
        ann.send("update-location", at(10, 20, "ann"));
        assertEquals(2, ann.only("locations-updated").asJsonArray().size());
        JsonArray seenByBob = bob.only("locations-updated").asJsonArray();
        assertEquals(ann.id(), seenByBob.getJsonObject(1).getString("id"), "bob, who shares, sees ann");
        other.nothing();
    }

    @Test
    void burstsAreCoalescedAndTheLastListHoldsEveryUpdate() {
        Conn ann = in("g");
        Conn bob = in("g");
        ann.send("update-location", at(1, 1, "ann"));
        bob.unread();
        for (int i = 2; i <= 5; i++) {
            harness.clock.advance(10);
            ann.send("update-location", at(i, i, "ann"));
            bob.send("update-location", at(-i, -i, "bob"));
        }
        bob.nothing(); // all folded into one deferred broadcast
        scheduler.advance(100);
        JsonArray last = bob.only("locations-updated").asJsonArray();
        assertEquals(2, last.size());
        assertEquals(5.0, last.getJsonObject(0).getJsonNumber("lat").doubleValue());
        assertEquals(-5.0, last.getJsonObject(1).getJsonNumber("lat").doubleValue());
        scheduler.advance(1_000);
        bob.nothing();
        assertEquals(0, scheduler.pending());
    }

    @Test
    void closingRemovesTheEntryAndTellsTheGroup() {
        Conn ann = in("g");
        Conn bob = in("g");
        ann.send("update-location", at(1, 1, "ann"));
        bob.send("update-location", at(2, 2, "bob"));
        scheduler.advance(200);
        ann.unread();
        bob.close();
        scheduler.advance(200);
        JsonArray list = ann.only("locations-updated").asJsonArray();
        assertEquals(1, list.size());
        assertEquals(ann.id(), list.getJsonObject(0).getString("id"));
    }

    @Test
    void rangesAndTypesAreChecked() {
        Conn ann = in("g");
        String[][] bad = {{at(90.5, 0, "a"), "lat"}, {at(-91, 0, "a"), "lat"}, {at(0, 180.1, "a"), "lng"},
            {"{\"lat\":\"1\",\"lng\":0,\"username\":\"a\"}", "lat"}, {"{\"lat\":1,\"lng\":0}", "username"},
            {at(0, 0, " \\u0000 "), "username"}, {"\"here\"", "data"}};
        for (String[] row : bad) {
            ann.send("update-location", row[0]);
            JsonObject error = ann.only("error").asJsonObject();
            assertEquals("INVALID_PAYLOAD", error.getString("code"), row[0]);
            assertTrue(error.getString("message").startsWith(row[1]), error.toString());
        }
        ann.send("update-location", at(-90, 180, "a"), 1);
        assertNull(ann.ackError(1));
    }

    @Test
    void anAuthenticatedNameWinsOverThePayloadWhichMayOmitIt() {
        Conn ann = greeted(harness.open(Map.of("room", List.of("g")), "ann"));
        ann.send("update-location", "{\"lat\":1,\"lng\":2,\"username\":\"mallory\"}");
        assertEquals("ann", ann.only("locations-updated").asJsonArray().getJsonObject(0).getString("username"));
        scheduler.advance(200);
        ann.send("update-location", "{\"lat\":3,\"lng\":4}");
        assertEquals("ann", ann.only("locations-updated").asJsonArray().getJsonObject(0).getString("username"));
    }

    private static Conn greeted(Conn conn) {
        conn.unread();
        return conn;
    }

    @Test
    void anInvalidRoomIsRefused() {
        assertNull(harness.open(Map.of("room", List.of("../etc")), null).client);
    }

    @Test
    void pastTheGroupLimitAConnectionToANewGroupIsClosedWithTryAgainLater() {
        Harness small = new Harness((rooms, out, clock) -> new LocationService(rooms, out, new LocalPresence(),
                Journals.local(out), clock, new ManualScheduler((dev.duplex.testing.ManualClock) clock),
                LocationSettings.from(Harness.config("duplex.location.max-groups", "1"))));
        Conn ann = small.connect(Map.of("room", List.of("one")));
        Conn bob = small.connect(Map.of("room", List.of("two")));
        assertEquals(dev.duplex.core.CloseCode.TRY_AGAIN_LATER, bob.transport.closeCode());
        Conn cat = small.connect(Map.of("room", List.of("one")));
        assertNull(cat.transport.closeCode(), "an existing group still takes members");
        ann.close();
        cat.close();
        Conn dan = small.connect(Map.of("room", List.of("two")));
        assertNull(dan.transport.closeCode(), "an empty group is forgotten, which makes room");
    }
}
