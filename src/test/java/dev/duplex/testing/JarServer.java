package dev.duplex.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged standalone jar in a JVM of its own, with a heap of its own: for tests that measure what the
 * server holds (its live heap after a full GC, read with {@code jcmd}), which a server sharing the test's JVM
 * could not show.
 */
public final class JarServer implements AutoCloseable {
    private static final Path JAR = Path.of("target", "duplex-standalone.jar");
    private static final Pattern USED = Pattern.compile("used (\\d+)K");

    private static final int LOG_LINES = 2_000;

    private final Process process;
    private final int port;
    /** The server's latest output lines, for tests that read its log and for failure messages. */
    private final java.util.ArrayDeque<String> log = new java.util.ArrayDeque<>();

    private JarServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts the jar with {@code -Xmx} and settings (as system properties), waiting until it listens. */
    public static JarServer start(String maxHeap, Map<String, String> settings) throws IOException {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException("run mvn package first: " + JAR);
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(javaTool("java"), "-Xmx" + maxHeap, "-XX:+UseSerialGC"));
        settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", JAR.toString(), "--host", "127.0.0.1", "--port", Integer.toString(port)));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line; (line = out.readLine()) != null; ) {
            seen.append(line).append('\n');
            if (line.contains("Duplex listening on")) {
                JarServer server = new JarServer(process, port);
                server.keep(seen.toString().lines().toList());
                Thread drain = new Thread(() -> server.drain(out), "jar-output");
                drain.setDaemon(true);
                drain.start();
                return server;
            }
        }
        throw new IllegalStateException("the server exited without listening:\n" + seen);
    }

    /** Reads the server's output to its end so that it never blocks on a full pipe; the end may be a close. */
    private void drain(BufferedReader out) {
        try {
            for (String line; (line = out.readLine()) != null; ) {
                keep(List.of(line));
            }
        } catch (IOException closedWithTheProcess) {
            // the server is gone, and so is what it had to say
        }
    }

    private synchronized void keep(List<String> lines) {
        for (String line : lines) {
            log.addLast(line);
            if (log.size() > LOG_LINES) {
                log.removeFirst();
            }
        }
    }

    /** The server's latest output, up to the last 2,000 lines. */
    public synchronized String log() {
        return String.join("\n", log);
    }

    /** Kills the JVM at once (SIGKILL): no shutdown hook runs, no goodbye reaches anyone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(15, TimeUnit.SECONDS);
    }

    public int port() {
        return port;
    }

    public URI ws(String pathAndQuery) {
        return URI.create("ws://127.0.0.1:" + port + pathAndQuery);
    }

    public URI http(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** The heap in use right after a full GC, in MiB: what the server really holds. */
    public long liveHeapMiB() throws IOException, InterruptedException {
        return liveHeapKiB() / 1024;
    }

    /** The classes that hold the most of the live heap, as {@code jcmd GC.class_histogram} lists them. */
    public String histogram(int lines) throws IOException, InterruptedException {
        return String.join("\n", jcmd("GC.class_histogram").lines().limit(lines + 3).toList());
    }

    /** {@link #liveHeapMiB()} in KiB, for heaps small enough that a MiB is a large part of them. */
    public long liveHeapKiB() throws IOException, InterruptedException {
        jcmd("GC.run");
        long kib = 0;
        // Serial GC reports its generations one per line; Metaspace, on lines of its own, is not heap.
        for (String line : jcmd("GC.heap_info").split("\n")) {
            Matcher used = USED.matcher(line);
            if (line.contains("generation") && used.find()) {
                kib += Long.parseLong(used.group(1));
            }
        }
        return kib;
    }

    private String jcmd(String command) throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(javaTool("jcmd"), Long.toString(process.pid()), command)
                .redirectErrorStream(true).start();
        String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!jcmd.waitFor(30, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + command + " failed:\n" + output);
        }
        return output;
    }

    private static String javaTool(String name) {
        return Path.of(System.getProperty("java.home"), "bin", name).toString();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
