package dev.duplex.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duplex.testing.WsClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The packaged jar, run the way the README says: one command, one log line, SIGTERM closes with 1001. */
class StandaloneJarIT {
    private static final Path JAR = Path.of("target", "duplex-standalone.jar");

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Process launch(ProcessBuilder builder) throws IOException {
        assertTrue(Files.exists(JAR), "run mvn package first: " + JAR);
        return builder.redirectErrorStream(true).start();
    }

    /** Reads output until the listening line, returning it. */
    private static String awaitListening(Process process) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line; (line = out.readLine()) != null; ) {
            seen.append(line).append('\n');
            if (line.contains("Duplex listening on")) {
                Thread drain = new Thread(() -> out.lines().forEach(ignored -> { }));
                drain.setDaemon(true);
                drain.start();
                return line;
            }
        }
        throw new AssertionError("the server exited without listening:\n" + seen);
    }

    @Test
    void servesChatOnThePortGivenAndClosesEveryConnectionWith1001OnSigterm() throws Exception {
        int port = freePort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = launch(new ProcessBuilder(java, "-jar", JAR.toString(), "--port", Integer.toString(port)));
        try {
            String line = awaitListening(process);
            assertTrue(line.contains(":" + port + "/"), line);
            WsClient ann = WsClient.connect(URI.create("ws://127.0.0.1:" + port + "/chat"));
            WsClient bob = WsClient.connect(URI.create("ws://127.0.0.1:" + port + "/chat"));
            ann.emit("user-joined", "\"ann\"");
            bob.emit("user-joined", "\"bob\"");
            bob.expect("online-users");
            ann.emit("send-message", "\"from the jar\"");
            assertEquals("from the jar", bob.expect("receive-message").asJsonObject().getString("message"));

            process.destroy(); // SIGTERM
            assertEquals(1001, ann.expectClose());
            assertEquals(1001, bob.expectClose());
            assertTrue(process.waitFor(15, TimeUnit.SECONDS), "the server did not exit");
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void thePortCanComeFromTheEnvironment() throws Exception {
        int port = freePort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", JAR.toString());
        builder.environment().put("DUPLEX_PORT", Integer.toString(port));
        Process process = launch(builder);
        try {
            assertTrue(awaitListening(process).contains(":" + port + "/"));
            try (WsClient client = WsClient.connect(URI.create("ws://127.0.0.1:" + port + "/chat"))) {
                client.emit("ping", null);
                client.expect("pong");
            }
        } finally {
            process.destroy();
            process.waitFor(15, TimeUnit.SECONDS);
            process.destroyForcibly();
        }
    }
}
