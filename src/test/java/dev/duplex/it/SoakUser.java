package dev.duplex.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A normal chat user of the soak: it sends {@code send-message} frames that carry its name, a sequence number
 * and the time they were sent, and keeps, of what it receives, only which soak messages arrived and how long
 * each took (a {@link dev.duplex.testing.WsClient} keeps every frame, too much for a soak).
 */
final class SoakUser implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String TAG = "soak ";

    private final String name;
    private static final long SEND_TIMEOUT_SECONDS = 10;

    private final Set<String> received = new HashSet<>();
    /** Soak messages received, doubles included: more than {@link #received} holds means one came twice. */
    private final AtomicInteger deliveries = new AtomicInteger();
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger acked = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final CompletableFuture<Void> joined = new CompletableFuture<>();
    private volatile ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    private WebSocket socket;
    private int sequence;

    private SoakUser(String name) {
        this.name = name;
    }

    static SoakUser join(URI chat, String name) {
        SoakUser user = new SoakUser(name);
        user.socket = HTTP.newWebSocketBuilder().buildAsync(chat, user.new Listener())
                .orTimeout(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS).join();
        user.socket.sendText("{\"event\":\"user-joined\",\"data\":\"" + name + "\"}", true)
                .orTimeout(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS).join();
        user.joined.orTimeout(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS).join();
        return user;
    }

    String name() {
        return name;
    }

    /** Sends the next message and returns its sequence number; called by one thread at a time. */
    int sendNext() {
        sequence++;
        sent.incrementAndGet();
        String text = TAG + name + " " + sequence + " " + System.nanoTime();
        socket.sendText("{\"event\":\"send-message\",\"data\":\"" + text + "\",\"ack\":" + sequence + "}", true)
                .orTimeout(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS).join();
        return sequence;
    }

    /** Starts a phase: forgets what arrived before and collects the latencies into {@code sink}. */
    void startPhase(ConcurrentLinkedQueue<Long> sink) {
        synchronized (received) {
            received.clear();
        }
        deliveries.set(0);
        sent.set(0);
        acked.set(0);
        refused.set(0);
        latencies = sink;
    }

    /** Messages of this phase received, as {@code name seq}. */
    Set<String> received() {
        synchronized (received) {
            return new HashSet<>(received);
        }
    }

    /** Messages sent in this phase. */
    int sent() {
        return sent.get();
    }

    /** Soak messages of this phase received, each time one arrived. */
    int deliveries() {
        return deliveries.get();
    }

    int acked() {
        return acked.get();
    }

    int refused() {
        return refused.get();
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(e -> null);
        socket.abort();
    }

    private void handle(JsonObject frame) {
        String event = frame.getString("event", null);
        if (event == null) {
            (frame.containsKey("error") ? refused : acked).incrementAndGet();
        } else if ("receive-message".equals(event)) {
            String message = frame.getJsonObject("data").getString("message");
            if (message.startsWith(TAG)) {
                String[] parts = message.split(" ");
                latencies.add(System.nanoTime() - Long.parseLong(parts[3]));
                deliveries.incrementAndGet();
                synchronized (received) {
                    received.add(parts[1] + " " + parts[2]);
                }
            }
        } else if ("online-users".equals(event)) {
            joined.complete(null);
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                handle(Json.createReader(new StringReader(partial.toString())).readObject());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }
}
