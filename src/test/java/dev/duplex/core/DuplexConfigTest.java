package dev.duplex.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DuplexConfigTest {
    @Test
    void defaultsComeFromTheShippedFile() {
        DuplexConfig config = DuplexConfig.defaults();
        assertEquals(8080, config.integer("duplex.port"));
        assertEquals(65536, config.integer("duplex.max-message-bytes"));
        assertEquals(60_000, config.longValue("duplex.idle-timeout-ms"));
        assertEquals(10, config.integer("duplex.chat.rate-limit.messages"));
        assertEquals(List.of(), config.list("duplex.allowed-origins"));
    }

    @Test
    void environmentNamesAreUpperCaseWithUnderscores() {
        assertEquals("DUPLEX_CHAT_RATE_LIMIT_MESSAGES", DuplexConfig.environmentName("duplex.chat.rate-limit.messages"));
    }

    @Test
    void systemPropertiesBeatTheEnvironmentWhichBeatsTheFileWhichBeatsDefaults(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("duplex.properties");
        Files.writeString(file, "duplex.port=1111\nduplex.idle-timeout-ms=1000\nduplex.ping-interval-ms=500\n");
        Properties system = new Properties();
        system.setProperty("duplex.config", file.toString());
        system.setProperty("duplex.port", "3333");
        DuplexConfig config = DuplexConfig.load(
                Map.of("DUPLEX_PORT", "2222", "DUPLEX_IDLE_TIMEOUT_MS", "2000", "UNRELATED", "x"), system);
        assertEquals(3333, config.integer("duplex.port"));
        assertEquals(2000, config.longValue("duplex.idle-timeout-ms"));
        assertEquals(500, config.longValue("duplex.ping-interval-ms"));
        assertEquals(65536, config.integer("duplex.max-message-bytes"));
    }

    @Test
    void unknownKeysAndBadNumbersAreRejected() {
        DuplexConfig config = DuplexConfig.defaults();
        assertThrows(IllegalArgumentException.class, () -> config.with("duplex.prot", "1"));
        Properties typo = new Properties();
        typo.setProperty("duplex.chat.rate-limt.messages", "1");
        assertThrows(IllegalArgumentException.class, () -> DuplexConfig.load(Map.of(), typo));
        assertThrows(IllegalArgumentException.class, () -> config.with("duplex.port", "eighty").integer("duplex.port"));
        assertThrows(IllegalArgumentException.class, () -> config.with("duplex.port", "-1").integer("duplex.port"));
    }

    @Test
    void listsAreCommaSeparatedAndTrimmed() {
        DuplexConfig config = DuplexConfig.defaults().with("duplex.allowed-origins", " http://a , https://b,, ");
        assertEquals(List.of("http://a", "https://b"), config.list("duplex.allowed-origins"));
    }
}
