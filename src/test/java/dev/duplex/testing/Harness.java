package dev.duplex.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duplex.core.Broadcaster;
import dev.duplex.core.Client;
import dev.duplex.core.Codec;
import dev.duplex.core.DuplexConfig;
import dev.duplex.core.FrameLimits;
import dev.duplex.core.LocalBroadcaster;
import dev.duplex.core.Namespace;
import dev.duplex.core.NamespaceApp;
import dev.duplex.core.RateLimit;
import dev.duplex.core.RoomRegistry;
import dev.duplex.core.Resume;
import dev.duplex.core.SendQueue;
import dev.duplex.core.SessionStore;
import dev.duplex.core.SessionRegistry;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A namespace with its app and no network: connections are fake transports, frames are read back as
 * JSON. The unit-test counterpart of a server (Phoenix' ChannelTest, Netty's EmbeddedChannel).
 */
public final class Harness {
    public final ManualClock clock = new ManualClock(1_764_000_000_000L);
    public final Codec codec;
    public final SessionRegistry sessions = new SessionRegistry();
    public final NamespaceApp app;
    public final Namespace namespace;
    /** The connections' I/O threads: closes wait here until the action that caused them is over. */
    public final ManualExecutor io = new ManualExecutor();
    /** Ends sessions' grace periods and windows as the test advances it. */
    public final ManualScheduler scheduler = new ManualScheduler(clock);
    private SendQueue.Limits queueLimits = new SendQueue.Limits(10_000, Long.MAX_VALUE);

    /** Builds the app under test from the namespace's parts. */
    @FunctionalInterface
    public interface AppFactory {
        NamespaceApp create(RoomRegistry rooms, Broadcaster out, Clock clock);
    }

    /** Frame limits no unit test reaches unless it means to: the tests' clock stands still. */
    public static final FrameLimits GENEROUS = new FrameLimits(new RateLimit("frames", 1_000_000, 1_000),
            new RateLimit("rejections", 1_000_000, 1_000));

    public Harness(AppFactory factory) {
        this(factory, GENEROUS);
    }

    public Harness(AppFactory factory, FrameLimits limits) {
        this(factory, limits, new Codec());
    }

    /**
     * With a codec the caller shares between harnesses: building a codec is most of a harness' cost, which
     * matters to fuzz tests, which build one harness per input.
     */
    public Harness(AppFactory factory, Codec codec) {
        this(factory, GENEROUS, codec);
    }

    private Harness(AppFactory factory, FrameLimits limits, Codec codec) {
        this(factory, limits, codec, -1, -1);
    }

    private Harness(AppFactory factory, FrameLimits limits, Codec codec, long graceMillis, long windowMillis) {
        this.codec = codec;
        this.app = factory.create(sessions.rooms(), new LocalBroadcaster(codec, sessions), clock);
        this.namespace = graceMillis < 0 ? new Namespace(app, sessions, codec, clock, limits)
                : new Namespace(app, sessions, codec, clock, limits, dev.duplex.core.SocketId::random, Runnable::run,
                        new Namespace.Sessions(new SessionStore(1_000), scheduler, graceMillis, windowMillis));
    }

    /** A harness whose namespace keeps sessions, their grace periods and windows ended by {@link #scheduler}. */
    public static Harness withSessions(AppFactory factory, long graceMillis, long windowMillis) {
        return new Harness(factory, GENEROUS, new Codec(), graceMillis, windowMillis);
    }

    /** The send queue bounds of connections opened from now on. */
    public Harness queueLimits(SendQueue.Limits limits) {
        this.queueLimits = limits;
        return this;
    }

