package dev.duplex.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} of a test's own on a free loopback port, that the test may stop and start again on
 * the same port, so that the shared Redis is never stopped. Either it keeps its data over a stop (saved at
 * the stop, loaded at the start) or it starts again empty, as a Redis without persistence does. It may also
 * speak only TLS and require a password, with a certificate made for it and a trust store that holds it.
 */
public final class OwnRedis implements AutoCloseable {
    /** The trust store's password, for {@code javax.net.ssl.trustStorePassword}. */
    public static final String TRUST_STORE_PASSWORD = "changeit";

    private final int port;
    private final boolean keepsData;
    private final Path directory;
    private final Path log;
    /** With TLS: the password it requires; null for plain TCP and no password. */
    private final String password;
    private Process process;

    private OwnRedis(int port, boolean keepsData, String password) throws IOException {
        this.port = port;
        this.keepsData = keepsData;
        this.password = password;
        this.directory = Files.createTempDirectory("own-redis-" + port);
        this.log = directory.resolve("redis.log");
    }

    /** Starts one on a free port, waiting until it accepts connections. */
    public static OwnRedis start(boolean keepsData) throws IOException, InterruptedException {
        OwnRedis redis = new OwnRedis(freePort(), keepsData, null);
        redis.startAgain();
        return redis;
    }

    /**
     * Starts one that speaks only TLS, with a self-signed certificate for 127.0.0.1 made here
     * ({@code openssl}), and requires {@code password}; {@link #trustStore()} holds its certificate.
     */
    public static OwnRedis startWithTls(String password) throws IOException, InterruptedException {
        OwnRedis redis = new OwnRedis(freePort(), false, password);
        redis.run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", redis.file("key.pem"), "-out", redis.file("cert.pem"));
        redis.run("keytool", "-importcert", "-noprompt", "-alias", "redis", "-file", redis.file("cert.pem"),
                "-keystore", redis.file("trust.p12"), "-storetype", "PKCS12", "-storepass", TRUST_STORE_PASSWORD);
        redis.startAgain();
        return redis;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private String file(String name) {
        return directory.resolve(name).toString();
    }

    private void run(String... command) throws IOException, InterruptedException {
        Process tool = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!tool.waitFor(60, TimeUnit.SECONDS) || tool.exitValue() != 0) {
            throw new IllegalStateException(command[0] + " failed: " + Files.readString(log));
        }
    }

    /** How a node reaches it: {@code rediss://:password@...} with TLS. */
    public String uri() {
        return password == null ? "redis://127.0.0.1:" + port : "rediss://:" + password + "@127.0.0.1:" + port;
    }

    /** With TLS: a PKCS12 trust store that holds its certificate. */
    public Path trustStore() {
        return directory.resolve("trust.p12");
    }

    /** Starts it (again, empty) on its port. */
    public synchronized void startAgain() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("already running");
        }
        List<String> command = new ArrayList<>(List.of("redis-server", "--bind", "127.0.0.1",
                "--dir", directory.toString(), "--save", keepsData ? "3600 1" : "", "--appendonly", "no",
                "--enable-debug-command", "local"));
        if (password == null) {
            command.addAll(List.of("--port", Integer.toString(port)));
        } else {
            command.addAll(List.of("--port", "0", "--tls-port", Integer.toString(port), "--tls-cert-file", file("cert.pem"),
                    "--tls-key-file", file("key.pem"), "--tls-ca-cert-file", file("cert.pem"), "--tls-auth-clients", "no",
                    "--requirepass", password));
        }
        process = new ProcessBuilder(command)
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
