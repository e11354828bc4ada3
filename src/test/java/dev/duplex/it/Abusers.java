package dev.duplex.it;

import dev.duplex.testing.ClientFrame;
import dev.duplex.testing.RawSocket;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every hostile client of the abuse soak at once, each kind on a thread of its own and from loopback
 * addresses of its own (as attackers come from addresses other than their victims'), each starting over
 * whenever the server closes or refuses it, until {@link #close()}. A refused connection waits
 * {@link #RETRY_PAUSE_MS} before its next try: on this machine the attackers share the server's cores, which
 * a real attacker does not, and a spinning retry loop would measure the test's CPU, not the server's.
 */
final class Abusers implements AutoCloseable {
    private static final long RETRY_PAUSE_MS = 50;
    private static final int SLOW_READERS = 20;
    private static final int ROTATING = 8;

    /**
     * The kinds of abuse, each from addresses of its own. Those that get closed for abuse, and so penalized
     * per address, rotate through {@link #ROTATING} addresses, as a script with a few addresses would.
     */
    enum Kind {
        /** Floods the lobby with messages and typing far past the rate limits. */
        FLOODER("127.0.2.", ROTATING),
        /** Joins the lobby and never reads what it is sent. */
        SLOW_READER("127.0.3.", 1),
        /** Asks for a big board's whole history again and again and never reads. */
        DRAWINGS_SPAMMER("127.0.4.", ROTATING),
        /** Joins new rooms as fast as it can. */
        ROOM_JOINER("127.0.5.", ROTATING),
        /** Opens connections from one address until it is refused, and holds them. */
        CONNECTION_FLOOD("127.0.6.", 1),
        /** Sends part of a large frame and vanishes with a TCP reset. */
        VANISHER("127.0.7.", 1);

        private final String prefix;
        private final int addresses;
        private final AtomicInteger next = new AtomicInteger();

        Kind(String prefix, int addresses) {
            this.prefix = prefix;
            this.addresses = addresses;
        }

        /** The kind's next address, in turn. */
        InetAddress nextAddress() {
            try {
                return InetAddress.getByName(prefix + (1 + Math.floorMod(next.getAndIncrement(), addresses)));
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** How many connections of each kind the server accepted, and how many it closed or refused. */
    record Tally(Map<Kind, Integer> accepted, Map<Kind, Integer> refused) {
        boolean everyKindGotIn() {
            return Arrays.stream(Kind.values()).allMatch(kind -> accepted.getOrDefault(kind, 0) > 0);
        }

        /** One line: {@code FLOODER=8/130 SLOW_READER=20/0 ...}, accepted/refused. */
        String line() {
            StringBuilder line = new StringBuilder();
            for (Kind kind : Kind.values()) {
                line.append(kind).append('=').append(accepted.getOrDefault(kind, 0)).append('/')
                        .append(refused.getOrDefault(kind, 0)).append(' ');
            }
            return line.toString().trim();
        }

        static Tally parse(String line) {
            Map<Kind, Integer> accepted = new EnumMap<>(Kind.class);
            Map<Kind, Integer> refused = new EnumMap<>(Kind.class);
            for (String pair : line.trim().split(" ")) {
                String[] parts = pair.split("[=/]");
                accepted.put(Kind.valueOf(parts[0]), Integer.parseInt(parts[1]));
                refused.put(Kind.valueOf(parts[0]), Integer.parseInt(parts[2]));
            }
            return new Tally(accepted, refused);
        }

        @Override
        public String toString() {
            return line();
        }
    }

    /**
     * Attacks the chat and board URIs given as arguments until standard input ends, then prints the tally:
     * for {@link AbuserJvm}, which runs the attack in a JVM of its own. Says so once every abuser's thread
     * has started.
     */
    public static void main(String[] args) throws Exception {
        try (Abusers abusers = start(URI.create(args[0]), URI.create(args[1]))) {
            System.out.println(AbuserJvm.ATTACKING);
            System.out.flush();
            System.in.transferTo(OutputStream.nullOutputStream());
            System.out.println(AbuserJvm.TALLY + abusers.tally().line());
        }
    }

    private final URI chat;
    private final URI board;
    private final Set<RawSocket> open = ConcurrentHashMap.newKeySet();
    private final Map<Kind, AtomicInteger> accepted = new EnumMap<>(Kind.class);
    private final Map<Kind, AtomicInteger> refused = new EnumMap<>(Kind.class);
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopped;

    private Abusers(URI chat, URI board) {
        this.chat = chat;
        this.board = board;
        for (Kind kind : Kind.values()) {
            accepted.put(kind, new AtomicInteger());
            refused.put(kind, new AtomicInteger());
        }
    }

    static Abusers start(URI chat, URI board) {
        Abusers abusers = new Abusers(chat, board);
        abusers.spawn(Kind.FLOODER, abusers::flood);
        abusers.spawn(Kind.SLOW_READER, abusers::stallReaders);
        abusers.spawn(Kind.DRAWINGS_SPAMMER, abusers::spamRequests);
        abusers.spawn(Kind.ROOM_JOINER, abusers::joinRooms);
        abusers.spawn(Kind.CONNECTION_FLOOD, abusers::floodConnections);
        abusers.spawn(Kind.VANISHER, abusers::vanishMidFrame);
        return abusers;
    }

    Tally tally() {
        Map<Kind, Integer> in = new EnumMap<>(Kind.class);
        Map<Kind, Integer> out = new EnumMap<>(Kind.class);
        accepted.forEach((kind, count) -> in.put(kind, count.get()));
        refused.forEach((kind, count) -> out.put(kind, count.get()));
        return new Tally(in, out);
    }

    private void flood(Kind kind) throws IOException {
        try (RawSocket socket = connect(kind, chat)) {
            socket.sendText("{\"event\":\"user-joined\",\"data\":\"flooder\"}");
            byte[] burst = burst("{\"event\":\"send-message\",\"data\":\"spam\"}",
                    "{\"event\":\"typing\",\"data\":true}");
            while (!stopped) {
                socket.write(burst);
            }
        }
    }

    private void stallReaders(Kind kind) throws IOException, InterruptedException {
        for (int i = 0; i < SLOW_READERS && !stopped; i++) {
            RawSocket socket = connect(kind, chat);
            socket.sendText("{\"event\":\"user-joined\",\"data\":\"slow-" + i + "\"}");
        }
        while (!stopped) {
            Thread.sleep(100); // they stay, never reading, until the soak ends
        }
    }

    private void spamRequests(Kind kind) throws IOException {
        try (RawSocket socket = connect(kind, board)) {
            byte[] burst = burst("{\"event\":\"request-drawings\"}");
            while (!stopped) {
                socket.write(burst);
            }
        }
    }

    private void joinRooms(Kind kind) throws IOException {
        try (RawSocket socket = connect(kind, chat)) {
            socket.sendText("{\"event\":\"user-joined\",\"data\":\"joiner\"}");
            for (int room = 0; !stopped; room++) {
                socket.sendText("{\"event\":\"join-room\",\"data\":\"r-" + room + "\"}");
            }
        }
    }

    private void floodConnections(Kind kind) throws IOException {
        while (!stopped) {
            connect(kind, chat); // held open, never closed until the soak ends; a refusal pauses and retries
        }
    }

    private void vanishMidFrame(Kind kind) throws IOException {
        RawSocket socket = connect(kind, chat);
        // A text frame of 60,000 bytes, of which half arrive before the client is gone.
        byte[] frame = ClientFrame.text("x".repeat(60_000)).bytes();
        socket.write(Arrays.copyOf(frame, frame.length / 2));
        socket.socket().setSoLinger(true, 0); // a reset, not a close handshake or even a FIN
        close(socket);
    }

    /** The text frames repeated into one write of about 64 KiB. */
    private static byte[] burst(String... texts) {
        List<ClientFrame> frames = new ArrayList<>();
        for (int size = 0; size < 64 * 1024; ) {
            for (String text : texts) {
                ClientFrame frame = ClientFrame.text(text);
                frames.add(frame);
                size += frame.bytes().length;
            }
        }
        return ClientFrame.concat(frames.toArray(ClientFrame[]::new));
    }

    private RawSocket connect(Kind kind, URI uri) throws IOException {
        RawSocket socket = RawSocket.connectFrom(kind.nextAddress(), uri);
        open.add(socket);
        accepted.get(kind).incrementAndGet();
        return socket;
    }

    private void close(RawSocket socket) throws IOException {
        open.remove(socket);
        socket.close();
    }

    /** Runs one kind's attack over and over until stopped: a close or refusal by the server only restarts it. */
    private void spawn(Kind kind, Attack attack) {
        Thread thread = new Thread(() -> {
            while (!stopped) {
                try {
                    attack.run(kind);
                } catch (IOException | UncheckedIOException refusedOrClosed) {
                    if (!stopped) {
                        refused.get(kind).incrementAndGet();
                        pause();
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "abuser-" + kind);
        thread.setDaemon(true);
        thread.start();
        threads.add(thread);
    }

    private static void pause() {
        try {
            Thread.sleep(RETRY_PAUSE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        for (RawSocket socket : open) {
            try {
                socket.close();
            } catch (IOException alreadyGone) {
                // closing is all that is asked
            }
        }
        for (Thread thread : threads) {
            thread.interrupt();
            thread.join(10_000);
        }
    }

    @FunctionalInterface
    private interface Attack {
        void run(Kind kind) throws IOException, InterruptedException;
    }
}