    /** The shipped defaults with some settings changed, for building an app's settings. */
    public static DuplexConfig config(String... keysAndValues) {
        DuplexConfig config = DuplexConfig.defaults();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            config = config.with(keysAndValues[i], keysAndValues[i + 1]);
        }
        return config;
    }

    /** One fake connection. */
    public final class Conn {
        public final FakeTransport transport = new FakeTransport();
        public final Client client;
        private int read;

        Conn(Map<String, List<String>> parameters, String authenticatedName) {
            this(parameters, authenticatedName, null);
        }

        Conn(Map<String, List<String>> parameters, String authenticatedName, Resume resume) {
            Client[] opened = new Client[1];
            // Like a runtime, reports the close to the endpoint, which hands it to the namespace.
            transport.onClose(() -> {
                if (opened[0] != null) {
                    namespace.closed(opened[0]);
                }
            });
            SendQueue out = new SendQueue(transport, queueLimits, io);
            opened[0] = resume == null ? namespace.open(out, parameters, authenticatedName)
                    : namespace.open(out, parameters, authenticatedName, resume);
            client = opened[0];
            io.runAll();
        }

        public String id() {
            return client.id().value();
        }

        public Conn send(String event, String dataJson) {
            return receive("{\"event\":\"" + event + "\"" + (dataJson == null ? "" : ",\"data\":" + dataJson) + "}");
        }

        public Conn send(String event, String dataJson, long ack) {
            return receive("{\"event\":\"" + event + "\"" + (dataJson == null ? "" : ",\"data\":" + dataJson)
                    + ",\"ack\":" + ack + "}");
        }

        /** One text frame from this connection, then the closes it caused, as the I/O threads would run them. */
        public Conn receive(String text) {
            namespace.receive(client, text);
            io.runAll();
            return this;
        }

        /** Frames not yet read by a test, consumed now. */
        public List<JsonObject> unread() {
            List<JsonObject> fresh = new ArrayList<>(transport.frames(read));
            read += fresh.size();
            return fresh;
        }

        /** The data of the only unread frame, which must be {@code event}. */
        public JsonValue only(String event) {
            List<JsonObject> fresh = unread();
            assertEquals(1, fresh.size(), () -> "expected just " + event + ", got " + fresh);
            assertEquals(event, fresh.get(0).getString("event"), fresh::toString);
            return fresh.get(0).get("data");
        }

        /** The data of the first unread {@code event} frame; consumes every unread frame. */
        public JsonValue pushed(String event) {
            List<JsonObject> fresh = unread();
            JsonObject match = fresh.stream().filter(f -> event.equals(f.getString("event", null))).findFirst()
                    .orElse(null);
            assertNotNull(match, () -> "no " + event + " in " + fresh);
            return match.get("data");
        }

        public void nothing() {
            List<JsonObject> fresh = unread();
            assertTrue(fresh.isEmpty(), () -> "expected nothing, got " + fresh);
        }

        /** The unread ack frame for {@code ack}; consumes every unread frame. */
        public JsonObject ack(long ack) {
            List<JsonObject> fresh = unread();
            return fresh.stream().filter(f -> f.containsKey("ack") && f.getJsonNumber("ack").longValue() == ack)
                    .findFirst().orElseThrow(() -> new AssertionError("no ack " + ack + " in " + fresh));
        }

        /** The error code of the unread ack frame for {@code ack}, or null when it succeeded. */
        public String ackError(long ack) {
            JsonObject frame = ack(ack);
            return frame.containsKey("error") ? frame.getJsonObject("error").getString("code") : null;
        }

        /** The code of the only unread frame, an error event. */
        public String error() {
            return only("error").asJsonObject().getString("code");
        }

        /** The client goes away: the runtime reports the close. */
        public void close() {
            namespace.closed(client);
            io.runAll();
        }
    }

    /** Opens a connection and reads everything it was sent on open, checking {@code connected} came first. */
    public Conn connect() {
        return greeted(open(Map.of(), null));
    }

    public Conn connect(Map<String, List<String>> parameters) {
        return greeted(open(parameters, null));
    }

    public Conn connectAs(String authenticatedName) {
        return greeted(open(Map.of(), authenticatedName));
    }

    /** Opens a connection that resumes a session, and leaves what it was sent unread. */
    public Conn resume(Resume resume) {
        return new Conn(Map.of(Client.SESSION, List.of("resume")), null, resume);
    }

    /** Opens a connection and leaves what it was sent unread. */
    public Conn open(Map<String, List<String>> parameters, String authenticatedName) {
        return new Conn(parameters, authenticatedName);
    }

    private static Conn greeted(Conn conn) {
        List<JsonObject> frames = conn.unread();
        assertEquals("connected", frames.get(0).getString("event"), frames::toString);
        return conn;
    }
}
