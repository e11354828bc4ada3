package dev.duplex.fuzz;

import dev.duplex.core.Codec;
import dev.duplex.fuzz.Gen.J;
import dev.duplex.fuzz.Gen.V;
import java.util.ArrayList;
import java.util.List;

/**
 * One client frame as the fuzzer built it, with what PROTOCOL.md sections 2-3 make the server answer.
 *
 * @param text         the frame as sent
 * @param wellFormed   the text is one JSON object (nesting and numbers aside, see {@code exotic})
 * @param eventKnown   {@code event} is what an error event must name (a well-formed frame with one event member)
 * @param event        the frame's event when it is a string, else null
 * @param envelopeOk   event a string of 1-64 code points and ack absent or valid: {@link Codec#decode} must accept it
 * @param ack          what the answer to the frame's ack must be
 * @param ackValue     the ack's value for {@link Ack#EXACT} and {@link Ack#MAYBE}
 * @param mustFail     the server must refuse the frame, whatever the state of the namespace
 * @param notJson      the text is not a JSON object: the refusal must be {@code BAD_JSON}
 * @param dataJson     the data member's text as sent, null when absent or unknown
 * @param exotic       it holds nesting, number lengths or exponents past the JSON parser's limits, which the
 *                     server may refuse as a whole ({@code BAD_JSON}, with the ack unread) or accept
 */
