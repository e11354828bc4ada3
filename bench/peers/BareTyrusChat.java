import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.io.StringReader;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.glassfish.tyrus.server.Server;

/**
 * Peer: the floor of Duplex's own stack. One bare Tyrus endpoint speaking the benchmark's /chat subset:
 * sessions in a map, one pre-serialized string sent to each receiver with the async remote.
 * Run from the repository root: java -cp target/duplex-standalone.jar:target/bench BareTyrusChat PORT
 */
public final class BareTyrusChat {
    static final Map<String, Session> JOINED = new ConcurrentHashMap<>();
    static final Map<String, Set<Session>> ROOMS = new ConcurrentHashMap<>();
    static final AtomicLong COUNTER = new AtomicLong();

    @ServerEndpoint("/chat")
    public static final class Endpoint {
        private String username;

        @OnOpen
        public void open(Session session) {
            session.getAsyncRemote().sendText("{\"event\":\"connected\",\"data\":{\"id\":\"" + session.getId() + "\",\"namespace\":\"/chat\"}}");
        }

        @OnMessage
        public void message(Session session, String text) {
            JsonObject frame = Json.createReader(new StringReader(text)).readObject();
            String event = frame.getString("event", "");
            long now = System.currentTimeMillis();
            switch (event) {
                case "user-joined" -> {
                    username = frame.getString("data").trim();
                    JOINED.put(session.getId(), session);
                    send(JOINED.values(), event("user-connected", Json.createObjectBuilder().add("username", username)
                            .add("userId", session.getId()).add("timestamp", now).add("totalUsers", JOINED.size()).build()));
                }
                case "send-message" -> send(JOINED.values(), event("receive-message", Json.createObjectBuilder()
                        .add("id", Long.toString(COUNTER.incrementAndGet(), 36)).add("username", username)
                        .add("message", frame.getString("data").trim()).add("timestamp", now).add("userId", session.getId()).build()));
                case "join-room" -> {
                    String room = frame.getString("data");
                    ROOMS.computeIfAbsent(room, key -> ConcurrentHashMap.newKeySet()).add(session);
                    session.getAsyncRemote().sendText(event("joined-room", Json.createObjectBuilder().add("roomId", room)
                            .add("members", Json.createArrayBuilder()).build()));
                }
                case "room-message" -> {
                    JsonObject data = frame.getJsonObject("data");
                    Set<Session> members = ROOMS.get(data.getString("roomId"));
                    if (members != null && members.contains(session)) {
                        send(members, event("room-message", Json.createObjectBuilder().add("roomId", data.getString("roomId"))
                                .add("id", Long.toString(COUNTER.incrementAndGet(), 36)).add("message", data.getString("message").trim())
                                .add("from", username).add("fromUserId", session.getId()).add("timestamp", now).build()));
                    }
                }
                default -> { }
            }
        }

        @OnClose
        public void close(Session session) {
            JOINED.remove(session.getId());
            ROOMS.values().forEach(members -> members.remove(session));
        }
    }

    static String event(String name, JsonObject data) {
        return Json.createObjectBuilder().add("event", name).add("data", data).build().toString();
    }

    static void send(Collection<Session> sessions, String text) {
        for (Session session : sessions) {
            try {
                session.getAsyncRemote().sendText(text);
            } catch (RuntimeException e) {
                // a closing session: skip it
            }
        }
    }

    public static void main(String[] args) throws Exception {
        Server server = new Server("127.0.0.1", Integer.parseInt(args[0]), "/", Map.of(), Endpoint.class);
        server.start();
        System.out.println("bare tyrus peer listening on " + args[0]);
        Thread.currentThread().join();
    }
}
