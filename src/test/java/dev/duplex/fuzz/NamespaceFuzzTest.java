package dev.duplex.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.duplex.apps.chat.ChatService;
import dev.duplex.apps.chat.ChatSettings;
import dev.duplex.apps.game.GameService;
import dev.duplex.apps.game.GameSettings;
import dev.duplex.apps.location.LocationService;
import dev.duplex.apps.location.LocationSettings;
import dev.duplex.apps.whiteboard.WhiteboardService;
import dev.duplex.apps.whiteboard.WhiteboardSettings;
import dev.duplex.core.Codec;
import dev.duplex.core.ErrorCode;
import dev.duplex.core.Journals;
import dev.duplex.core.LocalPresence;
import dev.duplex.core.OutgoingText;
import dev.duplex.core.Text;
import dev.duplex.fuzz.Frame.Ack;
import dev.duplex.fuzz.Gen.J;
import dev.duplex.fuzz.Gen.T;
import dev.duplex.fuzz.Gen.V;
import dev.duplex.testing.Harness;
import dev.duplex.testing.Harness.Conn;
import dev.duplex.testing.ManualClock;
import dev.duplex.testing.ManualScheduler;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Every hostile text frame gets its protocol answer (PROTOCOL.md sections 2-3), in each namespace: the real app
 * behind a {@link Harness}, two or three fake connections, and a sequence of frames whose event names are mostly
 * the namespace's own, whose data comes valid-looking or invalid from a structure-aware generator, with or
 * without an ack, with time passing and connections coming and going in between. After every step:
 * <ul>
 * <li>the server closed no connection (a 1011 close is an unexpected exception in a handler);</li>
 * <li>every frame the server wrote is a JSON object with no unpaired UTF-16 surrogate in it;</li>
 * <li>a frame with a valid ack got exactly one ack frame, the last frame it caused to its sender; a frame with
 * none got no ack frame;</li>
 * <li>a frame the server must refuse (not JSON, bad envelope, unknown event, invalid data) got an {@code error}
 * event (or, with a valid ack, a failed ack), naming its event;</li>
 * <li>a refused frame caused nothing else, to anyone; errors and acks go to the sender only.</li>
 * </ul>
 * Regression inputs: {@code NamespaceFuzzTestInputs/<method>/} in the test resources, replayed by every
 * {@code mvn test}. The four namespace methods read their inputs through {@link Gen}, so their inputs mean
 * something else once the generator changes: keep readable cases for {@link #rawFrames} as well. To fuzz (one
 * method per JVM; findings land in the inputs directory as {@code crash-*}, the corpus in {@code .cifuzz-corpus/}):
 * <pre>
 * JAZZER_FUZZ=1 mvn -o test -Dtest='NamespaceFuzzTest#chat' -Djazzer.max_duration=5m \
 *     -Djazzer.instrument='dev.duplex.**,org.eclipse.parsson.**'
 * </pre>
 */
class NamespaceFuzzTest {
    // The shipped defaults but a short board history, so that dropping the oldest strokes happens too; built
    // once, since reading the settings is dearer than a fuzz input.
    private static final ChatSettings CHAT = ChatSettings.from(Harness.config());
    private static final WhiteboardSettings WHITEBOARD = WhiteboardSettings.from(
            Harness.config("duplex.whiteboard.max-history", "6"));
    private static final GameSettings GAME = GameSettings.from(Harness.config());
    private static final LocationSettings LOCATION = LocationSettings.from(Harness.config());

    /** Shared by every input: building a codec (its JSON-B) is most of the cost of a harness. */
    private static final Codec CODEC = new Codec();
    private static final int MAX_STEPS = 40;
    private static final Set<String> CODES = Arrays.stream(ErrorCode.values()).map(Enum::name)
            .collect(Collectors.toUnmodifiableSet());
    private static final Pattern DUPLICATE = Pattern.compile("(?s):.*");
    private static final List<String> ROOMS = List.of("r", "room-1", "A_b-9", "R", "x".repeat(64));

    @FuzzTest(maxDuration = "2m")
    void chat(FuzzedDataProvider data) {
        new Run(new Chat(), new Gen(data, false)).go();
    }

    @FuzzTest(maxDuration = "2m")
    void whiteboard(FuzzedDataProvider data) {
        new Run(new Whiteboard(), new Gen(data, false)).go();
    }

    @FuzzTest(maxDuration = "2m")
    void game(FuzzedDataProvider data) {
        new Run(new Game(), new Gen(data, false)).go();
    }

