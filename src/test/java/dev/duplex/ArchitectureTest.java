package dev.duplex;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the walls between packages standing: dependencies point inward (web, standalone -> apps -> core),
 * only the endpoint package touches the WebSocket and servlet APIs, only the standalone package touches
 * Tyrus and Grizzly, and only the auth package the JWT library. Read from the imports of the sources.
 */
class ArchitectureTest {
    private static final Path SOURCES = Path.of("src", "main", "java", "dev", "duplex");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+)", Pattern.MULTILINE);

    private record Rule(String packagePrefix, List<String> forbidden) {
    }

    private static final List<Rule> RULES = List.of(
            new Rule("core", List.of("dev.duplex.apps", "dev.duplex.web", "dev.duplex.standalone", "dev.duplex.auth",
                    "dev.duplex.Duplex", "jakarta.websocket", "jakarta.servlet", "org.glassfish", "com.nimbusds")),
            new Rule("apps", List.of("dev.duplex.web", "dev.duplex.standalone", "dev.duplex.auth", "dev.duplex.Duplex",
                    "jakarta.websocket", "jakarta.servlet", "org.glassfish", "com.nimbusds")),
            new Rule("auth", List.of("dev.duplex.apps", "dev.duplex.web", "dev.duplex.standalone",
                    "jakarta.websocket", "jakarta.servlet", "org.glassfish")),
            new Rule("web", List.of("dev.duplex.standalone", "org.glassfish", "com.nimbusds")),
            new Rule("standalone", List.of("jakarta.servlet", "com.nimbusds")));

    @Test
    void dependenciesPointInward() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Rule rule : RULES) {
            try (Stream<Path> files = Files.walk(SOURCES.resolve(rule.packagePrefix()))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    Matcher imports = IMPORT.matcher(Files.readString(file));
                    while (imports.find()) {
                        String imported = imports.group(1);
                        rule.forbidden().stream().filter(imported::startsWith)
                                .forEach(forbidden -> violations.add(file + " imports " + imported));
                    }
                }
            }
        }
        assertEquals(List.of(), violations);
    }
}