record Frame(String text, boolean wellFormed, boolean eventKnown, String event, boolean envelopeOk, Ack ack,
        long ackValue, boolean mustFail, boolean notJson, String dataJson, boolean exotic) {

    /** What the server must answer to the frame's ack. */
    enum Ack {
        /** No valid ack: no ack frame at all; a refusal is an error event. */
        NONE,
        /** A valid ack: exactly one ack frame for it, success or failure, and no error event. */
        EXACT,
        /** A valid ack in a frame the parser may refuse wholesale: one ack frame for it or one error event. */
        MAYBE,
        /** Unknown (random text): at most one ack frame. */
        ANY
    }

    private record AckMember(String literal, Ack ack, long value, boolean exotic) {
        AckMember(String literal, Ack ack, long value) {
            this(literal, ack, value, false);
        }
    }

    /** A server event name, an other namespace's event or a near miss: unknown to every namespace. */
    static String unknownEvent(Gen g) {
        return switch (g.pick(4)) {
            case 0 -> g.oneOf("error", "connected", "pong", "receive-message", "load-drawings", "game-start",
                    "locations-updated", "user-connected", "ack", "event", "__proto__", "constructor", "toString",
                    "hasOwnProperty", "Ping", "PING", "ping ", " ping", "ping\u0000", "p\u0131ng");
            case 1 -> g.oneOf("user-joined", "send-message", "typing", "private-message", "join-room", "leave-room",
                    "room-message", "draw", "undo", "clear-canvas", "request-drawings", "find-game", "make-move",
                    "leave-game", "update-location") + g.oneOf(" ", "\u0000", "\u200b", "_", "-", "s", "\ud800", "");
            case 2 -> g.anyText();
            default -> g.in.consumeString(g.between(1, 70));
        };
    }

    /**
     * A frame for {@code event} with {@code data} (null: no data member). {@code known}: the namespace has such
     * an event; the data's validity is what the event makes of it (of no data member too). Call
     * {@link Gen#startFrame()} before generating the data.
     */
    static Frame build(Gen g, String event, boolean known, J data) {
        String dataJson = data.json();
        boolean refused = !known || data.v() == V.INVALID;
        if (g.chance(4)) {
            // The parser may refuse it as a whole, or the event may ignore data: refused only when unknown.
            dataJson = g.deep();
            refused = !known;
        }
        AckMember ack = ack(g);

        List<String> members = new ArrayList<>();
        members.add(g.member("event", g.quote(event)));
        if (dataJson != null) {
            members.add(g.member("data", dataJson));
        }
        if (ack.literal != null) {
            members.add(g.member("ack", ack.literal));
        }
        boolean eventOk = !event.isEmpty() && event.codePointCount(0, event.length()) <= 64;
        boolean ackOk = ack.ack != Ack.NONE || ack.literal == null;

        int kind = g.pick(100);
        if (kind < 80) {
            String text = g.ws() + g.object(members) + g.ws();
            return finish(g, ack, text, true, true, event, eventOk && ackOk, ack.ack, refused || !eventOk || !ackOk,
                    false, dataJson);
        }
        if (kind < 84) {
            // The event member is no string, or missing.
            members.remove(0);
            if (g.chance(80)) {
                members.add(0, g.member("event", g.oneOf("null", "true", "7", "[]", "[\"ping\"]", "{}",
                        "{\"event\":\"ping\"}", "0.5")));
            }
            return finish(g, ack, g.object(members), true, true, null, false, ack.ack, true, false, dataJson);
        }
        if (kind < 87) {
            // An event string too short or too long (64 code points, the longest allowed, is an unknown event).
            String unit = g.oneOf("a", "😀", "中", "-");
            String name = g.oneOf("", unit.repeat(64), unit.repeat(65), unit.repeat(200));
            members.set(0, g.member("event", g.quote(name)));
            boolean nameOk = !name.isEmpty() && name.codePointCount(0, name.length()) <= 64;
            return finish(g, ack, g.object(members), true, true, name, nameOk && ackOk, ack.ack, true, false,
                    dataJson);
        }
        if (kind < 88) {
            // Two event members: which one counts is the parser's business.
            members.add(g.member("event", g.quote(g.chance(50) ? "ping" : unknownEvent(g))));
            return finish(g, ack, g.object(members), true, false, null, false, ack.ack, false, false, dataJson);
        }
        if (kind < 91) {
            // Not an object (a leading byte order mark is left out: RFC 8259 lets parsers ignore it).
            String whole = g.object(members);
            String text = g.oneOf("", " ", "\n", "[" + whole + "]", g.quote(whole), "null", "true", "7", "[]",
                    "\"event\"", "[{\"event\":\"ping\"}]", whole + whole, whole + ",", whole + g.oneOf(" x", "]", "}",
                            "\u0000", "null", "{}"), g.oneOf("\u00a0", "\u0000", "x") + whole,
                    g.notJson());
            return finish(g, ack, text, false, false, null, false, Ack.NONE, true, true, null);
        }
        if (kind < 96) {
            // Broken JSON: cut short, or with something that is not JSON as a value.
            String text;
            if (g.chance(50)) {
                String whole = g.object(members);
                text = whole.substring(0, g.between(0, whole.lastIndexOf('}') - 1));
            } else {
                members.add(g.pick(members.size() + 1), g.member(g.oneOf("data", "ack", "x"), g.notJson()));
                text = g.object(members);
            }
            return finish(g, ack, text, false, false, null, false, Ack.NONE, true, true, null);
        }
        // Anything at all.
        String text = g.chance(50) ? g.value(3) : g.in.consumeString(g.between(0, 300));
        return new Frame(text, false, false, null, false, Ack.ANY, 0, false, false, null, true);
    }

    /**
     * The frame, exotic when anything generated for it was (read only now: unknown members and the ack are
     * generated late); a valid ack in an exotic frame may then be answered by an error event instead.
     */
    private static Frame finish(Gen g, AckMember ack, String text, boolean wellFormed, boolean eventKnown,
            String event, boolean envelopeOk, Ack expected, boolean mustFail, boolean notJson, String dataJson) {
        boolean exotic = g.exotic() || ack.exotic;
        Ack answer = exotic && expected == Ack.EXACT ? Ack.MAYBE : expected;
        return new Frame(text, wellFormed, eventKnown, event, envelopeOk, answer, ack.value, mustFail, notJson,
                dataJson, exotic);
    }

    /** An ack member: none, valid in one of its spellings, invalid, or valid but past the parser's limits. */
    private static AckMember ack(Gen g) {
        int kind = g.pick(20);
        if (kind < 11) {
            return new AckMember(null, Ack.NONE, 0);
        }
        if (kind < 17) {
            long value = switch (g.pick(5)) {
                case 0 -> 0;
                case 1 -> Codec.MAX_ACK;
                case 2 -> g.in.consumeLong(0, Codec.MAX_ACK);
                default -> g.between(1, 1_000);
            };
            String literal = switch (g.pick(8)) {
                case 0 -> value + ".0";
                case 1 -> value + g.oneOf("e0", "E0", "e+0", "E-0");
                case 2 -> value == 0 ? "0e-1" : value + "0e-1";
                case 3 -> value + ".000";
                case 4 -> value == 0 ? g.oneOf("-0", "-0.0", "0e99", "0.0e-5") : value + "00e-2";
                default -> Long.toString(value);
            };
            return new AckMember(literal, Ack.EXACT, value);
        }
        if (kind < 19) {
            return new AckMember(g.oneOf("-1", "9007199254740992", "1.5", "0.1", "\"7\"", "\"\"", "null", "true",
                    "false", "[7]", "{}", "{\"ack\":7}", "1e400", "-1e-400", "1e16", "7.0000000000000000001",
                    "18446744073709551616", "-9007199254740991", "9223372036854775807", "1e20", "-0.5"), Ack.NONE, 0);
        }
        // Past the parser's limits.
        return switch (g.pick(6)) {
            case 0 -> new AckMember("7." + "0".repeat(g.between(1_090, 1_200)), Ack.MAYBE, 7, true);
            case 1 -> new AckMember("0e999999999999", Ack.MAYBE, 0, true);
            case 2 -> new AckMember("0.0e-2147483648", Ack.MAYBE, 0, true);
            case 3 -> new AckMember("1".repeat(g.between(1_090, 1_200)), Ack.NONE, 0, true);
            case 4 -> new AckMember("1e999999999999", Ack.NONE, 0, true);
            default -> new AckMember("1e-2147483648", Ack.NONE, 0, true);
        };
    }

    /** A short form for failure messages. */
    String describe() {
        String shown = text.length() <= 400 ? text
                : text.substring(0, 200) + "...(" + text.length() + " chars)..." + text.substring(text.length() - 100);
        return "frame " + Wire.javaLiteral(shown) + " [expected: ack " + ack + (ack == Ack.EXACT || ack == Ack.MAYBE
                ? " " + ackValue : "") + (mustFail ? ", must be refused" : "") + (notJson ? " with BAD_JSON" : "")
                + (exotic ? ", exotic" : "") + "]";
    }
}