    @FuzzTest(maxDuration = "2m")
    void location(FuzzedDataProvider data) {
        new Run(new Location(), new Gen(data, false)).go();
    }

    /**
     * Frames as text, one a line, so that regression inputs stay readable and keep their meaning when the
     * generator changes. The first line names the namespace ({@code /chat} when it is none of the four); a
     * frame line may start with {@code 1>} or {@code 2>} to send it from the second or third connection
     * (default: the first), and a line {@code ~MILLIS} lets time pass; {@code $ID0} to {@code $ID2} stand for the
     * connections' ids and {@code $ROOM} for the last game room id seen. Nothing is known of what the frames
     * should do, so only the checks that hold for every frame apply: no close, JSON out, no lone surrogates, at
     * most one answer and only to the sender, a refusal causes nothing else.
     */
    @FuzzTest(maxDuration = "2m")
    // No entry may hold a line feed: Jazzer 0.30 writes entries to libFuzzer's dictionary file unescaped.
    @DictionaryEntries({"1>", "2>", "~100", "/whiteboard", "/game", "/location", "{\"event\":\"",
        "\",\"data\":", ",\"ack\":", "\"user-joined\"", "\"send-message\"", "\"join-room\"", "\"room-message\"",
        "\"private-message\"", "\"draw\"", "\"undo\"", "\"find-game\"", "\"make-move\"", "\"leave-game\"",
        "\"update-location\"", "\"ping\"", "\"roomId\":", "\"message\":", "\"strokeId\":", "\"lat\":",
        "\"username\":", "\\ud800", "\\udc00", "e999999999999", "1e-2147483648", "[[[[[[[[[[[[[[[[", "11111111"})
    void rawFrames(byte[] input) {
        String[] lines = new String(input, StandardCharsets.UTF_8).split("\n", -1);
        Spec spec = switch (lines[0].strip()) {
            case "/whiteboard" -> new Whiteboard();
            case "/game" -> new Game();
            case "/location" -> new Location();
            default -> new Chat();
        };
        Run run = new Run(spec, new Gen(NO_BYTES, false));
        for (int i = 0; i < 3; i++) {
            run.open();
        }
        int last = lines.length > 1 && lines[lines.length - 1].isEmpty() ? lines.length - 1 : lines.length;
        for (int i = 1; i < last && i <= 200; i++) {
            String line = lines[i];
            run.step = i;
            if (line.startsWith("~")) {
                long millis;
                try {
                    millis = Math.min(Long.parseLong(line.substring(1).strip()), 3_600_000);
                } catch (NumberFormatException notTime) {
                    millis = 0;
                }
                run.pass(Math.max(0, millis));
                continue;
            }
            Peer sender = run.peers.get(0);
            if (line.length() >= 2 && (line.charAt(0) == '1' || line.charAt(0) == '2') && line.charAt(1) == '>') {
                sender = run.peers.get(line.charAt(0) - '0');
                line = line.substring(2);
            }
            for (int peer = 0; peer < 3; peer++) {
                line = line.replace("$ID" + peer, run.peers.get(peer).conn.id());
            }
            line = line.replace("$ROOM", run.gameRooms.isEmpty() ? "" : run.gameRooms.get(run.gameRooms.size() - 1));
            run.send(sender, new Frame(line, false, false, null, false, Ack.ANY, 0, false, false, null, false));
        }
    }

    /** Bytes for a generator that has none: every choice takes its first option. */
    private static final FuzzedDataProvider NO_BYTES = (FuzzedDataProvider) Proxy.newProxyInstance(
            NamespaceFuzzTest.class.getClassLoader(), new Class<?>[] {FuzzedDataProvider.class}, (proxy, method, args) -> {
                if (method.getName().equals("remainingBytes")) {
                    return 0;
                }
                throw new UnsupportedOperationException(method.getName() + " with no bytes");
            });

    // ---- the namespaces --------------------------------------------------------------------------------

    /** What the fuzzer knows of one namespace: its events and the shapes of their data. */
    private abstract static class Spec {
        ManualScheduler scheduler;

        abstract String path();

        abstract Harness harness();

        abstract List<String> events();

        /** The event of a frame: by default any of the namespace's, equally often. */
        String event(Gen g) {
            return g.oneOf(events());
        }

        /** The upgrade's query parameters for a new connection. */
        Map<String, List<String>> parameters(Gen g) {
            return Map.of();
        }

        /** The connection that sends the next frame: by default any. */
        Peer sender(Gen g, Run run) {
            return run.peers.get(g.pick(run.peers.size()));
        }

