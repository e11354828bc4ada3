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
 * Tyrus and Grizzly, only the auth package the JWT library, and only the cluster's Redis package Lettuce
 * (nothing but the boot code reaches into the cluster). Read from the imports of the sources.
 */
class ArchitectureTest {
    private static final Path SOURCES = Path.of("src", "main", "java", "dev", "duplex");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+)", Pattern.MULTILINE);

    private record Rule(String packagePrefix, List<String> forbidden) {
    }

    private static final List<Rule> RULES = List.of(
            new Rule("core", List.of("dev.duplex.apps", "dev.duplex.web", "dev.duplex.standalone", "dev.duplex.auth",
                    "dev.duplex.cluster", "dev.duplex.Duplex", "jakarta.websocket", "jakarta.servlet", "org.glassfish",
                    "com.nimbusds", "io.lettuce")),
            new Rule("apps", List.of("dev.duplex.web", "dev.duplex.standalone", "dev.duplex.auth", "dev.duplex.cluster",
                    "dev.duplex.Duplex", "jakarta.websocket", "jakarta.servlet", "org.glassfish", "com.nimbusds",
                    "io.lettuce")),
            new Rule("auth", List.of("dev.duplex.apps", "dev.duplex.web", "dev.duplex.standalone", "dev.duplex.cluster",
                    "jakarta.websocket", "jakarta.servlet", "org.glassfish", "io.lettuce")),
            new Rule("cluster", List.of("dev.duplex.apps", "dev.duplex.web", "dev.duplex.standalone", "dev.duplex.auth",
                    "dev.duplex.Duplex", "jakarta.websocket", "jakarta.servlet", "org.glassfish", "com.nimbusds")),
            new Rule("web", List.of("dev.duplex.standalone", "dev.duplex.cluster", "org.glassfish", "com.nimbusds",
                    "io.lettuce")),
            new Rule("standalone", List.of("jakarta.servlet", "dev.duplex.cluster", "com.nimbusds", "io.lettuce")));

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

    @Test
    void onlyTheRedisPackageOfTheClusterKnowsRedis() throws IOException {
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.list(SOURCES.resolve("cluster"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                if (Files.readString(file).contains("io.lettuce")) {
                    violations.add(file.toString());
                }
            }
        }
        assertEquals(List.of(), violations);
    }
}
