package dev.duplex.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonValue;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

/** The {@code resume} frame's data: what is read from it, and everything malformed refused with 1008. */
class ResumeTest {
    private static final String TOKEN = "abcDEF_-12." + "s".repeat(43);

    private static JsonValue json(String text) {
        return Json.createReader(new StringReader(text)).readValue();
    }

    private static void refused(String data) {
        Refusal refusal = assertThrows(Refusal.class, () -> Resume.from(json(data)));
        assertEquals(CloseCode.POLICY_VIOLATION, refusal.code());
        assertTrue(refusal.getMessage().startsWith("Malformed resume"), refusal::getMessage);
    }

    @Test
    void readsTheSessionAndTheLastPositionOfEachStream() {
        Resume resume = Resume.from(json("{\"session\":\"" + TOKEN + "\",\"positions\":["
                + "{\"stream\":\"lobby\",\"epoch\":\"e1\",\"offset\":17},{\"stream\":\"room:a\",\"epoch\":\"e2\",\"offset\":0}]}"));
        assertEquals("abcDEF_-12", resume.id().value());
        assertEquals("s".repeat(43), resume.secret());
        assertEquals(17, resume.positions().get("lobby").offset());
        assertEquals(0, resume.positions().get("room:a").offset());
        assertTrue(Resume.from(json("{\"session\":\"" + TOKEN + "\"}")).positions().isEmpty());
    }

    @Test
    void refusesWhatIsNoResume() {
        refused("\"" + TOKEN + "\"");
        refused("{\"positions\":[]}");
        refused("{\"session\":\"no-dot\"}");
        refused("{\"session\":\"id." + "s".repeat(42) + "\"}");
        refused("{\"session\":\"" + TOKEN + "\",\"positions\":{}}");
        refused("{\"session\":\"" + TOKEN + "\",\"positions\":[{\"stream\":\"lobby\",\"epoch\":\"e\",\"offset\":-1}]}");
        refused("{\"session\":\"" + TOKEN + "\",\"positions\":[{\"stream\":\"lobby\",\"epoch\":\"e\",\"offset\":1.5}]}");
        refused("{\"session\":\"" + TOKEN + "\",\"positions\":[{\"stream\":\"lo\\\"bby\",\"epoch\":\"e\",\"offset\":1}]}");
        refused("{\"session\":\"" + TOKEN + "\",\"positions\":[{\"stream\":\"lobby\",\"offset\":1}]}");
        refused("{\"session\":\"" + TOKEN + "\",\"positions\":[{\"stream\":\"lobby\",\"epoch\":\"e\",\"offset\":1},"
                + "{\"stream\":\"lobby\",\"epoch\":\"e\",\"offset\":2}]}");
    }

    @Test
    void refusesMorePositionsThanASessionCanHaveStreams() {
        JsonArrayBuilder positions = Json.createArrayBuilder();
        for (int i = 0; i <= Resume.MAX_POSITIONS; i++) {
            positions.add(Json.createObjectBuilder().add("stream", "room:r" + i).add("epoch", "e").add("offset", 1));
        }
        refused(Json.createObjectBuilder().add("session", TOKEN).add("positions", positions).build().toString());
    }
}