        /** Frames a new connection sends first, when the fuzzer says so (chat's user-joined). */
        void opened(Run run, Peer peer) {
        }

        /** Data for {@code event} from {@code peer}, with what the event makes of it (null json: no data). */
        abstract J data(Gen g, String event, Peer peer, Run run);
    }

    private static final class Chat extends Spec {
        @Override
        String path() {
            return "/chat";
        }

        @Override
        Harness harness() {
            return new Harness((rooms, out, clock) -> new ChatService(rooms, out, clock, (task, delay) -> { }, CHAT),
                    CODEC);
        }

        @Override
        List<String> events() {
            return List.of("user-joined", "send-message", "typing", "private-message", "join-room", "leave-room",
                    "room-message", "list-users", "history");
        }

        @Override
        String event(Gen g) {
            // Rooms take two steps (join, then use), so they come up more often.
            return g.oneOf("user-joined", "send-message", "send-message", "typing", "private-message",
                    "private-message", "join-room", "join-room", "leave-room", "room-message", "room-message",
                    "list-users", "history");
        }

        @Override
        void opened(Run run, Peer peer) {
            if (run.g.chance(85)) {
                run.g.startFrame();
                T name = run.g.userText(32, false);
                run.send(peer, Frame.build(run.g, "user-joined", true, new J(run.g.quote(name.text()),
                        peer.authenticated ? V.VALID : name.v())));
            }
        }

        @Override
        J data(Gen g, String event, Peer peer, Run run) {
            return switch (event) {
                case "user-joined" -> ignoredWhenAuthenticated(peer, g.chance(5) ? absent() : g.userTextJson(32, false));
                case "send-message" -> g.userTextJson(500, true);
                case "typing" -> g.chance(85) ? J.valid(g.oneOf("true", "false"))
                        : J.invalid(g.oneOf("\"true\"", "1", "0", "null", "[]", "{}", "\"\"", "[true]"));
                case "private-message" -> {
                    J to = switch (g.pick(10)) {
                        case 0 -> J.unknown(g.quote(g.anyText()));
                        case 1 -> J.invalid(g.notAString());
                        case 2 -> null;
                        default -> J.valid(g.quote(g.oneOf(run.socketIds)));
                    };
                    yield object(g, fields("toUserId", to, "message", g.userTextJson(500, true)));
                }
                case "join-room", "leave-room" -> room(g);
                case "room-message" -> object(g, fields("roomId", room(g), "message", g.userTextJson(500, true)));
                case "list-users" -> listUsers(g);
                case "history" -> history(g);
                default -> J.unknown(g.value(2));
            };
        }

        /**
         * Every field of {@code history} is optional, and so is its data. A well-formed {@code before} may still
         * be past the stream's newest message (INVALID_PAYLOAD then), so the server may take it or not.
         */
        private static J history(Gen g) {
            if (g.chance(10)) {
                return g.chance(50) ? new J(null, V.VALID) : J.valid("null");
            }
            if (g.chance(4)) {
                return J.invalid(g.oneOf("[]", "\"lobby\"", "7", "true"));
            }
            List<String> members = new ArrayList<>();
            V v = V.VALID;
            if (g.chance(50)) {
                J limit = g.chance(85) ? J.valid(g.oneOf("1", "50", "100", "3.0"))
                        : J.invalid(g.oneOf("0", "101", "-1", "1.5", "\"3\"", "null", "1e9"));
                members.add(g.member("limit", limit.json()));
                v = v.and(limit.v());
            }
            if (g.chance(40)) {
                J before = g.chance(80) ? J.unknown(g.oneOf("1", "2", "5", "1000"))
                        : J.invalid(g.oneOf("0", "-3", "2.5", "\"4\"", "null", "[]"));
                members.add(g.member("before", before.json()));
                v = v.and(before.v());
            }
            if (g.chance(20)) {
                J epoch = g.chance(70) ? J.valid(g.quote(g.oneOf("AbCdEfGh", "x")))
                        : J.invalid(g.oneOf("\"\"", "7", "\"../x\"", "null", "\"a b\""));
                members.add(g.member("epoch", epoch.json()));
                v = v.and(epoch.v());
            }
            if (g.chance(20)) {
                J roomId = room(g);
                members.add(g.member("roomId", roomId.json()));
                v = v.and(roomId.v());
            }
            return new J(g.object(members), v);
        }

