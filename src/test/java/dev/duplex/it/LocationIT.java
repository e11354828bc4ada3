package dev.duplex.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.duplex.testing.TestServer;
import dev.duplex.testing.WsClient;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /location} over real sockets: PROTOCOL.md section 7. */
class LocationIT {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("duplex.location.rate-limit.updates", "100"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String at(double lat, double lng, String name) {
        return "{\"lat\":" + lat + ",\"lng\":" + lng + ",\"username\":\"" + name + "\"}";
    }

    @Test
    void aGroupOfSeveralUsersSeesEveryonesLastPosition() {
        List<WsClient> users = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                WsClient user = server.connect("/location?room=team");
                assertEquals(0, user.expect("locations-updated").asJsonArray().size(), "nobody has shared yet");
                users.add(user);
            }
            try (WsClient outsider = server.connect("/location?room=strangers")) {
                outsider.expect("locations-updated");
                // A burst from everyone: several updates each, faster than the 100 ms coalescing interval.
                for (int round = 1; round <= 5; round++) {
                    for (int i = 0; i < users.size(); i++) {
                        users.get(i).emit("update-location", at(round + i, -round - i, "user" + i));
                    }
                }
                for (WsClient user : users) {
                    // Lists may be coalesced; the last one after the burst holds every user's last update.
                    // Everyone shares, so everyone sees the group.
                    JsonArray last = user.awaitArray("locations-updated", list -> list.size() == 4
                            && list.getValuesAs(JsonObject.class).stream().allMatch(entry -> entry.getJsonNumber("lat").doubleValue()
                                    == 5.0 + Integer.parseInt(entry.getString("username").substring(4))));
                    user.expectNone("locations-updated", Duration.ofMillis(300));
                    for (JsonObject entry : last.getValuesAs(JsonObject.class)) {
                        int i = Integer.parseInt(entry.getString("username").substring(4));
                        assertEquals(users.get(i).id(), entry.getString("id"));
                        assertEquals(-5.0 - i, entry.getJsonNumber("lng").doubleValue());
                    }
                }
                outsider.expectNone("locations-updated", Duration.ofMillis(300));
            }
            WsClient leaving = users.remove(3);
            leaving.close();
            for (WsClient user : users) {
                user.awaitArray("locations-updated", list -> list.size() == 3);
            }
        } finally {
            users.forEach(WsClient::close);
        }
    }

    @Test
    void badCoordinatesAndRoomsAreRefused() {
        try (WsClient user = server.connect("/location")) {
            user.expect("locations-updated");
            user.emit("update-location", at(91, 0, "ann"));
            user.expectError("INVALID_PAYLOAD");
            user.emit("update-location", at(0, -181, "ann"), 3);
            user.expectAckError(3, "INVALID_PAYLOAD");
            user.emit("update-location", "{\"lat\":0,\"lng\":0,\"username\":\"\"}");
            user.expectError("INVALID_PAYLOAD");
        }
        try (WsClient refused = WsClient.open(server.ws("/location?room=a%20b"), Map.of())) {
            assertEquals(1008, refused.expectClose());
        }
    }
}
