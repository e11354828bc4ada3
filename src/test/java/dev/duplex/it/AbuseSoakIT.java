package dev.duplex.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.duplex.testing.JarServer;
import dev.duplex.testing.Segments;
import dev.duplex.testing.WsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The abuse soak: normal users chat and draw on the packaged jar ({@code -Xmx512m}, default limits but a
 * faster drawing limit to fill the board) for one phase on their own and one phase while every kind of
 * hostile client the limits exist for attacks at once ({@link Abusers}, in a JVM of their own:
 * {@link AbuserJvm}). The normal users lose nothing, their delivery p99 stays within twice the clean
 * phase's (or its plus 15 ms, see {@link #latencyBudget}), no abuser stays behind as a ghost user, and the
 * live heap after a full GC returns to within 10 % of where it stood before the attack. Bounded: a warm-up and two phases, and a timeout over all.
 */
class AbuseSoakIT {
    private static final Duration WARM_UP = Duration.ofSeconds(10);
    private static final Duration PHASE = Duration.ofSeconds(20);
    private static final int USERS = 30;
    private static final int BOARD_SEGMENTS = 6_000;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void normalUsersLoseNothingAndStayFastWhileEveryAbuserAttacksAndTheHeapComesBack() throws Exception {
        // Drawing fast is allowed so that the board the request spammer asks for can be filled in seconds.
        try (JarServer server = JarServer.start("512m", Map.of("duplex.whiteboard.rate-limit.events", "100000"))) {
            fillBoard(server);
            List<SoakUser> users = new ArrayList<>();
            try (WsClient drawer = WsClient.connect(server.ws("/whiteboard?board=soak"));
                    WsClient viewer = WsClient.connect(server.ws("/whiteboard?board=soak"))) {
                drawer.expect("load-drawings");
                viewer.expect("load-drawings");
                for (int i = 0; i < USERS; i++) {
                    users.add(SoakUser.join(server.ws("/chat"), "user-" + i));
                }
                // The JIT compiles the hot paths first, in both JVMs, so that the clean phase measures a warm server.
                Phase.run("warm-up", users, drawer, viewer, WARM_UP);
                Phase clean = Phase.run("clean", users, drawer, viewer, PHASE);
                long before = server.liveHeapKiB();

                Phase attacked;
                Abusers.Tally tally;
                try (AbuserJvm abusers = AbuserJvm.start(server.ws("/chat"), server.ws("/whiteboard?board=soak"))) {
                    attacked = Phase.run("attacked", users, drawer, viewer, PHASE);
                    tally = abusers.stop();
                }
                long after = settledHeap(server, before);

                report(clean, attacked, tally, before, after);
                assertTrue(tally.everyKindGotIn(), () -> "an abuser never got through: " + tally);
                assertTrue(attacked.p99Millis() <= latencyBudget(clean.p99Millis()),
                        () -> "p99 " + attacked.p99Millis() + " ms under attack, " + clean.p99Millis() + " ms clean");
                if (after > before * 1.1) {
                    fail("live heap " + before + " KiB before the attack, " + after + " after; what it holds:\n"
                            + server.histogram(25));
                }
                assertNoGhosts(server);
            } finally {
                users.forEach(SoakUser::close);
            }
        }
    }

    /**
     * What the attacked phase's p99 may reach: twice the clean phase's, and never less than the clean one plus
     * 15 ms. Here the attackers share the server's two cores, and a few scheduler time slices lost to them
     * (milliseconds each) move the p99 of a few milliseconds by more than twice without the server doing
     * anything wrong; a server that serves its abusers at its users' expense misses both bounds by far.
     */
    private static double latencyBudget(double cleanP99Millis) {
        return Math.max(2 * cleanP99Millis, cleanP99Millis + 15);
    }

    /**
     * A board of a real one's size, what {@code request-drawings} makes the server send; filled in batches that
     * keep inside the default frame rate limit (1,000 a second).
     */
    private static void fillBoard(JarServer server) throws InterruptedException {
        try (WsClient filler = WsClient.connect(server.ws("/whiteboard?board=soak"))) {
            filler.expect("load-drawings");
            for (int i = 0; i < BOARD_SEGMENTS; i++) {
                filler.emit("draw", Segments.json("fill-" + i, i % 9000));
                if (i % 100 == 99) {
                    Thread.sleep(125);
                }
            }
            filler.emit("draw", Segments.json("fill-last", 1), 1);
            filler.expectAck(1, Duration.ofSeconds(60));
        }
    }

    /**
     * The live heap once the abusers' connections are gone. It may take the server a few seconds to drop them,
     * and what it keeps of their addresses lasts until their 30 s penalties end and the next sweep (10 s).
     */
    private static long settledHeap(JarServer server, long before) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
        long heap = server.liveHeapKiB();
        while (heap > before * 1.1 && System.nanoTime() < deadline) {
            Thread.sleep(2_000);
            heap = server.liveHeapKiB();
        }
        return heap;
    }

    /**
     * A newcomer sees exactly the normal users online: every abuser that joined the lobby has left it. The
     * server may still be handling the last closes, so it asks again for a while; a ghost would stay for good.
     */
    private static void assertNoGhosts(JarServer server) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (true) {
            List<String> online;
            try (WsClient newcomer = WsClient.connect(server.ws("/chat"))) {
                newcomer.emit("user-joined", "\"newcomer\"");
                newcomer.expect("user-connected");
                online = newcomer.expect("online-users").asJsonArray().stream()
                        .map(user -> user.asJsonObject().getString("username")).sorted().toList();
            }
            if (online.size() == USERS + 1) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, () -> "online after the attack: " + online);
            Thread.sleep(1_000);
        }
    }

    /** The figures, for the record (the Failsafe report keeps them). */
    private static void report(Phase clean, Phase attacked, Abusers.Tally tally, long before, long after) {
        System.out.println("[soak] " + clean);
        System.out.println("[soak] " + attacked);
        System.out.println("[soak] abusers: " + tally);
        System.out.println("[soak] live heap " + before + " KiB before the attack, " + after + " KiB after");
    }
}