        /** Every field of {@code list-users} is optional, and so is its data. */
        private static J listUsers(Gen g) {
            if (g.chance(10)) {
                return g.chance(50) ? new J(null, V.VALID) : J.valid("null");
            }
            if (g.chance(4)) {
                return J.invalid(g.oneOf("[]", "\"x\"", "7", "true"));
            }
            List<String> members = new ArrayList<>();
            V v = V.VALID;
            if (g.chance(50)) {
                J limit = g.chance(85) ? J.valid(g.oneOf("1", "7", "100", "3.0"))
                        : J.invalid(g.oneOf("0", "101", "-1", "1.5", "\"3\"", "null", "[]", "1e9"));
                members.add(g.member("limit", limit.json()));
                v = v.and(limit.v());
            }
            if (g.chance(30)) {
                J prefix = g.chance(85) ? J.valid(g.quote(g.oneOf("a", "An", "zz", "\ud83d\ude00", " b")))
                        : J.invalid(g.oneOf("\"\"", "\"   \"", "7", "null", "\"\u200b\""));
                members.add(g.member("prefix", prefix.json()));
                v = v.and(prefix.v());
            }
            if (g.chance(30)) {
                J after = g.chance(80) ? J.valid("{\"userId\":\"x\",\"username\":\"bob\"}")
                        : J.invalid(g.oneOf("\"bob\"", "{\"userId\":\"x\"}", "[]", "null", "{\"userId\":7,\"username\":\"b\"}"));
                members.add(g.member("after", after.json()));
                v = v.and(after.v());
            }
            if (g.chance(20)) {
                J roomId = room(g);
                members.add(g.member("roomId", roomId.json()));
                v = v.and(roomId.v());
            }
            return new J(g.object(members), v);
        }

        private static J room(Gen g) {
            if (g.chance(80)) {
                return J.valid(g.quote(g.oneOf(ROOMS)));
            }
            if (g.chance(20)) {
                return J.invalid(g.notAString());
            }
            return J.invalid(g.quote(g.oneOf("", "x".repeat(65), "a b", "é", "#lobby", "a/b", " r", "r ", "r\n",
                    "\ud800", "r\u0000", "ｒ")));
        }
    }

    private static final class Whiteboard extends Spec {
        @Override
        String path() {
            return "/whiteboard";
        }

        @Override
        Harness harness() {
            // A short history, so that dropping the oldest strokes happens too.
            return new Harness((rooms, out, clock) -> new WhiteboardService(rooms, out, Journals.local(out), CODEC, WHITEBOARD), CODEC);
        }

        @Override
        List<String> events() {
            return List.of("draw", "undo", "clear-canvas", "request-drawings");
        }

        @Override
        Map<String, List<String>> parameters(Gen g) {
            return switch (g.pick(4)) {
                case 0 -> Map.of("board", List.of("b"));
                case 1 -> Map.of("board", List.of(""));
                default -> Map.of();
            };
        }

        @Override
        J data(Gen g, String event, Peer peer, Run run) {
            if (!event.equals("draw")) {
                return g.chance(70) ? new J(null, V.VALID) : J.valid(g.value(2)); // data is ignored
            }
            Map<String, J> fields = new LinkedHashMap<>();
            for (String coordinate : List.of("prevX", "prevY", "x", "y")) {
                fields.put(coordinate, number(g, "0", "10000", "5000.5", "1e4", "1E+2", "0.0", "-0", "9999.999",
                        Integer.toString(g.between(0, 10_000))));
            }
            fields.put("color", g.chance(92) ? J.valid(g.quote(color(g))) : g.chance(30) ? J.invalid(g.notAString())
                    : J.invalid(g.quote(g.oneOf("#abc", "#12345g", "red", "#1234567", " #123456", "#123456 ",
                            "123456", "#ＡＢＣＤＥＦ", "#12345\u0000", ""))));
            fields.put("width", g.chance(92) ? J.valid(g.oneOf("1", "50", "3.5", "1e1", "1.0", "49.99", "2"))
                    : J.invalid(g.oneOf("0", "0.99", "50.01", "-3", "\"3\"", "null", "1e309", "[]")));
            J stroke = switch (g.pick(12)) {
                case 0 -> null;
                case 1 -> J.valid("null");
                case 2 -> J.invalid(g.oneOf("\"\"", "7", "true", "[]", "{}", g.quote("s".repeat(65))));
                case 3 -> J.unknown(g.quote(g.anyText()));
                case 4 -> J.valid(g.quote("😀".repeat(64)));
                default -> J.valid(g.quote(g.oneOf("s1", "s2", "s3", "stroke-😀")));
            };
            fields.put("strokeId", stroke);
            return object(g, fields);
        }

