package dev.duplex.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The {@link Abusers} in a JVM of their own, at the lowest CPU priority ({@code nice -n 19}). Real attackers
 * run on machines of their own; here they share the server's cores, and at equal priority their own CPU
 * (building and writing frames, retrying refused connections) would slow the server and the normal users as
 * much as anything the server does for them. Niced, they take only the CPU left idle, so what the soak
 * measures is what the attack costs the server.
 */
final class AbuserJvm implements AutoCloseable {
    static final String ATTACKING = "attacking";
    static final String TALLY = "tally ";

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Queued when the child's output ends; compared by identity, so no line the child writes can be it. */
    @SuppressWarnings("StringOperationCanBeSimplified")
    private static final String ENDED = new String("");

    private final Process process;
    /** The child's output, line by line, read on a thread of its own so that no wait for it is unbounded. */
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private Abusers.Tally tally;

    private AbuserJvm(Process process) {
        this.process = process;
        BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Thread reader = new Thread(() -> {
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException gone) {
                // the child ended: what it said is in the queue
            }
            lines.add(ENDED);
        }, "abusers-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts the attack on the chat and board URIs and returns once every abuser's thread has started. */
    static AbuserJvm start(URI chat, URI board) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder("nice", "-n", "19", java, "-cp", System.getProperty("java.class.path"),
                Abusers.class.getName(), chat.toString(), board.toString()).redirectErrorStream(true).start();
        AbuserJvm jvm = new AbuserJvm(process);
        jvm.awaitLine(ATTACKING);
        return jvm;
    }

    /** Ends the attack (every abuser's socket closed) and returns how it went. */
    Abusers.Tally stop() throws IOException, InterruptedException {
        if (tally == null) {
            process.getOutputStream().close();
            tally = Abusers.Tally.parse(awaitLine(TALLY).substring(TALLY.length()));
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        return tally;
    }

    private String awaitLine(String prefix) throws InterruptedException {
        StringBuilder seen = new StringBuilder();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null || line == ENDED) {
                throw new IllegalStateException("no '" + prefix + "' from the abusers' JVM "
                        + (line == null ? "within " + WAIT : "before it ended") + ":\n" + seen);
            }
            if (line.startsWith(prefix)) {
                return line;
            }
            seen.append(line).append('\n');
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            stop();
        } finally {
            process.destroyForcibly();
        }
    }
}
