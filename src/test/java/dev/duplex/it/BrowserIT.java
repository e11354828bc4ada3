package dev.duplex.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs the page tests (src/test/browser, Node's test runner driving Debian's chromium through
 * playwright-core) against the packaged standalone server. Missing prerequisites fail the build loudly:
 * a browser test that cannot run must never pass by skipping.
 */
class BrowserIT {
    private static final Path TESTS = Path.of("src", "test", "browser");

    @Test
    void thePagesWorkInARealBrowser() throws Exception {
        assertTrue(Files.isDirectory(TESTS.resolve("node_modules/playwright-core")),
                "Install the browser test tools first: npm ci --prefix src/test/browser");
        String chromium = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
        assertTrue(Files.isExecutable(Path.of(chromium)), "Install Debian's chromium (apt-get install chromium) or set CHROMIUM");

        Process node = new ProcessBuilder("node", "--test", "--test-concurrency=1", "--test-reporter=spec")
                .directory(TESTS.toFile()).redirectErrorStream(true).start();
        StringBuilder output = new StringBuilder();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                System.out.println("[browser] " + line);
                output.append(line).append('\n');
            }
        }
        assertTrue(node.waitFor(5, TimeUnit.MINUTES), "the browser tests did not finish");
        assertEquals(0, node.exitValue(), () -> "browser tests failed:\n" + output);
        assertTrue(output.toString().contains("pass 12"), () -> "expected 12 passing browser tests:\n" + output);
    }
}