        private static J number(Gen g, String... valid) {
            if (g.chance(93)) {
                return J.valid(g.oneOf(valid));
            }
            if (g.chance(15)) {
                return J.unknown(g.exoticNumber());
            }
            return J.invalid(g.oneOf("-1", "10000.0001", "1e5", "\"5\"", "null", "1e309", "[]", "-0.0001", "true"));
        }

        private static String color(Gen g) {
            StringBuilder out = new StringBuilder("#");
            for (int i = 0; i < 6; i++) {
                out.append("0123456789abcdefABCDEF".charAt(g.pick(22)));
            }
            return out.toString();
        }
    }

    private static final class Game extends Spec {
        @Override
        String path() {
            return "/game";
        }

        @Override
        Harness harness() {
            return new Harness((rooms, out, clock) -> new GameService(new LocalPresence(), Journals.local(out), clock, GAME), CODEC);
        }

        @Override
        List<String> events() {
            return List.of("find-game", "make-move", "leave-game");
        }

        @Override
        String event(Gen g) {
            // A game takes five moves or more to end.
            return g.oneOf("find-game", "find-game", "make-move", "make-move", "make-move", "make-move", "make-move",
                    "make-move", "leave-game");
        }

        @Override
        void opened(Run run, Peer peer) {
            if (run.g.chance(50)) {
                run.g.startFrame();
                run.send(peer, Frame.build(run.g, "find-game", true, J.valid(run.g.quote("p" + run.g.pick(10)))));
            }
        }

        @Override
        J data(Gen g, String event, Peer peer, Run run) {
            return switch (event) {
                case "find-game" -> ignoredWhenAuthenticated(peer, g.chance(5) ? absent() : g.userTextJson(32, false));
                case "make-move" -> {
                    J position = g.chance(85)
                            ? J.valid(position(g, g.pick(9)))
                            : J.invalid(g.oneOf("9", "-1", "4.5", "\"4\"", "null", "1e400", "2147483648", "4294967300",
                                    "[]", "-0.5", "8.000000001", "true"));
                    yield object(g, fields("roomId", roomId(g, run, peer), "position", position));
                }
                case "leave-game" -> roomId(g, run, peer);
                default -> J.unknown(g.value(2));
            };
        }

        private static String position(Gen g, int cell) {
            return switch (g.pick(8)) {
                case 0 -> cell + ".0";
                case 1 -> cell + "e0";
                case 2 -> cell == 0 ? "0.0e-1" : cell + "0e-1";
                case 3 -> cell == 0 ? "-0" : cell + ".000";
                default -> Integer.toString(cell);
            };
        }

        /** Mostly the player to move, so that games get to their end. */
        @Override
        Peer sender(Gen g, Run run) {
            if (g.chance(60)) {
                for (Map.Entry<String, String> turn : run.turnOf.entrySet()) {
                    String id = run.playersOf.get(turn.getKey()).get(turn.getValue());
                    for (Peer peer : run.peers) {
                        if (peer.conn.id().equals(id)) {
                            return peer;
                        }
                    }
                }
            }
            return super.sender(g, run);
        }

        private static J roomId(Gen g, Run run, Peer peer) {
            String mine = run.roomOf.get(peer.conn.id());
            if (mine != null && g.chance(60)) {
                return J.valid(g.quote(mine));
            }
            if (!run.gameRooms.isEmpty() && g.chance(80)) {
                return J.valid(g.quote(g.oneOf(run.gameRooms)));
            }
            return g.chance(70) ? J.valid(g.quote(g.anyText())) : J.invalid(g.notAString());
        }
    }

    private static final class Location extends Spec {
        @Override
        String path() {
            return "/location";
        }

        @Override
        Harness harness() {
            return new Harness((rooms, out, clock) -> {
                scheduler = new ManualScheduler((ManualClock) clock);
                return new LocationService(rooms, out, new LocalPresence(), Journals.local(out), clock, scheduler,
                        LOCATION);
            }, CODEC);
        }

        @Override
        List<String> events() {
            return List.of("update-location");
        }

        @Override
        Map<String, List<String>> parameters(Gen g) {
            return g.chance(40) ? Map.of("room", List.of("g")) : Map.of();
        }

        @Override
        J data(Gen g, String event, Peer peer, Run run) {
            Map<String, J> fields = new LinkedHashMap<>();
            fields.put("lat", coordinate(g, 90));
            fields.put("lng", coordinate(g, 180));
            fields.put("username", ignoredWhenAuthenticated(peer, g.userTextJson(32, false)));
            return object(g, fields);
        }

