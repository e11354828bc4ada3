package dev.duplex.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} of a test's own on a free loopback port, that the test may stop and start again on
 * the same port, so that the shared Redis is never stopped. Either it keeps its data over a stop (saved at
 * the stop, loaded at the start) or it starts again empty, as a Redis without persistence does.
 */
public final class OwnRedis implements AutoCloseable {
    private final int port;
    private final boolean keepsData;
    private final Path directory;
    private final Path log;
    private Process process;

    private OwnRedis(int port, boolean keepsData) throws IOException {
        this.port = port;
        this.keepsData = keepsData;
        this.directory = Files.createTempDirectory("own-redis-" + port);
        this.log = directory.resolve("redis.log");
    }

    /** Starts one on a free port, waiting until it accepts connections. */
    public static OwnRedis start(boolean keepsData) throws IOException, InterruptedException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        OwnRedis redis = new OwnRedis(port, keepsData);
        redis.startAgain();
        return redis;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Starts it (again, empty) on its port. */
    public synchronized void startAgain() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("already running");
        }
        process = new ProcessBuilder(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--dir", directory.toString(), "--save", keepsData ? "3600 1" : "", "--appendonly", "no",
                "--enable-debug-command", "local"))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    throw new IllegalStateException("redis-server did not start on " + port + ": "
                            + Files.readString(log));
                }
                Thread.sleep(50);
            }
        }
    }

    /** Makes it answer nothing for {@code seconds} ({@code DEBUG SLEEP}), as a Redis that is slow; returns at once. */
    public Process freeze(double seconds) throws IOException {
        return new ProcessBuilder("redis-cli", "-p", Integer.toString(port), "DEBUG", "SLEEP", Double.toString(seconds))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /**
     * Stops it: its clients see their connections drop. One that keeps its data saves it first (SIGTERM);
     * one that does not is killed, and everything it held is gone.
     */
    public synchronized void stop() throws InterruptedException {
        if (process != null) {
            if (keepsData) {
                process.destroy();
            } else {
                process.destroyForcibly();
            }
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        try (var files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(directory);
        } catch (IOException ignored) {
            // A temporary file; the system cleans it up in the end.
        }
    }
}
