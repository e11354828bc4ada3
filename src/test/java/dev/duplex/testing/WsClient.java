package dev.duplex.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real RFC 6455 client (the JDK's) that keeps every frame it receives, so tests can wait for a
 * particular event with a timeout and assert that another never came. Frames are matched in arrival order
 * and consumed when matched.
 */
public final class WsClient implements AutoCloseable {
    public static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final List<JsonObject> frames = new ArrayList<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile String closeReason;
    private WebSocket socket;
    private String id;

    private WsClient() {
    }

    /** Connects and waits for {@code connected}. */
    public static WsClient connect(URI uri) {
        WsClient client = open(uri, Map.of());
        client.id = client.expect("connected").asJsonObject().getString("id");
        return client;
    }

    /** Connects without waiting for any frame (the server may refuse or close). */
    public static WsClient open(URI uri, Map<String, String> headers) {
        WsClient client = new WsClient();
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(TIMEOUT);
        headers.forEach(builder::header);
        client.socket = builder.buildAsync(uri, client.new Listener()).orTimeout(10, TimeUnit.SECONDS).join();
        return client;
    }

    /** The connection's socket id from {@code connected}. */
    public String id() {
        return id;
    }

    public WsClient send(String text) {
        socket.sendText(text, true).join();
        return this;
    }

    public WsClient sendFragment(String text, boolean last) {
        socket.sendText(text, last).join();
        return this;
    }

    public WsClient sendBinary(byte[] bytes) {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
        return this;
    }

    public WsClient emit(String event, String dataJson) {
        return send("{\"event\":\"" + event + "\"" + (dataJson == null ? "" : ",\"data\":" + dataJson) + "}");
    }

    public WsClient emit(String event, String dataJson, long ack) {
        return send("{\"event\":\"" + event + "\"" + (dataJson == null ? "" : ",\"data\":" + dataJson)
                + ",\"ack\":" + ack + "}");
    }

    /** Joins {@code /chat} as {@code name} and takes the joiner's own {@code user-connected} and {@code online-users}. */
    public WsClient joinChat(String name) {
        emit("user-joined", "\"" + name + "\"");
        expect("user-connected");
        expect("online-users");
        return this;
    }

    /** The data of the next {@code event} frame, waiting up to the timeout. */
    public JsonValue expect(String event) {
        return take(frame -> event.equals(frame.getString("event", null)), "event " + event, TIMEOUT)
                .getOrDefault("data", JsonValue.NULL);
    }

    /** The whole next {@code event} frame (its top-level fields besides {@code data}, such as a position). */
    public JsonObject expectFrame(String event) {
        return take(frame -> event.equals(frame.getString("event", null)), "event " + event, TIMEOUT);
    }

    /** The data of the next {@code event} frame whose data matches; earlier non-matching ones stay unread. */
    public JsonObject expectWhere(String event, Predicate<JsonObject> match) {
        return take(frame -> event.equals(frame.getString("event", null))
                && frame.get("data") instanceof JsonObject data && match.test(data), "matching event " + event, TIMEOUT)
                .getJsonObject("data");
    }

    /**
     * Reads {@code event} frames until one whose array data matches, and returns that array; the ones before it
     * are consumed. Fails when none matches within the timeout of each read.
     */
    public JsonArray awaitArray(String event, Predicate<JsonArray> match) {
        while (true) {
            JsonArray data = expect(event).asJsonArray();
            if (match.test(data)) {
                return data;
            }
        }
    }

    /** The data of the first {@code event} frame whose data matches, waiting at most {@code window}; null if none. */
    public JsonObject pollWhere(String event, Predicate<JsonObject> match, Duration window) {
        JsonObject frame = poll(f -> event.equals(f.getString("event", null))
                && f.get("data") instanceof JsonObject data && match.test(data), window);
        return frame == null ? null : frame.getJsonObject("data");
    }

    /** Asserts an {@code error} event with the code and returns its data. */
    public JsonObject expectError(String code) {
        JsonObject data = expect("error").asJsonObject();
        assertEquals(code, data.getString("code"), () -> "error " + data);
        return data;
    }

    /** The ack frame for {@code ack}. */
    public JsonObject expectAck(long ack) {
        return expectAck(ack, TIMEOUT);
    }

    /** The ack frame for {@code ack}, waiting up to {@code timeout}. */
    public JsonObject expectAck(long ack, Duration timeout) {
        return take(frame -> frame.containsKey("ack") && frame.getJsonNumber("ack").longValue() == ack
                && !frame.containsKey("event"), "ack " + ack, timeout);
    }

    /** Asserts the ack for {@code ack} failed with the code. */
    public JsonObject expectAckError(long ack, String code) {
        JsonObject frame = expectAck(ack);
        assertTrue(frame.containsKey("error"), () -> "expected an error ack, got " + frame);
        assertEquals(code, frame.getJsonObject("error").getString("code"), frame::toString);
        return frame.getJsonObject("error");
    }

    /** Asserts no {@code event} frame arrives within {@code window}. */
    public void expectNone(String event, Duration window) {
        JsonObject frame = poll(f -> event.equals(f.getString("event", null)), window);
        if (frame != null) {
            fail("unexpected " + frame);
        }
    }

    /** Asserts no {@code event} frame whose data matches arrives within {@code window}. */
    public void expectNoneWhere(String event, Predicate<JsonObject> match, Duration window) {
        JsonObject frame = poll(f -> event.equals(f.getString("event", null))
                && f.get("data") instanceof JsonObject data && match.test(data), window);
        if (frame != null) {
            fail("unexpected " + frame);
        }
    }

    /** Asserts no frame at all arrives within {@code window}. */
    public void expectSilence(Duration window) {
        JsonObject frame = poll(f -> true, window);
        if (frame != null) {
            fail("unexpected " + frame);
        }
    }

    /** The close code the server sent, waiting for it. */
    public int expectClose() {
        try {
            return closeCode.get(TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("connection was not closed", e);
        }
    }

    public String closeReason() {
        return closeReason;
    }

    /** Every frame received and not yet consumed, in arrival order, consumed now. */
    public List<JsonObject> drain() {
        synchronized (frames) {
            List<JsonObject> all = new ArrayList<>(frames);
            frames.clear();
            return all;
        }
    }

    public boolean isClosed() {
        return closeCode.isDone();
    }

    private JsonObject take(Predicate<JsonObject> match, String what, Duration timeout) {
        JsonObject frame = poll(match, timeout);
        if (frame == null) {
            synchronized (frames) {
                // At most the first 20 of them: a flood of unconsumed frames must not flood the report.
                fail("no " + what + " within " + timeout + "; " + frames.size() + " unconsumed frames, first: "
                        + frames.subList(0, Math.min(20, frames.size()))
                        + (closeCode.isDone() ? "; closed with " + closeCode.join() : ""));
            }
        }
        return frame;
    }

    private JsonObject poll(Predicate<JsonObject> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (frames) {
            while (true) {
                for (Iterator<JsonObject> it = frames.iterator(); it.hasNext(); ) {
                    JsonObject frame = it.next();
                    if (match.test(frame)) {
                        it.remove();
                        return frame;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(frames, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
        }
    }

    /** Drops the TCP connection without a close frame, as a phone leaving its network would. */
    public void abort() {
        socket.abort();
    }

    @Override
    public void close() {
        if (!closeCode.isDone()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(e -> null);
        }
        socket.abort();
    }

    private final class Listener implements WebSocket.Listener {
        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                JsonObject frame = Json.createReader(new StringReader(partial.toString())).readObject();
                partial.setLength(0);
                synchronized (frames) {
                    frames.add(frame);
                    frames.notifyAll();
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeReason = reason;
            closeCode.complete(statusCode);
            synchronized (frames) {
                frames.notifyAll();
            }
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closeCode.complete(1006);
            synchronized (frames) {
                frames.notifyAll();
            }
        }
    }
}