        private static J coordinate(Gen g, int limit) {
            if (g.chance(90)) {
                return J.valid(g.oneOf("0", "-0", Integer.toString(limit), "-" + limit, limit + ".0", "45.5",
                        "-12.345678", "1e1", Integer.toString(g.between(-limit, limit))));
            }
            if (g.chance(15)) {
                return J.unknown(g.exoticNumber());
            }
            return J.invalid(g.oneOf(limit + ".0000001", "-" + limit + ".5", "1e309", "-1e309", "\"45\"", "null", "[]",
                    "true", Integer.toString(limit * 2)));
        }
    }

    /** With authentication the token names the user and the payload's username is ignored. */
    private static J ignoredWhenAuthenticated(Peer peer, J data) {
        return peer.authenticated && data.v() != V.VALID ? new J(data.json(), V.VALID) : data;
    }

    /** Fields in order (a map's order would differ from run to run, and so would what the bytes mean). */
    private static Map<String, J> fields(Object... namesAndValues) {
        Map<String, J> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.put((String) namesAndValues[i], (J) namesAndValues[i + 1]);
        }
        return fields;
    }

    private static J absent() {
        return J.invalid(null);
    }

    /**
     * An object of these fields (a null value: the field left out, which is invalid), shuffled, sometimes with
     * a field sent twice (then the parser decides which counts) or not an object at all.
     */
    private static J object(Gen g, Map<String, J> fields) {
        if (g.chance(4)) {
            return J.invalid(g.oneOf("null", "[]", "\"x\"", "7", "true"));
        }
        List<String> members = new ArrayList<>();
        V v = V.VALID;
        for (Map.Entry<String, J> field : fields.entrySet()) {
            J value = field.getValue();
            if (value == null || value.json() == null) {
                if (!field.getKey().equals("strokeId")) {
                    v = v.and(V.INVALID);
                }
                continue;
            }
            v = v.and(value.v());
            members.add(g.member(field.getKey(), value.json()));
        }
        if (g.chance(3) && !members.isEmpty()) {
            members.add(DUPLICATE.matcher(members.get(g.pick(members.size())))
                    .replaceFirst(Matcher.quoteReplacement(":" + g.value(1))));
            v = V.UNKNOWN;
        }
        return new J(g.object(members), v);
    }

    // ---- one run ---------------------------------------------------------------------------------------

    /** One fake connection and how much of what it was sent has been checked. */
    private static final class Peer {
        final Conn conn;
        final boolean authenticated;
        int checked;

        Peer(Conn conn, boolean authenticated) {
            this.conn = conn;
            this.authenticated = authenticated;
        }
    }

    private static final class Run {
        final Spec spec;
        final Gen g;
        final Harness harness;
        final List<Peer> peers = new ArrayList<>();
        /** Every socket id seen, the closed ones' too: what private messages are addressed to. */
        final List<String> socketIds = new ArrayList<>(List.of("nobody"));
        /** Every game room id seen. */
        final List<String> gameRooms = new ArrayList<>();
        /** Games as far as their frames tell: a player's game, a game's players by symbol, whose turn it is. */
        final Map<String, String> roomOf = new LinkedHashMap<>();
        final Map<String, Map<String, String>> playersOf = new LinkedHashMap<>();
        final Map<String, String> turnOf = new LinkedHashMap<>();
        int step;

        Run(Spec spec, Gen g) {
            this.spec = spec;
            this.g = g;
            this.harness = spec.harness();
        }

        void go() {
            int connections = g.between(2, 3);
            for (int i = 0; i < connections; i++) {
                open();
            }
            for (step = 0; step < MAX_STEPS && g.in.remainingBytes() > 0; step++) {
                int action = g.pick(100);
                if (action < 85 || peers.isEmpty()) {
                    Peer sender = peers.isEmpty() ? open() : spec.sender(g, this);
                    send(sender, frame(sender));
                } else if (action < 92) {
                    pass(g.oneOf(List.of(1L, 50L, 99L, 100L, 101L, 1_000L, 10_000L, 59_999L, 60_000L, 61_000L)));
                } else if (action < 97) {
                    Peer leaving = peers.remove(g.pick(peers.size()));
                    leaving.conn.close();
                    collect("after a connection closed", null);
                    if (peers.size() < 2) {
                        open();
                    }
                } else if (peers.size() < 3) {
                    open();
                }
            }
        }

        /** Lets time pass: rate limits slide, finished games expire, deferred broadcasts go out. */
        void pass(long millis) {
            if (spec.scheduler != null) {
                spec.scheduler.advance(millis);
            } else {
                harness.clock.advance(millis);
            }
            collect("after " + millis + " ms passed", null);
        }

        private Frame frame(Peer sender) {
            g.startFrame();
            int choice = g.pick(20);
            if (choice < 16) {
                String event = spec.event(g);
                return Frame.build(g, event, true, spec.data(g, event, sender, this));
            }
            if (choice < 17) {
                return Frame.build(g, "ping", true, g.chance(70) ? new J(null, V.VALID) : J.valid(g.value(2)));
            }
            String event = Frame.unknownEvent(g);
            boolean real = event.equals("ping") || spec.events().contains(event);
            return Frame.build(g, event, real, J.unknown(g.chance(30) ? null : g.value(2)));
        }

        Peer open() {
            boolean authenticated = g.chance(15);
            Conn conn = harness.open(spec.parameters(g), authenticated ? g.oneOf("carol", "dave") : null);
            Peer peer = new Peer(conn, authenticated);
            if (conn.client == null) {
                throw new AssertionError(spec.path() + ": a valid connection was refused");
            }
            peers.add(peer);
            socketIds.add(conn.id());
            Map<Peer, List<JsonObject>> out = collect("on open", null);
            List<JsonObject> greeting = out.get(peer);
            if (greeting.isEmpty() || !"connected".equals(greeting.get(0).getString("event", null))) {
                throw new AssertionError(spec.path() + ": a new connection's first frame is not connected: " + greeting);
            }
            JsonObject connected = greeting.get(0).getJsonObject("data");
            if (!conn.id().equals(connected.getString("id", null)) || !spec.path().equals(connected.getString("namespace", null))) {
                throw new AssertionError(spec.path() + ": wrong connected frame " + greeting.get(0));
            }
            spec.opened(this, peer);
            return peer;
        }

        /** Sends one frame and checks the answers to it. */
        void send(Peer sender, Frame frame) {
            String context = spec.path() + " step " + step + ": " + frame.describe();
            try {
                harness.namespace.receive(sender.conn.client, frame.text());
            } catch (Throwable e) {
                throw Wire.escaped(context + ": Namespace.receive threw " + e + ", so the frame got no answer", e);
            }
            Map<Peer, List<JsonObject>> out = collect(context, sender);
            List<JsonObject> mine = out.get(sender);
            List<JsonObject> acks = mine.stream().filter(f -> f.containsKey("ack")).toList();
            List<JsonObject> errors = mine.stream().filter(f -> "error".equals(eventOf(f))).toList();
            Supplier<String> got = () -> context + "; the sender got " + Wire.abbreviate(mine.toString());

            require(acks.size() <= 1 && errors.size() <= 1 && acks.size() + errors.size() <= 1,
                    () -> got.get() + ": more than one answer");
            JsonObject answer = acks.isEmpty() ? errors.isEmpty() ? null : errors.get(0) : acks.get(0);
            if (answer != null) {
                require(mine.get(mine.size() - 1) == answer, () -> got.get() + ": the answer is not the last frame the frame caused");
            }
            boolean refused = !errors.isEmpty() || (!acks.isEmpty() && acks.get(0).containsKey("error"));
            switch (frame.ack()) {
                case NONE -> require(acks.isEmpty(), () -> got.get() + ": an ack frame for a frame without a valid ack");
                case EXACT -> require(acks.size() == 1 && errors.isEmpty() && ackOf(acks.get(0)) == frame.ackValue(),
                        () -> got.get() + ": not exactly one ack frame for ack " + frame.ackValue());
                case MAYBE -> require(errors.size() == 1 || (acks.size() == 1 && ackOf(acks.get(0)) == frame.ackValue()),
                        () -> got.get() + ": neither an ack frame for ack " + frame.ackValue() + " nor an error event");
                case ANY -> {
                }
            }
            if (frame.mustFail()) {
                require(refused, () -> got.get() + ": a bad frame was not refused");
            }
            if (refused) {
                require(mine.size() == 1, () -> got.get() + ": a refused frame caused more than its refusal");
                out.forEach((peer, frames) -> require(peer == sender || frames.isEmpty(),
                        () -> got.get() + ": a refused frame reached another connection: " + frames));
                JsonObject error = errors.isEmpty() ? acks.get(0).getJsonObject("error")
                        : errors.get(0).getJsonObject("data");
                require(error != null && CODES.contains(error.getString("code", null))
                        && !error.getString("message", "").isEmpty(), () -> got.get() + ": a malformed refusal");
                if (frame.notJson()) {
                    require("BAD_JSON".equals(error.getString("code")), () -> got.get() + ": not refused with BAD_JSON");
                }
                if (!errors.isEmpty()) {
                    JsonValue named = error.get("event");
                    require(named != null && (named.getValueType() == JsonValue.ValueType.NULL
                            || named.getValueType() == JsonValue.ValueType.STRING), () -> got.get() + ": event must be a string or null");
                    // An event name with a lone surrogate cannot come back as it was: replaced, dropped or null.
                    if (frame.eventKnown() && !frame.exotic()
                            && (frame.event() == null || Wire.unpairedSurrogate(frame.event()) < 0)) {
                        String expected = frame.event() == null ? null : Text.excerpt(frame.event());
                        String actual = named instanceof JsonString s ? s.getString() : null;
                        require(expected == null ? actual == null : expected.equals(actual),
                                () -> got.get() + ": the error names event " + actual + ", the frame's is " + expected);
                    }
                }
            }
        }

        /**
         * Reads and checks what every connection was sent since the last look: no closes, JSON objects only, no
         * unpaired surrogates, acks and errors only to {@code sender} (null: nobody sent anything).
         */
        Map<Peer, List<JsonObject>> collect(String context, Peer sender) {
            Map<Peer, List<JsonObject>> out = new LinkedHashMap<>();
            for (Peer peer : peers) {
                String who = context + " (connection " + peers.indexOf(peer) + (peer == sender ? ", the sender" : "") + ")";
                require(peer.conn.transport.closeCode() == null, () -> who + ": the server closed the connection with "
                        + peer.conn.transport.closeCode() + " " + peer.conn.transport.closeReason());
                List<OutgoingText> written = peer.conn.transport.messages();
                List<JsonObject> fresh = new ArrayList<>();
                for (OutgoingText message : written.subList(peer.checked, written.size())) {
                    JsonObject frame = Wire.serverFrame(message.text(), who);
                    boolean event = frame.get("event") instanceof JsonString && frame.containsKey("data");
                    boolean ack = frame.get("ack") instanceof JsonNumber
                            && (frame.get("data") instanceof JsonObject || frame.get("error") instanceof JsonObject)
                            && frame.size() == 2;
                    require(event != ack, () -> who + ": neither an event nor an ack frame: " + message.text());
                    require(peer == sender || (!ack && !"error".equals(eventOf(frame))),
                            () -> who + ": an answer to someone else's frame: " + message.text());
                    harvest(frame, peer);
                    fresh.add(frame);
                }
                peer.checked = written.size();
                out.put(peer, fresh);
            }
            return out;
        }

        /** Ids the fuzzer can use in later frames. */
        private void harvest(JsonObject frame, Peer peer) {
            String event = eventOf(frame);
            if (!(frame.get("data") instanceof JsonObject data)) {
                return;
            }
            String room = data.get("roomId") instanceof JsonString id ? id.getString() : null;
            if (room != null && ("waiting-for-opponent".equals(event) || "game-start".equals(event))
                    && !gameRooms.contains(room)) {
                gameRooms.add(room);
            }
            if ("game-start".equals(event) && data.get("players") instanceof jakarta.json.JsonArray players) {
                Map<String, String> bySymbol = new LinkedHashMap<>();
                for (JsonValue player : players) {
                    if (player instanceof JsonObject p) {
                        bySymbol.put(p.getString("symbol", ""), p.getString("id", ""));
                        roomOf.put(p.getString("id", ""), room);
                    }
                }
                playersOf.put(room, bySymbol);
                turnOf.put(room, data.getString("turn", ""));
            } else if ("move-made".equals(event) && roomOf.get(peer.conn.id()) != null) {
                turnOf.put(roomOf.get(peer.conn.id()), data.getString("turn", ""));
            } else if ("game-over".equals(event) || "opponent-disconnected".equals(event)) {
                String ended = room != null ? room : roomOf.get(peer.conn.id());
                if (ended != null) {
                    turnOf.remove(ended);
                }
            }
        }
    }

    private static String eventOf(JsonObject frame) {
        return frame.get("event") instanceof JsonString s ? s.getString() : null;
    }

    private static long ackOf(JsonObject frame) {
        BigDecimal value = frame.getJsonNumber("ack").bigDecimalValue();
        try {
            return value.longValueExact();
        } catch (ArithmeticException e) {
            return -1;
        }
    }

    private static void require(boolean condition, Supplier<String> message) {
        if (!condition) {
            throw new AssertionError(message.get());
        }
    }
}
